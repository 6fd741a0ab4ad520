import pytest
from django.core import mail

from messaging.kindgesprek import selectors, services, tasks
from messaging.kindgesprek.models import PersonalMessageCoachRun

from .conftest import MONDAY_MORNING, THAT_MONDAY, at

pytestmark = pytest.mark.clock(THAT_MONDAY)


def test_coach_figures_per_child(personas, send, frozen):
    with frozen(at(2026, 11, 20, 12)):
        send(personas.teacher_a, personas.child_a, "Daan las voor aan de klas.")
        # A parent's message is not something personal from school.
        send(personas.parent_a, personas.child_a, "Wat leuk!")
    with frozen(at(2026, 11, 10, 12)):
        send(personas.multi_school_parent, personas.child_a2, "Vraagje")
    rows = {row.child: row for row in selectors.coach_rows(personas.teacher_a, now=MONDAY_MORNING)}
    assert set(rows) == {personas.child_a, personas.child_a2}
    assert rows[personas.child_a].last_personal == at(2026, 11, 20, 12)
    assert not rows[personas.child_a].overdue
    assert rows[personas.child_a2].last_personal is None
    assert rows[personas.child_a2].overdue
    # Eight days later Daan's message is more than a week old.
    later = selectors.coach_rows(personas.teacher_a, now=at(2026, 11, 28, 12, 1))
    assert all(row.overdue for row in later)


def test_weekly_summary_once_per_teacher_and_week(personas, send, frozen):
    with frozen(at(2026, 11, 20, 12)):
        send(personas.teacher_a, personas.child_a, "Mooi werk vandaag.")
    mail.outbox.clear()
    with frozen(at(2026, 11, 23, 7)):
        assert tasks.send_coach_summaries.delay().get() == 2
        assert services.coach_summaries_send() == 0  # a second beat sends nothing
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {personas.teacher_a.email, personas.assistant_a.email}
    body = by_recipient[personas.teacher_a.email].body
    assert (
        by_recipient[personas.teacher_a.email].subject
        == "Iets persoonlijks deze week: uw overzicht"
    )
    assert f"- {personas.child_a2.full_name} (Groep 5a)" in body
    assert personas.child_a.full_name not in body
    assert "/kindgesprek/coach/" in body
    assert PersonalMessageCoachRun.objects.filter(week="2026W48").count() == 2
    with frozen(at(2026, 11, 30, 7)):
        assert services.coach_summaries_send() == 2  # next week again


def test_weekly_summary_respects_the_school_policy(personas):
    personas.school.personal_message_coach = False
    personas.school.save()
    assert services.coach_summaries_send(now=MONDAY_MORNING) == 0
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["parent_a", "admin", "direction"])
def test_no_summary_for_people_without_groups(personas, who):
    assert not services.coach_summary_send(user=getattr(personas, who), now=MONDAY_MORNING)
    assert mail.outbox == []
