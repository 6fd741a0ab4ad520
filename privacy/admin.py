"""Consent in Django admin for a school's administration, scoped to their own school(s).

The ledger is read-only here; decisions from paper forms are appended through a form that
calls the same service as the parents' page. Per group: an overview (children by purposes),
a printable and downloadable no-photo list, and a reminder to guardians who have not decided.
"""

import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.admin import SchoolScopedAdmin

from . import selectors, services
from .forms import PaperDecisionForm
from .models import AccountDeletionRequest, ConsentEvent, ConsentPurpose, ConsentPurposeText


class ConsentPurposeTextInline(admin.TabularInline):
    """Existing wordings, read-only: decisions point at the version they were given on."""

    model = ConsentPurposeText
    extra = 0
    fields = ("version", "text", "created_at")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("texts so far")

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NewTextFormSet(BaseInlineFormSet):
    pass


class NewConsentPurposeTextInline(admin.StackedInline):
    """A new wording, saved as the next version by the service."""

    model = ConsentPurposeText
    formset = NewTextFormSet
    extra = 1
    max_num = 1
    fields = ("text",)
    verbose_name = gettext_lazy("new text version")
    verbose_name_plural = gettext_lazy("new text version")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentPurpose)
class ConsentPurposeAdmin(SchoolScopedAdmin):
    list_display = ("name", "code", "school", "ordering")
    list_select_related = ("school",)
    inlines = [ConsentPurposeTextInline, NewConsentPurposeTextInline]

    def get_readonly_fields(self, request, obj=None):
        # The code is what other apps ask for ("group"); it never changes once it exists.
        return ("school", "code") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        if not isinstance(formset, NewTextFormSet):
            return super().save_formset(request, form, formset, change)
        # The change message reads what the formset saved; texts go through the service.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            text = inline_form.cleaned_data.get("text") if inline_form.has_changed() else None
            if text and inline_form.instance.pk is None:
                formset.new_objects.append(
                    services.consent_purpose_text_add(purpose=form.instance, text=text)
                )
        return None


@admin.register(ConsentEvent)
class ConsentEventAdmin(SchoolScopedAdmin):
    """The ledger, read-only. Filter by child for a child's history."""

    school_path = "child__school"
    list_display = (
        "created_at",
        "child",
        "purpose",
        "school_year",
        "decision",
        "guardian_display",
        "source",
        "decided_by",
    )
    list_filter = ("decision", "source", "school_year", "purpose__code")
    list_select_related = ("child", "purpose", "decided_by", "on_behalf_of")
    search_fields = ("child__first_name", "child__last_name")
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("guardian"))
    def guardian_display(self, obj):
        return obj.guardian

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("overview/", view(self.overview_index), name="privacy_consent_overview_index"),
            path(
                "overview/<int:group_id>/",
                view(self.overview),
                name="privacy_consent_overview",
            ),
            path(
                "overview/<int:group_id>/remind/",
                view(self.remind),
                name="privacy_consent_remind",
            ),
            path(
                "no-photos/<int:group_id>/",
                view(self.no_photos),
                name="privacy_consent_no_photos",
            ),
            path(
                "record/<int:child_id>/",
                view(self.record),
                name="privacy_consent_record",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    def overview_index(self, request):
        groups = selectors.admin_groups(request.user)
        return TemplateResponse(
            request,
            "admin/privacy/overview_index.html",
            self._context(request, _("Consent per group"), groups=groups),
        )

    def overview(self, request, group_id):
        group = selectors.access_admin_group(request.user, group_id)
        services.consent_purposes_ensure(group.school)
        overview = selectors.group_consent_overview(group)
        return TemplateResponse(
            request,
            "admin/privacy/overview.html",
            self._context(
                request,
                _("Consent in %(group)s") % {"group": group},
                overview=overview,
                group=group,
            ),
        )

    def no_photos(self, request, group_id):
        group = selectors.access_admin_group(request.user, group_id)
        services.consent_purposes_ensure(group.school)
        children = selectors.group_consent_overview(group).no_photo
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            filename = f"no-photos-{group.school.slug}-{group.school_year}-{group.pk}.csv"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            writer = csv.writer(response)
            writer.writerow([_("first name"), _("last name"), _("group")])
            for child in children:
                writer.writerow([child.first_name, child.last_name, group.name])
            return response
        return TemplateResponse(
            request,
            "admin/privacy/no_photos.html",
            self._context(
                request,
                _("Not to be photographed: %(group)s") % {"group": group},
                group=group,
                children=children,
            ),
        )

    def remind(self, request, group_id):
        group = selectors.access_admin_group(request.user, group_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        count = services.consent_reminders_send(
            actor=request.user,
            group=group,
            link=request.build_absolute_uri(reverse("privacy-index")),
        )
        messages.success(
            request,
            _("A reminder goes to %(count)s guardian(s) who have not decided yet.")
            % {"count": count},
        )
        return redirect("admin:privacy_consent_overview", group_id=group.pk)

    def record(self, request, child_id):
        child = selectors.access_admin_child(request.user, child_id)
        services.consent_purposes_ensure(child.school)
        form = PaperDecisionForm(request.POST or None, child=child)
        if request.method == "POST" and form.is_valid():
            try:
                services.consent_record(actor=request.user, child=child, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("The decision for %(child)s has been added to the ledger.")
                    % {"child": child.full_name},
                )
                return redirect("admin:privacy_consent_overview", group_id=child.group_id)
        history_url = (
            reverse("admin:privacy_consentevent_changelist") + f"?child__id__exact={child.pk}"
        )
        return TemplateResponse(
            request,
            "admin/privacy/record.html",
            self._context(
                request,
                _("Record a paper decision for %(child)s") % {"child": child.full_name},
                child=child,
                group=child.group,
                form=form,
                history_url=history_url,
            ),
            status=400 if form.errors else 200,
        )


@admin.register(AccountDeletionRequest)
class AccountDeletionRequestAdmin(SchoolScopedAdmin):
    """Parents' requests to delete their account; the administration confirms with an action."""

    school_path = "schools"
    list_display = ("user", "status", "requested_at", "erased_by", "erased_at")
    list_filter = ("status",)
    list_select_related = ("user", "erased_by")
    readonly_fields = ("user", "schools", "status", "requested_at", "erased_by", "erased_at")
    actions = ["erase_accounts"]

    def get_queryset(self, request):
        # A parent with children at two schools appears once, for both administrations.
        return super().get_queryset(request).distinct()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Confirm: delete the selected accounts"))
    def erase_accounts(self, request, queryset):
        erased = 0
        for deletion_request in queryset.filter(status=AccountDeletionRequest.Status.REQUESTED):
            try:
                services.account_erase(actor=request.user, deletion_request=deletion_request)
            except (PermissionDenied, ValidationError) as error:
                detail = " ".join(getattr(error, "messages", [])) or _("Not allowed.")
                self.message_user(request, f"{deletion_request}: {detail}", messages.ERROR)
            else:
                erased += 1
        if erased:
            self.message_user(
                request,
                _("%(count)s account(s) deleted.") % {"count": erased},
                messages.SUCCESS,
            )
