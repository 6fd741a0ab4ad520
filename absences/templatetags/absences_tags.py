from django import template

from groups.models import StaffMembership

register = template.Library()


@register.inclusion_tag("absences/_home_panel.html")
def absences_home_panel(overview):
    """Teachers and assistants get the "absent today" panel. The home page has already loaded
    their memberships and groups, so deciding costs no query; the panel itself loads after
    the page (htmx), keeping the home page's own query count unchanged."""
    show = any(
        membership.role in StaffMembership.GROUP_ROLES and membership.groups.all()
        for membership in overview.memberships
    )
    return {"show": show}
