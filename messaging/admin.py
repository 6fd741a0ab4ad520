"""Read-only overviews for a school's administration; changes go through the services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.admin import SchoolScopedAdmin

from . import services
from .models import Post, Report


class ReadOnlyMixin:
    """Posts and reports are written by staff and parents in the app, never in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyMixin, SchoolScopedAdmin):
    list_display = ["title", "school", "author", "publish_at", "is_school_wide", "hidden_at"]
    list_filter = ["is_school_wide", "publish_at"]
    search_fields = ["title"]
    list_select_related = ["school", "author"]
    date_hierarchy = "publish_at"


@admin.register(Report)
class ReportAdmin(ReadOnlyMixin, SchoolScopedAdmin):
    school_path = "post__school"
    list_display = ["__str__", "reporter", "state", "created_at"]
    list_filter = ["state"]
    list_select_related = ["reporter", "post", "comment"]
    actions = ["hide_content", "dismiss"]

    def get_queryset(self, request):
        # A report points at a post or at a comment: scope both through the post's school.
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        schools = self._schools(request)
        return qs.filter(post__school__in=schools) | qs.filter(comment__post__school__in=schools)

    def _resolve(self, request, queryset, hide):
        done = 0
        for report in queryset.filter(state=Report.State.OPEN):
            try:
                services.report_resolve(actor=request.user, report=report, hide=hide)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d report resolved.", "%(count)d reports resolved.", done)
            % {"count": done},
        )

    @admin.action(description=_("Hide the reported content"))
    def hide_content(self, request, queryset):
        self._resolve(request, queryset, hide=True)

    @admin.action(description=_("Dismiss the reports"))
    def dismiss(self, request, queryset):
        self._resolve(request, queryset, hide=False)


from .digest import admin as digest_admin  # noqa: E402, F401 -- registers the digest admins
