import datetime
import zoneinfo

import pytest
import time_machine
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from groups.models import Group
from messaging import selectors, services
from messaging.models import Comment, Post, PostAudience, PostRead
from tests.factories import UserFactory

from .conftest import pdf_upload

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def _titles(page):
    return [item.post.title for item in page.items]


def _bulk_posts(personas, count, comments_per_post=0, start=None):
    """Many posts quickly (bypassing the service, whose rules are tested elsewhere)."""
    start = start or timezone.now() - datetime.timedelta(days=1)
    posts = Post.objects.bulk_create(
        Post(
            school=personas.school,
            author=personas.teacher_a,
            title=f"Bericht {n}",
            body="Tekst",
            publish_at=start - datetime.timedelta(minutes=n),
        )
        for n in range(count)
    )
    PostAudience.objects.bulk_create(
        PostAudience(post=post, group=personas.group_a) for post in posts
    )
    commenter = UserFactory()
    Comment.objects.bulk_create(
        Comment(post=post, author=commenter, body="Leuk")
        for post in posts
        for _ in range(comments_per_post)
    )
    return posts


def test_parent_with_two_children_in_two_groups_sees_both_labelled(personas, post_for):
    personas.child_b.guardianships.create(guardian=personas.parent_a)
    post_for(title="Groep A nieuws")
    post_for(author=personas.direction, groups=[personas.group_b], title="Groep B nieuws")
    page = selectors.feed_page(personas.parent_a)
    assert _titles(page) == ["Groep B nieuws", "Groep A nieuws"]
    labels = [
        [(label.group_name, [kid.first_name for kid in label.children]) for label in item.labels]
        for item in page.items
    ]
    assert labels == [[("Groep 6b", ["Sem"])], [("Groep 5a", ["Daan"])]]


def test_feed_card_shows_author_school_label_and_counts(personas, login, post_for):
    post = post_for(title="Met bijlage", attachments=[pdf_upload()])
    Comment.objects.create(post=post, author=personas.parent_a, body="Dank!")
    post_for(author=personas.direction, groups=[], school_wide=True, title="Voor iedereen")
    html = login(personas.parent_a).get(reverse("messaging:feed")).content.decode()
    assert f"Hele school · {personas.school.name}" in html
    assert personas.teacher_a.full_name in html
    assert "1 reactie · 1 bijlage" in html


def test_cached_feed_cards_follow_every_change(personas, login, post_for):
    """Cards are cached under what they show: a comment, reading the post, edits, a renamed
    author and another language show at once."""
    post = post_for(title="Eerste titel", body="Eerste tekst")
    client = login(personas.parent_a)
    html = client.get(reverse("messaging:feed")).content.decode()
    assert "Eerste titel" in html
    assert "0 reacties" in html
    assert "post-unread" in html
    Comment.objects.create(post=post, author=personas.parent_a, body="Dank!")
    services.post_mark_read(actor=personas.parent_a, post_ids=[post.pk])
    html = client.get(reverse("messaging:feed")).content.decode()
    assert "1 reactie" in html
    assert "post-unread" not in html
    services.post_update(actor=personas.teacher_a, post=post, title="Nieuwe titel", body="Nu")
    personas.teacher_a.full_name = "Juf Anders"
    personas.teacher_a.save(update_fields=["full_name"])
    html = client.get(reverse("messaging:feed")).content.decode()
    assert "Nieuwe titel" in html
    assert "Eerste titel" not in html
    assert "Juf Anders" in html
    personas.teacher_a.delete()
    assert "Oud-medewerker" in client.get(reverse("messaging:feed")).content.decode()
    personas.parent_a.preferred_language = "en"
    personas.parent_a.save(update_fields=["preferred_language"])
    assert "Former staff member" in client.get(reverse("messaging:feed")).content.decode()


def test_a_post_for_two_groups_is_labelled_with_both_in_grade_order(personas, post_for):
    personas.child_b.guardianships.create(guardian=personas.parent_a)
    Group.objects.filter(pk=personas.group_a.pk).update(grade=7)
    Group.objects.filter(pk=personas.group_b.pk).update(grade=2)  # first, though "6b" > "5a"
    post_for(author=personas.direction, groups=[personas.group_a, personas.group_b], title="Beide")
    [item] = selectors.feed_page(personas.parent_a).items
    groups = [personas.group_b, personas.group_a]
    assert [label.group_name for label in item.labels] == [group.name for group in groups]
    assert item.post.audience_group_ids == [group.pk for group in groups]


def test_filter_per_child(personas, post_for):
    personas.child_b.guardianships.create(guardian=personas.parent_a)
    post_for(title="A")
    post_for(author=personas.direction, groups=[personas.group_b], title="B")
    post_for(author=personas.direction, groups=[], school_wide=True, title="School")
    assert _titles(selectors.feed_page(personas.parent_a, child_id=personas.child_b.pk)) == [
        "School",
        "B",
    ]
    with pytest.raises(Http404):
        selectors.feed_page(personas.parent_a, child_id=personas.child_x.pk)


def test_school_wide_posts_reach_every_school_of_the_parent(personas, post_for):
    post_for(author=personas.direction, groups=[], school_wide=True, title="Alpha")
    post_for(
        author=personas.other_admin,
        school=personas.other_school,
        groups=[],
        school_wide=True,
        title="Beta",
    )
    assert _titles(selectors.feed_page(personas.multi_school_parent)) == ["Beta", "Alpha"]
    assert _titles(selectors.feed_page(personas.parent_a)) == ["Alpha"]


@pytest.mark.parametrize("persona", ["parent_b", "blocked_parent_a", "outsider", "other_admin"])
def test_outsiders_see_nothing_of_group_a(personas, post_for, persona):
    post_for()
    assert selectors.feed_page(getattr(personas, persona)).items == []


def test_hidden_posts_leave_the_feed(personas, post_for):
    post = post_for()
    post.hidden_at = timezone.now()
    post.save()
    assert selectors.feed_page(personas.parent_a).items == []


def test_unread_marking(personas, post_for):
    first, second = post_for(title="1"), post_for(title="2")
    services.post_mark_read(actor=personas.parent_a, post_ids=[first.pk])
    unread = {item.post.title: item.unread for item in selectors.feed_page(personas.parent_a).items}
    assert unread == {"1": False, "2": True}
    assert second.pk not in PostRead.objects.values_list("post_id", flat=True)


def test_keyset_pages_do_not_overlap_and_cover_everything(personas):
    _bulk_posts(personas, 45)
    # Two posts at the very same moment: the id breaks the tie.
    Post.objects.filter(title__in=["Bericht 19", "Bericht 20"]).update(
        publish_at=timezone.now() - datetime.timedelta(days=2)
    )
    seen, cursor = [], None
    for _ in range(3):
        page = selectors.feed_page(personas.parent_a, cursor=cursor)
        seen += [item.post.pk for item in page.items]
        cursor = page.next_cursor
    assert cursor is None
    assert len(seen) == len(set(seen)) == 45


def test_bad_cursor_is_404(personas):
    with pytest.raises(Http404):
        selectors.feed_page(personas.parent_a, cursor="abc")


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=AMS), tick=False)
def test_scheduled_post_enters_feed_when_due(personas, post_for):
    due = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=AMS)
    post_for(title="Straks", publish_at=due)
    post_for(title="Later", publish_at=due + datetime.timedelta(days=1))
    assert _titles(selectors.feed_page(personas.parent_a)) == []
    with time_machine.travel(due, tick=False):
        assert _titles(selectors.feed_page(personas.parent_a)) == ["Straks"]


@pytest.mark.parametrize(("posts", "comments"), [(20, 0), (500, 4)])
def test_feed_page_query_count_is_flat(personas, login, django_assert_num_queries, posts, comments):
    """20 posts and 500 posts with 2,000 comments: the same queries, at most 8."""
    _bulk_posts(personas, posts, comments_per_post=comments)
    client = login(personas.parent_a)
    client.get(reverse("messaging:feed"))  # warm the session and the navigation's badge
    # user, children and staff roles (one query), posts (with their audience groups), the
    # session coming from the cache: within the limit of 8 (4 on a first page, when
    # the kindgesprek badge is counted too)
    with django_assert_num_queries(3):
        response = client.get(reverse("messaging:feed"))
    assert response.status_code == 200
    assert response.content.count(b"data-post-id=") == 20


@pytest.mark.parametrize("posts", [21, 500])
def test_older_posts_page_query_count_is_flat(personas, login, django_assert_num_queries, posts):
    _bulk_posts(personas, posts)
    client = login(personas.parent_a)
    first = selectors.feed_page(personas.parent_a)
    with django_assert_num_queries(3):
        response = client.get(
            reverse("messaging:feed"), {"after": first.next_cursor}, headers={"HX-Request": "true"}
        )
    assert b"<html" not in response.content
    assert response.content.count(b"data-post-id=") == min(posts - 20, 20)
