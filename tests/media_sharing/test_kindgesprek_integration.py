"""Photos in a kindgesprek: a parent's weekend photo, a teacher's portrait of that child for
that child's own parents. Shared through media_sharing, seen only in that conversation."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from media_sharing.models import MediaItem
from messaging.models import Message, MessageMedia, Thread

from .conftest import jpeg_bytes, stored_files, upload

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def next_school_day_at(hour):
    """A weekday after today (whatever today the test runs on), at an hour in Amsterdam."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.isoweekday() > 5:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMS)


def send(client, child, body="Ons weekend!", photos=()):
    return client.post(
        reverse("kindgesprek:child", args=[child.pk]), {"body": body, "photos": list(photos)}
    )


def thread_html(client, child):
    thread = Thread.objects.get(child=child)
    return client.get(reverse("kindgesprek:thread", args=[thread.pk])).content.decode()


def test_a_parents_weekend_photo_reaches_the_other_guardian_and_staff(personas, login, committed):
    p = personas
    response = committed(
        send, client=login(p.parent_a), child=p.child_a, photos=[upload("w.jpg", jpeg_bytes())]
    )
    assert response.status_code == 302
    [link] = MessageMedia.objects.all()
    item = link.item
    assert item.child == p.child_a
    assert item.published_at == link.message.sent_at
    assert item.state == MediaItem.State.READY
    display = reverse("media_sharing:file", args=[item.pk, "display"])
    for person in (p.separated_parent_a, p.teacher_a, p.assistant_a):
        client = login(person)
        assert display in thread_html(client, p.child_a), person
        assert client.get(display).status_code == 200
    for person in (p.parent_b, p.multi_school_parent, p.outsider, p.admin):
        assert login(person).get(display).status_code == 404, person


def test_a_teachers_portrait_of_the_child_for_its_own_parents(personas, login, committed):
    # A portrait is fine here even where the school forbids portraits in the group feed.
    p = personas
    p.school.allow_portrait_photos = False
    p.school.save()
    committed(
        send,
        client=login(p.teacher_a),
        child=p.child_a,
        body="Kijk eens wat Daan vandaag bouwde.",
        photos=[upload("daan.jpg", jpeg_bytes())],
    )
    item = MediaItem.objects.get()
    thumbnail = reverse("media_sharing:file", args=[item.pk, "thumbnail"])
    assert login(p.parent_a).get(thumbnail).status_code == 200
    assert login(p.multi_school_parent).get(thumbnail).status_code == 404


def test_a_refused_photo_keeps_the_whole_message_back(personas, login, media_root, committed):
    p = personas
    response = committed(
        send,
        client=login(p.parent_a),
        child=p.child_a,
        photos=[upload("ok.jpg", jpeg_bytes()), upload("fake.jpg", b"%PDF-1.4 not a photo")],
    )
    assert response.status_code == 200
    assert "fake.jpg: dit is geen leesbare foto" in response.content.decode()
    assert not Message.objects.exists()
    assert not MediaItem.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize("photos", [1, 6])
def test_the_thread_with_photos_keeps_a_fixed_query_count(
    personas, login, committed, django_assert_num_queries, photos
):
    p = personas
    client = login(p.parent_a)
    for number in range(photos):
        committed(
            send,
            client=client,
            child=p.child_a,
            body=f"Foto {number}",
            photos=[upload("a.jpg", jpeg_bytes())],
        )
    thread = Thread.objects.get(child=p.child_a)
    url = reverse("kindgesprek:thread", args=[thread.pk])
    # The same count for one photo and for six: media_sharing's check is a fixed number of
    # queries (the has-photos flag is an Exists inside the messages query). The same count
    # in and out of staff hours too: the parent's "read later" notice asks every staff
    # member's hours at once, not one by one until somebody is reading.
    # After the messages were sent, on a school day: in staff hours, and in the evening.
    for moment, staff_reading in ((next_school_day_at(11), True), (next_school_day_at(20), False)):
        with time_machine.travel(moment, tick=False):
            client.get(url)  # also warms the navigation's kindgesprek badge (30 s)
            with django_assert_num_queries(15):
                response = client.get(url)
        assert response.content.decode().count('class="media-thumb"') == photos
        assert response.context["notice"].show is not staff_reading
