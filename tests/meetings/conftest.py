import datetime
import zoneinfo

import pytest
import time_machine

from groups.models import StaffMembership
from meetings.services.rounds import SlotPlan, round_create
from tests.factories import ChildFactory, GuardianshipFactory, StaffMembershipFactory, UserFactory

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
# Sign-up opens on a Monday evening; the meetings are two days after the switch to summer time.
EARLY = datetime.datetime(2027, 3, 1, 18, 0, tzinfo=AMS)
OPENS = datetime.datetime(2027, 3, 1, 19, 0, tzinfo=AMS)
CLOSES = datetime.datetime(2027, 3, 20, 12, 0, tzinfo=AMS)
MEETING_DAY = datetime.date(2027, 3, 30)
BEFORE_EARLY = EARLY - datetime.timedelta(minutes=1)
DURING_HEAD_START = EARLY + datetime.timedelta(minutes=30)
AFTER_OPENING = OPENS + datetime.timedelta(minutes=1)
AFTER_CLOSING = CLOSES + datetime.timedelta(minutes=1)


class World:
    """Personas plus a second teacher for group B and a family with children in both groups."""

    def __init__(self, personas):
        self.p = personas
        self.teacher_b = UserFactory(email="teacher.b@alpha.example", full_name="Bram Teacher")
        StaffMembershipFactory(
            user=self.teacher_b,
            school=personas.school,
            role=StaffMembership.Role.TEACHER,
            groups=[personas.group_b],
        )
        self.two_group_parent = UserFactory(email="fenna@example.org", full_name="Fenna Family")
        self.kid_in_a = ChildFactory(group=personas.group_a, first_name="Finn")
        self.kid_in_b = ChildFactory(group=personas.group_b, first_name="Fleur")
        GuardianshipFactory(guardian=self.two_group_parent, child=self.kid_in_a)
        GuardianshipFactory(guardian=self.two_group_parent, child=self.kid_in_b)

    def make_round(self, actor=None, **overrides):
        p = self.p
        kwargs = {
            "actor": actor or p.direction,
            "school": p.school,
            "title": "Rapportgesprekken",
            "purpose": "Het eerste rapport",
            "duration_minutes": 10,
            "groups": [p.group_a, p.group_b],
            "opens_at": OPENS,
            "early_opens_at": EARLY,
            "closes_at": CLOSES,
            "plans": [
                SlotPlan(
                    group=p.group_a,
                    staff=p.teacher_a,
                    room="Lokaal 5",
                    day=MEETING_DAY,
                    start=datetime.time(15, 0),
                    end=datetime.time(16, 0),
                ),
                SlotPlan(
                    group=p.group_b,
                    staff=self.teacher_b,
                    room="Lokaal 6",
                    day=MEETING_DAY,
                    start=datetime.time(15, 0),
                    end=datetime.time(16, 0),
                ),
            ],
        }
        kwargs.update(overrides)
        return round_create(**kwargs)


@pytest.fixture
def world(personas):
    return World(personas)


@pytest.fixture
def meeting_round(world):
    return world.make_round()


@pytest.fixture
def after_opening():
    with time_machine.travel(AFTER_OPENING, tick=False):
        yield
