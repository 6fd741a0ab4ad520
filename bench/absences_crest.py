"""The morning crest: parents reporting sick children at 20 reports per second for 2 minutes.

Runs gunicorn (production settings) against a throw-away PostgreSQL database on loopback,
posts one sick report per request to /api/v1/absences/ (each for a different child, as
different parents would), and prints latency percentiles and errors. Target: p95 <= 200 ms
and no errors; the exit code is 1 when the target is missed.

    .venv/bin/python bench/absences_crest.py \
        --database-url postgres://postgres@127.0.0.1:5432/sb_absences_bench

The database name must end in "_bench": it is dropped and created again on every run.
"""

import argparse
import concurrent.futures
import datetime
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/sb_absences_bench"
    )
    parser.add_argument("--rate", type=float, default=20.0, help="reports per second")
    parser.add_argument("--duration", type=float, default=120.0, help="seconds")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    return parser.parse_args()


def environment(database_url):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        # E-mail is not what is measured; a real SMTP relay would be reached after commit.
        EMAIL_URL="dummymail://",
    )
    return env


def recreate_database(database_url):
    import psycopg2

    url = urlparse(database_url)
    name = url.path.lstrip("/")
    if not name.endswith("_bench"):
        sys.exit("refusing to drop a database whose name does not end in _bench")
    admin = psycopg2.connect(database_url.replace(url.path, "/postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def seed(count):
    """One school in app mode, 10 groups, `count` children each with their own guardian and
    API token. Returns (tokens with child ids, the day to report) ."""
    # Django is imported only now: its settings read the environment main() has just set.
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from groups.models import Child, Group, Guardianship, School

    call_command("migrate", verbosity=0, interactive=False)
    school = School.objects.create(
        name="Bench school", slug="bench", administration_phone="+31 20 555 0000"
    )
    groups = [
        Group.objects.create(school=school, name=f"Groep {n}", school_year=2026, grade=n)
        for n in range(1, 11)
    ]
    password = make_password(secrets.token_urlsafe(16))
    users = User.objects.bulk_create(
        User(email=f"parent{n}@bench.invalid", full_name=f"Parent {n}", password=password)
        for n in range(count)
    )
    children = Child.objects.bulk_create(
        Child(school=school, group=groups[n % 10], first_name=f"Child{n}", last_name="Bench")
        for n in range(count)
    )
    Guardianship.objects.bulk_create(
        Guardianship(guardian=user, child=child)
        for user, child in zip(users, children, strict=True)
    )
    tokens = Token.objects.bulk_create(
        Token(key=secrets.token_hex(20), user=user) for user in users
    )
    tomorrow = datetime.datetime.now(school.tz).date() + datetime.timedelta(days=1)
    connections.close_all()
    plan = [(token.key, child.pk) for token, child in zip(tokens, children, strict=True)]
    return plan, tomorrow


def start_gunicorn(env, port, workers):
    server = subprocess.Popen(  # noqa: S603 -- fixed arguments, our own interpreter
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/api/v1/me/", headers={"X-Forwarded-Proto": "https"})
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    sys.exit("gunicorn did not start")


def post_report(port, token, child_id, day):
    body = json.dumps({"children": [child_id], "kind": "sick", "start": day.isoformat()})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    started = time.perf_counter()
    try:
        connection.request(
            "POST",
            "/api/v1/absences/",
            body=body,
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                # As nginx would after terminating TLS (production settings redirect to https).
                "X-Forwarded-Proto": "https",
            },
        )
        response = connection.getresponse()
        response.read()
        ok = response.status == 201
        detail = None if ok else response.status
    except OSError as error:
        ok, detail = False, type(error).__name__
    finally:
        connection.close()
    return time.perf_counter() - started, ok, detail


def run_load(port, plan, day, rate):
    """Open loop: request i leaves at i / rate seconds, however slow the earlier ones are."""
    results = []
    lock = threading.Lock()
    started = time.perf_counter()

    def fire(index, token, child_id):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        outcome = post_report(port, token, child_id, day)
        with lock:
            results.append(outcome)

    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        for index, (token, child_id) in enumerate(plan):
            pool.submit(fire, index, token, child_id)
    return results, time.perf_counter() - started


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    args = parse_args()
    count = int(args.rate * args.duration)
    env = environment(args.database_url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    recreate_database(args.database_url)
    plan, day = seed(count)
    server = start_gunicorn(env, args.port, args.workers)
    try:
        results, elapsed = run_load(args.port, plan, day, args.rate)
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies = [seconds * 1000 for seconds, _ok, _detail in results]
    errors = [detail for _seconds, ok, detail in results if not ok]
    p95 = percentile(latencies, 0.95)
    print(f"reports sent:   {len(results)} in {elapsed:.1f} s ({len(results) / elapsed:.1f}/s)")
    print(f"errors:         {len(errors)} {sorted(set(map(str, errors)))}")
    print(
        f"latency ms:     p50 {percentile(latencies, 0.50):.1f}  p95 {p95:.1f}  "
        f"p99 {percentile(latencies, 0.99):.1f}  max {max(latencies):.1f}  "
        f"mean {statistics.fmean(latencies):.1f}"
    )
    met = p95 <= 200 and not errors
    print(f"target p95 <= 200 ms, 0 errors: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
