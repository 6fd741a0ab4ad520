import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from meetings.models import AgendaItem, AgendaToken
from meetings.services import agenda as services

Kind = AgendaItem.Kind


@pytest.fixture
def items(personas):
    p = personas
    return {
        "trip_a": services.agenda_item_create(
            actor=p.teacher_a,
            school=p.school,
            group=p.group_a,
            title="Schoolreis 5a",
            date=datetime.date(2027, 5, 12),
            kind=Kind.TRIP,
        ),
        "study": services.agenda_item_create(
            actor=p.direction,
            school=p.school,
            title="Studiedag",
            date=datetime.date(2027, 4, 2),
            kind=Kind.STUDY_DAY,
        ),
        "trip_b": services.agenda_item_create(
            actor=p.direction,
            school=p.school,
            group=p.group_b,
            title="Schoolreis 6b",
            date=datetime.date(2027, 5, 13),
            kind=Kind.TRIP,
        ),
        "other": services.agenda_item_create(
            actor=p.other_admin,
            school=p.other_school,
            title="Meivakantie Beta",
            date=datetime.date(2027, 4, 26),
            end_date=datetime.date(2027, 5, 7),
            kind=Kind.HOLIDAY,
        ),
    }


def test_teacher_cannot_add_school_wide_or_other_group_items(personas):
    p = personas
    with pytest.raises(PermissionDenied):
        services.agenda_item_create(
            actor=p.teacher_a,
            school=p.school,
            title="x",
            date=datetime.date(2027, 1, 1),
            kind="trip",
        )
    with pytest.raises(PermissionDenied):
        services.agenda_item_create(
            actor=p.teacher_a,
            school=p.school,
            group=p.group_b,
            title="x",
            date=datetime.date(2027, 1, 1),
            kind="trip",
        )
    assert AgendaItem.objects.count() == 0


def test_parent_sees_the_combined_agenda_of_their_children(items, personas, login):
    content = login(personas.multi_school_parent).get(reverse("meetings:agenda")).content.decode()
    assert "Schoolreis 5a" in content
    assert "Studiedag" in content
    assert "Meivakantie Beta" in content
    assert "Schoolreis 6b" not in content


def test_outsider_sees_an_empty_agenda(items, personas, login):
    content = login(personas.outsider).get(reverse("meetings:agenda")).content.decode()
    assert "Nog niets gepland" in content
    assert "Studiedag" not in content


def test_staff_add_items_through_the_form(personas, login):
    response = login(personas.teacher_a).post(
        reverse("meetings:agenda-create"),
        {
            "school": personas.school.pk,
            "group": personas.group_a.pk,
            "title": "Ouderavond",
            "date": "2027-02-03",
            "kind": "meeting",
        },
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get().title == "Ouderavond"


def test_teacher_gets_a_clear_message_for_a_school_wide_item(personas, login):
    response = login(personas.teacher_a).post(
        reverse("meetings:agenda-create"),
        {"school": personas.school.pk, "title": "Vrij", "date": "2027-02-03", "kind": "holiday"},
    )
    assert response.status_code == 400
    assert "Alleen de directie" in response.content.decode()
    assert AgendaItem.objects.count() == 0


def test_parent_cannot_add_agenda_items(personas, login):
    assert login(personas.parent_a).get(reverse("meetings:agenda-create")).status_code == 403


def _issue(client):
    content = client.post(reverse("meetings:agenda-token")).content.decode()
    return re.search(r'value="(http[^"]+\.ics)"', content).group(1)


def test_private_subscription_feed_holds_only_own_childrens_groups(items, personas, login):
    url = _issue(login(personas.parent_a))
    token = AgendaToken.objects.get(user=personas.parent_a)
    assert url.split("/")[-1].removesuffix(".ics") != token.key_hash  # only the hash is kept
    client = login(personas.outsider)
    client.logout()
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "SUMMARY:Schoolreis 5a" in body
    assert "SUMMARY:Studiedag" in body
    assert "DTSTART;VALUE=DATE:20270402" in body
    assert "Schoolreis 6b" not in body
    assert "Meivakantie" not in body


def test_a_new_link_revokes_the_old_and_revoking_stops_the_feed(items, personas, login):
    client = login(personas.parent_a)
    first = _issue(client)
    second = _issue(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.post(reverse("meetings:agenda-token-revoke"))
    assert client.get(second).status_code == 404


def test_unknown_token_is_404(client, db):
    assert client.get(reverse("meetings:agenda-feed", args=["nope"])).status_code == 404


def test_only_parents_get_a_calendar_link(personas, login):
    assert login(personas.teacher_a).post(reverse("meetings:agenda-token")).status_code == 403
    assert AgendaToken.objects.count() == 0


def test_deactivated_parent_feed_stops(items, personas, login):
    url = _issue(login(personas.parent_a))
    personas.parent_a.is_active = False
    personas.parent_a.save()
    assert login(personas.outsider).get(url).status_code == 404
