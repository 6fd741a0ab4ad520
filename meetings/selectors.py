"""Who may see which round, booking, help request and agenda item. Every view, API endpoint,
export and calendar feed asks here; the audience questions themselves come from groups.

- Parents see rounds their children are invited to, and only their own family's bookings;
  of other families they see only that a time is taken.
- Staff manage the slots of the groups they work in; direction and administration manage
  every group of their school.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from groups import selectors as group_selectors
from groups.models import Child, Group, School

from .formatting import local_text
from .models import AgendaItem, AgendaToken, Booking, HelpRequest, HelpRole, HelpSignup, Round, Slot


def _get_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Rounds ---------------------------------------------------------------------------------


def _managed_group_ids(user):
    return Group.objects.filter(
        Q(id__in=group_selectors.staffed_groups(user).values("id"))
        | Q(school__in=group_selectors.led_schools(user))
    ).values("id")


def parent_rounds(user) -> QuerySet[Round]:
    return Round.objects.filter(
        invited_children__in=group_selectors.children_of_guardian(user)
    ).distinct()


def managed_rounds(user) -> QuerySet[Round]:
    return Round.objects.filter(groups__in=_managed_group_ids(user)).distinct()


def visible_rounds(user) -> QuerySet[Round]:
    return (
        Round.objects.filter(
            Q(id__in=parent_rounds(user).values("id")) | Q(id__in=managed_rounds(user).values("id"))
        )
        .select_related("school")
        .order_by("-opens_at", "pk")
    )


def access_round(user, round_id) -> Round:
    """The round if the user is invited to it or manages one of its groups; 404 otherwise."""
    return _get_or_404(visible_rounds(user), round_id)


def can_manage_round(user, round_) -> bool:
    return managed_rounds(user).filter(pk=round_.pk).exists()


def access_managed_round(user, round_id) -> Round:
    """404 for outsiders, 403 for invited parents: the schedule is for staff."""
    round_ = access_round(user, round_id)
    if not can_manage_round(user, round_):
        raise PermissionDenied
    return round_


def manages_group_in_round(user, round_, group) -> bool:
    return (
        round_.groups.filter(pk=group.pk).exists()
        and Group.objects.filter(pk=group.pk, id__in=_managed_group_ids(user)).exists()
    )


def family_children(user, round_) -> QuerySet[Child]:
    """The user's own children invited to the round."""
    return group_selectors.children_of_guardian(user).filter(meeting_invitations=round_)


def has_head_start(user, round_) -> bool:
    """Families with invited children in several groups may book before the others."""
    return family_children(user, round_).values("group_id").distinct().count() > 1


def booking_window_error(user, round_, now):
    """Why the user cannot book in this round right now, or None when they can."""
    tz = round_.school.tz
    if now >= round_.closes_at:
        return _("Booking for this round closed on %(when)s.") % {
            "when": local_text(round_.closes_at, tz)
        }
    if now >= round_.opens_at:
        return None
    if round_.early_opens_at and now >= round_.early_opens_at and has_head_start(user, round_):
        return None
    return _("Booking opens on %(when)s.") % {"when": local_text(round_.opens_at, tz)}


def access_family_booking(user, booking_id) -> Booking:
    """A booking of one of the user's own children; 404 otherwise."""
    return _get_or_404(
        Booking.objects.filter(child__in=group_selectors.children_of_guardian(user)).select_related(
            "round__school", "slot__staff", "slot__group", "child__group"
        ),
        booking_id,
    )


def access_managed_booking(user, booking_id) -> Booking:
    """A booking in a group the user manages; 404 for everybody else."""
    return _get_or_404(
        Booking.objects.filter(slot__group__in=_managed_group_ids(user)).select_related(
            "round__school", "slot__staff", "slot__group", "child__group"
        ),
        booking_id,
    )


def access_family_child(user, round_, child_id) -> Child:
    """One of the user's own children invited to the round; 404 otherwise."""
    return _get_or_404(family_children(user, round_).select_related("group"), child_id)


def access_invited_child(round_, child_id) -> Child:
    return _get_or_404(round_.invited_children.select_related("group"), child_id)


def access_round_slot(round_, slot_id) -> Slot:
    return _get_or_404(round_.slots.select_related("round__school", "group", "staff"), slot_id)


@dataclass
class ChildPlan:
    child: object
    booking: object = None
    free_slots: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    clashes: set = field(default_factory=set)


@dataclass
class FamilyPage:
    round: object
    children: list
    head_start: bool


# A short walk between two classrooms still counts as back to back.
BACK_TO_BACK_GAP = datetime.timedelta(minutes=5)


def family_page(user, round_) -> FamilyPage:
    """The family's invited children, their bookings, the free times of each child's group
    and back-to-back suggestions next to siblings' meetings. Three queries, any size."""
    children = list(family_children(user, round_).order_by("first_name"))
    bookings = {
        b.child_id: b
        for b in Booking.objects.filter(round=round_, child__in=children).select_related(
            "slot__staff"
        )
    }
    free_by_group = defaultdict(list)
    free = (
        Slot.objects.filter(round=round_, group_id__in={c.group_id for c in children})
        .filter(~Exists(Booking.objects.filter(slot=OuterRef("pk"))))
        .select_related("staff")
        .order_by("starts_at", "pk")
    )
    for slot in free if children else []:
        free_by_group[slot.group_id].append(slot)
    plans = []
    for child in children:
        booking = bookings.get(child.pk)
        siblings = [b.slot for cid, b in bookings.items() if cid != child.pk]
        options = free_by_group[child.group_id]
        suggestions = [
            slot
            for slot in options
            if any(
                datetime.timedelta(0) <= slot.starts_at - other.ends_at <= BACK_TO_BACK_GAP
                or datetime.timedelta(0) <= other.starts_at - slot.ends_at <= BACK_TO_BACK_GAP
                for other in siblings
            )
        ]
        # A parent cannot sit in two classrooms at once.
        clashes = {
            slot.pk
            for slot in options
            if any(slot.starts_at < o.ends_at and o.starts_at < slot.ends_at for o in siblings)
        }
        plans.append(
            ChildPlan(
                child=child,
                booking=booking,
                free_slots=options,
                suggestions=suggestions,
                clashes=clashes,
            )
        )
    head_start = len({c.group_id for c in children}) > 1
    return FamilyPage(round=round_, children=plans, head_start=head_start)


@dataclass
class Schedule:
    round: object
    slots: list
    unbooked: list
    days: list


def schedule(user, round_, day=None) -> Schedule:
    """The staff view: every slot of the groups the user manages, with the booked child, and
    the invited children without a booking."""
    group_ids = _managed_group_ids(user)
    slots = (
        Slot.objects.filter(round=round_, group_id__in=group_ids)
        .select_related("staff", "group")
        .prefetch_related(
            Prefetch("bookings", queryset=Booking.objects.select_related("child", "booked_by"))
        )
        .order_by("starts_at", "staff__full_name", "pk")
    )
    slots = list(slots)
    tz = round_.school.tz
    days = sorted({s.starts_at.astimezone(tz).date() for s in slots})
    if day:
        slots = [s for s in slots if s.starts_at.astimezone(tz).date() == day]
    for slot in slots:
        bookings = list(slot.bookings.all())
        slot.booking = bookings[0] if bookings else None
    unbooked = list(
        round_.invited_children.filter(group_id__in=group_ids)
        .exclude(meeting_bookings__round=round_)
        .select_related("group")
        .order_by("group__name", "first_name", "last_name")
    )
    return Schedule(round=round_, slots=slots, unbooked=unbooked, days=days)


def family_bookings(user) -> QuerySet[Booking]:
    """Every booking of the user's children (for the calendar feed)."""
    return Booking.objects.filter(
        child__in=group_selectors.children_of_guardian(user)
    ).select_related("round__school", "slot__staff", "child")


# --- Help requests --------------------------------------------------------------------------


def visible_help_requests(user) -> QuerySet[HelpRequest]:
    return (
        HelpRequest.objects.filter(group__in=group_selectors.visible_groups(user).values("id"))
        .select_related("group", "school")
        .order_by("date", "pk")
    )


def access_help_request(user, request_id) -> HelpRequest:
    return _get_or_404(visible_help_requests(user), request_id)


def can_manage_help_request(user, help_request) -> bool:
    return Group.objects.filter(pk=help_request.group_id, id__in=_managed_group_ids(user)).exists()


def is_parent_in_group(user, group) -> bool:
    return group_selectors.children_of_guardian(user).filter(group=group).exists()


def help_roles(help_request, user) -> list:
    """Roles with their sign-ups (names only for staff) and whether `user` signed up."""
    roles = list(
        HelpRole.objects.filter(request=help_request).prefetch_related(
            Prefetch("signups", queryset=HelpSignup.objects.select_related("parent"))
        )
    )
    for role in roles:
        signups = list(role.signups.all())
        role.taken = len(signups)
        role.still_needed = max(role.needed - role.taken, 0)
        role.own_signup = next((s for s in signups if s.parent_id == user.pk), None)
        role.signup_list = signups
    return roles


def access_own_signup(user, signup_id) -> HelpSignup:
    return _get_or_404(
        HelpSignup.objects.filter(parent=user).select_related("role__request__school"), signup_id
    )


def access_help_role(user, role_id) -> HelpRole:
    return _get_or_404(
        HelpRole.objects.filter(
            request__in=visible_help_requests(user).values("id")
        ).select_related("request__group", "request__school"),
        role_id,
    )


# --- Agenda ---------------------------------------------------------------------------------


def _agenda_filter(groups_qs):
    return Q(group__in=groups_qs.values("id")) | Q(
        group__isnull=True, school__in=groups_qs.values("school_id")
    )


def agenda_for_user(user, since=None) -> QuerySet[AgendaItem]:
    """Items of every group the user sees, plus school-wide items of those groups' schools."""
    items = AgendaItem.objects.filter(_agenda_filter(group_selectors.visible_groups(user)))
    if since:
        items = items.filter(Q(date__gte=since) | Q(end_date__gte=since))
    return items.select_related("group", "school").order_by("date", "pk")


def agenda_for_parent_feed(user) -> QuerySet[AgendaItem]:
    """The subscription feed: only the groups of the user's own children."""
    groups = Group.objects.filter(
        id__in=group_selectors.children_of_guardian(user).values("group_id")
    )
    return (
        AgendaItem.objects.filter(_agenda_filter(groups))
        .select_related("group", "school")
        .order_by("date", "pk")
    )


def token_hash(raw_token) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def user_for_agenda_token(raw_token):
    """The active owner of a subscription token, or 404 (revoked, unknown, deactivated)."""
    try:
        token = AgendaToken.objects.select_related("user").get(key_hash=token_hash(raw_token))
    except AgendaToken.DoesNotExist:
        raise Http404 from None
    if not token.user.is_active:
        raise Http404
    return token.user


def has_agenda_token(user) -> bool:
    return AgendaToken.objects.filter(user=user).exists()


def manageable_groups(user) -> QuerySet[Group]:
    """Groups the user may plan rounds, help requests and agenda items for."""
    return Group.objects.filter(id__in=_managed_group_ids(user)).select_related("school")


def access_manageable_group(user, group_id) -> Group:
    """A group the user may plan for; 404 otherwise."""
    return _get_or_404(manageable_groups(user), group_id)


def access_manageable_school(user, school_id):
    """A school where the user manages at least one group; 404 otherwise."""
    return _get_or_404(
        School.objects.filter(id__in=manageable_groups(user).values("school_id")), school_id
    )


def school_staff(schools) -> QuerySet:
    """Active people with a staff role at any of these schools."""
    return (
        get_user_model()
        .objects.filter(staff_memberships__school__in=schools, is_active=True)
        .distinct()
        .order_by("full_name")
    )


def resolve_ids(queryset, ids):
    """The rows for these ids, or None when any id is unknown or out of reach."""
    wanted = set(ids)
    rows = list(queryset.filter(pk__in=wanted))
    return rows if len(rows) == len(wanted) else None


def rounds_overview(user):
    return list(visible_rounds(user)[:50])
