import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from meetings.models import Booking, HelpSignup
from meetings.services import agenda as agenda_services
from meetings.services import help as help_services
from meetings.services import rounds as services

from .conftest import AMS


@pytest.fixture
def api():
    return APIClient()


def _slot(round_, group, hour, minute):
    return round_.slots.get(
        group=group, starts_at=datetime.datetime(2027, 3, 30, hour, minute, tzinfo=AMS)
    )


def test_anonymous_gets_401(api, meeting_round):
    assert api.get(reverse("api-meetings-rounds")).status_code == 401
    url = reverse("api-meetings-family", args=[meeting_round.pk])
    assert api.get(url).status_code == 401


def test_rounds_list_only_visible(api, meeting_round, world):
    api.force_authenticate(world.p.parent_b)
    assert [r["id"] for r in api.get(reverse("api-meetings-rounds")).json()["results"]] == [
        meeting_round.pk
    ]
    api.force_authenticate(world.p.outsider)
    assert api.get(reverse("api-meetings-rounds")).json()["results"] == []


def test_family_view_without_other_families(api, meeting_round, world, after_opening):
    p = world.p
    services.booking_create(
        actor=p.multi_school_parent, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a2
    )
    api.force_authenticate(p.parent_a)
    data = api.get(reverse("api-meetings-family", args=[meeting_round.pk])).json()
    assert [c["first_name"] for c in data["children"]] == ["Daan"]
    assert len(data["children"][0]["free_slots"]) == 5
    assert "Mila" not in str(data)


def test_book_via_api_and_lose_a_race_with_409(api, meeting_round, world, after_opening):
    p = world.p
    url = reverse("api-meetings-book", args=[meeting_round.pk])
    slot = _slot(meeting_round, p.group_a, 15, 0)
    api.force_authenticate(p.parent_a)
    response = api.post(url, {"child": p.child_a.pk, "slot": slot.pk}, format="json")
    assert response.status_code == 201
    api.force_authenticate(p.multi_school_parent)
    response = api.post(url, {"child": p.child_a2.pk, "slot": slot.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Dat tijdstip is net bezet")
    assert len(response.json()["suggestions"]) == 3
    assert Booking.objects.count() == 1


def test_book_before_opening_is_400_with_message(api, meeting_round, world):
    p = world.p
    api.force_authenticate(p.parent_a)
    response = api.post(
        reverse("api-meetings-book", args=[meeting_round.pk]),
        {"child": p.child_a.pk, "slot": _slot(meeting_round, p.group_a, 15, 0).pk},
        format="json",
    )
    assert response.status_code == 400
    assert "De inschrijving opent op" in response.json()["detail"]
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("persona", ["outsider", "parent_b", "teacher_a"])
def test_booking_someone_elses_child_is_404(api, meeting_round, world, after_opening, persona):
    p = world.p
    api.force_authenticate(getattr(p, persona))
    response = api.post(
        reverse("api-meetings-book", args=[meeting_round.pk]),
        {"child": p.child_a.pk, "slot": _slot(meeting_round, p.group_a, 15, 0).pk},
        format="json",
    )
    assert response.status_code == 404
    assert Booking.objects.count() == 0


def test_cancel_booking_by_family_only(api, meeting_round, world, after_opening):
    p = world.p
    booking = services.booking_create(
        actor=p.parent_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
    )
    url = reverse("api-meetings-booking", args=[booking.pk])
    for outsider in (p.outsider, p.teacher_a, p.parent_b):
        api.force_authenticate(outsider)
        assert api.delete(url).status_code == 404
    api.force_authenticate(p.separated_parent_a)
    assert api.delete(url).status_code == 204
    assert Booking.objects.count() == 0


def test_schedule_for_staff_only(api, meeting_round, world, after_opening):
    p = world.p
    services.booking_create(
        actor=p.parent_a, slot=_slot(meeting_round, p.group_a, 15, 0), child=p.child_a
    )
    url = reverse("api-meetings-schedule", args=[meeting_round.pk])
    api.force_authenticate(p.teacher_a)
    rows = api.get(url).json()
    assert len(rows) == 6
    assert rows[0]["child"]["full_name"] == p.child_a.full_name
    api.force_authenticate(p.parent_a)
    assert api.get(url).status_code == 403
    api.force_authenticate(p.outsider)
    assert api.get(url).status_code == 404


@pytest.fixture
def trip(personas):
    return help_services.help_request_create(
        actor=personas.teacher_a,
        group=personas.group_a,
        title="Museumbezoek",
        date=datetime.date(2027, 3, 12),
        closes_at=datetime.datetime(2027, 3, 10, 12, 0, tzinfo=AMS),
        roles=[("chauffeurs", 1)],
    )


def test_help_sign_up_full_and_withdraw(api, trip, personas, after_opening):
    role = trip.roles.get()
    api.force_authenticate(personas.parent_a)
    assert [r["id"] for r in api.get(reverse("api-meetings-help-list")).json()["results"]] == [
        trip.pk
    ]
    response = api.post(reverse("api-meetings-help-signup", args=[role.pk]))
    assert response.status_code == 201
    detail = api.get(reverse("api-meetings-help", args=[trip.pk])).json()
    assert detail["roles"][0]["still_needed"] == 0
    api.force_authenticate(personas.multi_school_parent)
    response = api.post(reverse("api-meetings-help-signup", args=[role.pk]))
    assert response.status_code == 400
    assert "zijn al bezet" in response.json()["detail"]
    api.force_authenticate(personas.parent_a)
    signup = HelpSignup.objects.get()
    assert api.delete(reverse("api-meetings-help-withdraw", args=[signup.pk])).status_code == 204


@pytest.mark.parametrize("persona", ["outsider", "parent_b", "other_admin"])
def test_help_is_404_for_outsiders(api, trip, personas, persona):
    api.force_authenticate(getattr(personas, persona))
    role = trip.roles.get()
    assert api.get(reverse("api-meetings-help", args=[trip.pk])).status_code == 404
    assert api.post(reverse("api-meetings-help-signup", args=[role.pk])).status_code == 404


def test_teacher_cannot_sign_up_via_api(api, trip, personas, after_opening):
    api.force_authenticate(personas.teacher_a)
    response = api.post(reverse("api-meetings-help-signup", args=[trip.roles.get().pk]))
    assert response.status_code == 403


def test_agenda_api_lists_visible_items(api, personas):
    agenda_services.agenda_item_create(
        actor=personas.direction,
        school=personas.school,
        title="Studiedag",
        date=datetime.date(2027, 4, 2),
        kind="study_day",
    )
    api.force_authenticate(personas.parent_a)
    assert [i["title"] for i in api.get(reverse("api-meetings-agenda")).json()["results"]] == [
        "Studiedag"
    ]
    api.force_authenticate(personas.outsider)
    assert api.get(reverse("api-meetings-agenda")).json()["results"] == []


def test_schema_describes_the_meetings_api(personas, login):
    schema = login(personas.parent_a).get(reverse("api-schema")).content
    assert b"/api/v1/meetings/rounds/{id}/bookings/" in schema
    assert b"nearest free times" in schema
