"""The navigation's unread badge is cached (it is on every page), but never behind a write."""

import datetime
import re

import pytest
from django.urls import reverse

from messaging.kindgesprek import selectors, services

from .conftest import MONDAY_EVENING, THAT_MONDAY

pytestmark = pytest.mark.clock(THAT_MONDAY)

pytestmark = pytest.mark.django_db


def _badge(client) -> int:
    html = client.get(reverse("messaging:feed")).content.decode()
    found = re.search(r'class="kg-badge">(\d+) ongelezen', html)
    return int(found.group(1)) if found else 0


def test_a_new_message_and_reading_it_show_at_once(personas, login, send):
    client = login(personas.parent_a)
    assert _badge(client) == 0  # counted, and now cached
    message = send(personas.teacher_a, personas.child_a, "Daan deed goed mee!")
    assert _badge(client) == 1
    services.thread_mark_read(actor=personas.parent_a, thread=message.thread)
    assert _badge(client) == 0
    # The other parent has not read it: one person's reading is not everyone's.
    assert _badge(login(personas.separated_parent_a)) == 1


def test_a_scheduled_message_shows_within_the_cache_time(personas, login, send, frozen):
    with frozen(MONDAY_EVENING):
        later = selectors.send_later_moment(personas.teacher_a, personas.child_a)
        send(personas.teacher_a, personas.child_a, "Morgen meer", send_at=later)
    client = login(personas.parent_a)
    with frozen(later - datetime.timedelta(seconds=1)):
        assert _badge(client) == 0
    cache_time = datetime.timedelta(seconds=selectors.UNREAD_CACHE_SECONDS)
    with frozen(later + cache_time):
        assert _badge(client) == 1
