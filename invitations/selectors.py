"""Reads about invitations, scoped like the rest of the school data."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from groups import selectors as group_selectors
from groups.models import Child, Group, Guardianship, School, StaffMembership

from .models import Invitation, hash_token

User = get_user_model()


def may_invite_guardian(user, child) -> bool:
    """The school's administration for any child; a teacher for children of their own group."""
    if group_selectors.is_school_administration(user, child.school):
        return True
    return (
        user.is_active
        and StaffMembership.objects.filter(
            user=user,
            school_id=child.school_id,
            role=StaffMembership.Role.TEACHER,
            groups=child.group_id,
        ).exists()
    )


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation behind a link, if the link still works; None for every other case."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.open()
        .select_related("school", "child", "child__group")
        .filter(token_hash=hash_token(token))
        .first()
    )


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def managed_schools(user) -> QuerySet[School]:
    """Schools whose invitations the user manages in the admin (superusers: all)."""
    if user.is_active and user.is_superuser:
        return School.objects.all()
    return group_selectors.administered_schools(user)


def group_overview(user) -> list[Group]:
    """Every group of the user's schools with its children, each child's guardian invitations
    and whether the child has an active guardian yet. Three queries, whatever the size."""
    invitations = Invitation.objects.filter(kind=Invitation.Kind.GUARDIAN).order_by("-sent_at")
    active = Guardianship.objects.filter(
        child=OuterRef("pk"), receives_communication=True, guardian__is_active=True
    )
    children = (
        Child.objects.annotate(has_guardian=Exists(active))
        .order_by("first_name", "last_name")
        .prefetch_related(Prefetch("invitations", queryset=invitations))
    )
    return list(
        Group.objects.filter(school__in=managed_schools(user))
        .select_related("school")
        .prefetch_related(Prefetch("children", queryset=children))
        .order_by("school__name", "-school_year", "grade", "name")
    )


def invitable_children(user) -> QuerySet[Child]:
    """Children the user may invite a guardian for (see may_invite_guardian)."""
    if not (user.is_authenticated and user.is_active):
        return Child.objects.none()
    taught = Group.objects.filter(
        staff_memberships__user=user, staff_memberships__role=StaffMembership.Role.TEACHER
    ).values("id")
    return (
        Child.objects.filter(
            Q(group_id__in=taught)
            | Q(school_id__in=group_selectors.administered_schools(user).values("id"))
        )
        .select_related("group", "school")
        .order_by("group__grade", "group__name", "first_name", "last_name")
    )


def guardian_invitations_of(children) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(kind=Invitation.Kind.GUARDIAN, child__in=children)
        .select_related("child")
        .order_by("child__first_name", "child__last_name", "-sent_at")
    )
