"""Exactly-once bulk mail.

A run is identified by (kind, period_key) and has one delivery row per recipient, so a
double beat tick, a manual rerun or a redelivered task finds the rows that exist instead of
making new ones. A worker claims pending rows with a conditional UPDATE (only rows still
pending change hands), marks each small chunk "sending" just before handing it to the mail
server, and "sent" right after. A worker that dies leaves:

- "claimed" rows it never started on: given back (pending) once their lease has expired;
- "sending" rows: the mail server may have accepted them, so they become "unknown" and are
  never resent automatically. Administration sees them and can resend by hand.
"""

import smtplib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation

from .models import MailDelivery, MailRun

State = MailDelivery.State

#: kind -> builder(run, deliveries) -> {delivery id: EmailMessage to send, or a skip reason}
Builder = Callable[[MailRun, list[MailDelivery]], dict[int, EmailMessage | str]]
_BUILDERS: dict[str, Builder] = {}

#: How many rows one claim takes, and how many are marked "sending" at once. The second
#: number bounds how many mails become "unknown" when a worker dies mid-send.
BATCH_SIZE = 100
SEND_CHUNK = 10

# Skip reasons every builder shares, so the admin can count them per run.
SKIP_NOTHING_NEW = "nothing new"
SKIP_OPTED_OUT = "opted out"

# The mail server refused these for good: resending would fail again.
DEFINITIVE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


class SendInterrupted(Exception):
    """The mail connection broke; the task retries and picks up what is still pending."""


def register(kind: str):
    """Register the function that renders the mails of one kind (used at import time)."""

    def decorator(builder: Builder) -> Builder:
        _BUILDERS[kind] = builder
        return builder

    return decorator


def lease_seconds() -> int:
    # Longer than a task may run (CELERY_TASK_TIME_LIMIT), so a live worker's claim never
    # expires under it.
    return settings.MAILINGS_CLAIM_LEASE_SECONDS


def mail_run_open(
    *, kind: str, period_key: str, recipient_ids: Iterable[int], school=None, payload=None
) -> MailRun:
    """The run for this kind and period, with a delivery row for every recipient (once)."""
    if kind not in _BUILDERS:
        raise ValueError(f"no mail builder registered for {kind!r}")
    run, _created = MailRun.objects.get_or_create(
        kind=kind, period_key=period_key, defaults={"school": school, "payload": payload or {}}
    )
    MailDelivery.objects.bulk_create(
        [MailDelivery(run=run, recipient_id=pk) for pk in set(recipient_ids)],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return run


def mail_run_start(**kwargs) -> MailRun:
    """Open the run and send it in the background once the transaction has committed."""
    from .tasks import process_run

    run = mail_run_open(**kwargs)
    transaction.on_commit(lambda: process_run.delay(run.pk))
    return run


def mail_run_recover(*, run: MailRun, now=None) -> None:
    """Settle rows a dead worker left behind (see the module docstring)."""
    now = now or timezone.now()
    stale = MailDelivery.objects.filter(
        run=run, claimed_at__lt=now - timedelta(seconds=lease_seconds())
    )
    stale.filter(state=State.CLAIMED).update(state=State.PENDING, claim_token="", claimed_at=None)
    stale.filter(state=State.SENDING).update(
        state=State.UNKNOWN, note="The worker stopped while sending; the mail may have arrived."
    )


def _claim(run, token, now):
    ids = list(
        MailDelivery.objects.filter(run=run, state=State.PENDING)
        .order_by("id")
        .values_list("id", flat=True)[:BATCH_SIZE]
    )
    if not ids:
        return []
    MailDelivery.objects.filter(pk__in=ids, state=State.PENDING).update(
        state=State.CLAIMED, claim_token=token, claimed_at=now
    )
    return list(
        MailDelivery.objects.filter(claim_token=token, state=State.CLAIMED).select_related(
            "recipient"
        )
    )


def _set(ids, token, state, **fields):
    if ids:
        MailDelivery.objects.filter(pk__in=ids, claim_token=token).update(state=state, **fields)


def _send_batch(connection, batch, built, token):
    skips = defaultdict(list)
    to_send = []
    for delivery in batch:
        outcome = built.get(delivery.pk, "nothing to send")
        if isinstance(outcome, str):
            skips[outcome].append(delivery.pk)
        else:
            to_send.append((delivery, outcome))
    for reason, ids in skips.items():
        _set(ids, token, State.SKIPPED, note=reason[:255])

    for start in range(0, len(to_send), SEND_CHUNK):
        chunk = to_send[start : start + SEND_CHUNK]
        _set([d.pk for d, _m in chunk], token, State.SENDING)
        sent = []
        for index, (delivery, message) in enumerate(chunk):
            message.connection = connection
            try:
                message.send()
            except DEFINITIVE_ERRORS as error:
                _set([delivery.pk], token, State.FAILED, note=str(error)[:255])
                continue
            except Exception as error:
                # The server may or may not have taken this one; the rest were not tried.
                _set(sent, token, State.SENT, sent_at=timezone.now())
                _set([delivery.pk], token, State.UNKNOWN, note=str(error)[:255])
                untried = [d.pk for d, _m in chunk[index + 1 :]] + [
                    d.pk for d, _m in to_send[start + SEND_CHUNK :]
                ]
                _set(untried, token, State.PENDING, claim_token="", claimed_at=None)
                raise SendInterrupted(str(error)) from error
            sent.append(delivery.pk)
        _set(sent, token, State.SENT, sent_at=timezone.now())


def mail_run_process(*, run: MailRun, now=None) -> dict[str, int]:
    """Send every pending delivery of the run, batch by batch, over one SMTP connection."""
    mail_run_recover(run=run, now=now)
    builder = _BUILDERS[run.kind]
    token = uuid.uuid4().hex
    connection = get_connection()
    connection.open()
    try:
        while batch := _claim(run, token, now or timezone.now()):
            _send_batch(connection, batch, builder(run, batch), token)
    finally:
        connection.close()
    counts = mail_run_counts(run)
    if (
        not counts.get(State.PENDING)
        and not counts.get(State.CLAIMED)
        and not counts.get(State.SENDING)
    ):
        MailRun.objects.filter(pk=run.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    return counts


def mail_run_counts(run: MailRun) -> dict[str, int]:
    from django.db.models import Count

    rows = MailDelivery.objects.filter(run=run).values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def mail_delivery_resend(*, actor, delivery: MailDelivery) -> MailDelivery:
    """Administration resends one mail by hand (for unknown, failed or skipped rows)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .tasks import process_run

    if delivery.state not in (State.UNKNOWN, State.FAILED, State.SKIPPED):
        raise ValidationError(_("Only unknown, failed or skipped mails can be resent."))
    updated = MailDelivery.objects.filter(pk=delivery.pk, state=delivery.state).update(
        state=State.PENDING, claim_token="", claimed_at=None, resent_by=actor, note=""
    )
    if updated:
        MailRun.objects.filter(pk=delivery.run_id).update(finished_at=None)
        transaction.on_commit(lambda: process_run.delay(delivery.run_id))
    delivery.refresh_from_db()
    return delivery


def mail_runs_resume(*, now=None) -> int:
    """Pick up runs that still have work (the beat tick's safety net after a dead worker)."""
    from .tasks import process_run

    ids = list(MailRun.objects.filter(finished_at__isnull=True).values_list("id", flat=True))
    for run_id in ids:
        process_run.delay(run_id)
    return len(ids)


@register("notice")
def build_notice(run: MailRun, deliveries: list[MailDelivery]) -> dict[int, EmailMessage | str]:
    """A one-off message to many people, written in each recipient's language.

    payload: {"subject": {"nl": …, "en": …}, "body": {"nl": …, "en": …}, "from_name": …}
    """
    subjects, bodies = run.payload.get("subject", {}), run.payload.get("body", {})
    from_name = run.payload.get("from_name")
    sender = settings.DEFAULT_FROM_EMAIL
    if from_name:
        from email.utils import formataddr, parseaddr

        sender = formataddr((from_name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    built = {}
    for delivery in deliveries:
        recipient = delivery.recipient
        if not recipient.is_active:
            built[delivery.pk] = "account deactivated"
            continue
        language = recipient.preferred_language
        with translation.override(language):
            subject = subjects.get(language) or subjects.get(settings.LANGUAGE_CODE, "")
            body = bodies.get(language) or bodies.get(settings.LANGUAGE_CODE, "")
        built[delivery.pk] = EmailMessage(subject, body, sender, [recipient.email])
    return built
