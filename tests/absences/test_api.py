import datetime

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from absences.models import AbsenceReport
from absences.services import absence_report
from tests.absences.conftest import NORMAL_MONDAY
from tests.factories import GuardianshipFactory

ONE_DAY = datetime.timedelta(days=1)
LIST = reverse("api-absence-list")


@pytest.fixture
def api():
    return APIClient()


def _withdraw_url(pk):
    return reverse("api-absence-withdraw", args=[pk])


def _sick(p, child=None, actor=None, day=NORMAL_MONDAY):
    return absence_report(
        actor=actor or p.parent_a,
        children=[child or p.child_a],
        kind="sick",
        start=day,
        end=None,
        part="whole",
        note="",
    )[0]


def test_anonymous_gets_401(api, personas):
    assert api.get(LIST).status_code == 401
    assert api.post(LIST, {}, format="json").status_code == 401
    assert api.post(_withdraw_url(1)).status_code == 401


def test_parent_creates_a_report_for_siblings(
    api, personas, clock, django_capture_on_commit_callbacks
):
    GuardianshipFactory(guardian=personas.parent_a, child=personas.child_b)
    clock(NORMAL_MONDAY, 8, 16)
    api.force_authenticate(personas.parent_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            LIST,
            {
                "children": [personas.child_a.pk, personas.child_b.pk],
                "kind": "sick",
                "start": "2026-11-23",
            },
            format="json",
        )
    assert response.status_code == 201
    rows = response.json()
    assert {row["child_name"].split()[0] for row in rows} == {"Daan", "Sem"}
    assert all(row["is_late"] and row["routed_to_administration"] for row in rows)
    assert rows[0]["reported_by"] == "Sanne Parent"
    recipients = sorted(m.to[0] for m in mail.outbox)
    # one e-mail per guardian (Sanne for both children), and, late, the administration once
    assert recipients == sorted(
        [
            personas.parent_a.email,
            personas.separated_parent_a.email,
            personas.parent_b.email,
            personas.admin.email,
        ]
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "sick", "start": "2026-11-22"}, "start"),
        ({"kind": "sick", "start": "2026-11-23", "end": "2026-11-22"}, "end"),
        ({"kind": "holiday", "start": "2026-11-23"}, "kind"),
        ({"kind": "sick", "start": "2026-11-23", "end": "2026-12-23"}, "end"),
        ({"kind": "sick", "start": "2026-11-23", "note": "x" * 201}, "note"),
        ({"kind": "sick"}, "start"),
    ],
)
def test_bad_input_is_a_400_with_field_messages(api, personas, clock, body, field):
    clock(NORMAL_MONDAY, 7, 0)
    api.force_authenticate(personas.parent_a)
    response = api.post(LIST, {"children": [personas.child_a.pk]} | body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert AbsenceReport.objects.count() == 0


def test_overlap_is_a_400_in_dutch(api, personas, clock):
    clock(NORMAL_MONDAY, 7, 0)
    _sick(personas)
    api.force_authenticate(personas.separated_parent_a)
    response = api.post(
        LIST,
        {"children": [personas.child_a.pk], "kind": "sick", "start": "2026-11-23"},
        format="json",
    )
    assert response.status_code == 400
    assert "Voor Daan is al een absentie gemeld" in response.json()["non_field_errors"][0]
    assert AbsenceReport.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "teacher_a", "admin", "parent_b", "blocked_parent_a"])
def test_reporting_for_a_child_that_is_not_yours_is_404(api, personas, clock, who):
    clock(NORMAL_MONDAY, 7, 0)
    api.force_authenticate(getattr(personas, who))
    response = api.post(
        LIST,
        {"children": [personas.child_a.pk], "kind": "sick", "start": "2026-11-23"},
        format="json",
    )
    assert response.status_code == 404
    assert AbsenceReport.objects.count() == 0


def test_list_follows_the_childs_audience(api, personas, clock):
    clock(NORMAL_MONDAY, 7, 0)
    report_a = _sick(personas)
    report_b = _sick(personas, child=personas.child_b, actor=personas.parent_b)
    report_x = _sick(personas, child=personas.child_x, actor=personas.multi_school_parent)
    expected = {
        "parent_a": {report_a.pk},
        "separated_parent_a": {report_a.pk},
        "blocked_parent_a": set(),
        "teacher_a": {report_a.pk},
        "admin": {report_a.pk, report_b.pk},
        "other_admin": {report_x.pk},
        "direction": set(),
        "outsider": set(),
    }
    for who, ids in expected.items():
        api.force_authenticate(getattr(personas, who))
        assert {row["id"] for row in api.get(LIST).json()["results"]} == ids, who


def test_list_by_day_leaves_out_other_days_and_withdrawn(api, personas, clock):
    clock(NORMAL_MONDAY, 7, 0)
    today = _sick(personas)
    later = _sick(personas, day=NORMAL_MONDAY + ONE_DAY)
    api.force_authenticate(personas.teacher_a)
    rows = api.get(LIST, {"day": "2026-11-24"}).json()["results"]
    assert [row["id"] for row in rows] == [later.pk]
    assert api.get(LIST, {"day": "tomorrow"}).status_code == 400
    assert today.pk in {row["id"] for row in api.get(LIST).json()["results"]}


@pytest.mark.parametrize(
    ("who", "status"),
    [("parent_a", 200), ("teacher_a", 200), ("admin", 200), ("parent_b", 404), ("outsider", 404)],
)
def test_detail_access(api, personas, clock, who, status):
    clock(NORMAL_MONDAY, 7, 0)
    report = _sick(personas)
    api.force_authenticate(getattr(personas, who))
    assert api.get(reverse("api-absence-detail", args=[report.pk])).status_code == status


def test_withdraw_before_it_starts(api, personas, clock):
    clock(NORMAL_MONDAY, 7, 0)
    report = _sick(personas, day=NORMAL_MONDAY + ONE_DAY)
    api.force_authenticate(personas.separated_parent_a)
    response = api.post(_withdraw_url(report.pk))
    assert response.status_code == 200
    assert response.json()["withdrawn"] is True


def test_withdraw_after_it_started_is_a_400(api, personas, clock):
    clock(NORMAL_MONDAY, 7, 0)
    report = _sick(personas)
    api.force_authenticate(personas.parent_a)
    response = api.post(_withdraw_url(report.pk))
    assert response.status_code == 400
    assert "al begonnen" in response.json()["non_field_errors"][0]


@pytest.mark.parametrize("who", ["teacher_a", "parent_b", "outsider", "other_admin"])
def test_withdraw_by_others_is_404(api, personas, clock, who):
    clock(NORMAL_MONDAY, 7, 0)
    report = _sick(personas, day=NORMAL_MONDAY + ONE_DAY)
    api.force_authenticate(getattr(personas, who))
    assert api.post(_withdraw_url(report.pk)).status_code == 404
    report.refresh_from_db()
    assert report.withdrawn_at is None


def test_schema_describes_the_absence_operations(api, personas):
    api.force_authenticate(personas.parent_a)
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert paths["/api/v1/absences/"]["post"]["summary"] == "Report an absence"
    assert "cut-off" in paths["/api/v1/absences/"]["post"]["description"]
    assert "withdraw" in paths["/api/v1/absences/{id}/withdraw/"]["post"]["summary"].lower()
