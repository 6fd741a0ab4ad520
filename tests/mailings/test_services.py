import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from mailings import services
from mailings.models import MailDelivery, MailRun
from tests.factories import UserFactory

State = MailDelivery.State
NOTICE = {"subject": {"nl": "Studiedag", "en": "Study day"}, "body": {"nl": "Vrij", "en": "Off"}}


def _open(users, period="2026-W47", **kwargs):
    return services.mail_run_open(
        kind="notice",
        period_key=period,
        recipient_ids=[u.pk for u in users],
        payload=NOTICE,
        **kwargs,
    )


def _states(run):
    return sorted(run.deliveries.values_list("state", flat=True))


def test_open_twice_is_one_run_with_one_row_per_recipient(db):
    users = UserFactory.create_batch(3)
    first = _open(users)
    second = _open([*users, users[0]])
    assert first == second
    assert MailRun.objects.count() == 1
    assert first.deliveries.count() == 3


def test_unknown_kind_is_refused(db):
    with pytest.raises(ValueError, match="no mail builder"):
        services.mail_run_open(kind="nope", period_key="x", recipient_ids=[])
    assert not MailRun.objects.exists()


def test_process_sends_each_mail_once_in_the_recipients_language(db):
    dutch, english = UserFactory(), UserFactory(preferred_language="en")
    run = _open([dutch, english])
    counts = services.mail_run_process(run=run)
    assert counts == {"sent": 2}
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {dutch.email: "Studiedag", english.email: "Study day"}
    services.mail_run_process(run=run)
    assert len(mail.outbox) == 2
    run.refresh_from_db()
    assert run.finished_at is not None


def test_deactivated_recipient_is_skipped_with_reason(db):
    gone = UserFactory(is_active=False)
    run = _open([gone])
    services.mail_run_process(run=run)
    delivery = run.deliveries.get()
    assert delivery.state == State.SKIPPED
    assert delivery.note == "account deactivated"
    assert mail.outbox == []


def test_many_recipients_go_in_batches_over_one_connection(db, monkeypatch):
    opened = []
    real = services.get_connection

    def counting_connection(*args, **kwargs):
        connection = real(*args, **kwargs)
        opened.append(connection)
        return connection

    monkeypatch.setattr(services, "get_connection", counting_connection)
    run = _open(UserFactory.create_batch(services.BATCH_SIZE + 5))
    services.mail_run_process(run=run)
    assert len(mail.outbox) == services.BATCH_SIZE + 5
    assert len(opened) == 1


class FlakyConnection:
    """Accepts `ok` messages, then breaks (or refuses one recipient for good)."""

    def __init__(self, ok, error):
        self.ok, self.error, self.sent = ok, error, []

    def open(self):
        return True

    def close(self):
        return None

    def send_messages(self, messages):
        for message in messages:
            if len(self.sent) == self.ok:
                self.ok = -1  # fail once
                raise self.error
            self.sent.append(message.to[0])
        return len(messages)


def test_broken_connection_marks_one_unknown_and_keeps_the_rest_pending(db, monkeypatch):
    flaky = FlakyConnection(ok=3, error=smtplib.SMTPServerDisconnected("gone"))
    monkeypatch.setattr(services, "get_connection", lambda: flaky)
    run = _open(UserFactory.create_batch(12))
    with pytest.raises(services.SendInterrupted):
        services.mail_run_process(run=run)
    assert _states(run).count(State.SENT) == 3
    assert _states(run).count(State.UNKNOWN) == 1
    assert _states(run).count(State.PENDING) == 8
    # The retry sends the rest, never the unknown one.
    services.mail_run_process(run=run)
    unknown = run.deliveries.get(state=State.UNKNOWN).recipient.email
    assert len(flaky.sent) == 11
    assert unknown not in flaky.sent
    assert len(set(flaky.sent)) == 11


def test_refused_recipient_fails_and_others_are_sent(db, monkeypatch):
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})
    flaky = FlakyConnection(ok=1, error=refused)
    monkeypatch.setattr(services, "get_connection", lambda: flaky)
    run = _open(UserFactory.create_batch(4))
    services.mail_run_process(run=run)
    assert _states(run) == [State.FAILED, State.SENT, State.SENT, State.SENT]


def test_dead_workers_rows_are_settled_after_the_lease(db, settings):
    settings.MAILINGS_CLAIM_LEASE_SECONDS = 60
    run = _open(UserFactory.create_batch(3))
    claimed, sending, _pending = run.deliveries.order_by("id")
    start = timezone.now()
    run.deliveries.filter(pk=claimed.pk).update(state=State.CLAIMED, claimed_at=start)
    run.deliveries.filter(pk=sending.pk).update(state=State.SENDING, claimed_at=start)
    services.mail_run_recover(run=run, now=start + timedelta(seconds=30))
    assert _states(run) == [State.CLAIMED, State.PENDING, State.SENDING]  # lease still held
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        services.mail_run_process(run=run)
    claimed.refresh_from_db()
    sending.refresh_from_db()
    assert claimed.state == State.SENT
    assert sending.state == State.UNKNOWN
    assert len(mail.outbox) == 2


def test_resend_by_hand_only_for_unknown_failed_or_skipped(db, django_capture_on_commit_callbacks):
    admin = UserFactory()
    run = _open(UserFactory.create_batch(2))
    first, second = run.deliveries.order_by("id")
    run.deliveries.filter(pk=first.pk).update(state=State.UNKNOWN)
    run.deliveries.filter(pk=second.pk).update(state=State.SENT)
    first.refresh_from_db()
    second.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.mail_delivery_resend(actor=admin, delivery=first)
    first.refresh_from_db()
    assert first.state == State.SENT
    assert first.resent_by == admin
    assert len(mail.outbox) == 1
    with pytest.raises(ValidationError):
        services.mail_delivery_resend(actor=admin, delivery=second)


def test_resume_picks_up_unfinished_runs_only(db, django_capture_on_commit_callbacks):
    done = _open(UserFactory.create_batch(1), period="done")
    services.mail_run_process(run=done)
    waiting = _open(UserFactory.create_batch(2), period="waiting")
    assert services.mail_runs_resume() == 1
    waiting.refresh_from_db()
    assert waiting.finished_at is not None
    assert len(mail.outbox) == 3


def test_process_query_count_does_not_grow_with_recipients(db, django_assert_max_num_queries):
    run = _open(UserFactory.create_batch(services.BATCH_SIZE))
    # recover (2) + claim (3) + chunks of ten: sending and sent (20) + final claim + counts
    with django_assert_max_num_queries(30):
        services.mail_run_process(run=run)
    assert len(mail.outbox) == services.BATCH_SIZE
