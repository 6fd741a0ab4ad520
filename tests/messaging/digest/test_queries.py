"""The digest is built per batch of 100 parents in a fixed number of queries, whatever the
number of children, messages and posts (so 10,000 parents stay fast)."""

import pytest
import time_machine

from groups.models import Guardianship
from mailings import services as mailings
from mailings.models import MailDelivery
from messaging.digest import mail, services
from messaging.kindgesprek.models import Message, Side, Thread
from messaging.models import Post, PostAudience, PostRead
from tests.factories import ChildFactory, GroupFactory, SchoolFactory, UserFactory

from .conftest import FRIDAY_DIGEST, at

pytestmark = pytest.mark.django_db

BATCH = mailings.BATCH_SIZE
# The school, guardianships with unread counts, posts, their audience, read receipts.
BUILD_QUERIES = 5


def school_with_parents(*, children_each, messages_each, posts_each):
    school = SchoolFactory()
    groups = [GroupFactory(school=school) for _ in range(children_each)]
    teacher = UserFactory()
    parents = UserFactory.create_batch(BATCH)
    sent = at(2026, 11, 18, 10)
    for parent in parents:
        for group in groups:
            child = ChildFactory(group=group)
            Guardianship.objects.create(guardian=parent, child=child)
            thread = Thread.objects.create(child=child, school_year=group.school_year)
            Message.objects.bulk_create(
                Message(
                    thread=thread,
                    author=teacher,
                    author_side=Side.STAFF,
                    body="Hallo",
                    created_at=sent,
                    sent_at=sent,
                )
                for _ in range(messages_each)
            )
    for group in groups:
        posts = Post.objects.bulk_create(
            Post(school=school, title=f"Bericht {n}", body="Tekst", publish_at=sent)
            for n in range(posts_each)
        )
        PostAudience.objects.bulk_create(PostAudience(post=post, group=group) for post in posts)
        PostRead.objects.bulk_create(PostRead(post=post, user=parents[0]) for post in posts[:2])
    Post.objects.bulk_create(
        Post(school=school, title="Hele school", body="x", publish_at=sent, is_school_wide=True)
        for _ in range(posts_each)
    )
    return school


def build_batch(school, assert_queries):
    with time_machine.travel(FRIDAY_DIGEST, tick=False):
        run = services.digest_run_start(school=school, moment=at(2026, 11, 20, 16))
        batch = list(MailDelivery.objects.filter(run=run).select_related("recipient"))
        run.refresh_from_db()
        with assert_queries(BUILD_QUERIES):
            built = mail.build_digest(run, batch)
    return built


@pytest.mark.parametrize(
    ("children_each", "messages_each", "posts_each"),
    [(1, 1, 1), (3, 4, 15)],
    ids=["small", "large"],
)
def test_a_batch_of_100_parents_takes_a_fixed_number_of_queries(
    django_assert_num_queries, children_each, messages_each, posts_each
):
    school = school_with_parents(
        children_each=children_each, messages_each=messages_each, posts_each=posts_each
    )
    built = build_batch(school, django_assert_num_queries)
    assert len(built) == BATCH
    assert all(not isinstance(message, str) for message in built.values())
    body = next(iter(built.values())).body
    assert body.count("Bericht ") == children_each * posts_each
    assert body.count("Hele school") == posts_each
    assert f"{children_each * messages_each} ongelezen" in body


def test_a_quiet_week_needs_no_more_queries(django_assert_max_num_queries):
    school = school_with_parents(children_each=1, messages_each=0, posts_each=0)
    built = build_batch(school, django_assert_max_num_queries)
    assert set(built.values()) == {"nothing new"}


def test_three_children_give_one_digest(personas, run_on_commit):
    from django.core import mail as outbox

    parent = UserFactory()
    children = [ChildFactory(group=personas.group_a) for _ in range(2)]
    children.append(ChildFactory(group=personas.group_b))
    for child in children:
        Guardianship.objects.create(guardian=parent, child=child)
        thread = Thread.objects.create(child=child, school_year=child.group.school_year)
        sent = at(2026, 11, 18, 10)
        Message.objects.create(
            thread=thread,
            author=personas.teacher_a,
            author_side=Side.STAFF,
            body="Hallo",
            created_at=sent,
            sent_at=sent,
        )
    with time_machine.travel(FRIDAY_DIGEST, tick=False):
        run_on_commit(services.schedule_tick)
    mine = [message for message in outbox.outbox if message.to == [parent.email]]
    assert len(mine) == 1
    assert "3 ongelezen berichten" in mine[0].body
