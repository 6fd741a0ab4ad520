"""New posts mailed at once to parents who chose that, scheduled posts at their moment,
once per post whatever the number of ticks."""

import datetime

import pytest
import time_machine
from django.core import mail

from mailings.models import MailRun
from messaging import services as feed
from messaging.digest import services

from .conftest import at

pytestmark = pytest.mark.django_db

TUESDAY = at(2026, 11, 17, 10)


@pytest.fixture
def instant(personas):
    for person in (personas.parent_a, personas.blocked_parent_a, personas.parent_b):
        person.post_notifications = "instant"
        person.save()
    return personas


def publish(personas, moment, publish_at=None, **kwargs):
    kwargs.setdefault("group_ids", [personas.group_a.pk])
    with time_machine.travel(moment, tick=False):
        return feed.post_publish(
            actor=kwargs.pop("actor", personas.teacher_a),
            school=personas.school,
            title="Schoolreisje",
            body="We gaan naar het bos.",
            publish_at=publish_at,
            **kwargs,
        )


def tick(run_on_commit, moment):
    with time_machine.travel(moment, tick=False):
        return run_on_commit(services.schedule_tick)[services.POST]


def received():
    return sorted(message.to[0] for message in mail.outbox if "Schoolreisje" in message.subject)


def test_a_new_post_goes_at_once_to_parents_who_chose_that_only(instant, run_on_commit):
    post = publish(instant, TUESDAY)
    assert tick(run_on_commit, TUESDAY + datetime.timedelta(minutes=5)) == [post.pk]
    assert tick(run_on_commit, TUESDAY + datetime.timedelta(minutes=10)) == []
    with time_machine.travel(TUESDAY + datetime.timedelta(minutes=10), tick=False):
        assert services.posts_notify_due(now=TUESDAY + datetime.timedelta(minutes=10)) == []
    # Not the separated parent (digest only, the default), not the custody-flagged one,
    # not the parent of group B.
    assert received() == [instant.parent_a.email]
    [message] = [m for m in mail.outbox if "Schoolreisje" in m.subject]
    assert message.subject == "Alpha school: Schoolreisje"
    assert "We gaan naar het bos." in message.body
    assert f"/messages/{post.pk}/" in message.body
    assert "<img" not in message.alternatives[0][0]
    assert MailRun.objects.filter(kind=services.POST).count() == 1


def test_a_scheduled_post_is_mailed_when_it_appears(instant, run_on_commit):
    post = publish(instant, TUESDAY, publish_at=at(2026, 11, 17, 14))
    assert tick(run_on_commit, at(2026, 11, 17, 13, 55)) == []
    assert received() == []
    assert tick(run_on_commit, at(2026, 11, 17, 14, 5)) == [post.pk]
    assert received() == [instant.parent_a.email]


def test_school_wide_posts_reach_every_group(instant, run_on_commit):
    publish(instant, TUESDAY, actor=instant.direction, group_ids=[], school_wide=True)
    tick(run_on_commit, TUESDAY + datetime.timedelta(minutes=5))
    assert received() == sorted([instant.parent_a.email, instant.parent_b.email])


def test_old_and_hidden_posts_are_not_mailed(instant, run_on_commit):
    publish(instant, TUESDAY)
    hidden = publish(instant, at(2026, 11, 17, 13))
    hidden.hidden_at = at(2026, 11, 17, 13, 1)
    hidden.save()
    # The first tick after a long pause: the 10:00 post is too old to be "at once".
    assert tick(run_on_commit, at(2026, 11, 17, 13, 5)) == []
    assert received() == []
