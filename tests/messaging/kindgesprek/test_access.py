"""Who sees a kindgesprek: the child's guardians who receive communication and the staff of
the child's current group; nobody else, by any route."""

import pytest
from django.http import Http404

from messaging.kindgesprek import selectors
from messaging.kindgesprek.models import Message, Thread
from tests.factories import GroupFactory, StaffMembershipFactory, current_school_year

from .conftest import MONDAY_MORNING, THAT_MONDAY

pytestmark = pytest.mark.clock(THAT_MONDAY)


@pytest.fixture
def thread(personas, send, frozen):
    with frozen(MONDAY_MORNING):
        message = send(personas.parent_a, personas.child_a, "Daan heeft slecht geslapen.")
    return message.thread


def test_thread_is_created_lazily_once_per_child_and_year(personas, thread, send, frozen):
    with frozen(MONDAY_MORNING):
        send(personas.teacher_a, personas.child_a, "Dank voor het melden.")
    assert Thread.objects.filter(child=personas.child_a).count() == 1
    assert thread.school_year == personas.group_a.school_year
    assert list(thread.messages.values_list("author_side", flat=True)) == ["parent", "staff"]


@pytest.mark.parametrize("who", ["parent_a", "separated_parent_a", "teacher_a", "assistant_a"])
def test_participants_see_the_thread(personas, thread, who):
    assert selectors.access_thread(getattr(personas, who), thread.pk) == thread


@pytest.mark.parametrize(
    "who",
    [
        "blocked_parent_a",
        "parent_b",
        "multi_school_parent",
        "direction",
        "admin",
        "other_admin",
        "outsider",
    ],
)
def test_everyone_else_gets_404(personas, thread, who):
    with pytest.raises(Http404):
        selectors.access_thread(getattr(personas, who), thread.pk)


def test_missing_thread_is_404_like_not_yours(personas):
    with pytest.raises(Http404):
        selectors.access_thread(personas.parent_a, 999999)
    with pytest.raises(Http404):
        selectors.access_thread(personas.parent_a, "nope")


def test_deactivated_guardian_sees_nothing(personas, thread):
    personas.parent_a.is_active = False
    personas.parent_a.save()
    with pytest.raises(Http404):
        selectors.access_thread(personas.parent_a, thread.pk)


def test_group_change_moves_access_to_the_new_groups_staff(personas, thread):
    personas.child_a.group = personas.group_b
    personas.child_a.save()
    teacher_b = StaffMembershipFactory(school=personas.school, groups=[personas.group_b]).user
    with pytest.raises(Http404):
        selectors.access_thread(personas.teacher_a, thread.pk)
    assert selectors.access_thread(teacher_b, thread.pk) == thread
    assert selectors.access_thread(personas.parent_a, thread.pk) == thread


def test_new_school_year_starts_a_new_thread_and_old_staff_keep_out(personas, thread, send, frozen):
    next_year = GroupFactory(
        school=personas.school, name="Groep 6a", school_year=current_school_year() + 1
    )
    personas.child_a.group = next_year
    personas.child_a.save()
    teacher_next = StaffMembershipFactory(school=personas.school, groups=[next_year]).user
    # The new teacher sees the current year's thread only, not last year's.
    with pytest.raises(Http404):
        selectors.access_thread(teacher_next, thread.pk)
    with frozen(MONDAY_MORNING):
        message = send(personas.parent_a, personas.child_a, "Nieuw jaar!")
    assert message.thread != thread
    assert message.thread.school_year == 2027
    assert selectors.access_thread(teacher_next, message.thread.pk) == message.thread


@pytest.mark.parametrize(
    ("who", "child"),
    [
        ("blocked_parent_a", "child_a"),
        ("parent_b", "child_a"),
        ("teacher_a", "child_b"),
        ("admin", "child_a"),
        ("direction", "child_a"),
        ("outsider", "child_a"),
    ],
)
def test_writing_to_a_child_not_yours_is_404_and_saves_nothing(personas, send, who, child):
    with pytest.raises(Http404):
        send(getattr(personas, who), getattr(personas, child), "Hallo")
    assert not Thread.objects.exists()
    assert not Message.objects.exists()


def test_separated_parent_sees_the_same_messages(personas, thread):
    page = selectors.thread_messages(personas.separated_parent_a, thread, now=MONDAY_MORNING)
    assert [m.body for m in page.messages] == ["Daan heeft slecht geslapen."]
    assert page.side == "parent"


def test_part_time_teacher_sees_the_colleagues_messages(personas, thread, send, frozen):
    with frozen(MONDAY_MORNING):
        send(personas.assistant_a, personas.child_a, "Ik zal het doorgeven.")
    page = selectors.thread_messages(personas.teacher_a, thread, now=MONDAY_MORNING)
    assert [m.author for m in page.messages] == [personas.parent_a, personas.assistant_a]
