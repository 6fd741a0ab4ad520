"""Invitations in Django admin, scoped to the administration's own school(s).

Rows change only through the services: the list is read-only, resend and revoke are
actions, and new invitations come from the invite form (or the class-list import).
"""

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from groups.admin import SchoolScopedAdmin
from groups.models import Child, Group, School, StaffMembership

from . import selectors, services
from .classlist import MAX_BYTES, ClassListError, plan_class_list
from .models import Invitation

IMPORT_SALT = "invitations.classlist"


class StateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Invitation.State.choices

    def queryset(self, request, queryset):
        value, now = self.value(), timezone.now()
        if value == Invitation.State.SENT:
            return queryset.filter(state="sent", expires_at__gt=now)
        if value == Invitation.State.EXPIRED:
            return queryset.filter(state="sent", expires_at__lte=now)
        if value:
            return queryset.filter(state=value)
        return queryset


class GroupFilter(admin.SimpleListFilter):
    """Only the groups of the administration's own schools."""

    title = gettext_lazy("group")
    parameter_name = "group"

    def lookups(self, request, model_admin):
        groups = Group.objects.filter(school__in=selectors.managed_schools(request.user))
        return [(group.pk, str(group)) for group in groups.order_by("-school_year", "name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(child__group_id=self.value()) | Q(groups=self.value()))
        return queryset


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the e-mail"),
        choices=Invitation._meta.get_field("language").choices,
        initial="nl",
    )
    child = forms.ModelChoiceField(
        label=gettext_lazy("Child (for a parent or guardian)"),
        queryset=Child.objects.none(),
        required=False,
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role (for staff)"),
        choices=[("", "---------"), *StaffMembership.Role.choices],
        required=False,
    )
    groups = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Groups (for teachers and assistants)"),
        queryset=Group.objects.none(),
        required=False,
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.schools = list(schools)
        self.fields["child"].queryset = Child.objects.filter(
            school__in=self.schools
        ).select_related("group")
        self.fields["groups"].queryset = Group.objects.filter(school__in=self.schools)

    def clean(self):
        cleaned = super().clean()
        child, role = cleaned.get("child"), cleaned.get("role")
        if bool(child) == bool(role):
            raise ValidationError(
                _("Choose a child to invite a parent, or a role to invite a staff member.")
            )
        if role and len(self.schools) != 1:
            # Several schools: the groups decide which one; without groups it is ambiguous.
            groups = cleaned.get("groups") or []
            if not groups:
                raise ValidationError(_("Choose the groups, so the school is clear."))
        return cleaned

    def school_for_staff(self):
        groups = self.cleaned_data.get("groups") or []
        return groups[0].school if groups else self.schools[0]


class ClassListForm(forms.Form):
    school = forms.ModelChoiceField(label=gettext_lazy("School"), queryset=None)
    file = forms.FileField(
        label=gettext_lazy("Class list (CSV)"),
        help_text=gettext_lazy(
            "Columns: voornaam, (tussenvoegsel,) achternaam, groep, e-mail ouder 1, "
            "e-mail ouder 2. Comma-separated, UTF-8."
        ),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if len(schools) == 1:
            self.fields["school"].initial = schools[0]

    def content(self):
        # Read one byte more than allowed, so an oversized file is recognised, not cut off.
        return self.cleaned_data["file"].read(MAX_BYTES + 1)


@admin.register(Invitation)
class InvitationAdmin(SchoolScopedAdmin):
    list_display = (
        "email",
        "kind",
        "child",
        "group",
        "role",
        "state_display",
        "sent_at",
        "expires_at",
        "invited_by",
    )
    list_filter = (StateFilter, GroupFilter, "kind")
    list_select_related = ("child", "child__group", "invited_by", "school")
    search_fields = ("email", "child__first_name", "child__last_name")
    actions = ["resend_selected", "revoke_selected"]
    exclude = ("token_hash",)

    @admin.display(description=gettext_lazy("group"))
    def group(self, obj):
        return obj.child.group.name if obj.child else ""

    @admin.display(description=gettext_lazy("state"))
    def state_display(self, obj):
        return obj.get_current_state_display()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        own = [
            path(
                "invite/", self.admin_site.admin_view(self.invite_view), name="invitations_invite"
            ),
            path(
                "overview/",
                self.admin_site.admin_view(self.overview_view),
                name="invitations_overview",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="invitations_import",
            ),
        ]
        return own + super().get_urls()

    def _base_url(self, request):
        return request.build_absolute_uri("/")

    def _run_per_invitation(self, request, queryset, action, done_message):
        done = 0
        for invitation in queryset:
            try:
                action(invitation)
            except ValidationError as error:
                self.message_user(
                    request, f"{invitation.email}: {' '.join(error.messages)}", messages.WARNING
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=gettext_lazy("Send a new link (the old one stops working)"))
    def resend_selected(self, request, queryset):
        self._run_per_invitation(
            request,
            queryset,
            lambda invitation: services.invitation_resend(
                actor=request.user, invitation=invitation, base_url=self._base_url(request)
            ),
            lambda n: (
                ngettext("%(n)d invitation sent again.", "%(n)d invitations sent again.", n)
                % {"n": n}
            ),
        )

    @admin.action(description=gettext_lazy("Revoke (the link stops working)"))
    def revoke_selected(self, request, queryset):
        self._run_per_invitation(
            request,
            queryset,
            lambda invitation: services.invitation_revoke(
                actor=request.user, invitation=invitation
            ),
            lambda n: (
                ngettext("%(n)d invitation revoked.", "%(n)d invitations revoked.", n) % {"n": n}
            ),
        )

    def _context(self, request, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
        }

    def invite_view(self, request):
        if not self.has_module_permission(request):
            raise PermissionDenied
        schools = selectors.managed_schools(request.user)
        form = InviteForm(request.POST or None, schools=schools)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["child"]:
                    invitation = services.invitation_create(
                        actor=request.user,
                        email=data["email"],
                        child=data["child"],
                        language=data["language"],
                        base_url=self._base_url(request),
                    )
                else:
                    invitation = services.invitation_create(
                        actor=request.user,
                        email=data["email"],
                        school=form.school_for_staff(),
                        role=data["role"],
                        groups=data["groups"],
                        language=data["language"],
                        base_url=self._base_url(request),
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": invitation.email},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:invitations_invitation_changelist"))
        context = {**self._context(request, _("Invite someone")), "form": form}
        return TemplateResponse(request, "admin/invitations/invite.html", context)

    def overview_view(self, request):
        if not self.has_module_permission(request):
            raise PermissionDenied
        context = {
            **self._context(request, _("Invitations per group")),
            "groups": selectors.group_overview(request.user),
        }
        return TemplateResponse(request, "admin/invitations/overview.html", context)

    def import_view(self, request):
        """Upload → preview → confirm. The confirm form carries the file signed, so what is
        imported is exactly what was previewed, for the school and person who previewed it."""
        if not self.has_module_permission(request):
            raise PermissionDenied
        schools = selectors.managed_schools(request.user)
        context = self._context(request, _("Import a class list"))
        if request.method == "POST" and "payload" in request.POST:
            try:
                payload = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=60 * 60)
                if payload["user"] != request.user.pk:
                    raise signing.BadSignature
                school = schools.get(pk=payload["school"])
                content = payload["content"].encode()
            except (signing.BadSignature, KeyError, TypeError, School.DoesNotExist):
                self.message_user(
                    request, _("The preview has expired; upload the file again."), messages.ERROR
                )
                return redirect(reverse("admin:invitations_import"))
            try:
                plan = services.classlist_import(
                    actor=request.user,
                    school=school,
                    content=content,
                    base_url=self._base_url(request),
                )
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
                return redirect(reverse("admin:invitations_import"))
            self.message_user(
                request,
                _(
                    "Class list imported: %(created)d children added, %(moved)d moved, "
                    "%(invited)d invitations sent."
                )
                % {
                    "created": plan.count("create"),
                    "moved": plan.count("move"),
                    "invited": plan.invitation_count,
                },
                messages.SUCCESS,
            )
            return redirect(reverse("admin:invitations_overview"))

        form = ClassListForm(request.POST or None, request.FILES or None, schools=schools)
        if request.method == "POST" and form.is_valid():
            school = form.cleaned_data["school"]
            content = form.content()
            try:
                plan = plan_class_list(school=school, content=content)
            except ClassListError as error:
                form.add_error("file", error)
            else:
                context["plan"] = plan
                if plan.is_valid:
                    context["payload"] = signing.dumps(
                        {
                            "school": school.pk,
                            "user": request.user.pk,
                            "content": content.decode("utf-8-sig"),
                        },
                        salt=IMPORT_SALT,
                        compress=True,
                    )
        context["form"] = form
        return TemplateResponse(request, "admin/invitations/import.html", context)
