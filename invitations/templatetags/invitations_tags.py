from django import template

from groups.models import StaffMembership

register = template.Library()

INVITING_ROLES = {StaffMembership.Role.TEACHER, StaffMembership.Role.ADMINISTRATION}


@register.filter
def may_invite_guardians(memberships):
    """From the memberships the home page already loaded: no query of its own."""
    return any(membership.role in INVITING_ROLES for membership in memberships)
