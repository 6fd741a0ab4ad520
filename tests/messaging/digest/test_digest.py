"""Who gets which digest, and what is in it."""

import pytest
import time_machine
from django.core import mail

from groups.models import StaffMembership
from mailings.models import MailDelivery, MailRun
from messaging import services as feed
from messaging.digest import services
from messaging.kindgesprek import services as kindgesprek
from messaging.models import PostRead
from tests.factories import StaffMembershipFactory, UserFactory

from .conftest import FRIDAY_DIGEST, at

pytestmark = pytest.mark.django_db
State = MailDelivery.State


@pytest.fixture
def send_digests(run_on_commit):
    """Tick at Friday 16:05 and send what it opens; returns the school's run."""

    def _send(school):
        mail.outbox.clear()
        with time_machine.travel(FRIDAY_DIGEST, tick=False):
            run_on_commit(services.schedule_tick)
        return MailRun.objects.get(kind=services.DIGEST, school=school)

    return _send


def outcome(run, person):
    delivery = run.deliveries.get(recipient=person)
    return delivery.state, delivery.note


def mails_to(person):
    return [message for message in mail.outbox if message.to == [person.email]]


WEDNESDAY = at(2026, 11, 18, 10)


def teacher_writes(personas, child):
    with time_machine.travel(WEDNESDAY, tick=False):
        kindgesprek.message_send(actor=personas.teacher_a, child=child, body="Daan deed het goed!")


def test_nothing_new_is_skipped(personas, send_digests):
    run = send_digests(personas.school)
    assert outcome(run, personas.parent_a) == (State.SKIPPED, "nothing new")
    assert [m for m in mail.outbox if m.subject == "Deze week op Alpha school"] == []


def test_unread_kindgesprek_messages_are_counted(personas, send_digests):
    teacher_writes(personas, personas.child_a)
    run = send_digests(personas.school)
    assert outcome(run, personas.parent_a)[0] == State.SENT
    assert outcome(run, personas.separated_parent_a)[0] == State.SENT
    assert outcome(run, personas.parent_b) == (State.SKIPPED, "nothing new")
    [message] = mails_to(personas.parent_a)
    assert "Je hebt 1 ongelezen bericht in het kindgesprek." in message.body


def test_a_parent_who_switched_the_digest_off_is_skipped_and_shown_as_such(personas, send_digests):
    teacher_writes(personas, personas.child_a)
    personas.parent_a.digest_enabled = False
    personas.parent_a.save()
    run = send_digests(personas.school)
    assert outcome(run, personas.parent_a) == (State.SKIPPED, "opted out")
    assert mails_to(personas.parent_a) == []
    assert len(mails_to(personas.separated_parent_a)) == 1


def test_the_mail_comes_from_the_school_with_one_click_unsubscribe(personas, send_digests):
    teacher_writes(personas, personas.child_a)
    send_digests(personas.school)
    [message] = mails_to(personas.parent_a)
    assert message.from_email.startswith('"Alpha school" <') or message.from_email.startswith(
        "Alpha school <"
    )
    assert message.subject == "Deze week op Alpha school"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http")
    assert "/communication/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<img" not in html
    assert "/kindgesprek/" in html
    assert "/kindgesprek/" in message.body


def test_the_digest_is_in_the_parents_language(personas, send_digests):
    teacher_writes(personas, personas.child_a)
    personas.separated_parent_a.preferred_language = "en"
    personas.separated_parent_a.save()
    send_digests(personas.school)
    [english] = mails_to(personas.separated_parent_a)
    [dutch] = mails_to(personas.parent_a)
    assert english.subject == "This week at Alpha school"
    assert "You have 1 unread kindgesprek message." in english.body
    assert "Stop the weekly digest" in english.alternatives[0][0]
    assert "Wekelijks overzicht stoppen" in dutch.alternatives[0][0]


def test_a_custody_ruling_keeps_the_parent_out(personas, send_digests):
    teacher_writes(personas, personas.child_a)
    run = send_digests(personas.school)
    assert not run.deliveries.filter(recipient=personas.blocked_parent_a).exists()
    assert mails_to(personas.blocked_parent_a) == []


def test_unread_counts_only_the_schools_own_children(personas, send_digests):
    # The multi-school parent has a message about their child at the other school only.
    teacher_x = UserFactory()
    StaffMembershipFactory(
        user=teacher_x,
        school=personas.other_school,
        role=StaffMembership.Role.TEACHER,
        groups=[personas.group_x],
    )
    with time_machine.travel(WEDNESDAY, tick=False):
        kindgesprek.message_send(actor=teacher_x, child=personas.child_x, body="Hallo")
    run = send_digests(personas.school)
    other = MailRun.objects.get(kind=services.DIGEST, school=personas.other_school)
    assert outcome(run, personas.multi_school_parent) == (State.SKIPPED, "nothing new")
    assert outcome(other, personas.multi_school_parent)[0] == State.SENT
    assert len(mails_to(personas.multi_school_parent)) == 1


# --- posts --------------------------------------------------------------------------------


def publish(actor, school, title, moment, **kwargs):
    with time_machine.travel(moment, tick=False):
        return feed.post_publish(actor=actor, school=school, title=title, body="Tekst.", **kwargs)


@pytest.fixture
def week_posts(personas):
    p = personas
    posts = {
        "old": publish(
            p.teacher_a, p.school, "Vorige week", at(2026, 11, 13, 15), group_ids=[p.group_a.pk]
        ),
        "group": publish(
            p.teacher_a,
            p.school,
            "Uitje naar de kinderboerderij",
            WEDNESDAY,
            group_ids=[p.group_a.pk],
        ),
        "school": publish(
            p.direction, p.school, "Studiedag", at(2026, 11, 17, 9), school_wide=True
        ),
        "late": publish(
            p.teacher_a,
            p.school,
            "Na het overzicht",
            at(2026, 11, 20, 16, 1),
            group_ids=[p.group_a.pk],
        ),
        "hidden": publish(p.teacher_a, p.school, "Verborgen", WEDNESDAY, group_ids=[p.group_a.pk]),
    }
    posts["hidden"].hidden_at = WEDNESDAY
    posts["hidden"].save()
    return posts


def items_of(message):
    return [
        line
        for line in message.body.splitlines()
        if line.startswith(("[nieuw]", "Studiedag", "Uitje"))
    ]


def test_the_weeks_group_and_school_wide_posts_with_group_and_child_named(
    personas, week_posts, send_digests
):
    send_digests(personas.school)
    [message] = mails_to(personas.parent_a)
    body = message.body
    assert "Uitje naar de kinderboerderij" in body
    assert "Groep 5a · Daan" in body
    assert "Studiedag" in body
    assert "Voor de hele school · Daan" in body
    for title in ("Vorige week", "Na het overzicht", "Verborgen"):
        assert title not in body
    assert f"/messages/{week_posts['group'].pk}/" in body
    assert f"/messages/{week_posts['group'].pk}/" in message.alternatives[0][0]
    # A parent in group B gets the school-wide post only.
    [other] = mails_to(personas.parent_b)
    assert "Studiedag" in other.body
    assert "Voor de hele school · Sem" in other.body
    assert "Uitje naar de kinderboerderij" not in other.body


def test_unread_posts_come_first(personas, week_posts, send_digests):
    PostRead.objects.create(post=week_posts["group"], user=personas.parent_a)
    send_digests(personas.school)
    [message] = mails_to(personas.parent_a)
    assert items_of(message) == ["[nieuw] Studiedag", "Uitje naar de kinderboerderij"]


def test_a_parent_in_two_schools_gets_one_digest_per_school(personas, week_posts, send_digests):
    p = personas
    teacher_x = UserFactory()
    StaffMembershipFactory(
        user=teacher_x, school=p.other_school, role=StaffMembership.Role.TEACHER, groups=[p.group_x]
    )
    publish(teacher_x, p.other_school, "Gymles", WEDNESDAY, group_ids=[p.group_x.pk])
    send_digests(p.school)
    messages = mails_to(p.multi_school_parent)
    assert len(messages) == 2
    by_school = {m.subject: m.body for m in messages}
    alpha, beta = by_school["Deze week op Alpha school"], by_school["Deze week op Beta school"]
    assert "Groep 5a · Mila" in alpha
    assert "Gymles" not in alpha
    assert "Groep 3x · Noor" in beta
    assert "Studiedag" not in beta


def test_the_custody_flag_keeps_group_posts_out(personas, week_posts, send_digests):
    run = send_digests(personas.school)
    assert not run.deliveries.filter(recipient=personas.blocked_parent_a).exists()
    assert mails_to(personas.blocked_parent_a) == []
