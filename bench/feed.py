"""Feed page server time on PostgreSQL with a year of posts for one school.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/feed.py

The database is migrated and filled once (one school, 10 groups of 25 children, a year of
posts with comments and read receipts); `--reset` rebuilds it. Each page is requested through
the real URL with Django's test client, so the time includes the view, queries and template.
Targets (issue #4): median <= 15 ms, p95 <= 30 ms, deep page / first page <= 1.5. Feed cards
are cached under everything they show, so repeated pages reuse them; the "no cached cards"
figure renders every card, as after a change to each of them.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from groups.models import Child, Group, Guardianship, School, StaffMembership  # noqa: E402
from messaging import selectors  # noqa: E402
from messaging.models import Comment, Post, PostAudience, PostRead  # noqa: E402

GROUPS = 10
CHILDREN_PER_GROUP = 25
POSTS_PER_GROUP = 1_100  # about three a school day: a busy year, enough for a deep page
SCHOOL_WIDE_POSTS = 200
COMMENTS_PER_POST = 2
READ_SHARE = 0.8
SLUG = "bench-feed"
UNUSABLE = make_password(None)  # bench accounts never log in with a password
# Not security relevant: a fixed seed makes the dataset the same on every run.
RNG = random.Random(4)  # noqa: S311 -- deterministic demo data


def build():
    Post.objects.filter(school__slug=SLUG).delete()
    Child.objects.filter(school__slug=SLUG).delete()
    Group.objects.filter(school__slug=SLUG).delete()
    StaffMembership.objects.filter(school__slug=SLUG).delete()
    User.objects.filter(email__endswith="@bench.invalid").delete()
    School.objects.filter(slug=SLUG).delete()

    school = School.objects.create(name="Bench school", slug=SLUG, administration_phone="0")
    groups = Group.objects.bulk_create(
        Group(school=school, name=f"Groep {n}", school_year=2026, grade=n % 8 + 1)
        for n in range(GROUPS)
    )
    teacher = User.objects.create_user(email="teacher@bench.invalid", password=None)
    direction = User.objects.create_user(email="direction@bench.invalid", password=None)
    membership = StaffMembership.objects.create(user=teacher, school=school, role="teacher")
    membership.groups.set(groups)
    StaffMembership.objects.create(user=direction, school=school, role="direction")
    parents = User.objects.bulk_create(
        User(email=f"parent{n}@bench.invalid", full_name=f"Ouder {n}", password=UNUSABLE)
        for n in range(GROUPS * CHILDREN_PER_GROUP)
    )
    children = Child.objects.bulk_create(
        Child(
            school=school,
            group=groups[n // CHILDREN_PER_GROUP],
            first_name=f"Kind{n}",
            last_name="Bench",
        )
        for n in range(GROUPS * CHILDREN_PER_GROUP)
    )
    Guardianship.objects.bulk_create(
        Guardianship(guardian=parent, child=child)
        for parent, child in zip(parents, children, strict=True)
    )
    # The bench parent also has a child in every other group: the heaviest family feed.
    Guardianship.objects.bulk_create(
        Guardianship(guardian=parents[0], child=children[g * CHILDREN_PER_GROUP + 1])
        for g in range(1, GROUPS)
    )

    end = timezone.now() - datetime.timedelta(hours=1)
    year = datetime.timedelta(days=365).total_seconds()
    posts, audience = [], []
    for group in groups:
        for n in range(POSTS_PER_GROUP):
            moment = end - datetime.timedelta(seconds=RNG.random() * year)
            posts.append(
                (
                    Post(
                        school=school,
                        author=teacher,
                        title=f"{group.name} {n}",
                        body="Vandaag hebben we geknutseld.\n\nTot morgen!",
                        publish_at=moment,
                    ),
                    group,
                )
            )
    for n in range(SCHOOL_WIDE_POSTS):
        moment = end - datetime.timedelta(seconds=RNG.random() * year)
        posts.append(
            (
                Post(
                    school=school,
                    author=direction,
                    title=f"School {n}",
                    body="Nieuws",
                    is_school_wide=True,
                    allow_reactions=False,
                    publish_at=moment,
                ),
                None,
            )
        )
    created = Post.objects.bulk_create([post for post, _group in posts], batch_size=2_000)
    for post, (_unsaved, group) in zip(created, posts, strict=True):
        for target in [group] if group else groups:
            audience.append(PostAudience(post=post, group=target))
    PostAudience.objects.bulk_create(audience, batch_size=5_000)
    Comment.objects.bulk_create(
        (
            Comment(post=post, author=RNG.choice(parents), body="Leuk!")
            for post in created
            for _ in range(COMMENTS_PER_POST)
        ),
        batch_size=5_000,
    )
    by_group = {
        group.pk: parents[i * CHILDREN_PER_GROUP : (i + 1) * CHILDREN_PER_GROUP]
        for i, group in enumerate(groups)
    }
    reads = []
    for row in audience:
        reads += [
            PostRead(post_id=row.post_id, user=parent)
            for parent in by_group[row.group_id]
            if RNG.random() < READ_SHARE
        ]
    PostRead.objects.bulk_create(reads, batch_size=10_000, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(created), len(reads)


def timed(client, url, params, runs, before=None):
    """Median and p95 of the wall time, and the median CPU time of this (Django) process: on
    a shared machine the wall time includes waiting for a core, the CPU time does not.
    `before` runs ahead of each request, outside the measured time."""
    wall, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    wall.sort()
    return statistics.median(wall), wall[int(len(wall) * 0.95) - 1], statistics.median(cpu)


def _show(label, result):
    return f"{label} median {result[0]:5.1f} ms p95 {result[1]:5.1f} ms (cpu {result[2]:4.1f} ms)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="rebuild the dataset")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/feed.py measures PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    if args.reset or not School.objects.filter(slug=SLUG).exists():
        started = time.perf_counter()
        posts, reads = build()
        print(f"built {posts} posts, {reads} reads in {time.perf_counter() - started:.0f} s")

    url = reverse("messaging:feed")
    for email in ("parent0@bench.invalid", "parent1@bench.invalid", "direction@bench.invalid"):
        user = User.objects.get(email=email)
        visible = selectors.visible_posts(user).count()
        client = Client()
        client.force_login(user)
        timed(client, url, {}, 10)  # warm caches and the session
        first = timed(client, url, {}, args.runs)
        line = f"{email:26} sees {visible:6} posts | {_show('first page', first)}"
        # Cards are cached under everything they show; a page whose every card changed since
        # (or was never rendered in this process) renders them all.
        cold = timed(client, url, {}, args.runs, before=caches["template_fragments"].clear)
        line += f" | {_show('no cached cards', cold)}"
        if visible > 10_020:
            # The cursor of the post 10,000 deep; OFFSET here only to find it, once.
            post = selectors.visible_posts(user).order_by("-publish_at", "-id")[10_000]
            deep = timed(client, url, {"after": selectors.encode_cursor(post)}, args.runs)
            line += f" | {_show('10,000 deep', deep)}"
            line += f" | deep/first {deep[0] / first[0]:.2f}"
        print(line)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
