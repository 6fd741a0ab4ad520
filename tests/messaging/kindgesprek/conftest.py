import datetime
import zoneinfo

import pytest
import time_machine

from messaging.kindgesprek import services

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour, minute=0):
    """An aware moment in the school's time zone."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMS)


# These tests were written for the week of 23 November 2026 and travel within it; each
# module lives in that week (pytestmark) so its people and groups are made in that
# school year.
THAT_MONDAY = at(2026, 11, 23, 9)
# Monday 23 November 2026, 10:00: within every default working hour.
MONDAY_MORNING = at(2026, 11, 23, 10)
# Monday 23 November 2026, 20:00: after hours; staff next read on Tuesday 08:00.
MONDAY_EVENING = at(2026, 11, 23, 20)


@pytest.fixture
def frozen():
    """Freeze the clock at a moment: `with frozen(moment): ...`."""

    def _travel(moment):
        return time_machine.travel(moment, tick=False)

    return _travel


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a message as a person, running the after-commit side effects."""

    def _send(actor, child, body="Hallo!", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.message_send(actor=actor, child=child, body=body, **kwargs)

    return _send
