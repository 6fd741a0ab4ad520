from django import template

from groups.models import StaffMembership

register = template.Library()


@register.inclusion_tag("messaging/digest/_home_panel.html")
def cadence_home_panel(overview):
    """Teachers and assistants get the group-message reminder panel. Deciding costs no query
    (the home page loaded the memberships); the panel itself loads after the page (htmx)."""
    show = any(
        membership.role in StaffMembership.GROUP_ROLES and membership.groups.all()
        for membership in overview.memberships
    )
    return {"show": show}
