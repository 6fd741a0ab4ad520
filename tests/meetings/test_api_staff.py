import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from meetings.models import AgendaItem, Booking, HelpRequest, Round
from meetings.services import rounds as services

from .conftest import AMS


@pytest.fixture
def api():
    return APIClient()


def _slot(round_, group, hour, minute):
    return round_.slots.get(
        group=group, starts_at=datetime.datetime(2027, 3, 30, hour, minute, tzinfo=AMS)
    )


def _round_payload(world, **overrides):
    p = world.p
    payload = {
        "title": "Rapportgesprekken",
        "duration_minutes": 15,
        "group_ids": [p.group_a.pk, p.group_b.pk],
        "opens_at": "2027-03-01T19:00:00+01:00",
        "early_opens_at": "2027-03-01T18:00:00+01:00",
        "closes_at": "2027-03-20T12:00:00+01:00",
        "plans": [
            {
                "group_id": p.group_a.pk,
                "staff_id": p.teacher_a.pk,
                "room": "5",
                "day": "2027-03-30",
                "start": "15:00",
                "end": "16:00",
                "breaks": [{"start": "15:30", "end": "15:45"}],
            },
            {
                "group_id": p.group_b.pk,
                "staff_id": world.teacher_b.pk,
                "day": "2027-03-30",
                "start": "15:00",
                "end": "15:30",
            },
        ],
    }
    payload.update(overrides)
    return payload


def test_direction_creates_a_round(api, world):
    api.force_authenticate(world.p.direction)
    response = api.post(reverse("api-meetings-round-create"), _round_payload(world), format="json")
    assert response.status_code == 201
    round_ = Round.objects.get()
    assert round_.slots.count() == 3 + 2
    assert round_.invited_children.count() == 5


def test_overlap_via_api_is_400_and_nothing_saved(api, world):
    payload = _round_payload(world)
    payload["plans"][1]["staff_id"] = world.p.teacher_a.pk
    api.force_authenticate(world.p.direction)
    response = api.post(reverse("api-meetings-round-create"), payload, format="json")
    assert response.status_code == 400
    assert "twee gesprekken tegelijk" in response.json()["detail"]
    assert Round.objects.count() == 0


@pytest.mark.parametrize("persona", ["teacher_a", "parent_a", "outsider", "other_admin"])
def test_groups_out_of_reach_are_refused(api, world, persona):
    api.force_authenticate(getattr(world.p, persona))
    response = api.post(reverse("api-meetings-round-create"), _round_payload(world), format="json")
    assert response.status_code == 400
    assert Round.objects.count() == 0


def test_staff_of_another_school_cannot_be_planned(api, world):
    payload = _round_payload(world)
    payload["plans"][1]["staff_id"] = world.p.other_admin.pk
    api.force_authenticate(world.p.direction)
    response = api.post(reverse("api-meetings-round-create"), payload, format="json")
    assert response.status_code == 400
    assert world.p.other_admin.full_name not in response.json()["detail"]


def test_staff_assign_move_cancel_via_api(api, meeting_round, world):
    p = world.p
    api.force_authenticate(p.teacher_a)
    response = api.post(
        reverse("api-meetings-assign", args=[meeting_round.pk]),
        {"child": p.child_a.pk, "slot": _slot(meeting_round, p.group_a, 15, 0).pk},
        format="json",
    )
    assert response.status_code == 201
    booking_id = response.json()["id"]
    response = api.post(
        reverse("api-meetings-staff-move", args=[booking_id]),
        {"slot": _slot(meeting_round, p.group_a, 15, 30).pk, "reason": "Later"},
        format="json",
    )
    assert response.status_code == 200
    response = api.post(
        reverse("api-meetings-staff-cancel", args=[booking_id]), {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    response = api.post(
        reverse("api-meetings-staff-cancel", args=[booking_id]), {"reason": "Ziek"}, format="json"
    )
    assert response.status_code == 204
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(("persona", "code"), [("parent_a", 403), ("outsider", 404)])
def test_assign_is_for_staff(api, meeting_round, world, persona, code):
    p = world.p
    api.force_authenticate(getattr(p, persona))
    response = api.post(
        reverse("api-meetings-assign", args=[meeting_round.pk]),
        {"child": p.child_a.pk, "slot": _slot(meeting_round, p.group_a, 15, 0).pk},
        format="json",
    )
    assert response.status_code == code
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("persona", ["parent_a", "outsider", "assistant_a"])
def test_move_and_cancel_only_for_the_groups_staff(api, meeting_round, world, persona):
    p = world.p
    booking = services.booking_assign(
        actor=p.direction, slot=_slot(meeting_round, p.group_b, 15, 0), child=p.child_b
    )
    api.force_authenticate(getattr(p, persona))
    move = api.post(
        reverse("api-meetings-staff-move", args=[booking.pk]),
        {"slot": _slot(meeting_round, p.group_b, 15, 10).pk, "reason": "x"},
        format="json",
    )
    cancel = api.post(
        reverse("api-meetings-staff-cancel", args=[booking.pk]), {"reason": "x"}, format="json"
    )
    assert (move.status_code, cancel.status_code) == (404, 404)
    assert Booking.objects.count() == 1


def _help_payload(group):
    return {
        "group_id": group.pk,
        "title": "Museumbezoek",
        "date": "2027-03-12",
        "closes_at": "2027-03-10T12:00:00+01:00",
        "roles": [{"name": "chauffeurs", "needed": 2}],
    }


def test_teacher_posts_help_request_via_api(api, personas):
    api.force_authenticate(personas.teacher_a)
    response = api.post(
        reverse("api-meetings-help-create"), _help_payload(personas.group_a), format="json"
    )
    assert response.status_code == 201
    assert HelpRequest.objects.get().roles.get().needed == 2


@pytest.mark.parametrize("persona", ["parent_a", "outsider", "teacher_a"])
def test_help_request_for_a_group_out_of_reach_is_404(api, personas, persona):
    api.force_authenticate(getattr(personas, persona))
    response = api.post(
        reverse("api-meetings-help-create"), _help_payload(personas.group_b), format="json"
    )
    assert response.status_code == 404
    assert HelpRequest.objects.count() == 0


def test_agenda_items_via_api(api, personas):
    payload = {
        "school_id": personas.school.pk,
        "title": "Studiedag",
        "date": "2027-04-02",
        "kind": "study_day",
    }
    api.force_authenticate(personas.teacher_a)
    assert api.post(reverse("api-meetings-agenda-create"), payload, format="json").status_code == (
        403
    )
    api.force_authenticate(personas.direction)
    assert api.post(reverse("api-meetings-agenda-create"), payload, format="json").status_code == (
        201
    )
    api.force_authenticate(personas.parent_a)
    assert api.post(reverse("api-meetings-agenda-create"), payload, format="json").status_code == (
        404
    )
    assert AgendaItem.objects.count() == 1
