"""Read-only overviews for a school's administration. Rounds, help requests and agenda items
are made on the meetings pages, where the services check every rule; here they are only
looked up, scoped to the administrator's own school."""

from django.contrib import admin

from groups.admin import SchoolScopedAdmin

from .models import AgendaItem, HelpRequest, Round


class ReadOnlySchoolAdmin(SchoolScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(ReadOnlySchoolAdmin):
    list_display = ["title", "school", "opens_at", "closes_at"]
    list_filter = ["school"]
    search_fields = ["title"]
    exclude = ["invited_children"]


@admin.register(HelpRequest)
class HelpRequestAdmin(ReadOnlySchoolAdmin):
    list_display = ["title", "group", "date", "closes_at"]
    list_filter = ["school"]
    search_fields = ["title"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlySchoolAdmin):
    list_display = ["title", "date", "kind", "group", "school"]
    list_filter = ["school", "kind"]
    search_fields = ["title"]
