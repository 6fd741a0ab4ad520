import datetime
import zoneinfo

import pytest

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour, minute=0, *, fold=0):
    """An aware moment in the school's time zone."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMS, fold=fold)


# Friday 20 November 2026, 16:05: five minutes after the default digest time.
FRIDAY_DIGEST = at(2026, 11, 20, 16, 5)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run a call and the side effects it schedules after commit (the eager mail task)."""

    def _run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return _run
