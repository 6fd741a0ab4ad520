"""A small iCalendar (RFC 5545) writer: events in UTC, escaped text, folded lines."""

import datetime
from dataclasses import dataclass

from django.http import HttpResponse


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: object  # an aware datetime, or a date for a whole-day item
    end: object
    location: str = ""
    description: str = ""


def _escape(text):
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _stamp(value, name):
    if isinstance(value, datetime.datetime):
        return f"{name}:{value.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def calendar(events, name="Schoolbrug", now=None):
    now = now or datetime.datetime.now(datetime.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Schoolbrug//Meetings//NL",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            _stamp(now, "DTSTAMP"),
            _stamp(event.start, "DTSTART"),
            _stamp(event.end, "DTEND"),
            f"SUMMARY:{_escape(event.summary)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{_escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def response(events, filename, name="Schoolbrug"):
    reply = HttpResponse(calendar(events, name=name), content_type="text/calendar; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    reply["Cache-Control"] = "private, no-store"
    return reply


def booking_event(booking):
    slot = booking.slot
    return Event(
        uid=f"booking-{booking.pk}@schoolbrug",
        summary=f"{booking.round.title}: {booking.child.first_name}",
        start=slot.starts_at,
        end=slot.ends_at,
        location=slot.room,
        description=slot.staff.full_name,
    )


def agenda_event(item):
    last = item.end_date or item.date
    return Event(
        uid=f"agenda-{item.pk}@schoolbrug",
        summary=item.title,
        start=item.date,
        end=last + datetime.timedelta(days=1),
        description=item.description,
    )
