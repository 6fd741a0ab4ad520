from django.contrib import admin
from django.shortcuts import redirect

from groups.admin import SchoolScopedAdmin

from .models import CadenceReminder, Newsletter


@admin.register(Newsletter)
class NewsletterAdmin(SchoolScopedAdmin):
    """An overview; writing, previewing and scheduling happen on the app's own pages."""

    list_display = ("title", "school", "state", "month", "publish_at", "published_at")
    list_filter = ("state",)
    list_select_related = ("school",)
    readonly_fields = (
        "school",
        "author",
        "title",
        "body",
        "attachment_name",
        "state",
        "month",
        "publish_at",
        "published_at",
    )
    exclude = ("attachment",)

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("digest:newsletter-create")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CadenceReminder)
class CadenceReminderAdmin(SchoolScopedAdmin):
    list_display = ("group", "user", "week", "created_at")
    list_select_related = ("group", "user")
    list_filter = ("week",)
    readonly_fields = ("school", "group", "user", "week", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
