"""The tick: what is due in each school's own time zone, once per period, across DST weekends
and ISO year ends, however often it fires."""

import datetime

import pytest
import time_machine

from mailings.models import MailRun
from messaging.digest import periods, services, tasks

from .conftest import FRIDAY_DIGEST, at

pytestmark = pytest.mark.django_db


def tick_every_five_minutes(start, end):
    moment = start
    while moment <= end:
        with time_machine.travel(moment, tick=False):
            tasks.tick.delay()
        moment += datetime.timedelta(minutes=5)


def digest_runs(school):
    return list(MailRun.objects.filter(kind=services.DIGEST, school=school))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 11, 20), "2026-W47"),
        # Friday 1 January 2027 is in the last ISO week of 2026.
        (datetime.date(2027, 1, 1), "2026-W53"),
        # Monday 31 December 2029 is in the first ISO week of 2030.
        (datetime.date(2029, 12, 31), "2030-W01"),
        (datetime.date(2026, 1, 2), "2026-W01"),
    ],
)
def test_iso_week_uses_the_iso_year(day, expected):
    assert periods.iso_week(day) == expected


def test_the_tick_opens_the_digest_on_the_schools_day_and_time_only(personas):
    with time_machine.travel(at(2026, 11, 20, 15, 55), tick=False):
        assert services.schedule_tick()[services.DIGEST] == []
    with time_machine.travel(FRIDAY_DIGEST, tick=False):
        assert services.schedule_tick()[services.DIGEST] == [
            personas.school.pk,
            personas.other_school.pk,
        ]
    run = MailRun.objects.get(school=personas.school, kind=services.DIGEST)
    assert run.period_key == f"{personas.school.pk}:2026-W47"
    assert run.payload == {
        "week": "2026-W47",
        "since": at(2026, 11, 13, 16).isoformat(),
        "until": at(2026, 11, 20, 16).isoformat(),
    }
    # Every guardian who receives communication; not the one under a custody ruling.
    recipients = set(run.deliveries.values_list("recipient__email", flat=True))
    assert recipients == {
        personas.parent_a.email,
        personas.separated_parent_a.email,
        personas.parent_b.email,
        personas.multi_school_parent.email,
    }


def test_a_double_tick_and_a_manual_rerun_make_one_run(personas):
    with time_machine.travel(FRIDAY_DIGEST, tick=False):
        services.schedule_tick()
        tasks.tick.delay()
        assert services.schedule_tick()[services.DIGEST] == []
        services.digest_run_start(school=personas.school, moment=FRIDAY_DIGEST)
    assert len(digest_runs(personas.school)) == 1
    assert digest_runs(personas.school)[0].deliveries.count() == 4


def test_a_whole_week_of_ticks_opens_one_digest_per_school(personas):
    tick_every_five_minutes(at(2026, 11, 20, 0), at(2026, 11, 22, 23, 55))
    assert [run.period_key for run in digest_runs(personas.school)] == [
        f"{personas.school.pk}:2026-W47"
    ]


def test_the_school_week_is_the_local_one_not_utc(personas):
    # 16:00 on Friday in Auckland is 03:00 UTC on Friday; the local week decides the key.
    school = personas.other_school
    school.time_zone = "Pacific/Auckland"
    school.save()
    with time_machine.travel(datetime.datetime(2027, 1, 1, 3, 5, tzinfo=datetime.UTC), tick=False):
        services.schedule_tick()
    assert [run.period_key for run in digest_runs(school)] == [f"{school.pk}:2026-W53"]
    assert digest_runs(personas.school) == []


def test_year_end_friday_belongs_to_the_last_iso_week(personas):
    tick_every_five_minutes(at(2026, 12, 31, 23), at(2027, 1, 1, 23))
    assert [run.period_key for run in digest_runs(personas.school)] == [
        f"{personas.school.pk}:2026-W53"
    ]


@pytest.mark.parametrize(
    "sunday",
    [datetime.date(2026, 10, 25), datetime.date(2027, 3, 28)],
    ids=["october-02:30-happens-twice", "march-02:30-does-not-exist"],
)
def test_dst_sundays_open_one_run(personas, sunday):
    school = personas.school
    school.digest_weekday = 7
    school.digest_time = datetime.time(2, 30)
    school.save()
    start = datetime.datetime.combine(sunday, datetime.time(0, 0), tzinfo=datetime.UTC)
    tick_every_five_minutes(
        start - datetime.timedelta(hours=2), start + datetime.timedelta(hours=6)
    )
    runs = digest_runs(school)
    assert len(runs) == 1
    assert runs[0].period_key == f"{school.pk}:{periods.iso_week(sunday)}"


def test_the_digest_window_keeps_wall_clock_time_across_dst(personas):
    # The week before Friday 30 October 2026 contains the October change: 16:00 to 16:00
    # local time is seven days and one hour.
    with time_machine.travel(at(2026, 10, 30, 16, 5), tick=False):
        services.schedule_tick()
    run = MailRun.objects.get(school=personas.school, kind=services.DIGEST)
    since = datetime.datetime.fromisoformat(run.payload["since"])
    until = datetime.datetime.fromisoformat(run.payload["until"])
    assert since == at(2026, 10, 23, 16)
    assert until - since == datetime.timedelta(days=7, hours=1)


def test_the_beat_schedule_has_the_tick_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["digest-tick"]
    assert entry == {"task": "digest.tick", "schedule": 5 * 60}
