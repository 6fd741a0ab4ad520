"""Shared photos and videos in Django admin: the school's administration sees what was
shared (never the files themselves here) and can take an item down."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.admin import SchoolScopedAdmin

from . import services
from .models import MediaItem


@admin.register(MediaItem)
class MediaItemAdmin(SchoolScopedAdmin):
    list_display = ("__str__", "kind", "group", "child", "state", "published_at", "uploaded_by")
    list_filter = ("kind", "state")
    list_select_related = ("group", "child", "uploaded_by")
    fields = (
        "school",
        "kind",
        "group",
        "child",
        "purpose_code",
        "state",
        "confirmed_no_recognisable_children",
        "uploaded_by",
        "created_at",
        "published_at",
    )
    readonly_fields = fields
    actions = ["take_down"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Only through the action below, which also removes the stored files.
        return False

    @admin.action(description=gettext_lazy("Take down (removes the files too)"))
    def take_down(self, request, queryset):
        items = list(queryset)
        for item in items:
            services.media_delete(actor=request.user, item=item)
        messages.success(request, _("%(count)s item(s) taken down.") % {"count": len(items)})
