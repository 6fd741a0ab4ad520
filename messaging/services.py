"""The only writes of the feed: posts, read receipts, comments, reports, attachments."""

import datetime
import logging
import zipfile
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups import selectors as group_selectors
from groups.models import Group, School
from media_sharing import selectors as media_selectors
from media_sharing import services as media_services

from . import selectors
from .models import (
    BODY_MAX,
    COMMENT_MAX,
    REASON_MAX,
    TITLE_MAX,
    Comment,
    Post,
    PostAttachment,
    PostAudience,
    PostMedia,
    PostRead,
    Report,
)

logger = logging.getLogger(__name__)

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_PER_POST = 5
# A clock a few seconds behind the server must not turn "now" into "in the past".
PAST_TOLERANCE = datetime.timedelta(minutes=1)


# --- staff hours --------------------------------------------------------------------------


def is_outside_staff_hours(school: School, moment: datetime.datetime) -> bool:
    local = moment.astimezone(school.tz)
    return not (
        local.isoweekday() in school.staff_workdays
        and school.staff_hours_start <= local.time() < school.staff_hours_end
    )


def next_staff_hours_start(school: School, moment: datetime.datetime) -> datetime.datetime:
    """The next moment the school's staff hours begin, in the school's time zone (so the
    wall-clock time stays 08:00 across a DST change)."""
    local = moment.astimezone(school.tz)
    for days_ahead in range(8):
        day = local.date() + datetime.timedelta(days=days_ahead)
        start = datetime.datetime.combine(day, school.staff_hours_start, tzinfo=school.tz)
        if day.isoweekday() in school.staff_workdays and start > local:
            return start
    # No working day configured at all: tomorrow at the start time.
    day = local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, school.staff_hours_start, tzinfo=school.tz)


# --- posts --------------------------------------------------------------------------------


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the post a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title is too long.")
    if not body:
        errors["body"] = _("Write the text of the post.")
    elif len(body) > BODY_MAX:
        errors["body"] = _("The text is too long.")
    if errors:
        raise ValidationError(errors)
    return title, body


def _clean_publish_at(publish_at, now):
    if publish_at is None:
        return now
    if timezone.is_naive(publish_at):
        raise ValidationError({"publish_at": _("Give the moment with its time zone.")})
    if publish_at < now - PAST_TOLERANCE:
        raise ValidationError({"publish_at": _("A post cannot be scheduled in the past.")})
    return publish_at


def _audience(actor, school: School, group_ids: Iterable[int], school_wide: bool) -> list[int]:
    """The group ids the actor may post to, or a ValidationError; a fixed number of queries
    whatever the number of groups."""
    leads = group_selectors.is_school_leadership(actor, school)
    school_groups = Group.objects.filter(school=school)
    if school_wide:
        if not leads:
            raise ValidationError(
                {"groups": _("Only direction and administration post to the whole school.")}
            )
        # The groups of the school's newest school year: last year's groups have moved on.
        newest = school_groups.order_by("-school_year").values("school_year")[:1]
        return list(school_groups.filter(school_year=Subquery(newest)).values_list("id", flat=True))
    wanted = {int(pk) for pk in group_ids}
    if not wanted:
        raise ValidationError({"groups": _("Choose at least one group.")})
    if leads:
        allowed = set(school_groups.filter(id__in=wanted).values_list("id", flat=True))
    else:
        allowed = set(
            group_selectors.staffed_groups(actor)
            .filter(school=school, id__in=wanted)
            .values_list("id", flat=True)
        )
    if allowed != wanted:
        raise ValidationError({"groups": _("You can only post to groups you work in.")})
    return sorted(wanted)


@transaction.atomic
def post_publish(
    *,
    actor,
    school: School,
    title: str,
    body: str,
    group_ids: Iterable[int] = (),
    school_wide: bool = False,
    allow_reactions: bool | None = None,
    publish_at: datetime.datetime | None = None,
    attachments: Iterable = (),
    media_ids: Iterable[int] = (),
) -> Post:
    """Publish now, or at `publish_at`. Writes one post row, one row per group (in bulk) and
    the attachments: the same number of queries for 35 families as for 400.

    `media_ids` are the author's unpublished photos and videos (uploaded and tagged through
    media_sharing) of the post's groups; they pass media_sharing's consent gate or the whole
    post is refused, naming the children who block it."""
    now = timezone.now()
    title, body = _clean_text(title, body)
    publish_at = _clean_publish_at(publish_at, now)
    audience = _audience(actor, school, group_ids, school_wide)
    attachments = list(attachments)
    checked = [attachment_check(upload) for upload in attachments]
    if len(checked) > ATTACHMENTS_PER_POST:
        raise ValidationError(
            {
                "attachments": ngettext(
                    "Attach at most %(count)d file.",
                    "Attach at most %(count)d files.",
                    ATTACHMENTS_PER_POST,
                )
                % {"count": ATTACHMENTS_PER_POST}
            }
        )
    media = _post_media(actor, media_ids, audience, school_wide=school_wide)
    if allow_reactions is None:
        allow_reactions = not school_wide
    post = Post.objects.create(
        school=school,
        author=actor,
        title=title,
        body=body,
        is_school_wide=school_wide,
        allow_reactions=allow_reactions,
        publish_at=publish_at,
    )
    PostAudience.objects.bulk_create(PostAudience(post=post, group_id=pk) for pk in audience)
    for upload, content_type in zip(attachments, checked, strict=True):
        PostAttachment.objects.create(
            post=post,
            file=upload,
            display_name=_display_name(upload.name),
            content_type=content_type,
            size=upload.size,
        )
    if media:
        try:
            media_services.media_publish(actor=actor, items=media, at=publish_at)
        except ValidationError as error:
            raise ValidationError({"media": error.message_dict["items"]}) from None
        PostMedia.objects.bulk_create(
            PostMedia(post=post, item=item, position=n) for n, item in enumerate(media)
        )
    return post


def _post_media(actor, media_ids, group_ids, *, school_wide) -> list:
    media_ids = list(dict.fromkeys(int(pk) for pk in media_ids))
    if not media_ids:
        return []
    if school_wide:
        # A photo is shared with its own group's families only, never the whole school.
        raise ValidationError(
            {"media": _("Photos and videos go to their own group: post them to that group.")}
        )
    items = {item.pk: item for item in media_selectors.draft_media(actor).filter(pk__in=media_ids)}
    if len(items) != len(media_ids) or any(
        item.group_id not in group_ids for item in items.values()
    ):
        raise ValidationError(
            {"media": _("Add only your own new photos and videos of the groups of this post.")}
        )
    try:
        media_services.media_post_limits_check(items.values())
    except ValidationError as error:
        raise ValidationError({"media": error.messages}) from None
    return [items[pk] for pk in media_ids]


def post_schedule(*, actor, post: Post, publish_at: datetime.datetime) -> Post:
    """Move a not yet published post of the author to another future moment."""
    _require_author(actor, post)
    now = timezone.now()
    if post.publish_at <= now:
        raise ValidationError({"publish_at": _("This post is already published.")})
    post.publish_at = _clean_publish_at(publish_at, now)
    post.save(update_fields=["publish_at"])
    return post


def _require_author(actor, post: Post):
    if post.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can change this post."))


@transaction.atomic
def post_update(
    *, actor, post: Post, title: str, body: str, allow_reactions: bool | None = None
) -> Post:
    _require_author(actor, post)
    post.title, post.body = _clean_text(title, body)
    if allow_reactions is not None:
        post.allow_reactions = allow_reactions
    post.edited_at = timezone.now()
    post.save(update_fields=["title", "body", "allow_reactions", "edited_at"])
    return post


@transaction.atomic
def post_delete(*, actor, post: Post) -> None:
    _require_author(actor, post)
    names = [attachment.file.name for attachment in post.attachments.all()]
    storage = PostAttachment._meta.get_field("file").storage
    post.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


# --- attachments --------------------------------------------------------------------------

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
OOXML = {
    b"word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    b"xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    b"ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = (
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.presentation",
)


def _sniff(head: bytes, upload) -> str | None:
    """The content type judged from the bytes, never from the name or the browser's claim."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(OLE2_MAGIC):
        return "application/vnd.ms-office"
    if head.startswith(ZIP_MAGIC):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    kind = archive.read("mimetype").strip()
                    return kind.decode() if kind in ODF else None
                if "[Content_Types].xml" in names:
                    for prefix, kind in OOXML.items():
                        if any(name.encode().startswith(prefix) for name in names):
                            return kind
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
    return None


def attachment_check(upload) -> str:
    """Size and content checks; returns the content type to serve the file with."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "attachments": _("%(name)s is larger than %(limit)d MB.")
                % {"name": _display_name(upload.name), "limit": ATTACHMENT_MAX_BYTES // 2**20}
            }
        )
    upload.seek(0)
    head = upload.read(8)
    content_type = _sniff(head, upload)
    upload.seek(0)
    if content_type is None:
        raise ValidationError(
            {
                "attachments": _(
                    "%(name)s is not a PDF or office document (Word, Excel, PowerPoint, "
                    "OpenDocument)."
                )
                % {"name": _display_name(upload.name)}
            }
        )
    return content_type


def _display_name(name: str) -> str:
    # Only the last path component, as a label: it never becomes a storage path.
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or _("attachment")


# --- read receipts ------------------------------------------------------------------------


def post_mark_read(*, actor, post_ids: Iterable[int]) -> int:
    """Record that the actor saw these posts. Idempotent; ids the actor may not see are
    ignored. Two queries whatever the number of ids."""
    ids = {int(pk) for pk in post_ids}
    if not ids:
        return 0
    visible = list(selectors.visible_posts(actor).filter(id__in=ids).values_list("id", flat=True))
    now = timezone.now()
    PostRead.objects.bulk_create(
        [PostRead(post_id=pk, user=actor, read_at=now) for pk in visible],
        ignore_conflicts=True,
    )
    return len(visible)


# --- comments and moderation --------------------------------------------------------------


def comment_add(*, actor, post: Post, body: str) -> Comment:
    post = selectors.access_post(actor, post.pk)
    body = (body or "").strip()
    if not post.allow_reactions:
        raise ValidationError({"body": _("Reactions are switched off for this post.")})
    if post.hidden or not post.published:
        raise ValidationError({"body": _("You cannot react to this post.")})
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": _("The comment is too long.")})
    return Comment.objects.create(post=post, author=actor, body=body)


def comment_hide(*, actor, comment: Comment) -> Comment:
    if not selectors.may_moderate(actor, comment.post):
        raise PermissionDenied(_("Only the group's staff and the direction can hide this."))
    if comment.hidden_at is None:
        comment.hidden_at = timezone.now()
        comment.save(update_fields=["hidden_at"])
    return comment


@transaction.atomic
def report_create(*, actor, reason: str, post: Post | None = None, comment=None) -> Report:
    """Report a post or a comment the actor can see; once per person per target. The group's
    teachers and the school's direction are told after commit."""
    reason = (reason or "").strip()
    if (post is None) == (comment is None):
        raise ValidationError(_("Report either a post or a comment."))
    target_post = post if post is not None else comment.post
    selectors.access_post(actor, target_post.pk)
    if comment is not None and comment.hidden_at is not None:
        raise ValidationError(_("This comment has already been hidden."))
    if not reason:
        raise ValidationError({"reason": _("Tell us why this is inappropriate.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("The reason is too long.")})
    target = {"post": post} if post is not None else {"comment": comment}
    if Report.objects.filter(reporter=actor, **target).exists():
        raise ValidationError(_("You have already reported this."))
    report = Report.objects.create(post=post, comment=comment, reporter=actor, reason=reason)
    recipients = list(
        selectors.moderators_of(target_post).values_list("email", "preferred_language")
    )
    transaction.on_commit(lambda: _notify_moderators(report.pk, recipients))
    return report


def _notify_moderators(report_id: int, recipients: list):
    """One short e-mail per moderator in their own language; it names no child and quotes
    nothing, the moderation list in the app shows the content."""
    messages = []
    for email, language in recipients:
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = _("Schoolbrug: a post or comment was reported")
            text = _(
                "A parent reported content in a group feed as inappropriate. Open Schoolbrug "
                "and go to Messages → Moderation to hide it or dismiss the report."
            )
        messages.append((subject, text, settings.DEFAULT_FROM_EMAIL, [email]))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    logger.info("report %s sent to %d moderators", report_id, len(messages))


@transaction.atomic
def report_resolve(*, actor, report: Report, hide: bool) -> Report:
    """Hide the reported content (parents stop seeing it at once) or dismiss the report.
    Every open report on the same content is resolved with it."""
    target_post = report.target_post
    if not selectors.may_moderate(actor, target_post):
        raise PermissionDenied(_("Only the group's staff and the direction can do this."))
    now = timezone.now()
    if report.post_id:
        same = Report.objects.filter(post_id=report.post_id)
        target = report.post
    else:
        same = Report.objects.filter(comment_id=report.comment_id)
        target = report.comment
    if hide and target.hidden_at is None:
        target.hidden_at = now
        target.save(update_fields=["hidden_at"])
    state = Report.State.HIDDEN if hide else Report.State.DISMISSED
    same.filter(state=Report.State.OPEN).update(state=state, resolved_at=now, resolved_by=actor)
    report.refresh_from_db()
    return report
