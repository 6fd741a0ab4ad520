import datetime
import zoneinfo

import pytest
import time_machine

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
NORMAL_MONDAY = datetime.date(2026, 11, 23)
# The Mondays right after the clocks change (last Sunday of March / October 2026).
SUMMER_TIME_MONDAY = datetime.date(2026, 3, 30)
WINTER_TIME_MONDAY = datetime.date(2026, 10, 26)
MONDAYS = [NORMAL_MONDAY, SUMMER_TIME_MONDAY, WINTER_TIME_MONDAY]


def at(day, hour, minute=0, second=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), AMSTERDAM)


@pytest.fixture
def clock():
    """Freeze the whole process (also a live server thread) at a school-local time."""
    travellers = []

    def _freeze(day, hour, minute=0, second=0):
        traveller = time_machine.travel(at(day, hour, minute, second), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield _freeze
    for traveller in reversed(travellers):
        traveller.stop()
