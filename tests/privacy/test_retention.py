"""Retention in the school's own time, and the hooks through which later apps take part in
export, erasure and retention."""

import datetime
import io
import json
import zipfile

import pytest
import time_machine
from django.core.files.base import ContentFile

from privacy import export, hooks, services
from privacy.models import DataExport
from privacy.tasks import privacy_daily


@pytest.fixture(autouse=True)
def only_these_tests_hooks(monkeypatch):
    """The real apps register their hooks at start-up; these tests bring their own."""
    monkeypatch.setattr(hooks, "_export", {})
    monkeypatch.setattr(hooks, "_erasure", [])
    monkeypatch.setattr(hooks, "_retention", {})


def _utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("now", "months", "cutoff"),
    [
        # Winter time both ends: midnight in Amsterdam is 23:00 UTC the day before.
        (_utc(2026, 11, 22, 10), 24, _utc(2024, 11, 21, 23)),
        # The day summer time starts; the cutoff is a winter midnight.
        (_utc(2027, 3, 28, 12), 1, _utc(2027, 2, 27, 23)),
        # The day winter time starts; the cutoff is a summer midnight (UTC+2).
        (_utc(2026, 10, 25, 12), 5, _utc(2026, 5, 24, 22)),
        # 31 March minus one month is the last day of February.
        (_utc(2027, 3, 31, 12), 1, _utc(2027, 2, 27, 23)),
    ],
)
def test_cutoff_is_midnight_in_the_schools_time(personas, now, months, cutoff):
    personas.school.retention_months = months
    assert services.retention_cutoff(personas.school, now) == cutoff


def test_daily_job_calls_every_purger_per_school(personas, monkeypatch):
    personas.school.retention_months = 12
    personas.school.save(update_fields=["retention_months"])
    calls = []

    def purge(*, school, cutoff):
        calls.append((school.slug, cutoff))
        return 3

    monkeypatch.setitem(hooks._retention, "messages", purge)
    with time_machine.travel(_utc(2026, 11, 22, 3), tick=False):
        totals = privacy_daily.delay().get()
    assert totals == {"data_exports": 0, "messages": 6}
    assert sorted(calls) == [
        ("alpha", _utc(2025, 11, 21, 23)),
        ("beta", _utc(2024, 11, 21, 23)),
    ]


def test_daily_job_twice_deletes_nothing_more(personas, monkeypatch, media_root):
    store = {"alpha": 2, "beta": 0}

    def purge(*, school, cutoff):
        deleted, store[school.slug] = store[school.slug], 0
        return deleted

    monkeypatch.setitem(hooks._retention, "media", purge)
    export_row = DataExport.objects.create(
        user=personas.parent_a, status="ready", expires_at=_utc(2026, 1, 1)
    )
    export_row.file.save("old.zip", ContentFile(b"zip"))
    path = media_root / export_row.file.name
    assert services.retention_run() == {"data_exports": 1, "media": 2}
    assert services.retention_run() == {"data_exports": 0, "media": 0}
    assert not path.exists()


def test_export_includes_sections_of_other_apps(personas, monkeypatch):
    monkeypatch.setitem(
        hooks._export, "absences", lambda user: [{"reported_by": user.full_name, "days": 1}]
    )
    archive = zipfile.ZipFile(io.BytesIO(export.build_zip(personas.parent_a)))
    data = json.loads(archive.read("data.json"))
    assert data["more"] == {"absences": [{"reported_by": "Sanne Parent", "days": 1}]}
    assert "absences" in archive.read("index.html").decode()


def test_erasure_runs_the_apps_handlers(personas, monkeypatch):
    erased = []
    monkeypatch.setattr(hooks, "_erasure", [])
    hooks.register_erasure(lambda user: erased.append(user.pk))
    deletion_request = services.account_deletion_request(actor=personas.parent_b)
    services.account_erase(actor=personas.admin, deletion_request=deletion_request)
    assert erased == [personas.parent_b.pk]
