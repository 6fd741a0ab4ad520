import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from messaging import services
from messaging.models import Comment, Post, PostRead, Report

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def post(post_for):
    return post_for(attachments=[pdf_upload()])


@pytest.fixture
def as_(api, personas):
    def _as(name):
        api.force_authenticate(getattr(personas, name))
        return api

    return _as


@pytest.mark.parametrize("url", ["api-post-list", "api-report-list", "api-post-read"])
def test_anonymous_gets_401(api, db, url):
    assert api.get(reverse(url)).status_code == 401


def test_feed_lists_posts_with_cursor(as_, personas, post_for):
    for n in range(21):
        post_for(title=f"Bericht {n}")
    client = as_("parent_a")
    first = client.get(reverse("api-post-list")).json()
    assert len(first["results"]) == 20
    assert first["results"][0]["unread"] is True
    second = client.get(reverse("api-post-list"), {"after": first["next_cursor"]}).json()
    assert [row["title"] for row in second["results"]] == ["Bericht 0"]
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    ("persona", "count"),
    [
        ("parent_a", 1),
        ("teacher_a", 1),
        ("parent_b", 0),
        ("blocked_parent_a", 0),
        ("outsider", 0),
        ("other_admin", 0),
    ],
)
def test_feed_access(as_, post, persona, count):
    assert len(as_(persona).get(reverse("api-post-list")).json()["results"]) == count


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("parent_a", 200),
        ("direction", 200),
        ("parent_b", 404),
        ("blocked_parent_a", 404),
        ("outsider", 404),
        ("other_admin", 404),
    ],
)
def test_detail_access_and_attachment_url(as_, personas, post, persona, status):
    response = as_(persona).get(reverse("api-post-detail", args=[post.pk]))
    assert response.status_code == status
    if status == 200:
        assert response.json()["attachments"][0]["name"] == "brief.pdf"
        assert PostRead.objects.filter(post=post, user=getattr(personas, persona)).exists()


def test_teacher_creates_post(as_, personas):
    response = as_("teacher_a").post(
        reverse("api-post-list"),
        {
            "school": personas.school.pk,
            "title": "Gym",
            "body": "Gymschoenen mee.",
            "group_ids": [personas.group_a.pk],
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["group_ids"] == [personas.group_a.pk]


@pytest.mark.parametrize(
    ("persona", "payload", "status"),
    [
        ("teacher_a", {"group_ids": ["group_b"]}, 400),  # not their group
        ("teacher_a", {"school_wide": True, "group_ids": []}, 400),  # wrong role
        ("teacher_a", {"title": ""}, 400),
        ("teacher_a", {"publish_at": "2020-01-01T08:00:00+01:00"}, 400),
        ("parent_a", {}, 404),  # wrong role: no school to post in
        ("other_admin", {}, 404),  # outsider
    ],
)
def test_create_refusals_save_nothing(as_, personas, persona, payload, status):
    data = {
        "school": personas.school.pk,
        "title": "T",
        "body": "x",
        "group_ids": [personas.group_a.pk],
    }
    data.update(payload)
    if data["group_ids"] == ["group_b"]:
        data["group_ids"] = [personas.group_b.pk]
    response = as_(persona).post(reverse("api-post-list"), data, format="json")
    assert response.status_code == status
    assert not Post.objects.exists()


def test_direction_creates_school_wide_post(as_, personas):
    response = as_("direction").post(
        reverse("api-post-list"),
        {"school": personas.school.pk, "title": "Studiedag", "body": "Vrij.", "school_wide": True},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["allow_reactions"] is False


def test_scheduled_via_api(as_, personas):
    moment = timezone.now() + datetime.timedelta(days=1)
    response = as_("teacher_a").post(
        reverse("api-post-list"),
        {
            "school": personas.school.pk,
            "title": "Morgen",
            "body": "x",
            "group_ids": [personas.group_a.pk],
            "publish_at": moment.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201
    assert as_("parent_a").get(reverse("api-post-list")).json()["results"] == []


@pytest.mark.parametrize(
    ("persona", "status"), [("teacher_a", 200), ("assistant_a", 404), ("parent_a", 404)]
)
def test_update_author_only(as_, post, persona, status):
    response = as_(persona).patch(
        reverse("api-post-detail", args=[post.pk]),
        {"title": "Nieuw", "body": "x"},
        format="json",
    )
    post.refresh_from_db()
    assert response.status_code == status
    assert (post.title == "Nieuw") is (status == 200)


@pytest.mark.parametrize(
    ("persona", "status"), [("teacher_a", 204), ("direction", 404), ("parent_b", 404)]
)
def test_delete_author_only(as_, post, persona, status):
    response = as_(persona).delete(reverse("api-post-detail", args=[post.pk]))
    assert response.status_code == status
    assert Post.objects.exists() is (status != 204)


def test_mark_read(as_, personas, post):
    response = as_("parent_a").post(reverse("api-post-read"), {"ids": [post.pk]}, format="json")
    assert response.status_code == 204
    assert PostRead.objects.filter(user=personas.parent_a).count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("teacher_a", 200), ("direction", 200), ("parent_a", 404), ("other_admin", 404)],
)
def test_receipts_access(as_, post, persona, status):
    response = as_(persona).get(reverse("api-post-reads", args=[post.pk]))
    assert response.status_code == status
    if status == 200:
        assert response.json()["total_families"] == 2


def test_comments(as_, personas, post):
    client = as_("parent_a")
    response = client.post(
        reverse("api-comment-list", args=[post.pk]), {"body": "Top!"}, format="json"
    )
    assert response.status_code == 201
    assert [c["body"] for c in client.get(reverse("api-comment-list", args=[post.pk])).json()] == [
        "Top!"
    ]


def test_comment_refused_where_off(as_, post_for):
    post = post_for(allow_reactions=False)
    response = as_("parent_a").post(
        reverse("api-comment-list", args=[post.pk]), {"body": "Top!"}, format="json"
    )
    assert response.status_code == 400
    assert "Reageren staat uit" in response.json()["body"][0]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("persona", ["parent_b", "blocked_parent_a", "outsider"])
def test_comments_outsider_404(as_, post, persona):
    client = as_(persona)
    assert client.get(reverse("api-comment-list", args=[post.pk])).status_code == 404
    response = client.post(reverse("api-comment-list", args=[post.pk]), {"body": "x"})
    assert response.status_code == 404


def test_report_and_resolve(as_, personas, post):
    comment = services.comment_add(actor=personas.parent_a, post=post, body="Hm")
    response = as_("multi_school_parent").post(
        reverse("api-report-list"), {"comment": comment.pk, "reason": "Kwetsend"}, format="json"
    )
    assert response.status_code == 201
    again = as_("multi_school_parent").post(
        reverse("api-report-list"), {"comment": comment.pk, "reason": "x"}, format="json"
    )
    assert again.status_code == 400
    report_id = response.json()["id"]
    assert [r["id"] for r in as_("teacher_a").get(reverse("api-report-list")).json()] == [report_id]
    assert as_("parent_a").get(reverse("api-report-list")).json() == []
    resolved = as_("direction").post(
        reverse("api-report-resolve", args=[report_id]), {"action": "hide"}, format="json"
    )
    assert resolved.json()["state"] == "hidden"
    comment.refresh_from_db()
    assert comment.hidden_at is not None


@pytest.mark.parametrize("persona", ["parent_b", "other_admin"])
def test_report_by_outsider_is_404(as_, post, persona):
    response = as_(persona).post(
        reverse("api-report-list"), {"post": post.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 404
    assert not Report.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("parent_a", 404), ("other_admin", 404)])
def test_resolve_wrong_role(as_, personas, post, persona, status):
    report = services.report_create(actor=personas.multi_school_parent, post=post, reason="x")
    response = as_(persona).post(
        reverse("api-report-resolve", args=[report.pk]), {"action": "hide"}, format="json"
    )
    assert response.status_code == status
    assert Report.objects.get().state == "open"


def test_schema_describes_the_feed(as_):
    schema = as_("teacher_a").get(reverse("api-schema")).content.decode()
    assert "/api/v1/posts/" in schema
    assert "Keyset-paginated" in schema


@pytest.mark.parametrize("posts", [20, 300])
def test_feed_api_query_count_is_flat(as_, personas, post_for, django_assert_num_queries, posts):
    from .test_feed import _bulk_posts

    _bulk_posts(personas, posts, comments_per_post=2)
    client = as_("parent_a")
    # children and staff roles (one query), posts (with their audience groups), attachments
    with django_assert_num_queries(3):
        response = client.get(reverse("api-post-list"))
    assert len(response.json()["results"]) == 20
