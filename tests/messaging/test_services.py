import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from messaging import selectors, services
from messaging.models import Comment, Post, PostAttachment, PostAudience, PostRead, Report
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory, current_school_year

from .conftest import docx_upload, pdf_upload

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


# --- posting -------------------------------------------------------------------------------


def test_teacher_publishes_to_own_group(personas, post_for):
    post = post_for()
    assert post.published
    assert list(post.groups.all()) == [personas.group_a]
    assert post.allow_reactions is True
    assert post.is_school_wide is False


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [("", "tekst", "title"), ("Titel", "   ", "body"), ("x" * 151, "tekst", "title")],
)
def test_empty_or_long_post_is_refused(personas, post_for, title, body, field):
    with pytest.raises(ValidationError) as error:
        post_for(title=title, body=body)
    assert field in error.value.message_dict
    assert Post.objects.count() == 0


def test_teacher_cannot_post_to_group_they_do_not_work_in(personas, post_for):
    with pytest.raises(ValidationError) as error:
        post_for(groups=[personas.group_a, personas.group_b])
    assert "groups" in error.value.message_dict
    assert Post.objects.count() == 0


def test_post_without_groups_is_refused(personas, post_for):
    with pytest.raises(ValidationError):
        post_for(groups=[])
    assert Post.objects.count() == 0


def test_parent_cannot_post(personas, post_for):
    with pytest.raises(ValidationError):
        post_for(author=personas.parent_a)
    assert Post.objects.count() == 0


def test_teacher_cannot_post_school_wide(personas, post_for):
    with pytest.raises(ValidationError):
        post_for(groups=[], school_wide=True)
    assert Post.objects.count() == 0


def test_direction_posts_school_wide_without_reactions(personas, post_for):
    post = post_for(author=personas.direction, groups=[], school_wide=True)
    assert post.is_school_wide
    assert post.allow_reactions is False
    assert set(post.groups.all()) == {personas.group_a, personas.group_b}


def test_school_wide_skips_last_years_groups(personas, post_for):
    GroupFactory(school=personas.school, name="Groep 4a", school_year=current_school_year() - 1)
    post = post_for(author=personas.direction, groups=[], school_wide=True)
    assert set(post.groups.all()) == {personas.group_a, personas.group_b}


def test_direction_posts_to_a_chosen_set(personas, post_for):
    post = post_for(author=personas.admin, groups=[personas.group_b])
    assert list(post.groups.all()) == [personas.group_b]


def test_direction_cannot_post_to_another_schools_group(personas, post_for):
    with pytest.raises(ValidationError):
        post_for(author=personas.direction, groups=[personas.group_x])
    assert Post.objects.count() == 0


def test_scheduling_in_the_past_is_refused(personas, post_for):
    past = datetime.datetime(2020, 1, 1, 8, tzinfo=AMS)
    with pytest.raises(ValidationError) as error:
        post_for(publish_at=past)
    assert "publish_at" in error.value.message_dict
    assert Post.objects.count() == 0


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=AMS), tick=False)
def test_scheduled_post_appears_when_due(personas, post_for):
    due = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=AMS)
    post = post_for(publish_at=due)
    assert not post.published
    assert not selectors.visible_posts(personas.parent_a).filter(pk=post.pk).exists()
    assert selectors.visible_posts(personas.teacher_a).filter(pk=post.pk).exists()
    with time_machine.travel(due, tick=False):
        assert selectors.visible_posts(personas.parent_a).filter(pk=post.pk).exists()


def test_publishing_costs_the_same_for_35_and_400_families(
    personas, post_for, django_assert_num_queries
):
    def families(count):
        group = GroupFactory(school=personas.school)
        personas.teacher_a.staff_memberships.get().groups.add(group)
        for _ in range(count):
            GuardianshipFactory(child=ChildFactory(group=group))
        return group

    small, large = families(35), families(400)
    with django_assert_num_queries(7) as small_run:
        post_for(groups=[small], attachments=[pdf_upload()])
    with django_assert_num_queries(len(small_run.captured_queries)):
        post_for(groups=[large], attachments=[pdf_upload()])


def test_update_and_delete_author_only(personas, post_for):
    post = post_for()
    with pytest.raises(PermissionDenied):
        services.post_update(actor=personas.assistant_a, post=post, title="x", body="y")
    services.post_update(actor=personas.teacher_a, post=post, title="Nieuw", body="Tekst")
    post.refresh_from_db()
    assert (post.title, post.edited_at is not None) == ("Nieuw", True)
    with pytest.raises(PermissionDenied):
        services.post_delete(actor=personas.direction, post=post)
    services.post_delete(actor=personas.teacher_a, post=post)
    assert not Post.objects.exists()
    assert not PostAudience.objects.exists()


def test_update_refuses_empty_text(personas, post_for):
    post = post_for()
    with pytest.raises(ValidationError):
        services.post_update(actor=personas.teacher_a, post=post, title="Nieuw", body="")
    post.refresh_from_db()
    assert post.title == "Excursie naar het bos"


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=AMS), tick=False)
def test_reschedule_only_unpublished_posts(personas, post_for):
    later = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=AMS)
    scheduled = post_for(publish_at=datetime.datetime(2026, 11, 21, 9, 0, tzinfo=AMS))
    services.post_schedule(actor=personas.teacher_a, post=scheduled, publish_at=later)
    assert scheduled.publish_at == later
    with pytest.raises(ValidationError):
        services.post_schedule(actor=personas.teacher_a, post=post_for(), publish_at=later)


# --- staff hours ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "outside", "next_start"),
    [
        # Friday evening: next working day is Monday 08:00.
        ((2026, 11, 20, 19, 0), True, (2026, 11, 23, 8, 0)),
        # Tuesday 07:30: later the same morning.
        ((2026, 11, 24, 7, 30), True, (2026, 11, 24, 8, 0)),
        # Tuesday 10:00 is inside staff hours.
        ((2026, 11, 24, 10, 0), False, (2026, 11, 25, 8, 0)),
        # Saturday before the clocks go back (25 October 2026): Monday 08:00 in winter time.
        ((2026, 10, 24, 22, 0), True, (2026, 10, 26, 8, 0)),
        # Friday before the clocks go forward (29 March 2026).
        ((2026, 3, 27, 17, 0), True, (2026, 3, 30, 8, 0)),
    ],
)
def test_staff_hours_and_next_start(personas, now, outside, next_start):
    moment = datetime.datetime(*now, tzinfo=AMS)
    assert services.is_outside_staff_hours(personas.school, moment) is outside
    start = services.next_staff_hours_start(personas.school, moment)
    assert start == datetime.datetime(*next_start, tzinfo=AMS)
    assert start.astimezone(AMS).hour == 8


# --- attachments ----------------------------------------------------------------------------


def test_pdf_and_docx_are_accepted_under_random_keys(personas, post_for):
    post = post_for(attachments=[pdf_upload(), docx_upload()])
    pdf, docx = post.attachments.all()
    assert pdf.content_type == "application/pdf"
    assert docx.content_type.endswith("wordprocessingml.document")
    assert pdf.display_name == "brief.pdf"
    assert "brief" not in pdf.file.name


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        SimpleUploadedFile("page.pdf", b"<html><script>", content_type="application/pdf"),
        pdf_upload(size=services.ATTACHMENT_MAX_BYTES),
    ],
    ids=["executable", "html", "too-large"],
)
def test_bad_attachments_are_refused(personas, post_for, upload):
    with pytest.raises(ValidationError) as error:
        post_for(attachments=[upload])
    assert "attachments" in error.value.message_dict
    assert Post.objects.count() == 0
    assert PostAttachment.objects.count() == 0


# --- reading ----------------------------------------------------------------------------------


def test_mark_read_is_idempotent_and_ignores_invisible_posts(personas, post_for):
    own = post_for()
    other = post_for(author=personas.direction, groups=[personas.group_b])
    assert services.post_mark_read(actor=personas.parent_a, post_ids=[own.pk, other.pk]) == 1
    services.post_mark_read(actor=personas.parent_a, post_ids=[own.pk])
    assert list(PostRead.objects.values_list("post_id", "user_id")) == [
        (own.pk, personas.parent_a.pk)
    ]


def test_read_receipts_count_families(personas, post_for):
    post = post_for()
    # child_a: parent_a + separated_parent_a (blocked_parent_a excluded); child_a2: multi.
    receipts = selectors.read_receipts(post)
    assert (receipts.read_families, receipts.total_families) == (0, 2)
    services.post_mark_read(actor=personas.separated_parent_a, post_ids=[post.pk])
    receipts = selectors.read_receipts(post)
    assert (receipts.read_families, receipts.total_families) == (1, 2)
    assert [r.child for r in receipts.unread_children] == [personas.child_a2]
    assert receipts.unread_children[0].guardians == [(personas.multi_school_parent, False)]


def test_siblings_count_as_one_family(personas, post_for):
    sibling = ChildFactory(group=personas.group_a, first_name="Zoë")
    GuardianshipFactory(guardian=personas.multi_school_parent, child=sibling)
    receipts = selectors.read_receipts(post_for())
    assert receipts.total_families == 2


# --- comments, reports, moderation -----------------------------------------------------------


def test_parent_comments_where_allowed(personas, post_for):
    post = post_for()
    comment = services.comment_add(actor=personas.parent_a, post=post, body="Leuk!")
    assert comment.author == personas.parent_a


def test_comment_refused_where_reactions_off(personas, post_for):
    post = post_for(allow_reactions=False)
    with pytest.raises(ValidationError) as error:
        services.comment_add(actor=personas.parent_a, post=post, body="Leuk!")
    assert "body" in error.value.message_dict
    assert Comment.objects.count() == 0


def test_empty_comment_refused(personas, post_for):
    with pytest.raises(ValidationError):
        services.comment_add(actor=personas.parent_a, post=post_for(), body=" ")
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("persona", ["parent_b", "blocked_parent_a", "outsider", "other_admin"])
def test_outsiders_cannot_comment(personas, post_for, persona):
    with pytest.raises(Http404):
        services.comment_add(actor=getattr(personas, persona), post=post_for(), body="Hoi")
    assert Comment.objects.count() == 0


def test_comment_hide_by_group_staff_only(personas, post_for):
    comment = services.comment_add(actor=personas.parent_a, post=post_for(), body="Hm")
    with pytest.raises(PermissionDenied):
        services.comment_hide(actor=personas.parent_b, comment=comment)
    services.comment_hide(actor=personas.assistant_a, comment=comment)
    assert comment.hidden_at is not None


def test_report_once_and_moderators_are_told(
    personas, post_for, django_capture_on_commit_callbacks
):
    comment = services.comment_add(actor=personas.parent_a, post=post_for(), body="Hm")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_create(
            actor=personas.multi_school_parent, comment=comment, reason="Kwetsend"
        )
    assert report.state == Report.State.OPEN
    assert sorted(m.to[0] for m in mail.outbox) == [
        "assistant.a@alpha.example",
        "direction@alpha.example",
        "teacher.a@alpha.example",
    ]
    with pytest.raises(ValidationError):
        services.report_create(
            actor=personas.multi_school_parent, comment=comment, reason="Nog eens"
        )
    assert Report.objects.count() == 1


def test_report_needs_reason_and_access(personas, post_for):
    post = post_for()
    with pytest.raises(ValidationError):
        services.report_create(actor=personas.parent_a, post=post, reason="")
    with pytest.raises(Http404):
        services.report_create(actor=personas.parent_b, post=post, reason="Waarom")
    assert Report.objects.count() == 0


def test_resolve_hide_hides_for_parents_and_closes_all_reports(personas, post_for):
    post = post_for()
    first = services.report_create(actor=personas.parent_a, post=post, reason="Niet ok")
    services.report_create(actor=personas.multi_school_parent, post=post, reason="Ook niet")
    with pytest.raises(PermissionDenied):
        services.report_resolve(actor=personas.parent_b, report=first, hide=True)
    services.report_resolve(actor=personas.direction, report=first, hide=True)
    assert set(Report.objects.values_list("state", flat=True)) == {Report.State.HIDDEN}
    assert not selectors.visible_posts(personas.parent_a).filter(pk=post.pk).exists()
    assert selectors.visible_posts(personas.teacher_a).filter(pk=post.pk).exists()


def test_resolve_dismiss_keeps_content(personas, post_for):
    comment = services.comment_add(actor=personas.parent_a, post=post_for(), body="Hm")
    report = services.report_create(actor=personas.multi_school_parent, comment=comment, reason="x")
    services.report_resolve(actor=personas.teacher_a, report=report, hide=False)
    comment.refresh_from_db()
    assert (report.state, comment.hidden_at) == (Report.State.DISMISSED, None)
