"""Exactly once with a real worker: PostgreSQL, Redis, an SMTP server on loopback, kill -9.

200 recipients; the worker is killed while sending, started again, and the beat tick fires
twice. Every recipient gets exactly one mail, except rows marked "unknown" (at most one
mail: the server may have accepted it before the worker died).
"""

import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery
from django.db import connection

from mailings import services
from mailings.models import MailDelivery
from tests import clock
from tests.conftest import REQUIRE_SERVICES, redis_test_db, require_postgres
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent
State = MailDelivery.State
RECIPIENTS = 200


class SlowCountingHandler:
    """Accepts every mail a little slowly, so the worker can be killed mid-run."""

    def __init__(self):
        self.received = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(0.02)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received[rcpt] += 1
        return "250 OK"

    def total(self):
        with self.lock:
            return sum(self.received.values())


def _broker_url():
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        if REQUIRE_SERVICES:
            pytest.fail("CELERY_BROKER_URL must point at Redis")
        pytest.skip("needs Redis (CELERY_BROKER_URL)")  # REQUIRE_SERVICES is off: a laptop
    # A database of its own per test process (pytest-xdist runs several), so stale messages
    # of other runs never reach this worker and no other process flushes it.
    return url.rsplit("/", 1)[0] + f"/{redis_test_db()}"


def _database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(env):
    return subprocess.Popen(
        clock.subprocess_python(
            [
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
            ]
        ),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def smtp():
    handler = SlowCountingHandler()
    # aiosmtpd checks its own port at start-up, so it needs a concrete free one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def broker():
    """A producer of its own: the project's app stays eager for every other test."""
    url = _broker_url()
    redis.Redis.from_url(url).flushdb()
    # Not the current app: the shared tasks of every later test must stay on the eager one.
    producer = Celery("test-producer", broker=url, set_as_current=False)
    connection = producer.connection_for_write(url)

    # A queue of its own per run: no other worker on this machine can take these tasks.
    queue = f"worker-test-{uuid.uuid4().hex[:8]}"

    def send(name, args=()):
        # An explicit connection: this process's CELERY_BROKER_URL must not decide where.
        producer.send_task(name, args=list(args), connection=connection, queue=queue)

    yield url, queue, send
    connection.release()
    producer.close()


def test_killed_worker_never_sends_twice(transactional_db, smtp, broker):
    require_postgres()
    controller, handler = smtp
    broker_url, queue, send = broker
    users = UserFactory.create_batch(RECIPIENTS)
    run = services.mail_run_open(
        kind="notice",
        period_key="worker-test",
        recipient_ids=[u.pk for u in users],
        payload={"subject": {"nl": "Test"}, "body": {"nl": "Eén keer."}},
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
        # Short lease and redelivery, so the test does not wait an hour for the dead worker.
        "MAILINGS_CLAIM_LEASE_SECONDS": "2",
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    bus = redis.Redis.from_url(broker_url)
    worker = _start_worker(env)
    try:
        # Kombu drops a message for a queue nobody has declared yet: wait for the worker's.
        _wait(lambda: bus.exists(f"_kombu.binding.{queue}"), 60, "the worker to be ready")
        send("mailings.tasks.process_run", [run.pk])
        _wait(lambda: handler.total() >= 40, 60, "the first mails")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        killed_at = handler.total()
        assert killed_at < RECIPIENTS, "the worker finished before it could be killed"

        worker = _start_worker(env)
        time.sleep(2.5)  # let the dead worker's lease expire
        # The beat tick fires twice: still one run, still one mail per person.
        send("mailings.tasks.resume_unfinished")
        send("mailings.tasks.resume_unfinished")
        _wait(
            lambda: (
                not MailDelivery.objects.filter(
                    run=run, state__in=[State.PENDING, State.CLAIMED, State.SENDING]
                ).exists()
            ),
            90,
            "the run to finish",
        )
        time.sleep(1)  # a redelivered duplicate task would send now, if it could
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    states = Counter(run.deliveries.values_list("state", flat=True))
    unknown = set(
        run.deliveries.filter(state=State.UNKNOWN).values_list("recipient__email", flat=True)
    )
    assert states[State.SENT] + states[State.UNKNOWN] == RECIPIENTS
    assert states[State.UNKNOWN] <= services.SEND_CHUNK
    for user in users:
        received = handler.received[user.email]
        if user.email in unknown:
            assert received <= 1
        else:
            assert received == 1, user.email
    assert run.__class__.objects.filter(period_key="worker-test").count() == 1
