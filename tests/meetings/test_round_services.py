import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from meetings.models import Booking, Round, Slot
from meetings.services import rounds as services
from meetings.services.rounds import SlotPlan, SlotTaken, slot_times
from tests.conftest import require_postgres
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory

from .conftest import (
    AFTER_CLOSING,
    AFTER_OPENING,
    AMS,
    BEFORE_EARLY,
    DURING_HEAD_START,
    MEETING_DAY,
)


def _slot(round_, group, hour, minute):
    return round_.slots.get(
        group=group, starts_at=datetime.datetime(2027, 3, 30, hour, minute, tzinfo=AMS)
    )


# --- Creating a round -----------------------------------------------------------------------


def test_slot_times_skip_breaks_on_the_wall_clock():
    times = slot_times(
        tz=AMS,
        day=MEETING_DAY,
        start=datetime.time(15, 0),
        end=datetime.time(16, 0),
        duration_minutes=15,
        breaks=[(datetime.time(15, 20), datetime.time(15, 30))],
    )
    assert [s.strftime("%H:%M") for s, _e in times] == ["15:00", "15:30", "15:45"]


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(datetime.date(2027, 3, 27), 14), (datetime.date(2027, 3, 28), 13)],
)
def test_slot_times_keep_the_hour_across_the_dst_switch(day, utc_hour):
    (start, _end), *_rest = slot_times(
        tz=AMS, day=day, start=datetime.time(15, 0), end=datetime.time(15, 10), duration_minutes=10
    )
    assert start.astimezone(datetime.UTC).hour == utc_hour


def test_direction_creates_round_for_two_groups_inviting_every_child(
    world, django_capture_on_commit_callbacks
):
    p = world.p
    with django_capture_on_commit_callbacks(execute=True):
        round_ = world.make_round()
    assert set(round_.groups.all()) == {p.group_a, p.group_b}
    assert set(round_.invited_children.all()) == {
        p.child_a,
        p.child_a2,
        p.child_b,
        world.kid_in_a,
        world.kid_in_b,
    }
    assert round_.slots.count() == 12
    recipients = {m.to[0] for m in mail.outbox}
    assert p.parent_a.email in recipients
    assert p.blocked_parent_a.email not in recipients
    assert world.two_group_parent.email in recipients
    assert len(recipients) == len(mail.outbox)


def test_chosen_children_only(world):
    p = world.p
    round_ = world.make_round(children=[p.child_a])
    assert list(round_.invited_children.all()) == [p.child_a]


def test_overlapping_slots_are_refused_and_nothing_saved(world):
    p = world.p
    clash = SlotPlan(
        group=p.group_b,
        staff=p.teacher_a,
        day=MEETING_DAY,
        start=datetime.time(15, 55),
        end=datetime.time(16, 30),
    )
    plans = [
        SlotPlan(
            group=p.group_a,
            staff=p.teacher_a,
            day=MEETING_DAY,
            start=datetime.time(15, 0),
            end=datetime.time(16, 0),
        ),
        clash,
    ]
    with pytest.raises(ValidationError) as info:
        world.make_round(plans=plans)
    assert "twee gesprekken tegelijk" in str(info.value.message_dict["slots"])
    assert Round.objects.count() == 0
    assert Slot.objects.count() == 0


def test_teacher_cannot_create_round_for_another_group(world):
    with pytest.raises(PermissionDenied):
        world.make_round(actor=world.p.teacher_a)
    assert Round.objects.count() == 0


def test_teacher_creates_round_for_own_group(world):
    p = world.p
    plans = [
        SlotPlan(
            group=p.group_a,
            staff=p.teacher_a,
            day=MEETING_DAY,
            start=datetime.time(15, 0),
            end=datetime.time(15, 30),
        )
    ]
    round_ = world.make_round(actor=p.teacher_a, groups=[p.group_a], plans=plans)
    assert round_.slots.count() == 3


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_at": datetime.datetime(2027, 2, 1, tzinfo=AMS)}, "closes_at"),
        ({"early_opens_at": datetime.datetime(2027, 3, 2, tzinfo=AMS)}, "early_opens_at"),
        ({"groups": []}, "groups"),
    ],
)
def test_bad_round_fields_save_nothing(world, overrides, field):
    with pytest.raises(ValidationError) as info:
        world.make_round(**overrides)
    assert field in info.value.message_dict
    assert Round.objects.count() == 0


def test_slots_for_a_group_outside_the_round_are_refused(world):
    p = world.p
    with pytest.raises(ValidationError) as info:
        world.make_round(groups=[p.group_a])
    assert "slots" in info.value.message_dict


def test_postgres_refuses_overlapping_slots_itself(meeting_round, world):
    require_postgres()
    slot = meeting_round.slots.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(
            round=meeting_round,
            group=slot.group,
            staff=slot.staff,
            starts_at=slot.starts_at + datetime.timedelta(minutes=5),
            ends_at=slot.ends_at + datetime.timedelta(minutes=5),
        )


# --- Booking rules with a frozen clock ------------------------------------------------------


def test_nobody_books_before_the_early_opening(meeting_round, world):
    slot = _slot(meeting_round, world.p.group_a, 15, 0)
    with time_machine.travel(BEFORE_EARLY, tick=False), pytest.raises(ValidationError) as info:
        services.booking_create(actor=world.two_group_parent, slot=slot, child=world.kid_in_a)
    assert "opent op" in info.value.messages[0]
    assert Booking.objects.count() == 0


def test_head_start_only_for_families_with_children_in_several_groups(meeting_round, world):
    p = world.p
    with time_machine.travel(DURING_HEAD_START, tick=False):
        services.booking_create(
            actor=world.two_group_parent,
            slot=_slot(meeting_round, p.group_a, 15, 0),
            child=world.kid_in_a,
        )
        services.booking_create(
            actor=world.two_group_parent,
            slot=_slot(meeting_round, p.group_b, 15, 10),
            child=world.kid_in_b,
        )
        with pytest.raises(ValidationError):
            services.booking_create(
                actor=p.parent_a, slot=_slot(meeting_round, p.group_a, 15, 20), child=p.child_a
            )
    assert Booking.objects.count() == 2


def test_everyone_books_after_opening_but_not_after_closing(meeting_round, world):
    p = world.p
    with time_machine.travel(AFTER_OPENING, tick=False):
        services.booking_create(
            actor=p.parent_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
        )
    with time_machine.travel(AFTER_CLOSING, tick=False), pytest.raises(ValidationError) as info:
        services.booking_create(
            actor=p.parent_b, slot=_slot(meeting_round, p.group_b, 15, 0), child=p.child_b
        )
    assert "gesloten" in info.value.messages[0]
    assert Booking.objects.count() == 1


def test_slot_of_another_group_is_refused(meeting_round, world):
    p = world.p
    with time_machine.travel(AFTER_OPENING, tick=False), pytest.raises(ValidationError) as info:
        services.booking_create(
            actor=p.parent_a, slot=_slot(meeting_round, p.group_b, 15, 0), child=p.child_a
        )
    assert p.group_a.name in info.value.messages[0]
    assert Booking.objects.count() == 0


def test_second_slot_for_the_same_child_is_refused(meeting_round, world):
    p = world.p
    with time_machine.travel(AFTER_OPENING, tick=False):
        services.booking_create(
            actor=p.parent_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
        )
        with pytest.raises(ValidationError) as info:
            services.booking_create(
                actor=p.separated_parent_a,
                slot=_slot(meeting_round, p.group_a, 15, 10),
                child=p.child_a,
            )
    assert "heeft al een gesprek" in info.value.messages[0]
    assert Booking.objects.get().slot.starts_at.minute == 0


def test_taken_slot_offers_the_nearest_free_times(meeting_round, world):
    p = world.p
    taken = _slot(meeting_round, p.group_a, 15, 20)
    with time_machine.travel(AFTER_OPENING, tick=False):
        services.booking_create(actor=p.parent_a, slot=taken, child=p.child_a)
        with pytest.raises(SlotTaken) as info:
            services.booking_create(actor=p.multi_school_parent, slot=taken, child=p.child_a2)
    assert "net bezet" in info.value.messages[0]
    starts = [s.starts_at.astimezone(AMS).strftime("%H:%M") for s in info.value.suggestions]
    assert starts == ["15:10", "15:30", "15:00"]
    assert Booking.objects.count() == 1


def test_child_of_someone_else_is_refused(meeting_round, world):
    p = world.p
    with time_machine.travel(AFTER_OPENING, tick=False), pytest.raises(ValidationError):
        services.booking_create(
            actor=p.parent_b, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
        )
    assert Booking.objects.count() == 0


def test_blocked_guardian_cannot_book(meeting_round, world):
    p = world.p
    with time_machine.travel(AFTER_OPENING, tick=False), pytest.raises(ValidationError):
        services.booking_create(
            actor=p.blocked_parent_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
        )
    assert Booking.objects.count() == 0


def test_other_guardian_changes_the_booking_and_the_first_is_told(
    meeting_round, world, django_capture_on_commit_callbacks
):
    p = world.p
    with time_machine.travel(AFTER_OPENING, tick=False):
        booking = services.booking_create(
            actor=p.parent_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
        )
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.booking_move(
                actor=p.separated_parent_a,
                booking=booking,
                slot=_slot(meeting_round, p.group_a, 15, 30),
            )
    booking.refresh_from_db()
    assert booking.slot.starts_at.astimezone(AMS).minute == 30
    assert [m.to for m in mail.outbox] == [[p.parent_a.email]]
    assert "15:30" in mail.outbox[0].body


def test_parent_cancels_own_booking_while_open(meeting_round, world):
    p = world.p
    with time_machine.travel(AFTER_OPENING, tick=False):
        booking = services.booking_create(
            actor=p.parent_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
        )
        services.booking_cancel(actor=p.separated_parent_a, booking=booking)
    assert Booking.objects.count() == 0


def test_moving_onto_a_taken_slot_changes_nothing(meeting_round, world):
    p = world.p
    with time_machine.travel(AFTER_OPENING, tick=False):
        mine = services.booking_create(
            actor=p.parent_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
        )
        theirs = services.booking_create(
            actor=p.multi_school_parent,
            slot=_slot(meeting_round, p.group_a, 15, 10),
            child=p.child_a2,
        )
        with pytest.raises(SlotTaken):
            services.booking_move(actor=p.parent_a, booking=mine, slot=theirs.slot)
    mine.refresh_from_db()
    assert mine.slot.starts_at.astimezone(AMS).minute == 0


# --- Staff ----------------------------------------------------------------------------------


def test_staff_assign_move_and_cancel_tell_the_family(
    meeting_round, world, django_capture_on_commit_callbacks
):
    p = world.p
    with time_machine.travel(AFTER_CLOSING, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            booking = services.booking_assign(
                actor=p.teacher_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
            )
        assert {m.to[0] for m in mail.outbox} == {p.parent_a.email, p.separated_parent_a.email}
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.booking_staff_move(
                actor=p.teacher_a,
                booking=booking,
                slot=_slot(meeting_round, p.group_a, 15, 40),
                reason="Ik moet eerder weg",
            )
        assert all("Ik moet eerder weg" in m.body for m in mail.outbox)
        assert len(mail.outbox) == 2
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.booking_staff_cancel(actor=p.direction, booking=booking, reason="Ziek")
    assert Booking.objects.count() == 0
    assert all("Ziek" in m.body for m in mail.outbox)


def test_staff_must_give_a_reason(meeting_round, world):
    p = world.p
    booking = services.booking_assign(
        actor=p.teacher_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
    )
    with pytest.raises(ValidationError) as info:
        services.booking_staff_cancel(actor=p.teacher_a, booking=booking, reason="  ")
    assert "reason" in info.value.message_dict
    assert Booking.objects.count() == 1


def test_teacher_cannot_manage_another_groups_slots(meeting_round, world):
    p = world.p
    with pytest.raises(PermissionDenied):
        services.booking_assign(
            actor=p.teacher_a, slot=_slot(meeting_round, p.group_b, 15, 0), child=p.child_b
        )
    assert Booking.objects.count() == 0


# --- The rush -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_parallel_transactions_never_double_book(personas):
    """Twelve families press "book" for the same time at the same moment, each in its own
    thread with its own PostgreSQL connection: exactly one wins, the rest get SlotTaken."""
    require_postgres()
    from tests.meetings.conftest import World

    world = World(personas)
    round_ = world.make_round()
    target = _slot(round_, personas.group_a, 15, 0)
    families = []
    for n in range(12):
        parent = UserFactory(email=f"rush{n}@example.org")
        child = ChildFactory(group=personas.group_a)
        GuardianshipFactory(guardian=parent, child=child)
        round_.invited_children.add(child)
        families.append((parent, child))
    barrier = threading.Barrier(len(families))
    results = []

    def book(parent, child):
        try:
            barrier.wait()
            with time_machine.travel(AFTER_OPENING, tick=False):
                services.booking_create(actor=parent, slot=target, child=child)
            results.append("booked")
        except SlotTaken as exc:
            results.append(("taken", len(exc.suggestions)))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=family) for family in families]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("booked") == 1
    assert results.count(("taken", 3)) == len(families) - 1
    assert Booking.objects.filter(slot=target).count() == 1


def test_moving_a_booking_cancelled_meanwhile_is_a_clear_message(meeting_round, world):
    p = world.p
    with time_machine.travel(AFTER_OPENING, tick=False):
        booking = services.booking_create(
            actor=p.parent_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
        )
        Booking.objects.filter(pk=booking.pk).delete()  # the other guardian, a moment earlier
        with pytest.raises(ValidationError) as info:
            services.booking_move(
                actor=p.parent_a, booking=booking, slot=_slot(meeting_round, p.group_a, 15, 10)
            )
    assert "in de tussentijd geannuleerd" in info.value.messages[0]
    assert Booking.objects.count() == 0


def test_opening_right_after_the_clocks_go_forward(world):
    """Opening at 03:00 summer time on the switch night: 01:59 winter time is one minute
    earlier, although the wall clock jumps an hour."""
    p = world.p
    opens = datetime.datetime(2027, 3, 28, 3, 0, tzinfo=AMS)
    round_ = world.make_round(
        opens_at=opens, early_opens_at=None, closes_at=opens + datetime.timedelta(days=1)
    )
    slot = _slot(round_, p.group_a, 15, 0)
    with time_machine.travel(datetime.datetime(2027, 3, 28, 1, 59, tzinfo=AMS), tick=False):
        with pytest.raises(ValidationError) as info:
            services.booking_create(actor=p.parent_a, slot=slot, child=p.child_a)
        assert "28 maart 2027 03:00" in info.value.messages[0]
    with time_machine.travel(opens, tick=False):
        services.booking_create(actor=p.parent_a, slot=slot, child=p.child_a)
    assert Booking.objects.count() == 1
