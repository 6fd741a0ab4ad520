"""The demo's people: two schools after the two policies, their groups and families."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from groups import demo
from groups.demo import DEMO_LOGINS
from groups.models import Child, Group, Guardianship, School, StaffMembership

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def seeded(db):
    # People only (groups.demo): these tests are about who is there, not about content.
    with time_machine.travel(datetime(2026, 11, 18, 10, 30, tzinfo=AMSTERDAM), tick=False):
        assert demo.seed_demo()
    return True


def test_people_are_created_once(seeded):
    counts = [m.objects.count() for m in (School, Group, Child, User, Guardianship)]
    with time_machine.travel(datetime(2026, 11, 19, 9, 0, tzinfo=AMSTERDAM), tick=False):
        assert not demo.seed_demo()
    assert [m.objects.count() for m in (School, Group, Child, User, Guardianship)] == counts


def test_seed_demo_matches_the_policies(seeded):
    phone, app = School.objects.get(slug="lindeboom"), School.objects.get(slug="zeester")
    assert phone.absence_mode == "phone"
    assert app.absence_mode == "app"
    assert app.absence_cutoff.strftime("%H:%M") == "08:15"
    assert app.planned_absence_notice_days == 1
    assert not app.allow_portrait_photos
    # Something personal every week is the kindcentrum's aim, not the other school's.
    assert phone.personal_message_coach
    assert not app.personal_message_coach
    for school in (phone, app):
        assert school.groups.count() == 7
        assert set(school.groups.values_list("school_year", flat=True)) == {2026}
        for group in school.groups.all():
            assert 20 <= group.children.count() <= 28


def test_codes_of_conduct_are_the_schools_own_dutch_words(seeded):
    phone, app = School.objects.get(slug="lindeboom"), School.objects.get(slug="zeester")
    assert "positieve, opbouwende, realistische en zinvolle" in phone.code_of_conduct
    assert "screenshots" in phone.code_of_conduct
    assert "sociale media" in app.code_of_conduct
    assert "belt u de school" in app.code_of_conduct
    assert phone.code_of_conduct != app.code_of_conduct


def test_seed_demo_has_the_promised_families(seeded):
    # Every demo login exists and every child has a guardian.
    assert User.objects.filter(email__in=[d.email for d in DEMO_LOGINS]).count() == len(DEMO_LOGINS)
    assert not Child.objects.filter(guardianships__isnull=True).exists()
    lotte = User.objects.get(email="lotte@ouders.example")
    assert {c.school.slug for c in lotte.children.all()} == {"lindeboom", "zeester"}
    sanne, tom = (User.objects.get(email=e) for e in ("sanne@ouders.example", "tom@ouders.example"))
    assert len({c.group_id for c in sanne.children.all()}) == 2
    assert set(tom.children.all()) & set(sanne.children.all())
    groep5 = Group.objects.get(school__slug="lindeboom", name="Groep 5")
    workdays = sorted(m.workdays for m in groep5.staff_memberships.filter(role="teacher"))
    assert workdays == [[1, 2, 3], [4, 5]]
    assert Guardianship.objects.filter(receives_communication=False).exists()
    assert User.objects.filter(is_superuser=True).count() == 1
    for admin in StaffMembership.objects.filter(role="administration"):
        assert admin.user.is_staff
