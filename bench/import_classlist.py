"""Time a class-list import of 250 children with 400 guardians.

    DATABASE_URL=postgres://... .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://... .venv/bin/python bench/import_classlist.py

Works on a throw-away school it creates and deletes again. E-mail goes to memory (test
settings), so "delivery" is the cost of rendering 400 e-mails, not of an SMTP server.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402 -- after django.setup()
from django.core import mail  # noqa: E402 -- after django.setup()
from django.db import connection, transaction  # noqa: E402 -- after django.setup()
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402 -- idem
from django.utils import timezone  # noqa: E402 -- after django.setup()

from groups.models import Child, Group, School, StaffMembership, school_year_for  # noqa: E402 -- idem
from invitations import services  # noqa: E402 -- after django.setup()
from invitations.classlist import plan_class_list  # noqa: E402 -- after django.setup()

CHILDREN, GUARDIANS = 250, 400
BASE_URL = "https://schoolbrug.example/"


def class_list() -> bytes:
    lines = ["voornaam,achternaam,groep,e-mail ouder 1,e-mail ouder 2"]
    second_guardians = GUARDIANS - CHILDREN
    for number in range(CHILDREN):
        second = f"ouder2.{number}@bench.example" if number < second_guardians else ""
        group = f"Bench {number % 8 + 1}"
        lines.append(
            f"Kind{number},Achternaam{number},{group},ouder1.{number}@bench.example,{second}"
        )
    return ("\n".join(lines) + "\n").encode()


def timed(label, function):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - start
    print(f"{label:<38} {seconds * 1000:8.0f} ms {len(queries):6d} queries")
    return result


def main():
    setup_test_environment()  # e-mail to memory
    User = get_user_model()
    school = School.objects.create(
        name="Bench school", slug="bench-classlist", administration_phone="0"
    )
    admin = User.objects.create_user(
        "bench.admin@bench.example", "bench-password-long", full_name="Bench"
    )
    StaffMembership.objects.create(user=admin, school=school, role="administration")
    year = school_year_for(timezone.localdate())
    for grade in range(1, 9):
        Group.objects.create(school=school, name=f"Bench {grade}", school_year=year, grade=grade)
    content = class_list()
    size = len(content) / 1024
    print(f"{CHILDREN} children, {GUARDIANS} guardians, {size:.0f} kB, {connection.vendor}")
    try:
        timed("preview (plan, no writes)", lambda: plan_class_list(school=school, content=content))
        # The outer block holds back the after-commit deliveries, to time them apart.
        start = time.perf_counter()
        with transaction.atomic():
            timed(
                "import (one transaction)",
                lambda: services.classlist_import(
                    actor=admin, school=school, content=content, base_url=BASE_URL
                ),
            )
        elapsed = (time.perf_counter() - start) * 1000
        label = "... + rendering and sending 400 e-mails"
        print(f"{label:<38} {elapsed:8.0f} ms (inline here; a Celery worker in production)")
        assert Child.objects.filter(school=school).count() == CHILDREN
        assert len(mail.outbox) == GUARDIANS, len(mail.outbox)
        timed(
            "re-import (changes nothing)",
            lambda: services.classlist_import(
                actor=admin, school=school, content=content, base_url=BASE_URL
            ),
        )
        assert len(mail.outbox) == GUARDIANS
    finally:
        Child.objects.filter(school=school).delete()
        school.delete()
        admin.delete()


if __name__ == "__main__":
    main()
