"""Django admin for a school's administration: every row scoped to their own school(s).

Superusers see everything. A school's administration sees and touches only their school's
rows; another school's object behaves as missing (404 via an empty queryset).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import WEEKDAYS, Child, Group, Guardianship, School, StaffMembership


class SchoolScopedAdmin(admin.ModelAdmin):
    """Rights follow the administration role, not Django's per-model permissions."""

    #: Path from the model to its School; "" for School itself.
    school_path = "school"

    def _schools(self, request):
        return selectors.administered_schools(request.user)

    def _in_scope(self, request, obj):
        if request.user.is_superuser or obj is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        lookup = f"{self.school_path}__in" if self.school_path else "pk__in"
        return qs.filter(**{lookup: self._schools(request)})

    def has_module_permission(self, request):
        return request.user.is_superuser or self._schools(request).exists()

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            schools = self._schools(request)
            if db_field.related_model is School:
                kwargs["queryset"] = schools
            elif db_field.related_model is Group:
                kwargs["queryset"] = Group.objects.filter(school__in=schools)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.related_model is Group:
            kwargs["queryset"] = Group.objects.filter(school__in=self._schools(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class WeekdaysField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", WEEKDAYS)
        kwargs.setdefault("coerce", int)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value or []


class SchoolForm(forms.ModelForm):
    staff_workdays = WeekdaysField(label=_("staff working days"))

    class Meta:
        model = School
        fields = "__all__"


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    school_path = ""
    form = SchoolForm
    list_display = ("name", "slug", "absence_mode", "absence_cutoff", "allow_portrait_photos")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "time_zone", "administration_phone")}),
        (
            _("Absences"),
            {
                "fields": (
                    "absence_mode",
                    "absence_cutoff",
                    "planned_absence_notice_days",
                    "max_absence_days",
                )
            },
        ),
        (
            _("Staff availability"),
            {
                "fields": (
                    "staff_hours_start",
                    "staff_hours_end",
                    "staff_workdays",
                    "personal_message_coach",
                )
            },
        ),
        (
            _("Communication rhythm"),
            {
                "fields": (
                    "group_message_weekday",
                    "digest_weekday",
                    "digest_time",
                    "newsletter_day",
                )
            },
        ),
        (
            _("Photos, privacy and conduct"),
            {
                "fields": (
                    "allow_portrait_photos",
                    "allow_photo_download",
                    "retention_months",
                    "invitation_valid_days",
                    "code_of_conduct",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        # Schools are created by the platform operator, not by a school's administration.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Group)
class GroupAdmin(SchoolScopedAdmin):
    list_display = ("name", "school", "school_year", "grade")
    list_filter = ("school_year",)
    search_fields = ("name",)


class GuardianshipInline(admin.TabularInline):
    """Guardians of a child. Linking a new guardian goes through an invitation, so a school's
    administration never browses the accounts of other schools; only superusers add here."""

    model = Guardianship
    extra = 0
    autocomplete_fields = ("guardian",)
    fields = ("guardian", "receives_communication", "created_at")

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ("created_at",)
        return ("guardian", "created_at")

    # The inline lives inside a child the admin may already see; the same rights apply.
    def has_view_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Child)
class ChildAdmin(SchoolScopedAdmin):
    list_display = ("first_name", "last_name", "group", "school")
    list_filter = ("group__school_year",)
    list_select_related = ("group", "school")
    search_fields = ("first_name", "last_name")
    inlines = [GuardianshipInline]


class StaffMembershipForm(forms.ModelForm):
    workdays = WeekdaysField(label=_("working days"))

    class Meta:
        model = StaffMembership
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        school, groups = cleaned.get("school"), cleaned.get("groups") or []
        if school and any(group.school_id != school.pk for group in groups):
            self.add_error("groups", _("Every group must belong to the chosen school."))
        return cleaned


@admin.register(StaffMembership)
class StaffMembershipAdmin(SchoolScopedAdmin):
    form = StaffMembershipForm
    list_display = ("user", "school", "role")
    list_filter = ("role",)
    list_select_related = ("user", "school")
    search_fields = ("user__full_name", "user__email")
    autocomplete_fields = ("user",)
    filter_horizontal = ("groups",)

    def get_readonly_fields(self, request, obj=None):
        # Administration changes roles and groups; new staff arrive through invitations.
        return () if request.user.is_superuser else ("user",)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.staff_admin_access_sync(user=form.instance.user)

    def delete_model(self, request, obj):
        user = obj.user
        super().delete_model(request, obj)
        services.staff_admin_access_sync(user=user)
