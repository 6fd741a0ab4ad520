"""Cadence reminders: on the group-message day, staff of a group without a group post this
week get a reminder in the app and by mail, once."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from groups.models import StaffMembership
from mailings.models import MailDelivery, MailRun
from messaging import services as feed
from messaging.digest import mail as digest_mail
from messaging.digest import services
from messaging.digest.models import CadenceReminder
from tests.factories import StaffMembershipFactory, UserFactory

from .conftest import at

pytestmark = pytest.mark.django_db
State = MailDelivery.State

TUESDAY = at(2026, 11, 17, 10)
FRIDAY_REMINDER = at(2026, 11, 20, 9, 5)


@pytest.fixture
def teacher_b(personas):
    teacher = UserFactory(full_name="Bas Teacher")
    StaffMembershipFactory(
        user=teacher,
        school=personas.school,
        role=StaffMembership.Role.TEACHER,
        groups=[personas.group_b],
    )
    return teacher


def post(actor, school, moment, **kwargs):
    with time_machine.travel(moment, tick=False):
        return feed.post_publish(actor=actor, school=school, title="Deze week", body="x", **kwargs)


def tick(run_on_commit, moment=FRIDAY_REMINDER):
    mail.outbox.clear()
    with time_machine.travel(moment, tick=False):
        return run_on_commit(services.schedule_tick)


def reminded(school):
    return set(
        CadenceReminder.objects.filter(school=school).values_list("user__email", "group__name")
    )


def test_staff_of_a_quiet_group_are_reminded_once(personas, teacher_b, run_on_commit):
    post(personas.teacher_a, personas.school, TUESDAY, group_ids=[personas.group_a.pk])
    # A school-wide post is not the group's own weekly message.
    post(personas.direction, personas.school, TUESDAY, school_wide=True)
    with time_machine.travel(at(2026, 11, 20, 8, 55), tick=False):
        assert services.schedule_tick()[services.CADENCE] == []
    assert personas.school.pk in tick(run_on_commit)[services.CADENCE]
    assert reminded(personas.school) == {(teacher_b.email, "Groep 6b")}
    [message] = mail.outbox
    assert message.to == [teacher_b.email]
    assert message.subject == "Een groepsbericht deze week?"
    assert "Groep 6b heeft deze week nog geen groepsbericht gehad." in message.body
    assert "/messages/new/" in message.body
    assert message.from_email.startswith("Alpha school")

    # Twice more, and a manual call: nothing new.
    assert tick(run_on_commit)[services.CADENCE] == []
    with time_machine.travel(FRIDAY_REMINDER, tick=False):
        assert services.cadence_run_start(school=personas.school, now=FRIDAY_REMINDER) is None
    assert mail.outbox == []
    assert MailRun.objects.filter(kind=services.CADENCE, school=personas.school).count() == 1
    assert CadenceReminder.objects.count() == 1


def test_every_group_staff_member_of_a_quiet_group_is_reminded(personas, run_on_commit):
    tick(run_on_commit)
    assert {(email, group) for email, group in reminded(personas.school)} == {
        (personas.teacher_a.email, "Groep 5a"),
        (personas.assistant_a.email, "Groep 5a"),
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.teacher_a.email, personas.assistant_a.email]
    )


def test_a_post_before_sending_skips_the_mail(personas, run_on_commit):
    with time_machine.travel(FRIDAY_REMINDER, tick=False):
        run = services.cadence_run_start(school=personas.school, now=FRIDAY_REMINDER)
    post(
        personas.teacher_a, personas.school, at(2026, 11, 20, 9, 6), group_ids=[personas.group_a.pk]
    )
    deliveries = list(run.deliveries.select_related("recipient"))
    with time_machine.travel(at(2026, 11, 20, 9, 7), tick=False):
        built = digest_mail.build_cadence(run, deliveries)
    assert set(built.values()) == {"already posted"}


def test_the_reminder_shows_on_the_home_page_until_the_group_posts(personas, login, run_on_commit):
    tick(run_on_commit)
    client = login(personas.teacher_a)
    with time_machine.travel(at(2026, 11, 20, 10), tick=False):
        home = client.get(reverse("home")).content.decode()
        assert reverse("digest:reminders") in home
        panel = client.get(reverse("digest:reminders"), headers={"HX-Request": "true"})
        assert "Groep 5a" in panel.content.decode()
        assert "Nog geen groepsbericht deze week." in panel.content.decode()
    post(personas.teacher_a, personas.school, at(2026, 11, 20, 11), group_ids=[personas.group_a.pk])
    with time_machine.travel(at(2026, 11, 20, 12), tick=False):
        page = client.get(reverse("digest:reminders")).content.decode()
    assert "Groep 5a" not in page
    assert "Al je groepen hebben deze week een groepsbericht gehad." in page


@pytest.mark.parametrize("who", ["parent_a", "admin", "outsider"], ids=str)
def test_only_group_staff_have_the_reminder_panel(personas, login, who):
    client = login(getattr(personas, who))
    assert client.get(reverse("digest:reminders")).status_code == 404
    assert reverse("digest:reminders") not in client.get(reverse("home")).content.decode()


def test_anonymous_visitors_are_sent_to_login_for_reminders(client):
    response = client.get(reverse("digest:reminders"))
    assert response.status_code == 302


def test_the_week_of_the_reminder_starts_on_local_monday_across_dst(personas, run_on_commit):
    # Monday 26 October 2026 00:30 CET is after the October change; a post on Sunday
    # evening belongs to the previous week.
    post(
        personas.teacher_a,
        personas.school,
        at(2026, 10, 25, 23, 30),
        group_ids=[personas.group_a.pk],
    )
    tick(run_on_commit, at(2026, 10, 30, 9, 5))
    assert (personas.teacher_a.email, "Groep 5a") in reminded(personas.school)
    run = MailRun.objects.get(kind=services.CADENCE, school=personas.school)
    assert run.period_key == f"{personas.school.pk}:2026-W44"
    assert run.payload["since"] == at(2026, 10, 26, 0).isoformat()
