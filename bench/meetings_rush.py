"""The sign-up rush: 200 parents booking 60 meeting slots within 10 seconds.

Starts gunicorn on loopback against PostgreSQL, lets 200 simulated parents (one thread
each, token-authenticated API calls) start within 10 seconds, half of them aiming at the
first five slots. A parent who loses a race books one of the suggested free times, as the
page offers. Prints p50/p95/max latency, errors and double bookings.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/meetings_rush.py
The bench school, its people and its round are removed at the start of the next run.
"""

import datetime
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = "8766"
BASE = f"http://127.0.0.1:{PORT}"
PARENTS = 200
SLOTS = 60
SPREAD_SECONDS = 10
WORKERS = os.environ.get("BENCH_WORKERS", "4")
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.dev",
    "DJANGO_DEBUG": "0",
    "EMAIL_URL": "memorymail://",
}

sys.path.insert(0, str(ROOT))
os.environ.update({k: ENV[k] for k in ("DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "EMAIL_URL")})


def set_up():
    """A school with one group of 200 children (one parent each) and a round of 60 slots."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from groups.models import Child, Group, Guardianship, School, StaffMembership
    from meetings.models import Round
    from meetings.services.rounds import SlotPlan, round_create

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the rush is about its locks.")
    User = get_user_model()
    old = School.objects.filter(slug="bench-rush").first()
    if old:
        Round.objects.filter(school=old).delete()
        Child.objects.filter(school=old).delete()
        Group.objects.filter(school=old).delete()
        old.delete()
    User.objects.filter(email__endswith="@bench.invalid").delete()

    school = School.objects.create(name="Bench", slug="bench-rush", administration_phone="0")
    group = Group.objects.create(school=school, name="Groep bench", school_year=2026)
    direction = User.objects.create_user("direction@bench.invalid", full_name="Direction")
    teacher = User.objects.create_user("teacher@bench.invalid", full_name="Teacher")
    StaffMembership.objects.create(user=direction, school=school, role="direction")
    StaffMembership.objects.create(user=teacher, school=school, role="teacher").groups.add(group)
    parents = User.objects.bulk_create(
        User(email=f"parent{n}@bench.invalid", full_name=f"Parent {n}") for n in range(PARENTS)
    )
    children = Child.objects.bulk_create(
        Child(school=school, group=group, first_name=f"Kind{n}", last_name="Bench")
        for n in range(PARENTS)
    )
    Guardianship.objects.bulk_create(
        Guardianship(guardian=parent, child=child)
        for parent, child in zip(parents, children, strict=True)
    )
    tokens = Token.objects.bulk_create(
        Token(user=parent, key=Token.generate_key()) for parent in parents
    )
    now = timezone.now()
    day = (now + datetime.timedelta(days=7)).date()
    round_ = round_create(
        actor=direction,
        school=school,
        title="Bench",
        duration_minutes=10,
        groups=[group],
        opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=1),
        plans=[
            SlotPlan(
                group=group,
                staff=teacher,
                day=day,
                start=datetime.time(9, 0),
                end=datetime.time(19, 0),
            )
        ],
    )
    slot_ids = list(round_.slots.order_by("starts_at").values_list("pk", flat=True))
    assert len(slot_ids) == SLOTS
    families = [(token.key, child.pk) for token, child in zip(tokens, children, strict=True)]
    return round_.pk, slot_ids, families


def start_server():
    server = subprocess.Popen(  # noqa: S603 -- fixed arguments
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--workers",
            WORKERS,
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
        # Every lost race is a 409 that Django logs as a warning; errors are counted here.
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{BASE}/accounts/login/", timeout=2):  # noqa: S310 -- loopback URL we built
                return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit("gunicorn did not answer")


def post(url, token, payload):
    request = urllib.request.Request(  # noqa: S310 -- loopback URL we built
        url,
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 -- loopback
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    return status, body, time.perf_counter() - start


def main():
    round_id, slot_ids, families = set_up()
    server = start_server()
    rng = random.Random(42)  # noqa: S311 -- a repeatable load pattern, not a secret
    wishes = [
        rng.choice(slot_ids[:5]) if rng.random() < 0.5 else rng.choice(slot_ids) for _ in families
    ]
    latencies, outcomes, errors = [], {}, []

    def rng_for(index):
        return random.Random(index)  # noqa: S311 -- a repeatable load pattern, not a secret

    lock = threading.Lock()
    url = f"{BASE}/api/v1/meetings/rounds/{round_id}/bookings/"
    t0 = time.monotonic() + 1

    def parent(index):
        token, child = families[index]
        time.sleep(max(0.0, t0 + index * SPREAD_SECONDS / len(families) - time.monotonic()))
        slot, result = wishes[index], "gave up"
        for _attempt in range(10):
            try:
                status, body, seconds = post(url, token, {"child": child, "slot": slot})
            except OSError as exc:
                with lock:
                    errors.append(repr(exc))
                result = "error"
                break
            with lock:
                latencies.append(seconds)
            if status == 201:
                result = "booked"
                break
            if status == 409:
                suggestions = json.loads(body)["suggestions"]
                if not suggestions:
                    result = "no free time left"
                    break
                # Like a person on the page: one of the offered times, not always the first.
                slot = rng_for(index).choice(suggestions)["id"]
                continue
            with lock:
                errors.append(f"{status} {body[:200]!r}")
            result = "error"
            break
        with lock:
            outcomes[result] = outcomes.get(result, 0) + 1

    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=len(families)) as pool:
            list(pool.map(parent, range(len(families))))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    wall = time.monotonic() - started

    from django.db.models import Count

    from meetings.models import Booking

    bookings = Booking.objects.filter(round_id=round_id)
    double_slots = bookings.values("slot").annotate(n=Count("id")).filter(n__gt=1).count()
    double_children = bookings.values("child").annotate(n=Count("id")).filter(n__gt=1).count()
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(f"parents {len(families)}, slots {len(slot_ids)}, gunicorn workers {WORKERS}")
    print(f"requests {len(latencies)} in {wall:.1f} s (arrivals spread over {SPREAD_SECONDS} s)")
    print(
        f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(f"outcomes {dict(sorted(outcomes.items()))}")
    print(f"booked slots {bookings.count()} of {len(slot_ids)}")
    print(f"errors {len(errors)}{': ' + errors[0] if errors else ''}")
    print(f"double bookings: slots {double_slots}, children {double_children}")
    return 1 if errors or double_slots or double_children else 0


if __name__ == "__main__":
    sys.exit(main())
