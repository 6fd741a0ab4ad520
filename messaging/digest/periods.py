"""Moments and period keys in a school's own time zone.

Every rule is wall-clock time at the school ("Friday 16:00"), so moments are built from a
local date and time with zoneinfo, never by adding hours to a UTC moment: a week that
contains a DST change is still Friday 16:00 to Friday 16:00.
"""

import datetime


def local_moment(day: datetime.date, time: datetime.time, tz) -> datetime.datetime:
    """The aware moment of a wall-clock time on a day. A time that does not exist (the hour
    skipped in March) means the same instant as one hour earlier plus an hour, as zoneinfo
    does; a time that happens twice (October) is its first occurrence."""
    return datetime.datetime.combine(day, time, tzinfo=tz)


def iso_week(day: datetime.date) -> str:
    """ISO week of a local date, e.g. 2026-W53: the ISO year, not the calendar year, so
    Friday 1 January 2027 belongs to 2026-W53."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_key(school, day: datetime.date) -> str:
    return f"{school.pk}:{iso_week(day)}"


def month_key(school, month: datetime.date) -> str:
    return f"{school.pk}:{month:%Y-%m}"


def day_in_week(day: datetime.date, weekday: int) -> datetime.date:
    """The date of an ISO weekday (1 = Monday) in the ISO week of `day`."""
    return day + datetime.timedelta(days=weekday - day.isoweekday())


def weekly_moment(school, now, weekday: int, time: datetime.time):
    """This week's moment of a weekly rule, if today is its day and it has passed; else None."""
    local = now.astimezone(school.tz)
    if local.isoweekday() != weekday:
        return None
    moment = local_moment(local.date(), time, school.tz)
    return moment if moment <= now else None


def digest_window(school, moment: datetime.datetime):
    """From last week's digest moment to this one, in wall-clock time: no post falls between
    two digests, none is in two."""
    local = moment.astimezone(school.tz)
    since = local_moment(local.date() - datetime.timedelta(days=7), local.time(), school.tz)
    return since, moment


def week_start(school, now) -> datetime.datetime:
    """Monday 00:00 of the current ISO week at the school."""
    local = now.astimezone(school.tz)
    monday = local.date() - datetime.timedelta(days=local.isoweekday() - 1)
    return local_moment(monday, datetime.time(0, 0), school.tz)


def newsletter_moment(school, month: datetime.date) -> datetime.datetime:
    """When a month's newsletter goes out: the newsletter day at the start of staff hours."""
    day = month.replace(day=school.newsletter_day)
    return local_moment(day, school.staff_hours_start, school.tz)
