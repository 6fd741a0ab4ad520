"""Writes to the school data. The only place these rows change."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Child, Group, StaffMembership


def staff_admin_access_sync(*, user) -> None:
    """Administration works in Django admin, so it needs `is_staff`; nobody else does."""
    wanted = (
        user.is_superuser
        or StaffMembership.objects.filter(
            user=user, role=StaffMembership.Role.ADMINISTRATION
        ).exists()
    )
    if user.is_staff != wanted:
        user.is_staff = wanted
        user.save(update_fields=["is_staff"])


def _check_groups_belong(school, groups):
    foreign = [g for g in groups if g.school_id != school.pk]
    if foreign:
        raise ValidationError(
            {"groups": _("Every group must belong to %(school)s.") % {"school": school.name}}
        )


@transaction.atomic
def staff_membership_save(*, school, user, role, groups=(), workdays=None) -> StaffMembership:
    """Give a person a role at a school (replacing an earlier role there)."""
    groups = list(groups)
    _check_groups_belong(school, groups)
    membership, _created = StaffMembership.objects.update_or_create(
        user=user,
        school=school,
        defaults={"role": role, "workdays": workdays or list(school.staff_workdays)},
    )
    membership.full_clean()
    membership.groups.set(groups if role in StaffMembership.GROUP_ROLES else [])
    staff_admin_access_sync(user=user)
    return membership


@transaction.atomic
def child_move(*, child: Child, group: Group) -> Child:
    """Move a child to another group of the same school (a new school year, or a change)."""
    if group.school_id != child.school_id:
        raise ValidationError({"group": _("The group must belong to the child's school.")})
    if child.group_id != group.pk:
        child.group = group
        child.save(update_fields=["group"])
    return child
