"""Meeting rounds and bookings.

A slot is never given twice: every booking write locks the slot row (SELECT ... FOR UPDATE)
and the unique constraints on Booking (slot) and (round, child) catch whatever slips past.
The loser of a race gets SlotTaken with the nearest free times, and nothing is written.
"""

import datetime
import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups import selectors as group_selectors
from groups.models import StaffMembership
from messaging import services as feed
from messaging.models import TITLE_MAX

from .. import selectors
from ..formatting import local_text
from ..models import Booking, Round, Slot
from .notify import notify_after_commit


class SlotTaken(ValidationError):
    """Someone else booked the time first; `suggestions` are the nearest free slots."""

    def __init__(self, suggestions):
        super().__init__(
            _("That time was just taken. Here are the nearest free times."), code="slot_taken"
        )
        self.suggestions = suggestions


@dataclass(frozen=True)
class SlotPlan:
    """One staff member's meeting time on one day, for one group's families."""

    group: object
    staff: object
    day: datetime.date
    start: datetime.time
    end: datetime.time
    room: str = ""
    breaks: tuple = field(default_factory=tuple)


def slot_times(*, tz, day, start, end, duration_minutes, breaks=()):
    """Wall-clock meeting times between start and end, skipping breaks, as aware datetimes.

    Times are built on the school's wall clock and localised one by one, so a DST change
    on the day never shifts a meeting off the hour it was planned at."""
    length = datetime.timedelta(minutes=duration_minutes)
    cursor = datetime.datetime.combine(day, start)
    stop = datetime.datetime.combine(day, end)
    pauses = sorted(
        (datetime.datetime.combine(day, b_start), datetime.datetime.combine(day, b_end))
        for b_start, b_end in breaks
    )
    times = []
    while cursor + length <= stop:
        pause = next((p for p in pauses if p[0] < cursor + length and cursor < p[1]), None)
        if pause:
            cursor = pause[1]
            continue
        times.append((cursor.replace(tzinfo=tz), (cursor + length).replace(tzinfo=tz)))
        cursor += length
    return times


def _require_manager(actor, school, groups):
    if group_selectors.is_school_leadership(actor, school):
        return
    if groups and all(group_selectors.is_group_staff(actor, group) for group in groups):
        return
    raise PermissionDenied


def _check_round_fields(*, groups, opens_at, early_opens_at, closes_at, school):
    errors = {}
    if not groups:
        errors["groups"] = _("Choose at least one group.")
    elif any(group.school_id != school.pk for group in groups):
        errors["groups"] = _("Every group must belong to %(school)s.") % {"school": school.name}
    if opens_at and closes_at and opens_at >= closes_at:
        errors["closes_at"] = _("Sign-up must close after it opens.")
    if early_opens_at and opens_at and early_opens_at >= opens_at:
        errors["early_opens_at"] = _("The early opening must come before the opening.")
    if errors:
        raise ValidationError(errors)


def _planned_slots(*, school, groups, plans, duration_minutes):
    tz = school.tz
    staff_ids = set(
        StaffMembership.objects.filter(school=school, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    group_ids = {group.pk for group in groups}
    slots = []
    for plan in plans:
        if plan.group.pk not in group_ids:
            raise ValidationError({"slots": _("Slots can only be planned for the round's groups.")})
        if plan.staff.pk not in staff_ids:
            raise ValidationError(
                {"slots": _("%(name)s does not work at this school.") % {"name": plan.staff}}
            )
        times = slot_times(
            tz=tz,
            day=plan.day,
            start=plan.start,
            end=plan.end,
            duration_minutes=duration_minutes,
            breaks=plan.breaks,
        )
        if not times:
            raise ValidationError(
                {
                    "slots": _("%(start)s–%(end)s on %(day)s holds no meeting of this length.")
                    % {"start": plan.start, "end": plan.end, "day": plan.day}
                }
            )
        slots += [
            Slot(group=plan.group, staff=plan.staff, room=plan.room, starts_at=s, ends_at=e)
            for s, e in times
        ]
    if not slots:
        raise ValidationError({"slots": _("Plan at least one meeting time.")})
    _check_no_overlap(slots, tz)
    return slots


def _check_no_overlap(slots, tz):
    by_staff = sorted(slots, key=lambda s: (s.staff.pk, s.starts_at))
    for before, after in itertools.pairwise(by_staff):
        if before.staff.pk == after.staff.pk and after.starts_at < before.ends_at:
            raise ValidationError(
                {
                    "slots": _("%(name)s would have two meetings at once at %(when)s.")
                    % {"name": after.staff, "when": local_text(after.starts_at, tz)}
                }
            )


@transaction.atomic
def round_create(
    *,
    actor,
    school,
    title,
    duration_minutes,
    groups,
    opens_at,
    closes_at,
    plans,
    purpose="",
    early_opens_at=None,
    children=None,
) -> Round:
    """Open a round of parent meetings. Without chosen children every child of the groups is
    invited. Invited guardians are e-mailed after commit."""
    groups = list(groups)
    _require_manager(actor, school, groups)
    _check_round_fields(
        groups=groups,
        opens_at=opens_at,
        early_opens_at=early_opens_at,
        closes_at=closes_at,
        school=school,
    )
    slots = _planned_slots(
        school=school, groups=groups, plans=plans, duration_minutes=duration_minutes
    )
    group_ids = {group.pk for group in groups}
    chosen = children or None
    if children:
        children = list(children)
        if any(child.group_id not in group_ids for child in children):
            raise ValidationError(
                {"children": _("Only children of the round's groups can be invited.")}
            )
    else:
        children = list(school.children.filter(group_id__in=group_ids))
    round_ = Round(
        school=school,
        title=title,
        purpose=purpose,
        duration_minutes=duration_minutes,
        opens_at=opens_at,
        early_opens_at=early_opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    round_.full_clean()
    round_.save()
    round_.groups.set(groups)
    round_.invited_children.set(children)
    for slot in slots:
        slot.round = round_
    try:
        with transaction.atomic():
            Slot.objects.bulk_create(slots)
    except IntegrityError as exc:  # the PostgreSQL exclusion constraint, if Python missed it
        raise ValidationError({"slots": _("Two meetings of one person overlap.")}) from exc
    guardians = (
        get_user_model()
        .objects.filter(
            is_active=True,
            guardianships__child__in=children,
            guardianships__receives_communication=True,
        )
        .distinct()
    )
    tz = school.tz
    if chosen is None:
        _invite_in_feed(actor, round_, group_ids)
    notify_after_commit(
        list(guardians),
        gettext_lazy("Invitation: %(title)s"),
        gettext_lazy(
            "You are invited to book a parent meeting: %(title)s.\n\n%(purpose)s\n\n"
            "Booking opens on %(opens)s and closes on %(closes)s."
        ),
        {
            "title": title,
            "purpose": purpose,
            "opens": lambda: local_text(opens_at, tz),
            "closes": lambda: local_text(closes_at, tz),
        },
    )
    return round_


def _invite_in_feed(actor, round_, group_ids):
    """The invitation as a post in the groups' feed. Only when the whole groups are invited:
    a post for chosen children would reach every family of the group."""
    tz = round_.school.tz
    link = settings.SITE_URL.rstrip("/") + reverse("meetings:round", args=[round_.pk])
    # A post is stored once, for every reader: in the school's default language.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Parent meetings: %(title)s") % {"title": round_.title}
        body = _(
            "You are invited to book a parent meeting.\n\n%(purpose)s\n\n"
            "Booking opens on %(opens)s and closes on %(closes)s:\n%(link)s"
        ) % {
            "purpose": round_.purpose,
            "opens": local_text(round_.opens_at, tz),
            "closes": local_text(round_.closes_at, tz),
            "link": link,
        }
    feed.post_publish(
        actor=actor,
        school=round_.school,
        title=title[:TITLE_MAX],
        body=body,
        group_ids=sorted(group_ids),
        allow_reactions=False,
    )


# --- Booking rules --------------------------------------------------------------------------


def _check_parent_may_book(actor, round_, child, slot, now):
    if not selectors.family_children(actor, round_).filter(pk=child.pk).exists():
        raise ValidationError(_("This child is not invited to this round."))
    error = selectors.booking_window_error(actor, round_, now)
    if error:
        raise ValidationError(error)
    _check_slot_fits(round_, child, slot)


def _check_slot_fits(round_, child, slot):
    if slot.round_id != round_.pk:
        raise ValidationError(_("This time belongs to another round."))
    if slot.group_id != child.group_id:
        raise ValidationError(
            _("This time is for the families of another group. Choose a time of %(group)s.")
            % {"group": child.group.name}
        )


def nearest_free_slots(slot, limit=3):
    free = (
        Slot.objects.filter(round_id=slot.round_id, group_id=slot.group_id, bookings__isnull=True)
        .exclude(pk=slot.pk)
        .select_related("staff")
    )
    return sorted(free, key=lambda s: (abs(s.starts_at - slot.starts_at), s.starts_at))[:limit]


def _already_booked_error(child):
    return ValidationError(
        _("%(child)s already has a meeting in this round. Change that booking instead.")
        % {"child": child.first_name}
    )


def _place(*, round_, slot, child, actor, booking=None):
    """Give `slot` to `child` (a new booking, or moving `booking`). Locks the slot row first;
    a race lost at the lock or at the unique constraint ends in SlotTaken, nothing written."""
    try:
        with transaction.atomic():
            locked = Slot.objects.select_for_update().get(pk=slot.pk)
            if Booking.objects.filter(slot=locked).exists():
                raise SlotTaken([])
            if booking is None:
                if Booking.objects.filter(round=round_, child=child).exists():
                    raise _already_booked_error(child)
                booking = Booking.objects.create(
                    round=round_, slot=locked, child=child, booked_by=actor
                )
            else:
                if not Booking.objects.select_for_update().filter(pk=booking.pk).exists():
                    raise ValidationError(_("This meeting was cancelled in the meantime."))
                booking.slot = locked
                booking.booked_by = actor
                booking.save(update_fields=["slot", "booked_by", "updated_at"])
    except IntegrityError:
        if booking is None and Booking.objects.filter(round=round_, child=child).exists():
            raise _already_booked_error(child) from None
        raise SlotTaken(nearest_free_slots(slot)) from None
    except SlotTaken:
        raise SlotTaken(nearest_free_slots(slot)) from None
    return booking


def _tell(users, subject, body, booking, tz, reason=""):
    slot = booking.slot
    notify_after_commit(
        users,
        subject,
        body,
        {
            "child": booking.child.first_name,
            "title": booking.round.title,
            "when": lambda: local_text(slot.starts_at, tz),
            "staff": slot.staff.full_name,
            "room": slot.room,
            "reason": reason,
        },
    )


def _other_guardians(actor, child):
    return list(group_selectors.guardians_of(child).exclude(pk=actor.pk))


def booking_create(*, actor, slot, child, now=None) -> Booking:
    """A guardian books a slot for their child; the other guardians are told."""
    now = now or timezone.now()
    round_ = slot.round
    _check_parent_may_book(actor, round_, child, slot, now)
    booking = _place(round_=round_, slot=slot, child=child, actor=actor)
    _tell_family_change(actor, booking)
    return booking


def booking_move(*, actor, booking, slot, now=None) -> Booking:
    """A guardian changes the family's booking to another free time."""
    now = now or timezone.now()
    round_ = booking.round
    _check_parent_may_book(actor, round_, booking.child, slot, now)
    if slot.pk == booking.slot_id:
        return booking
    booking = _place(round_=round_, slot=slot, child=booking.child, actor=actor, booking=booking)
    _tell_family_change(actor, booking)
    return booking


def booking_book(*, actor, slot, child, now=None) -> Booking:
    """Book `slot` for the child, or move the family's existing booking there."""
    current = Booking.objects.filter(round_id=slot.round_id, child=child).first()
    if current is None:
        return booking_create(actor=actor, slot=slot, child=child, now=now)
    return booking_move(actor=actor, booking=current, slot=slot, now=now)


def _tell_family_change(actor, booking):
    _tell(
        _other_guardians(actor, booking.child),
        gettext_lazy("Parent meeting booked for %(child)s"),
        gettext_lazy(
            "The meeting for %(child)s (%(title)s) is now on %(when)s with %(staff)s. "
            "Room: %(room)s."
        ),
        booking,
        booking.round.school.tz,
    )


@transaction.atomic
def booking_cancel(*, actor, booking, now=None) -> None:
    """A guardian cancels the family's booking while booking is open."""
    now = now or timezone.now()
    error = selectors.booking_window_error(actor, booking.round, now)
    if error:
        raise ValidationError(error)
    _tell(
        _other_guardians(actor, booking.child),
        gettext_lazy("Parent meeting cancelled for %(child)s"),
        gettext_lazy("The meeting for %(child)s (%(title)s) on %(when)s was cancelled."),
        booking,
        booking.round.school.tz,
    )
    booking.delete()


# --- Staff ----------------------------------------------------------------------------------


def _require_slot_manager(actor, round_, group):
    if not selectors.manages_group_in_round(actor, round_, group):
        raise PermissionDenied


def booking_assign(*, actor, slot, child) -> Booking:
    """Staff give a family a time (also outside the booking window); the family is told."""
    round_ = slot.round
    _require_slot_manager(actor, round_, slot.group)
    if not round_.invited_children.filter(pk=child.pk).exists():
        raise ValidationError(_("This child is not invited to this round."))
    _check_slot_fits(round_, child, slot)
    booking = _place(round_=round_, slot=slot, child=child, actor=actor)
    _tell(
        list(group_selectors.guardians_of(child)),
        gettext_lazy("Parent meeting planned for %(child)s"),
        gettext_lazy(
            "The school planned the meeting for %(child)s (%(title)s) on %(when)s with "
            "%(staff)s. Room: %(room)s."
        ),
        booking,
        round_.school.tz,
    )
    return booking


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the family why.")})
    return reason


def booking_staff_move(*, actor, booking, slot, reason) -> Booking:
    """Staff move a booking to another time, with a reason the family receives."""
    reason = _require_reason(reason)
    _require_slot_manager(actor, booking.round, booking.slot.group)
    _check_slot_fits(booking.round, booking.child, slot)
    if slot.pk != booking.slot_id:
        booking = _place(
            round_=booking.round, slot=slot, child=booking.child, actor=actor, booking=booking
        )
    _tell(
        list(group_selectors.guardians_of(booking.child)),
        gettext_lazy("Parent meeting moved for %(child)s"),
        gettext_lazy(
            "The school moved the meeting for %(child)s (%(title)s) to %(when)s with "
            "%(staff)s. Room: %(room)s.\n\nReason: %(reason)s"
        ),
        booking,
        booking.round.school.tz,
        reason,
    )
    return booking


@transaction.atomic
def booking_staff_cancel(*, actor, booking, reason) -> None:
    """Staff cancel a booking, with a reason the family receives."""
    reason = _require_reason(reason)
    _require_slot_manager(actor, booking.round, booking.slot.group)
    _tell(
        list(group_selectors.guardians_of(booking.child)),
        gettext_lazy("Parent meeting cancelled for %(child)s"),
        gettext_lazy(
            "The school cancelled the meeting for %(child)s (%(title)s) on %(when)s.\n\n"
            "Reason: %(reason)s"
        ),
        booking,
        booking.round.school.tz,
        reason,
    )
    booking.delete()
