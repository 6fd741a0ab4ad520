import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from meetings.models import Booking, Round
from meetings.services import rounds as services
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory

from .conftest import AMS


def _slot(round_, group, hour, minute):
    return round_.slots.get(
        group=group, starts_at=datetime.datetime(2027, 3, 30, hour, minute, tzinfo=AMS)
    )


def _book(round_, parent, child, hour, minute):
    return services.booking_create(
        actor=parent, slot=_slot(round_, child.group, hour, minute), child=child
    )


# --- Index and creating a round -------------------------------------------------------------


def test_index_lists_invited_rounds(meeting_round, world, login):
    content = login(world.p.parent_a).get(reverse("meetings:index")).content.decode()
    assert "Rapportgesprekken" in content
    assert "Gespreksronde plannen" not in content


def test_index_hides_rounds_from_outsiders(meeting_round, world, login):
    content = login(world.p.outsider).get(reverse("meetings:index")).content.decode()
    assert "Rapportgesprekken" not in content


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("meetings:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _round_post(world, **overrides):
    p = world.p
    data = {
        "title": "Voortgangsgesprekken",
        "purpose": "",
        "duration_minutes": "10",
        "groups": [p.group_a.pk, p.group_b.pk],
        "opens_at": "2027-03-01T19:00",
        "early_opens_at": "2027-03-01T18:00",
        "closes_at": "2027-03-20T12:00",
        "slots-TOTAL_FORMS": "2",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "1",
        "slots-MAX_NUM_FORMS": "1000",
        "slots-0-group": p.group_a.pk,
        "slots-0-staff": p.teacher_a.pk,
        "slots-0-room": "5",
        "slots-0-day": "2027-03-30",
        "slots-0-start": "15:00",
        "slots-0-end": "16:00",
        "slots-0-break_start": "15:20",
        "slots-0-break_end": "15:30",
        "slots-1-group": p.group_b.pk,
        "slots-1-staff": world.teacher_b.pk,
        "slots-1-room": "6",
        "slots-1-day": "2027-03-30",
        "slots-1-start": "15:00",
        "slots-1-end": "15:30",
    }
    data.update(overrides)
    return data


def test_direction_opens_a_round_for_two_groups(world, login, django_capture_on_commit_callbacks):
    client = login(world.p.direction)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:round-create"), _round_post(world))
    round_ = Round.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:schedule", args=[round_.pk])
    assert round_.slots.count() == 5 + 3
    assert round_.opens_at == datetime.datetime(2027, 3, 1, 19, 0, tzinfo=AMS)
    assert world.p.parent_b.email in {m.to[0] for m in mail.outbox}


def test_overlap_in_the_form_is_a_clear_message_and_nothing_saved(world, login):
    data = _round_post(world, **{"slots-1-staff": world.p.teacher_a.pk})
    response = login(world.p.direction).post(reverse("meetings:round-create"), data)
    assert response.status_code == 400
    assert "twee gesprekken tegelijk" in response.content.decode()
    assert Round.objects.count() == 0


def test_parent_may_not_plan_a_round(world, login):
    assert login(world.p.parent_a).get(reverse("meetings:round-create")).status_code == 403


def test_teacher_sees_the_form_with_only_own_group(world, login):
    content = login(world.p.teacher_a).get(reverse("meetings:round-create")).content.decode()
    assert world.p.group_a.name in content
    assert world.p.group_b.name not in content


# --- The parent booking page ----------------------------------------------------------------


def test_parent_sees_own_children_and_never_other_families(
    meeting_round, world, login, after_opening
):
    p = world.p
    _book(meeting_round, p.multi_school_parent, p.child_a2, 15, 0)
    content = login(p.parent_a).get(reverse("meetings:round", args=[meeting_round.pk])).content
    content = content.decode()
    assert p.child_a.first_name in content
    assert p.child_a2.first_name not in content
    assert p.multi_school_parent.full_name not in content
    assert "15:00–15:10" not in content  # the taken time is simply not offered


def test_siblings_side_by_side_with_back_to_back_suggestions(
    meeting_round, world, login, after_opening
):
    _book(meeting_round, world.two_group_parent, world.kid_in_a, 15, 20)
    response = login(world.two_group_parent).get(reverse("meetings:round", args=[meeting_round.pk]))
    content = response.content.decode()
    assert world.kid_in_a.first_name in content
    assert world.kid_in_b.first_name in content
    assert "Aansluitend op een broer of zus" in content
    suggestions = content.split("Aansluitend op een broer of zus")[1].split("Vrije tijden")[0]
    assert "15:30–15:40" in suggestions
    assert "15:10–15:20" in suggestions
    assert "15:00–15:10" not in suggestions  # ten minutes of waiting is not back to back
    assert "15:20–15:30" not in suggestions  # the same time as the sibling's meeting
    free = content.split("Vrije tijden")[1]
    assert re.search(r"15:20–15:30[^<]*<span[^>]*>\(tegelijk met het gesprek van", free)


def test_outsider_and_uninvited_parent_get_404(meeting_round, world, login):
    p = world.p
    url = reverse("meetings:round", args=[meeting_round.pk])
    assert login(p.outsider).get(url).status_code == 404
    assert login(p.blocked_parent_a).get(url).status_code == 404
    assert login(p.other_admin).get(url).status_code == 404


def test_staff_opening_the_round_go_to_the_schedule(meeting_round, world, login):
    response = login(world.p.teacher_a).get(reverse("meetings:round", args=[meeting_round.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:schedule", args=[meeting_round.pk])


def test_parent_books_and_the_other_guardian_is_told(
    meeting_round, world, login, after_opening, django_capture_on_commit_callbacks
):
    p = world.p
    slot = _slot(meeting_round, p.group_a, 15, 0)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(p.parent_a).post(
            reverse("meetings:book", args=[meeting_round.pk]),
            {"child": p.child_a.pk, "slot": slot.pk},
        )
    assert response.status_code == 302
    assert Booking.objects.get().slot == slot
    assert [m.to for m in mail.outbox] == [[p.separated_parent_a.email]]


def test_booking_a_taken_slot_shows_the_nearest_free_ones(
    meeting_round, world, login, after_opening
):
    p = world.p
    _book(meeting_round, p.parent_a, p.child_a, 15, 0)
    slot = _slot(meeting_round, p.group_a, 15, 0)
    response = login(p.multi_school_parent).post(
        reverse("meetings:book", args=[meeting_round.pk]),
        {"child": p.child_a2.pk, "slot": slot.pk},
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert "Dat tijdstip is net bezet" in content
    assert "15:10–15:20" in content
    assert Booking.objects.count() == 1


def test_booking_before_opening_is_refused_with_a_message(meeting_round, world, login):
    p = world.p
    response = login(p.parent_a).post(
        reverse("meetings:book", args=[meeting_round.pk]),
        {"child": p.child_a.pk, "slot": _slot(meeting_round, p.group_a, 15, 0).pk},
        follow=True,
    )
    assert "De inschrijving opent op" in response.content.decode()
    assert Booking.objects.count() == 0


def test_booking_for_someone_elses_child_is_404(meeting_round, world, login, after_opening):
    p = world.p
    response = login(p.parent_b).post(
        reverse("meetings:book", args=[meeting_round.pk]),
        {"child": p.child_a.pk, "slot": _slot(meeting_round, p.group_a, 15, 0).pk},
    )
    assert response.status_code == 404
    assert Booking.objects.count() == 0


def test_outsider_cannot_book(meeting_round, world, login, after_opening):
    p = world.p
    response = login(p.outsider).post(
        reverse("meetings:book", args=[meeting_round.pk]),
        {"child": p.child_a.pk, "slot": _slot(meeting_round, p.group_a, 15, 0).pk},
    )
    assert response.status_code == 404


def test_booking_ics_and_cancel(meeting_round, world, login, after_opening):
    p = world.p
    booking = _book(meeting_round, p.parent_a, p.child_a, 15, 0)
    client = login(p.separated_parent_a)
    response = client.get(reverse("meetings:booking-ics", args=[booking.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "DTSTART:20270330T130000Z" in body
    assert "SUMMARY:Rapportgesprekken: Daan" in body
    response = client.post(reverse("meetings:booking-cancel", args=[booking.pk]))
    assert response.status_code == 302
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("persona", ["outsider", "teacher_a", "parent_b", "blocked_parent_a"])
def test_other_people_cannot_touch_a_familys_booking(
    meeting_round, world, login, after_opening, persona
):
    p = world.p
    booking = _book(meeting_round, p.parent_a, p.child_a, 15, 0)
    client = login(getattr(p, persona))
    assert client.get(reverse("meetings:booking-ics", args=[booking.pk])).status_code == 404
    assert client.post(reverse("meetings:booking-cancel", args=[booking.pk])).status_code == 404
    assert Booking.objects.count() == 1


def _family_with_children(round_, groups, per_group):
    parent = UserFactory()
    for group in groups:
        for _ in range(per_group):
            child = ChildFactory(group=group)
            GuardianshipFactory(guardian=parent, child=child)
            round_.invited_children.add(child)
    return parent


@pytest.mark.parametrize("size", [1, 4])
def test_booking_page_query_count_does_not_grow(
    meeting_round, world, login, after_opening, django_assert_num_queries, size
):
    p = world.p
    parent = _family_with_children(meeting_round, [p.group_a, p.group_b], size)
    children = list(parent.children.order_by("pk"))
    for minute, child in zip([0, 10, 20], children, strict=False):
        _book(meeting_round, parent, child, 15, minute)
    client = login(parent)
    url = reverse("meetings:round", args=[meeting_round.pk])
    # The count includes the navigation's kindgesprek unread badge, as on every page.
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200


# --- The staff schedule ---------------------------------------------------------------------


def test_teacher_sees_names_in_the_schedule_of_own_group_only(
    meeting_round, world, login, after_opening
):
    p = world.p
    _book(meeting_round, p.parent_a, p.child_a, 15, 0)
    _book(meeting_round, p.parent_b, p.child_b, 15, 0)
    content = login(p.teacher_a).get(reverse("meetings:schedule", args=[meeting_round.pk]))
    content = content.content.decode()
    assert p.child_a.full_name in content
    assert p.child_b.full_name not in content
    assert p.child_a2.full_name in content.split("Nog niet ingepland")[1]


def test_direction_sees_every_group(meeting_round, world, login, after_opening):
    p = world.p
    _book(meeting_round, p.parent_b, p.child_b, 15, 0)
    content = login(p.direction).get(reverse("meetings:schedule", args=[meeting_round.pk]))
    assert p.child_b.full_name in content.content.decode()


@pytest.mark.parametrize("name", ["meetings:schedule", "meetings:schedule-csv"])
def test_parents_get_403_and_outsiders_404_on_the_schedule(meeting_round, world, login, name):
    url = reverse(name, args=[meeting_round.pk])
    assert login(world.p.parent_a).get(url).status_code == 403
    assert login(world.p.outsider).get(url).status_code == 404
    assert login(world.p.other_admin).get(url).status_code == 404


def test_csv_export_of_one_day(meeting_round, world, login, after_opening):
    p = world.p
    _book(meeting_round, p.parent_a, p.child_a, 15, 0)
    response = login(p.teacher_a).get(
        reverse("meetings:schedule-csv", args=[meeting_round.pk]), {"day": "2027-03-30"}
    )
    rows = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0].startswith("Datum,")
    assert f"2027-03-30,15:00,15:10,Anna Teacher,Lokaal 5,Groep 5a,{p.child_a.full_name}" in rows
    assert len(rows) == 1 + 6


def test_staff_assign_move_and_cancel_through_the_pages(
    meeting_round, world, login, django_capture_on_commit_callbacks
):
    p = world.p
    client = login(p.teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:assign", args=[meeting_round.pk]),
            {"child": p.child_a.pk, "slot": _slot(meeting_round, p.group_a, 15, 0).pk},
        )
    assert response.status_code == 302
    booking = Booking.objects.get()
    response = client.post(
        reverse("meetings:staff-move", args=[booking.pk]),
        {"slot": _slot(meeting_round, p.group_a, 15, 50).pk, "reason": "Ik ben later"},
    )
    booking.refresh_from_db()
    assert booking.slot.starts_at.astimezone(AMS).minute == 50
    response = client.post(reverse("meetings:staff-cancel", args=[booking.pk]), {"reason": ""})
    assert "Laat het gezin weten waarom" in client.get(response["Location"]).content.decode()
    assert Booking.objects.count() == 1
    client.post(reverse("meetings:staff-cancel", args=[booking.pk]), {"reason": "Ziek"})
    assert Booking.objects.count() == 0


def test_teacher_cannot_assign_in_another_group(meeting_round, world, login):
    p = world.p
    response = login(p.teacher_a).post(
        reverse("meetings:assign", args=[meeting_round.pk]),
        {"child": p.child_b.pk, "slot": _slot(meeting_round, p.group_b, 15, 0).pk},
    )
    assert response.status_code == 403
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("persona", ["parent_a", "outsider"])
def test_non_staff_cannot_assign(meeting_round, world, login, persona):
    p = world.p
    response = login(getattr(p, persona)).post(
        reverse("meetings:assign", args=[meeting_round.pk]),
        {"child": p.child_a.pk, "slot": _slot(meeting_round, p.group_a, 15, 0).pk},
    )
    assert response.status_code == {"parent_a": 403, "outsider": 404}[persona]
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("persona", ["parent_a", "outsider", "assistant_a_other"])
def test_only_group_staff_move_or_cancel(meeting_round, world, login, persona):
    p = world.p
    booking = services.booking_assign(
        actor=p.direction, slot=_slot(meeting_round, p.group_b, 15, 0), child=p.child_b
    )
    user = p.assistant_a if persona == "assistant_a_other" else getattr(p, persona)
    client = login(user)
    move = client.post(
        reverse("meetings:staff-move", args=[booking.pk]),
        {"slot": _slot(meeting_round, p.group_b, 15, 10).pk, "reason": "x"},
    )
    cancel = client.post(reverse("meetings:staff-cancel", args=[booking.pk]), {"reason": "x"})
    assert (move.status_code, cancel.status_code) == (404, 404)
    assert Booking.objects.get().slot.starts_at.astimezone(AMS).minute == 0


def test_csv_cells_never_start_a_formula(meeting_round, world, login, after_opening):
    p = world.p
    p.child_a.first_name = "=HYPERLINK"
    p.child_a.save()
    _book(meeting_round, p.parent_a, p.child_a, 15, 0)
    body = login(p.teacher_a).get(reverse("meetings:schedule-csv", args=[meeting_round.pk]))
    assert ",'=HYPERLINK " in body.content.decode()


def test_calendar_subscription_includes_the_familys_bookings(
    meeting_round, world, login, after_opening
):
    p = world.p
    _book(meeting_round, p.parent_a, p.child_a, 15, 0)
    client = login(p.separated_parent_a)
    page = client.post(reverse("meetings:agenda-token")).content.decode()
    feed_url = re.search(r'value="(http[^"]+\.ics)"', page).group(1)
    body = client.get(feed_url).content.decode()
    assert "SUMMARY:Rapportgesprekken: Daan" in body
    assert "LOCATION:Lokaal 5" in body
