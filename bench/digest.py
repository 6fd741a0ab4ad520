"""The Friday digest for 10,000 parents, and sending over one SMTP connection vs many.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/digest.py

The database is migrated and filled once (one school, 400 groups of 25 children, one parent
each, a week of group and school-wide posts with read receipts, kindgesprek messages);
`--reset` rebuilds it. Then every parent's digest is built into message objects through the
registered builder, batch by batch as the worker does, counting the queries of each batch.
Last, the same mails go to an SMTP server on loopback (aiosmtpd): once over one reused
connection, once with a connection per message.
Targets (issue #9): 10,000 digests built in <= 30 s; <= 20 queries per batch of 100,
independent of the number of posts; one connection >= 1.3x faster.
"""

import argparse
import datetime
import logging
import os
import random
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.mail import get_connection  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from groups.models import Child, Group, Guardianship, School  # noqa: E402
from mailings import services as mailings  # noqa: E402
from mailings.models import MailDelivery, MailRun  # noqa: E402
from messaging.digest import mail, services  # noqa: E402
from messaging.digest.periods import local_moment  # noqa: E402
from messaging.kindgesprek.models import Message, Side, Thread  # noqa: E402
from messaging.models import Post, PostAudience, PostRead  # noqa: E402

GROUPS = 400
CHILDREN_PER_GROUP = 25
POSTS_PER_GROUP = 3
SCHOOL_WIDE_POSTS = 4
READ_SHARE = 0.5
MESSAGE_SHARE = 0.2
SEND_SAMPLE = 1_000
SLUG = "bench-digest"
UNUSABLE = make_password(None)  # bench accounts never log in with a password
# Not security relevant: a fixed seed makes the dataset the same on every run.
RNG = random.Random(9)  # noqa: S311 -- deterministic demo data


def build(school_moment):
    MailRun.objects.filter(school__slug=SLUG).delete()
    Post.objects.filter(school__slug=SLUG).delete()
    Thread.objects.filter(child__school__slug=SLUG).delete()
    Child.objects.filter(school__slug=SLUG).delete()
    Group.objects.filter(school__slug=SLUG).delete()
    User.objects.filter(email__endswith="@bench-digest.invalid").delete()
    School.objects.filter(slug=SLUG).delete()

    school = School.objects.create(name="Bench school", slug=SLUG, administration_phone="0")
    groups = Group.objects.bulk_create(
        Group(school=school, name=f"Groep {n}", school_year=2026, grade=n % 8 + 1)
        for n in range(GROUPS)
    )
    teacher = User.objects.create_user(email="teacher@bench-digest.invalid", password=None)
    parents = User.objects.bulk_create(
        (
            User(email=f"parent{n}@bench-digest.invalid", full_name=f"Ouder {n}", password=UNUSABLE)
            for n in range(GROUPS * CHILDREN_PER_GROUP)
        ),
        batch_size=2_000,
    )
    children = Child.objects.bulk_create(
        (
            Child(
                school=school,
                group=groups[n // CHILDREN_PER_GROUP],
                first_name=f"Kind{n}",
                last_name="Bench",
            )
            for n in range(GROUPS * CHILDREN_PER_GROUP)
        ),
        batch_size=2_000,
    )
    Guardianship.objects.bulk_create(
        (
            Guardianship(guardian=parent, child=child)
            for parent, child in zip(parents, children, strict=True)
        ),
        batch_size=5_000,
    )
    week = datetime.timedelta(days=6).total_seconds()
    start = school_moment - datetime.timedelta(days=6, hours=12)
    posts = []
    for group in groups:
        for n in range(POSTS_PER_GROUP):
            moment = start + datetime.timedelta(seconds=RNG.random() * week)
            posts.append(
                (
                    Post(
                        school=school,
                        title=f"{group.name} {n}",
                        body="Vandaag hebben we geknutseld. " * 5,
                        publish_at=moment,
                    ),
                    group,
                )
            )
    for n in range(SCHOOL_WIDE_POSTS):
        moment = start + datetime.timedelta(seconds=RNG.random() * week)
        posts.append(
            (
                Post(
                    school=school,
                    title=f"School {n}",
                    body="Nieuws",
                    is_school_wide=True,
                    publish_at=moment,
                ),
                None,
            )
        )
    created = Post.objects.bulk_create([post for post, _group in posts], batch_size=2_000)
    audience = [
        PostAudience(post=post, group=target)
        for post, (_unsaved, group) in zip(created, posts, strict=True)
        for target in ([group] if group else groups)
    ]
    PostAudience.objects.bulk_create(audience, batch_size=5_000)
    by_group = {
        group.pk: parents[i * CHILDREN_PER_GROUP : (i + 1) * CHILDREN_PER_GROUP]
        for i, group in enumerate(groups)
    }
    PostRead.objects.bulk_create(
        (
            PostRead(post_id=row.post_id, user=parent)
            for row in audience
            for parent in by_group[row.group_id]
            if RNG.random() < READ_SHARE
        ),
        batch_size=10_000,
        ignore_conflicts=True,
    )
    talked = [child for child in children if RNG.random() < MESSAGE_SHARE]
    threads = Thread.objects.bulk_create(
        (Thread(child=child, school_year=2026) for child in talked), batch_size=5_000
    )
    sent = school_moment - datetime.timedelta(days=2)
    Message.objects.bulk_create(
        (
            Message(
                thread=thread,
                author=teacher,
                author_side=Side.STAFF,
                body="Hallo",
                created_at=sent,
                sent_at=sent,
            )
            for thread in threads
        ),
        batch_size=5_000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return school, len(created)


def build_all(school, moment):
    MailRun.objects.filter(school=school).delete()
    # Opened without sending: the bench times the builder itself, batch by batch.
    run = mailings.mail_run_open(**services.digest_run_args(school=school, moment=moment))
    ids = list(MailDelivery.objects.filter(run=run).order_by("id").values_list("id", flat=True))
    built, per_batch = {}, []
    started, started_cpu = time.perf_counter(), time.process_time()
    for offset in range(0, len(ids), mailings.BATCH_SIZE):
        with CaptureQueriesContext(connection) as queries:
            batch = list(
                MailDelivery.objects.filter(
                    id__in=ids[offset : offset + mailings.BATCH_SIZE]
                ).select_related("recipient")
            )
            built.update(mail.build_digest(run, batch))
        per_batch.append(len(queries))
    return built, time.perf_counter() - started, time.process_time() - started_cpu, per_batch


class Counting:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def send_compare(messages):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    backend = "django.core.mail.backends.smtp.EmailBackend"
    try:
        started = time.perf_counter()
        reused = get_connection(backend, host="127.0.0.1", port=port)
        reused.open()
        for message in messages:
            message.connection = reused
            message.send()
        reused.close()
        one = time.perf_counter() - started

        started = time.perf_counter()
        for message in messages:
            message.connection = get_connection(backend, host="127.0.0.1", port=port)
            message.send()
        many = time.perf_counter() - started
    finally:
        controller.stop()
    assert handler.count == 2 * len(messages), handler.count
    return one, many


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="rebuild the dataset")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/digest.py measures PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    # Friday 20 November 2026, 16:00 at the school: this week's digest moment.
    school_tz = School(time_zone="Europe/Amsterdam").tz
    moment = local_moment(datetime.date(2026, 11, 20), datetime.time(16, 0), school_tz)
    school = School.objects.filter(slug=SLUG).first()
    if args.reset or school is None:
        started = time.perf_counter()
        school, posts = build(moment)
        elapsed = time.perf_counter() - started
        print(f"built {GROUPS * CHILDREN_PER_GROUP} parents, {posts} posts in {elapsed:.0f} s")

    built, seconds, cpu, per_batch = build_all(school, moment)
    messages = [message for message in built.values() if not isinstance(message, str)]
    print(
        f"{len(built)} digests ({len(messages)} to send) built in {seconds:.1f} s "
        f"(cpu {cpu:.1f} s; target <= 30 s); queries per batch of {mailings.BATCH_SIZE}: "
        f"min {min(per_batch)} max {max(per_batch)} (target <= 20)"
    )
    sample = messages[:SEND_SAMPLE]
    one, many = send_compare(sample)
    print(
        f"sending {len(sample)} over one connection {one:.2f} s, a connection per message "
        f"{many:.2f} s: {many / one:.2f}x (target >= 1.3x)"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
