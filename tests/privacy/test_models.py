"""The ledger is append-only, in the ORM and (on PostgreSQL) below it."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from privacy.models import ConsentEvent, ConsentPurpose, ConsentPurposeText, ImmutableEventError
from privacy.services import DEFAULT_PURPOSES
from tests.conftest import require_postgres


@pytest.fixture
def event(personas, purposes, decide):
    return decide(personas.parent_a, personas.child_a, purposes["group"], "granted")


def test_seeding_gives_each_school_the_dutch_set_once(personas, purposes):
    codes = [code for code, _name, _text in DEFAULT_PURPOSES]
    assert list(purposes) == codes
    assert set(purposes) == {"group", "newsletter", "guide", "website", "social", "first_name"}
    call_command("consent_seed")
    assert ConsentPurpose.objects.filter(school=personas.school).count() == len(codes)
    assert ConsentPurposeText.objects.filter(purpose__school=personas.school).count() == len(codes)
    assert ConsentPurpose.objects.filter(school=personas.other_school).count() == len(codes)


def test_seed_command_fills_a_new_school(personas, capsys):
    call_command("consent_seed")
    assert ConsentPurpose.objects.filter(school=personas.school).count() == 6
    assert "2 school(s)" in capsys.readouterr().out


def test_event_cannot_be_saved_again(event):
    event.reason = "changed"
    with pytest.raises(ImmutableEventError):
        event.save()


def test_event_cannot_be_deleted(event):
    with pytest.raises(ImmutableEventError):
        event.delete()
    with pytest.raises(ImmutableEventError):
        ConsentEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(ImmutableEventError):
        ConsentEvent.objects.filter(pk=event.pk).update(decision="refused")
    assert ConsentEvent.objects.get(pk=event.pk).decision == "granted"


def test_paper_event_needs_guardian_and_reason_in_the_database(personas, purposes):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentEvent.objects.create(
            child=personas.child_a,
            purpose=purposes["group"],
            school_year=2026,
            decision="granted",
            decided_by=personas.admin,
            on_behalf_of=personas.parent_a,
            reason="",
            source="paper",
            text_version=1,
        )
    assert not ConsentEvent.objects.exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE privacy_consentevent SET decision = 'refused' WHERE id = %s",
        "DELETE FROM privacy_consentevent WHERE id = %s",
    ],
)
def test_database_refuses_update_and_delete(event, sql):
    require_postgres()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert ConsentEvent.objects.get(pk=event.pk).decision == "granted"
