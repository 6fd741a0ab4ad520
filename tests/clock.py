"""The suite's clock: every test runs at a fixed moment, never at the machine's.

By default "now" is a Tuesday morning in the school year, within staff hours and after every
absence cut-off. A test that needs another moment travels there itself (time_machine), which
nests inside this one; a test or module that lives at another moment throughout says so
with `@pytest.mark.clock(aware_datetime)`.

The clock sweep proves that no outcome depends on the default. A normal run records which
tests had the app read the clock (`--clock-record DIR`); the sweep (`--clock-sweep DIR`)
runs exactly those tests again at each of the SWEEP moments, each with another machine time
zone, in one session. What counts as a read: the code that asked this clock for the time,
past time-machine and django.utils.timezone's thin wrappers, is the app's or a test's own.
Django's and other libraries' bookkeeping (auto_now, session expiry, log records, cookie
dates) and the factories' school year give data that fits any moment; counting them would
sweep every test, at the price of the whole suite per moment. Reads inside a test's own
travel go to that travel's clock, not this one: the test chose that moment itself."""

import datetime
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

ROOT = Path(__file__).resolve().parent.parent
SCHOOL_TZ = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Moment:
    name: str
    local: datetime.datetime  # in the schools' time zone
    machine_tz: str | None = None  # the process's TZ during the test; None leaves Django's

    def moved_to(self, local: datetime.datetime) -> "Moment":
        """The same machine time zone at another moment (for a package's own moment)."""
        return Moment(f"{self.name}@{local.isoformat()}", local, self.machine_tz)

    @property
    def utc(self) -> datetime.datetime:
        # Travelling to a UTC instant (not a ZoneInfo one) keeps time-machine's hands off TZ.
        return self.local.astimezone(datetime.UTC)


def _at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SCHOOL_TZ)


# A school day after every absence cut-off (08:15, 08:30), within staff hours (08:00–16:30).
DEFAULT = Moment("tuesday-1000", _at(2026, 3, 10, 10, 0))

# Each moment puts several of the conditions time rules turn on together, with a machine
# time zone that disagrees with the school's about the date where it can.
SWEEP = [
    # A school morning before the absence cut-offs and before staff hours.
    Moment("monday-0755", _at(2026, 3, 9, 7, 55), "UTC"),
    # A teacher's evening, Friday after the digest (16:00), the last day of a month; in
    # Tokyo the machine is in August, the next school year, already.
    Moment("friday-jul31-2030", _at(2026, 7, 31, 20, 30), "Asia/Tokyo"),
    # A weekend night just after the school year rolled over (1 August); in Los Angeles
    # the machine is still in July.
    Moment("saturday-aug1-0030", _at(2026, 8, 1, 0, 30), "America/Los_Angeles"),
    # The Sunday night summer time ends in Europe/Amsterdam: 02:30 happens twice; this is
    # the second (CET).
    Moment(
        "sunday-dst-end-0230",
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC).astimezone(SCHOOL_TZ),
        "Pacific/Auckland",
    ),
]

MOMENTS = {moment.name: moment for moment in [DEFAULT, *SWEEP]}


def examples(normal: int) -> int:
    """Hypothesis examples for a property test: fewer in the sweep, whose question is the
    moment, not the search (the normal run searches as wide as ever)."""
    return max(2, normal // 4) if os.environ.get("SCHOOLBRUG_CLOCK_SWEEP") == "1" else normal


def default_moment() -> Moment:
    """The suite's moment; SCHOOLBRUG_TEST_CLOCK names another (one of MOMENTS) by hand."""
    return MOMENTS[os.environ.get("SCHOOLBRUG_TEST_CLOCK", DEFAULT.name)]


# --- Who reads the clock --------------------------------------------------------------------

_TIME_MACHINE = str(Path(time_machine.__file__).parent) + os.sep
_DJANGO_TIMEZONE = os.path.join("django", "utils", "timezone.py")
_OURS = str(ROOT) + os.sep
# A factory's school year makes data that fits whatever moment it is; counting it would
# sweep every test. A test's own "now" counts: it may carry the moment into a travel of
# its own, where the app's reads no longer reach this clock.
_NOT_OURS = (str(ROOT / ".venv") + os.sep, str(ROOT / "tests" / "factories.py"))


def _plumbing(filename: str) -> bool:
    return filename.startswith(_TIME_MACHINE) or filename.endswith(_DJANGO_TIMEZONE)


def _read_by_the_app(frame) -> bool:
    while frame is not None and _plumbing(frame.f_code.co_filename):
        frame = frame.f_back
    if frame is None:
        return False
    filename = frame.f_code.co_filename
    return filename.startswith(_OURS) and not filename.startswith(_NOT_OURS)


class Spy:
    """Wraps a traveller's clock so a test can tell whether the app asked it the time."""

    def __init__(self, traveller):
        self.read = False
        self._time_ns = traveller.time_ns
        # time-machine asks the innermost traveller for the time through this attribute.
        traveller.time_ns = self._spy

    def _spy(self):
        if not self.read and _read_by_the_app(sys._getframe(1)):
            self.read = True
        return self._time_ns()


@dataclass
class Frozen:
    moment: Moment
    spy: Spy


class frozen_at:
    """Travel to a moment (ticking on from there) with the machine's TZ set as it says."""

    def __init__(self, moment: Moment):
        self.moment = moment
        self._travel = time_machine.travel(moment.utc, tick=True)

    def __enter__(self) -> Frozen:
        self._saved_tz = os.environ.get("TZ")
        if self.moment.machine_tz:
            os.environ["TZ"] = self.moment.machine_tz
            time.tzset()
        traveller = self._travel.start()
        return Frozen(self.moment, Spy(traveller))

    def __exit__(self, *exc):
        self._travel.stop()
        if self.moment.machine_tz:
            if self._saved_tz is None:
                os.environ.pop("TZ", None)
            else:
                os.environ["TZ"] = self._saved_tz
            time.tzset()


def subprocess_python(argv: list[str]) -> list[str]:
    """A command that runs `python -m <argv>` at the test's current moment, ticking on, so a
    worker in a subprocess shares the test's clock (the machine's clock is never asked)."""
    now = datetime.datetime.now(datetime.UTC).isoformat()
    start = (
        "import runpy, sys, time_machine;"
        f"time_machine.travel({now!r}, tick=True).start();"
        f"sys.argv = {argv!r};"
        f"runpy.run_module({argv[0]!r}, run_name='__main__', alter_sys=True)"
    )
    return [sys.executable, "-c", start]
