"""The living demo: a few weeks of content per demo school, made through the services, at
any moment of the week or year, and only once."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from absences.models import AbsenceReport
from absences.selectors import school_days
from accounts.models import User
from groups import demo
from groups.demo import DEMO_LOGINS
from groups.models import School
from mailings.models import MailDelivery, MailRun
from media_sharing import selectors as media_selectors
from media_sharing.models import MediaItem
from meetings.models import AgendaItem, Booking, HelpRequest, HelpSignup, Round
from messaging.digest.models import Newsletter
from messaging.kindgesprek.models import Message
from messaging.models import Comment, Post, PostAttachment, PostMedia, PostRead
from privacy import selectors as privacy_selectors

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

CONTENT_APPS = (
    "accounts",
    "groups",
    "mailings",
    "privacy",
    "media_sharing",
    "messaging",
    "absences",
    "meetings",
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _snapshot(media_root):
    """Every row of every model the demo touches, and every file: "nothing changed" means
    this is equal."""
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for app in CONTENT_APPS
        for model in apps.get_app_config(app).get_models()
    }
    files = sorted(str(p.relative_to(media_root)) for p in Path(media_root).rglob("*"))
    return rows, files


def _seed(moment):
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo")


def _assert_lively(now):
    """What a newcomer should find in each demo school at `now`."""
    with time_machine.travel(now, tick=False):
        _assert_lively_now(now)


def _assert_lively_now(now):
    for school in School.objects.filter(slug__in=["lindeboom", "zeester"]):
        today = timezone.localtime(now, school.tz).date()
        posts = Post.objects.filter(school=school)
        assert posts.count() >= 20
        assert not posts.filter(publish_at__gt=now).exists(), "history lies in the past"
        assert PostMedia.objects.filter(post__school=school).count() >= 8
        assert PostAttachment.objects.filter(post__school=school).exists()
        assert posts.filter(is_school_wide=True).exists()
        assert Comment.objects.filter(post__school=school).count() >= 5
        assert PostRead.objects.filter(post__school=school).count() > 100
        assert not PostRead.objects.filter(post__school=school, read_at__gt=now).exists()
        media = MediaItem.objects.filter(school=school)
        assert media.exists()
        assert not media.exclude(state=MediaItem.State.READY).exists(), "variants are made"
        assert not media.filter(published_at__gt=now).exists()

        messages = Message.objects.filter(thread__child__school=school)
        assert messages.filter(author_side="staff").count() >= 20
        assert messages.filter(author_side="parent").exists()
        assert not messages.filter(sent_at__gt=now).exists()

        days = school_days(today, school.staff_workdays)
        week = AbsenceReport.objects.filter(
            child__school=school, start__lte=days[-1], end__gte=days[0]
        )
        assert week.filter(kind="sick").exists()
        assert week.filter(kind__in=["appointment", "other"], is_late=False).exists()
        assert week.filter(is_late=True).exists()

        open_round = Round.objects.get(school=school)
        assert open_round.opens_at <= now < open_round.closes_at
        assert open_round.slots.filter(starts_at__gt=now).count() == open_round.slots.count()
        assert Booking.objects.filter(round=open_round).count() >= 5
        help_request = HelpRequest.objects.get(school=school)
        assert help_request.closes_at > now
        assert HelpSignup.objects.filter(role__request=help_request).exists()
        assert AgendaItem.objects.filter(school=school, date__gt=today).count() >= 4

        newsletter = Newsletter.objects.get(school=school)
        assert newsletter.state == Newsletter.State.SENT
        assert newsletter.published_at <= now
        assert newsletter.post.publish_at <= now
        for kind in ("newsletter", "digest"):
            run = MailRun.objects.get(school=school, kind=kind)
            assert run.finished_at is not None
            assert run.finished_at <= now
            deliveries = MailDelivery.objects.filter(run=run)
            assert deliveries.filter(state="sent").count() > 50
            assert not deliveries.filter(state__in=["pending", "claimed", "sending"]).exists()

        children = list(school.children.all())
        blocked = privacy_selectors.no_photo_children(children)
        assert 0 < len(blocked) < len(children) * 0.2, "most children may be in photos"
        group_purpose = school.consent_purposes.get(code="group")
        states = privacy_selectors.consent_states(children, [group_purpose])
        assert set(states.values()) == {"granted", "refused", "not_asked"}
        assert list(states.values()).count("granted") > 0.8 * len(children)


def test_demo_lives_at_any_moment_and_a_second_run_changes_nothing(
    db, media_root, capsys, mailoutbox
):
    """At the suite's moment, and in the clock sweep at each of its moments (a Monday before
    school, a Friday evening at the end of July, the night the school year rolls over, the
    night summer time ends): the demo is relative to today and makes sense then."""
    # The people first, as an older seed_demo made them: the next run adds the content.
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2), tick=False):
        demo.seed_demo()
    assert not Post.objects.exists()
    # On the suite's own clock (not a travel of this test's), so the sweep moves it.
    call_command("seed_demo")
    now = timezone.now()
    _assert_lively(now)
    # Mail went to memory, never to the console or a server.
    assert len(mailoutbox) > 100

    before = _snapshot(media_root)
    assert len(before[1]) > 40
    _seed(now + datetime.timedelta(days=1, hours=3))
    assert _snapshot(media_root) == before
    output = capsys.readouterr().out
    assert "nothing changed" in output
    for login in DEMO_LOGINS:
        assert login.email in output

    with time_machine.travel(now, tick=False):
        _assert_the_gate_hides_a_photo_of_a_child_whose_family_withdrew()


def _assert_the_gate_hides_a_photo_of_a_child_whose_family_withdrew():
    sanne = User.objects.get(email="sanne@ouders.example")
    anna = User.objects.get(email="juf.anna@lindeboom.example")
    groep5 = anna.staff_memberships.get().groups.get()
    hidden = [
        item
        for item in MediaItem.objects.filter(group=groep5)
        if item.tags.exists()
        and not privacy_selectors.children_allowed([t.child for t in item.tags.all()], "group")
        >= {t.child_id for t in item.tags.all()}
    ]
    assert len(hidden) == 1
    parent_sees = media_selectors.visible_media(sanne)
    assert parent_sees.filter(group=groep5).exists()
    assert not parent_sees.filter(pk=hidden[0].pk).exists()
    staff_sees = media_selectors.visible_media(anna).get(pk=hidden[0].pk)
    assert staff_sees.consent_hidden
    # The personas' own children are in shared photos their parents can open.
    daan = sanne.children.get(first_name="Daan")
    assert parent_sees.filter(tags__child=daan).exists()
