"""Absence reports in a parent's data export (issue 7), own children only."""

import datetime

import time_machine

from absences import services
from privacy import export

MONDAY_0700 = datetime.datetime(2026, 11, 23, 6, 0, tzinfo=datetime.UTC)  # 07:00 in Amsterdam


def test_export_holds_reports_about_own_children_only(personas):
    with time_machine.travel(MONDAY_0700, tick=False):
        services.absence_report(
            actor=personas.parent_a,
            children=[personas.child_a],
            kind="sick",
            start=MONDAY_0700.date(),
        )
        services.absence_report(
            actor=personas.parent_b,
            children=[personas.child_b],
            kind="sick",
            start=MONDAY_0700.date(),
        )
    mine = export.collect(personas.parent_a)["more"]["absences"]["absence_reports"]
    assert [(r["child"], r["reported_by_you"]) for r in mine] == [
        (personas.child_a.first_name, True)
    ]
    separated = export.collect(personas.separated_parent_a)["more"]["absences"]["absence_reports"]
    assert [(r["child"], r["reported_by_you"]) for r in separated] == [
        (personas.child_a.first_name, False)
    ]
    assert export.collect(personas.blocked_parent_a)["more"]["absences"]["absence_reports"] == []
