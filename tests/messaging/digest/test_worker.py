"""The digest, exactly once, with a real worker: PostgreSQL, Redis, an SMTP server on
loopback, kill -9.

200 parents each have an unread kindgesprek message, so each is due one digest. The beat
tick fires twice through the broker; the worker is killed while sending, started again,
and the tick and the resume job fire twice more. Every parent gets exactly one digest,
except rows marked "unknown" (at most one: the server may have taken it before the kill).
"""

import datetime
import os
import signal
import time
from collections import Counter

import redis
from django.utils import timezone

from groups.models import Guardianship
from mailings import services as mailings
from mailings.models import MailDelivery, MailRun
from messaging.digest import services
from messaging.kindgesprek.models import Message, Side, Thread
from tests.conftest import require_postgres
from tests.factories import ChildFactory, GroupFactory, SchoolFactory, UserFactory
from tests.mailings import test_worker as base

State = MailDelivery.State
PARENTS = 200

# The shared fixtures of the mailings worker test: a slow counting SMTP server on loopback
# and a producer on a Redis database and queue of its own.
smtp = base.smtp
broker = base.broker


def _school_due_now():
    """A school whose digest moment has just passed: the worker runs on the test's clock
    (tests/clock.py), whatever moment that is, so the policy follows the clock."""
    school = SchoolFactory()
    local = timezone.now().astimezone(school.tz)
    school.digest_weekday = local.isoweekday()
    school.digest_time = datetime.time(0, 0)
    school.save()
    return school


def _parents_with_unread_messages(school):
    group = GroupFactory(school=school)
    teacher = UserFactory()
    parents = UserFactory.create_batch(PARENTS)
    children = [ChildFactory(group=group) for _ in parents]
    Guardianship.objects.bulk_create(
        Guardianship(guardian=parent, child=child)
        for parent, child in zip(parents, children, strict=True)
    )
    threads = Thread.objects.bulk_create(
        Thread(child=child, school_year=group.school_year) for child in children
    )
    # Before today's digest moment (00:00 local), so inside the digest's week.
    midnight = timezone.now().astimezone(school.tz).replace(hour=0, minute=0, second=0)
    sent = midnight - datetime.timedelta(hours=1)
    Message.objects.bulk_create(
        Message(
            thread=thread,
            author=teacher,
            author_side=Side.STAFF,
            body="Hallo",
            created_at=sent,
            sent_at=sent,
        )
        for thread in threads
    )
    return parents


def test_killed_worker_never_sends_a_digest_twice(transactional_db, smtp, broker):
    require_postgres()
    controller, handler = smtp
    broker_url, queue, send = broker
    school = _school_due_now()
    parents = _parents_with_unread_messages(school)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": base._database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
        "MAILINGS_CLAIM_LEASE_SECONDS": "2",
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    bus = redis.Redis.from_url(broker_url)
    worker = base._start_worker(env)
    try:
        base._wait(lambda: bus.exists(f"_kombu.binding.{queue}"), 60, "the worker to be ready")
        # The beat fires twice: one run.
        send("digest.tick")
        send("digest.tick")
        base._wait(lambda: handler.total() >= 40, 90, "the first digests")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        assert handler.total() < PARENTS, "the worker finished before it could be killed"

        worker = base._start_worker(env)
        time.sleep(2.5)  # let the dead worker's lease expire
        send("digest.tick")
        send("mailings.tasks.resume_unfinished")
        send("mailings.tasks.resume_unfinished")
        base._wait(
            lambda: (
                MailRun.objects.filter(kind=services.DIGEST).exists()
                and not MailDelivery.objects.filter(
                    state__in=[State.PENDING, State.CLAIMED, State.SENDING]
                ).exists()
            ),
            120,
            "the run to finish",
        )
        time.sleep(1)  # a redelivered duplicate task would send now, if it could
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    run = MailRun.objects.get(kind=services.DIGEST)
    # Only the digest: on a Friday the group-message reminder opens a run of its own.
    assert MailRun.objects.filter(kind=services.DIGEST).count() == 1
    assert run.school == school
    states = Counter(run.deliveries.values_list("state", flat=True))
    assert states[State.SENT] + states[State.UNKNOWN] == PARENTS
    assert states[State.UNKNOWN] <= mailings.SEND_CHUNK
    unknown = set(
        run.deliveries.filter(state=State.UNKNOWN).values_list("recipient__email", flat=True)
    )
    for parent in parents:
        received = handler.received[parent.email]
        if parent.email in unknown:
            assert received <= 1
        else:
            assert received == 1, parent.email
