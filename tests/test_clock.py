"""The suite's own clock (tests/clock.py): every test at a fixed moment, and the sweep's
record of who read it."""

import datetime
import email.utils
import subprocess
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests import clock
from tests.conftest import _unswept_id
from tests.factories import current_school_year


def test_every_test_starts_at_its_moment_not_the_machines(clock_now):
    started = timezone.now()
    assert clock_now.moment.utc <= started < clock_now.moment.utc + datetime.timedelta(minutes=1)
    assert timezone.localtime(started).tzinfo.key == "Europe/Amsterdam"


@pytest.mark.clock(datetime.datetime(2027, 2, 3, 4, 5, tzinfo=clock.SCHOOL_TZ))
def test_a_test_can_live_at_a_moment_of_its_own():
    assert timezone.localtime().replace(second=0, microsecond=0) == datetime.datetime(
        2027, 2, 3, 4, 5, tzinfo=clock.SCHOOL_TZ
    )


def test_the_sweep_sees_the_app_and_the_tests_read_the_clock_not_libraries():
    with clock.frozen_at(clock.DEFAULT) as frozen:
        email.utils.formatdate()  # the standard library asks time.time() itself
        current_school_year()  # a factory's school year fits any moment
        assert not frozen.spy.read
        timezone.now()
        assert frozen.spy.read


@pytest.mark.parametrize(
    ("swept", "recorded"),
    [
        ("[{m}]", ""),
        ("[2-{m}]", "[2]"),
        ("[{m}-2]", "[2]"),
        ("[a-b-{m}-c-d]", "[a-b-c-d]"),
    ],
)
def test_a_sweep_item_is_matched_to_the_id_the_recording_run_saw(swept, recorded):
    moment = clock.SWEEP[0]
    inner = swept.format(m=moment.name)[1:-1]
    item = SimpleNamespace(
        nodeid=f"tests/a.py::test_x[{inner}]",
        callspec=SimpleNamespace(id=inner, params={"clock_moment": moment}),
    )
    assert _unswept_id(item) == f"tests/a.py::test_x{recorded}"


@pytest.mark.clock(datetime.datetime(2031, 5, 6, 7, 8, tzinfo=clock.SCHOOL_TZ))
def test_a_subprocess_runs_on_the_tests_clock():
    # `python -m calendar` prints this year's calendar: the subprocess's year, not the
    # machine's.
    command = clock.subprocess_python(["calendar"])
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert output.split()[0] == "2031"
