from django.contrib import admin

from groups.admin import SchoolScopedAdmin

from .models import AbsenceReport


@admin.register(AbsenceReport)
class AbsenceReportAdmin(SchoolScopedAdmin):
    """Read-only: reports are made and withdrawn through the services (app and phone form),
    so that the rules and the guardians' e-mails always apply."""

    school_path = "child__school"
    list_display = ["child", "kind", "start", "end", "part", "is_late", "withdrawn_at"]
    list_filter = ["kind", "is_late", "routed_to_administration", "start"]
    list_select_related = ["child"]
    search_fields = ["child__first_name", "child__last_name"]
    date_hierarchy = "start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
