"""Who may see which school data. Every view, API endpoint, export and e-mail asks here.

Rules:
- a guardian sees their own children and those children's current groups, unless their
  guardianship is flagged as not receiving communication (custody rulings);
- teachers and assistants see the groups they work in and those groups' children;
- direction and administration see every group of their school;
- administration also sees every child of their school (direction sees children only of
  groups they work in themselves);
- deactivated accounts see nothing.
"""

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import BigIntegerField, Prefetch, Q, QuerySet, Value
from django.http import Http404

from .models import Child, Group, Guardianship, School, StaffMembership

User = get_user_model()
Role = StaffMembership.Role


def _is_active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _memberships(user, roles):
    return StaffMembership.objects.filter(user=user, role__in=roles, user__is_active=True)


def _guardian_child_ids(user):
    return Guardianship.objects.filter(
        guardian=user, receives_communication=True, guardian__is_active=True
    ).values("child_id")


def _staffed_group_ids(user):
    return Group.objects.filter(
        staff_memberships__user=user,
        staff_memberships__role__in=StaffMembership.GROUP_ROLES,
        staff_memberships__user__is_active=True,
    ).values("id")


def guardian_child_ids(user):
    """Ids (`child_id`) of the user's own children as a subquery: children_of_guardian for
    filters that need only the ids, one subquery level less for the database and the ORM."""
    if not _is_active(user):
        return Guardianship.objects.none().values("child_id")
    return _guardian_child_ids(user)


def staffed_group_ids(user):
    """Ids of the groups the user works in as a subquery (see guardian_child_ids)."""
    if not _is_active(user):
        return Group.objects.none().values("id")
    return _staffed_group_ids(user)


def administered_schools(user) -> QuerySet[School]:
    """Schools where the user is administration."""
    if not _is_active(user):
        return School.objects.none()
    return School.objects.filter(
        id__in=_memberships(user, [Role.ADMINISTRATION]).values("school_id")
    )


def led_schools(user) -> QuerySet[School]:
    """Schools where the user is direction or administration."""
    if not _is_active(user):
        return School.objects.none()
    return School.objects.filter(
        id__in=_memberships(user, StaffMembership.LEADERSHIP_ROLES).values("school_id")
    )


def visible_children(user) -> QuerySet[Child]:
    if not _is_active(user):
        return Child.objects.none()
    return Child.objects.filter(
        Q(id__in=_guardian_child_ids(user))
        | Q(group_id__in=_staffed_group_ids(user))
        | Q(school_id__in=administered_schools(user).values("id"))
    ).select_related("group", "school")


def visible_groups(user) -> QuerySet[Group]:
    if not _is_active(user):
        return Group.objects.none()
    return (
        Group.objects.filter(
            Q(children__id__in=_guardian_child_ids(user))
            | Q(id__in=_staffed_group_ids(user))
            | Q(school_id__in=led_schools(user).values("id"))
        )
        .distinct()
        .select_related("school")
    )


def children_of_guardian(user) -> QuerySet[Child]:
    """The user's own children (only those they receive communication about)."""
    if not _is_active(user):
        return Child.objects.none()
    return Child.objects.filter(id__in=_guardian_child_ids(user)).select_related("group", "school")


def staffed_groups(user) -> QuerySet[Group]:
    """Groups the user works in as teacher or assistant."""
    if not _is_active(user):
        return Group.objects.none()
    return Group.objects.filter(id__in=_staffed_group_ids(user)).select_related("school")


@dataclass
class ReaderScope:
    """What a person reads as: their own children (those they receive communication about,
    by first name), the groups they work in and the schools they lead."""

    children: list
    staff_group_ids: set
    led_school_ids: set


_CHILD_COLUMNS = ("id", "school_id", "group_id", "first_name", "last_name")
# No account has this id: reader_scope's query is compiled with it in the user's place.
_ANY_USER = -1


def _reader_rows(user_id):
    """One row per own child, and one per staff role and group: (role or "", *child columns).
    Role rows carry the school in school_id and the group (or NULL) in group_id."""
    children = (
        Child.objects.filter(
            guardianships__guardian_id=user_id, guardianships__receives_communication=True
        )
        .order_by()  # SQLite allows no ORDER BY inside a UNION
        .values_list(Value(""), *_CHILD_COLUMNS)
    )
    roles = (
        StaffMembership.objects.filter(user_id=user_id)
        .order_by()
        .values_list(
            "role",
            Value(None, output_field=BigIntegerField()),
            "school_id",
            "groups",
            Value(""),
            Value(""),
        )
    )
    return children.union(roles, all=True)


@functools.cache
def _reader_rows_sql(using: str):
    """_reader_rows as SQL, compiled by the ORM once per process: the query's shape never
    changes, and building and compiling the union took longer than running it."""
    return _reader_rows(_ANY_USER).query.get_compiler(using=using).as_sql()


def reader_scope(user) -> ReaderScope:
    """The rules of children_of_guardian, staffed_groups and led_schools, read in one query
    for the busiest pages (the feed), which need the children's own columns and ids only."""
    scope = ReaderScope(children=[], staff_group_ids=set(), led_school_ids=set())
    if not _is_active(user):
        return scope
    using = router.db_for_read(Child)
    sql, params = _reader_rows_sql(using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [user.pk if param == _ANY_USER else param for param in params])
        rows = cursor.fetchall()
    for role, *columns in rows:
        if not role:
            scope.children.append(Child.from_db(using, _CHILD_COLUMNS, columns))
        elif role in StaffMembership.LEADERSHIP_ROLES:
            scope.led_school_ids.add(columns[1])
        elif columns[2] is not None:
            scope.staff_group_ids.add(columns[2])
    scope.children.sort(key=lambda child: (child.first_name, child.last_name, child.pk))
    return scope


def guardians_of(child) -> QuerySet:
    """Active guardians who receive communication about the child."""
    return User.objects.filter(
        is_active=True,
        guardianships__child=child,
        guardianships__receives_communication=True,
    )


def staff_of_group(group) -> QuerySet:
    """Active teachers and assistants working in the group."""
    return User.objects.filter(
        is_active=True,
        staff_memberships__groups=group,
        staff_memberships__role__in=StaffMembership.GROUP_ROLES,
    )


def is_group_staff(user, group) -> bool:
    return (
        _is_active(user)
        and _memberships(user, StaffMembership.GROUP_ROLES).filter(groups=group).exists()
    )


def is_school_administration(user, school) -> bool:
    return (
        _is_active(user)
        and _memberships(user, [Role.ADMINISTRATION]).filter(school=school).exists()
    )


def is_school_leadership(user, school) -> bool:
    return (
        _is_active(user)
        and _memberships(user, StaffMembership.LEADERSHIP_ROLES).filter(school=school).exists()
    )


def access_group(user, group_id) -> Group:
    """The group if the user may see it; 404 for missing and not-yours alike."""
    try:
        return visible_groups(user).get(pk=group_id)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_child(user, child_id) -> Child:
    """The child if the user may see them; 404 for missing and not-yours alike."""
    try:
        return visible_children(user).get(pk=child_id)
    except (Child.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class Overview:
    """What the home page shows a person: their children, their groups, their schools."""

    children: list
    memberships: list
    administered: list

    @property
    def is_empty(self):
        return not (self.children or self.memberships)


def user_overview(user) -> Overview:
    """Everything the home page needs in three queries, whatever the number of rows."""
    children = list(children_of_guardian(user).order_by("first_name", "last_name"))
    memberships = list(
        _memberships(user, list(Role))
        .select_related("school")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("grade", "name")))
        .order_by("school__name")
    )
    administered = [m.school for m in memberships if m.role == Role.ADMINISTRATION]
    return Overview(children=children, memberships=memberships, administered=administered)
