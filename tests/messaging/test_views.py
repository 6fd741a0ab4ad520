import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messaging import services
from messaging.models import Comment, Post, PostRead, Report

from .conftest import pdf_upload

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


@pytest.fixture
def post(post_for):
    return post_for(attachments=[pdf_upload()])


@pytest.fixture
def comment(personas, post):
    return services.comment_add(actor=personas.parent_a, post=post, body="Wat leuk!")


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(reverse("messaging:feed"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_nav_link_on_every_page(login, personas):
    response = login(personas.parent_a).get(reverse("home"))
    assert reverse("messaging:feed") in response.content.decode()


def test_feed_shows_labelled_posts_in_dutch(login, personas, post):
    page = login(personas.parent_a).get(reverse("messaging:feed")).content.decode()
    assert "Excursie naar het bos" in page
    assert "Groep 5a · Daan" in page
    assert "Nieuw" in page
    assert "Bericht schrijven" not in page


def test_feed_for_staff_offers_writing(login, personas, post):
    page = login(personas.teacher_a).get(reverse("messaging:feed")).content.decode()
    assert "Bericht schrijven" in page
    assert "Excursie naar het bos" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("parent_a", 200),
        ("teacher_a", 200),
        ("direction", 200),
        ("parent_b", 404),
        ("blocked_parent_a", 404),
        ("outsider", 404),
        ("other_admin", 404),
    ],
)
def test_post_detail_access(login, personas, post, persona, status):
    response = login(getattr(personas, persona)).get(
        reverse("messaging:post-detail", args=[post.pk])
    )
    assert response.status_code == status


def test_opening_marks_read_and_renders_safely(login, personas, post_for):
    post = post_for(body="Zie https://school.example/rooster\n<script>alert(1)</script>")
    page = login(personas.parent_a).get(reverse("messaging:post-detail", args=[post.pk]))
    html = page.content.decode()
    assert '<a href="https://school.example/rooster" rel="noopener noreferrer nofollow">' in html
    assert "<script>alert(1)" not in html
    assert PostRead.objects.filter(post=post, user=personas.parent_a).exists()


def test_mark_read_endpoint(login, personas, post, post_for):
    other = post_for(author=personas.direction, groups=[personas.group_b])
    response = login(personas.parent_a).post(
        reverse("messaging:mark-read"),
        json.dumps({"ids": [post.pk, other.pk]}),
        content_type="application/json",
    )
    assert response.status_code == 204
    assert list(PostRead.objects.values_list("post_id", flat=True)) == [post.pk]


def test_mark_read_rejects_garbage(login, personas):
    response = login(personas.parent_a).post(
        reverse("messaging:mark-read"), "[1,2", content_type="application/json"
    )
    assert response.status_code == 400
    assert not PostRead.objects.exists()


# --- compose ---------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=AMS), tick=False)
def test_teacher_publishes_through_the_form(login, personas):
    client = login(personas.teacher_a)
    page = client.get(reverse("messaging:post-create")).content.decode()
    assert "buiten de werktijden" not in page
    assert 'role="group" aria-label="Groepen"' in page  # the checkboxes are a named group
    response = client.post(
        reverse("messaging:post-create"),
        {
            "title": "Ouderavond",
            "body": "Dinsdag om 19:00.",
            "groups": [personas.group_a.pk],
            "allow_reactions": "on",
            "attachments": [pdf_upload("uitnodiging.pdf")],
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.published
    assert post.allow_reactions
    assert post.attachments.get().display_name == "uitnodiging.pdf"


@time_machine.travel(datetime.datetime(2026, 11, 20, 19, 0, tzinfo=AMS), tick=False)
def test_outside_hours_notice_and_one_click_schedule(login, personas):
    client = login(personas.teacher_a)
    page = client.get(reverse("messaging:post-create")).content.decode()
    assert "buiten de werktijden" in page
    assert "Inplannen voor maandag 23 november 08:00" in page
    client.post(
        reverse("messaging:post-create"),
        {
            "title": "Maandag",
            "body": "Tekst",
            "groups": [personas.group_a.pk],
            "action": "schedule_next",
        },
    )
    assert Post.objects.get().publish_at == datetime.datetime(2026, 11, 23, 8, 0, tzinfo=AMS)


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=AMS), tick=False)
def test_schedule_field_is_school_time(login, personas):
    login(personas.teacher_a).post(
        reverse("messaging:post-create"),
        {
            "title": "Vrijdag",
            "body": "Tekst",
            "groups": [personas.group_a.pk],
            "publish_at": "2026-11-20T15:00",
        },
    )
    assert Post.objects.get().publish_at == datetime.datetime(2026, 11, 20, 15, 0, tzinfo=AMS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "x"}, "Dit veld is vereist."),
        ({"title": "Leeg", "body": "x", "groups": []}, "Kies minstens één groep."),
        ({"title": "T", "body": "x", "publish_at": "2020-01-01T08:00"}, "niet in het verleden"),
        (
            {
                "title": "T",
                "body": "x",
                "attachments": [SimpleUploadedFile("a.pdf", b"MZ", content_type="application/pdf")],
            },
            "geen pdf of office-document",
        ),
    ],
)
def test_bad_compose_input_shows_dutch_message_and_saves_nothing(login, personas, data, message):
    # The parameters are shared by every run of this test (the clock sweep runs it again):
    # a copy per run, and each file read from its start.
    data = {"groups": [personas.group_a.pk], **data}
    for upload in data.get("attachments", []):
        upload.seek(0)
    response = login(personas.teacher_a).post(reverse("messaging:post-create"), data)
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    assert not Post.objects.exists()


def test_teacher_cannot_choose_another_group(login, personas):
    response = login(personas.teacher_a).post(
        reverse("messaging:post-create"),
        {"title": "T", "body": "x", "groups": [personas.group_b.pk]},
    )
    assert response.status_code == 200
    assert not Post.objects.exists()


@pytest.mark.parametrize("persona", ["parent_a", "outsider"])
def test_parents_cannot_compose(login, personas, persona):
    response = login(getattr(personas, persona)).get(reverse("messaging:post-create"))
    assert response.status_code == 404


def test_direction_posts_school_wide(login, personas):
    client = login(personas.direction)
    client.post(
        reverse("messaging:post-create"),
        {"title": "Studiedag", "body": "Vrijdag vrij.", "whole_school": personas.school.pk},
    )
    post = Post.objects.get()
    assert post.is_school_wide
    assert post.groups.count() == 2


def test_code_of_conduct_shown_where_people_write(login, personas, post):
    personas.school.code_of_conduct = "Wij communiceren positief."
    personas.school.save()
    client = login(personas.teacher_a)
    assert (
        "Wij communiceren positief."
        in client.get(reverse("messaging:post-create")).content.decode()
    )
    detail = login(personas.parent_a).get(reverse("messaging:post-detail", args=[post.pk]))
    assert "Wij communiceren positief." in detail.content.decode()


# --- edit / delete -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("teacher_a", 200), ("assistant_a", 404), ("parent_a", 404), ("outsider", 404)],
)
@pytest.mark.parametrize("name", ["messaging:post-edit", "messaging:post-delete"])
def test_edit_and_delete_author_only(login, personas, post, persona, status, name):
    response = login(getattr(personas, persona)).get(reverse(name, args=[post.pk]))
    assert response.status_code == status


def test_edit_and_delete(login, personas, post):
    client = login(personas.teacher_a)
    client.post(
        reverse("messaging:post-edit", args=[post.pk]), {"title": "Nieuw", "body": "Anders"}
    )
    post.refresh_from_db()
    assert (post.title, post.allow_reactions) == ("Nieuw", False)
    client.post(reverse("messaging:post-delete", args=[post.pk]))
    assert not Post.objects.exists()


def test_edit_with_empty_text_saves_nothing(login, personas, post):
    response = login(personas.teacher_a).post(
        reverse("messaging:post-edit", args=[post.pk]), {"title": "Nieuw", "body": ""}
    )
    post.refresh_from_db()
    assert response.status_code == 200
    assert post.title == "Excursie naar het bos"


# --- read receipts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("teacher_a", 200), ("direction", 200), ("parent_a", 404), ("other_admin", 404)],
)
def test_read_receipts_access(login, personas, post, persona, status):
    response = login(getattr(personas, persona)).get(
        reverse("messaging:post-reads", args=[post.pk])
    )
    assert response.status_code == status


def test_detail_shows_read_count_to_staff_only(login, personas, post):
    services.post_mark_read(actor=personas.parent_a, post_ids=[post.pk])
    url = reverse("messaging:post-detail", args=[post.pk])
    assert "Gelezen door 1 van 2 gezinnen" in login(personas.teacher_a).get(url).content.decode()
    assert "gezinnen" not in login(personas.parent_a).get(url).content.decode()


def test_read_receipts_page(login, personas, post):
    services.post_mark_read(actor=personas.parent_a, post_ids=[post.pk])
    page = login(personas.teacher_a).get(reverse("messaging:post-reads", args=[post.pk]))
    html = page.content.decode()
    assert "Gelezen door 1 van 2 gezinnen" in html
    assert "Lotte Multi" in html
    assert "Sanne Parent" not in html


# --- comments ----------------------------------------------------------------------------------


def test_parent_comments(login, personas, post):
    response = login(personas.parent_a).post(
        reverse("messaging:comment-create", args=[post.pk]), {"body": "Gezellig!"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == "Gezellig!"


def test_comment_where_reactions_off(login, personas, post_for):
    post = post_for(allow_reactions=False)
    response = login(personas.parent_a).post(
        reverse("messaging:comment-create", args=[post.pk]), {"body": "Gezellig!"}
    )
    assert response.status_code == 400
    assert "Reageren staat uit" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("persona", ["parent_b", "blocked_parent_a", "outsider"])
def test_outsider_comment_is_404(login, personas, post, persona):
    response = login(getattr(personas, persona)).post(
        reverse("messaging:comment-create", args=[post.pk]), {"body": "Hoi"}
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status", "hidden"),
    [
        ("teacher_a", 302, True),
        ("direction", 302, True),
        ("multi_school_parent", 404, False),
        ("parent_b", 404, False),
    ],
)
def test_comment_hide(login, personas, comment, persona, status, hidden):
    response = login(getattr(personas, persona)).post(
        reverse("messaging:comment-hide", args=[comment.pk])
    )
    comment.refresh_from_db()
    assert response.status_code == status
    assert (comment.hidden_at is not None) is hidden


def test_hidden_comment_disappears_for_parents(login, personas, post, comment):
    services.comment_hide(actor=personas.teacher_a, comment=comment)
    detail = login(personas.multi_school_parent).get(
        reverse("messaging:post-detail", args=[post.pk])
    )
    assert "Wat leuk!" not in detail.content.decode()


# --- reports and moderation ---------------------------------------------------------------------


def test_report_comment_flow(login, personas, post, comment):
    client = login(personas.multi_school_parent)
    assert client.get(reverse("messaging:report-comment", args=[comment.pk])).status_code == 200
    response = client.post(
        reverse("messaging:report-comment", args=[comment.pk]), {"reason": "Kwetsend"}, follow=True
    )
    assert "Uw melding is ontvangen" in response.content.decode()
    again = client.post(reverse("messaging:report-comment", args=[comment.pk]), {"reason": "x"})
    assert again.status_code == 400
    assert "al gemeld" in again.content.decode()
    assert Report.objects.count() == 1


def test_report_needs_reason(login, personas, post):
    response = login(personas.parent_a).post(
        reverse("messaging:report-post", args=[post.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize("persona", ["parent_b", "blocked_parent_a", "other_admin"])
def test_outsider_cannot_report(login, personas, post, comment, persona):
    client = login(getattr(personas, persona))
    assert client.get(reverse("messaging:report-post", args=[post.pk])).status_code == 404
    assert client.get(reverse("messaging:report-comment", args=[comment.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status", "sees_report"),
    [
        ("teacher_a", 200, True),
        ("direction", 200, True),
        ("other_admin", 200, False),  # leads another school: an empty list
        ("parent_a", 404, False),  # wrong role
        ("outsider", 404, False),
    ],
)
def test_moderation_list_access(login, personas, post, persona, status, sees_report):
    services.report_create(actor=personas.parent_a, post=post, reason="Twijfelachtig")
    response = login(getattr(personas, persona)).get(reverse("messaging:moderation"))
    assert response.status_code == status
    assert ("Twijfelachtig" in response.content.decode()) is sees_report


def test_moderation_hide_and_dismiss(login, personas, post, comment):
    hide_me = services.report_create(
        actor=personas.multi_school_parent, comment=comment, reason="Nee"
    )
    keep = services.report_create(actor=personas.parent_a, post=post, reason="Twijfel")
    client = login(personas.direction)
    page = client.get(reverse("messaging:moderation")).content.decode()
    assert "Wat leuk!" in page
    assert "Twijfel" in page
    client.post(reverse("messaging:report-resolve", args=[hide_me.pk]), {"action": "hide"})
    client.post(reverse("messaging:report-resolve", args=[keep.pk]), {"action": "dismiss"})
    comment.refresh_from_db()
    post.refresh_from_db()
    assert comment.hidden_at is not None
    assert post.hidden_at is None
    assert set(Report.objects.values_list("state", flat=True)) == {"hidden", "dismissed"}


@pytest.mark.parametrize("persona", ["parent_a", "other_admin", "parent_b"])
def test_resolve_by_others_is_404(login, personas, post, persona):
    report = services.report_create(actor=personas.multi_school_parent, post=post, reason="x")
    response = login(getattr(personas, persona)).post(
        reverse("messaging:report-resolve", args=[report.pk]), {"action": "hide"}
    )
    post.refresh_from_db()
    assert response.status_code == 404
    assert post.hidden_at is None


def test_resolve_needs_known_action(login, personas, post):
    report = services.report_create(actor=personas.multi_school_parent, post=post, reason="x")
    response = login(personas.teacher_a).post(
        reverse("messaging:report-resolve", args=[report.pk]), {"action": "delete"}
    )
    assert response.status_code == 400
    assert Report.objects.get().state == "open"


# --- attachments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("parent_a", 200),
        ("teacher_a", 200),
        ("parent_b", 404),
        ("blocked_parent_a", 404),
        ("outsider", 404),
        ("other_admin", 404),
    ],
)
def test_attachment_served_only_to_audience(login, personas, post, persona, status):
    attachment = post.attachments.get()
    response = login(getattr(personas, persona)).get(
        reverse("messaging:attachment", args=[attachment.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert 'filename="brief.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_attachment_of_hidden_post_is_gone_for_parents(login, personas, post):
    report = services.report_create(actor=personas.parent_a, post=post, reason="x")
    services.report_resolve(actor=personas.direction, report=report, hide=True)
    response = login(personas.parent_a).get(
        reverse("messaging:attachment", args=[post.attachments.get().pk])
    )
    assert response.status_code == 404


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=AMS), tick=False)
def test_edit_moves_a_scheduled_post(login, personas, post_for):
    post = post_for(publish_at=datetime.datetime(2026, 11, 20, 15, 0, tzinfo=AMS))
    client = login(personas.teacher_a)
    form = client.get(reverse("messaging:post-edit", args=[post.pk])).content.decode()
    assert 'value="2026-11-20T15:00"' in form
    client.post(
        reverse("messaging:post-edit", args=[post.pk]),
        {"title": post.title, "body": post.body, "publish_at": "2026-11-23T08:00"},
    )
    post.refresh_from_db()
    assert post.publish_at == datetime.datetime(2026, 11, 23, 8, 0, tzinfo=AMS)


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=AMS), tick=False)
def test_edit_refuses_moving_into_the_past(login, personas, post_for):
    post = post_for(publish_at=datetime.datetime(2026, 11, 20, 15, 0, tzinfo=AMS))
    response = login(personas.teacher_a).post(
        reverse("messaging:post-edit", args=[post.pk]),
        {"title": "Nieuwe titel", "body": post.body, "publish_at": "2026-11-19T08:00"},
    )
    post.refresh_from_db()
    assert "niet in het verleden" in response.content.decode()
    assert post.title == "Excursie naar het bos"  # nothing saved, not even the title
    assert post.publish_at == datetime.datetime(2026, 11, 20, 15, 0, tzinfo=AMS)


def test_edit_form_of_published_post_has_no_schedule_field(login, personas, post):
    form = login(personas.teacher_a).get(reverse("messaging:post-edit", args=[post.pk]))
    assert 'name="publish_at"' not in form.content.decode()
