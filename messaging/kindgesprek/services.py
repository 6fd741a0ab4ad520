"""Writes for the kindgesprek: sending, reading, reading hours, notifications, the coach."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.models import NotificationMode
from groups import selectors as audience
from groups.models import StaffMembership
from media_sharing import services as media_services

from . import selectors
from .models import (
    Attachment,
    Message,
    MessageMedia,
    MessageNotification,
    MessageRead,
    PersonalMessageCoachRun,
    Side,
    StaffAvailability,
    Thread,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAX_IMAGE_PIXELS = 40_000_000
MAX_BODY = 5000


# --- Attachments ------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes


def _read_upload(upload) -> bytes:
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"attachments": _("%(name)s is larger than 10 MB.") % {"name": upload.name}}
        )
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"attachments": _("%(name)s is larger than 10 MB.") % {"name": upload.name}}
        )
    return data


def _reencode_image(data: bytes, name: str) -> tuple[bytes, str]:
    """Decode and re-encode a photo so that no metadata (location, camera) is stored."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"JPEG", "PNG"}:
                raise UnidentifiedImageError
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    {"attachments": _("%(name)s has too many pixels.") % {"name": name}}
                )
            fmt = image.format
            # A new image from the pixels alone carries no EXIF, XMP or text chunks.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P" and image.getpalette():
                clean.putpalette(image.getpalette())
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            {"attachments": _("%(name)s is not a readable photo.") % {"name": name}}
        ) from None
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.convert("RGB").save(out, format="JPEG", quality=88)
        return out.getvalue(), Attachment.Kind.JPEG
    clean.save(out, format="PNG")
    return out.getvalue(), Attachment.Kind.PNG


def _check_upload(upload) -> CheckedFile:
    """Accept photos (JPEG, PNG) and PDF documents, recognised by their content."""
    data = _read_upload(upload)
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    if data.startswith(b"%PDF-"):
        return CheckedFile(name=name, content_type=Attachment.Kind.PDF, data=data)
    if data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n"):
        clean, content_type = _reencode_image(data, name)
        return CheckedFile(name=name, content_type=content_type, data=clean)
    raise ValidationError(
        {
            "attachments": _("%(name)s is not a photo (JPEG, PNG) or a PDF document.")
            % {"name": name}
        }
    )


# --- Sending ----------------------------------------------------------------------------


def _thread_get_or_create(child) -> Thread:
    year = child.group.school_year
    try:
        with transaction.atomic():
            thread, _created = Thread.objects.get_or_create(child=child, school_year=year)
    except IntegrityError:
        # Two first messages at once: the other request created it.
        thread = Thread.objects.get(child=child, school_year=year)
    return thread


def _photos_store(actor, child, photos) -> list:
    """Photos go through media_sharing (checked, re-encoded, variants, consent at display).
    All or nothing for a message: if one is refused, none is kept and the message waits."""
    if not photos:
        return []
    try:
        result = media_services.media_upload(actor=actor, child=child, files=photos)
    except ValidationError as error:
        # media_sharing names its field "files"; here the field the sender filled is "photos".
        raise ValidationError({"photos": error.messages}) from None
    if result.rejections:
        for item in result.items:
            media_services.media_delete(actor=actor, item=item)
        raise ValidationError({"photos": [str(rejection) for rejection in result.rejections]})
    return result.items


def message_send(
    *, actor, child, body, attachments=(), photos=(), send_at=None, now=None
) -> Message:
    """Write in the child's kindgesprek of this school year (created on the first message).

    `child` is a Child or its id; a child that is not the actor's gives 404. Staff may pass
    `send_at` (the start of their next working hours) to send the message later.
    """
    now = now or timezone.now()
    child_id = getattr(child, "pk", child)
    child = selectors.writable_child(actor, child_id)
    side = selectors.side_of(actor, child)
    body = (body or "").strip()
    errors = {}
    if not body:
        errors["body"] = _("Write a message before sending.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("A message can be at most %(max)s characters.") % {"max": MAX_BODY}
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = _("Attach at most %(max)s files.") % {"max": MAX_ATTACHMENTS}
    if send_at is not None:
        expected = selectors.send_later_moment(actor, child, now=now)
        if side != Side.STAFF or expected is None or send_at != expected:
            errors["send_at"] = _("This message can no longer be scheduled; send it now.")
    if errors:
        raise ValidationError(errors)
    checked = [_check_upload(upload) for upload in attachments]
    items = _photos_store(actor, child, list(photos))

    with transaction.atomic():
        thread = _thread_get_or_create(child)
        message = Message.objects.create(
            thread=thread,
            author=actor,
            author_side=side,
            body=body,
            created_at=now,
            sent_at=send_at or now,
        )
        for item in checked:
            attachment = Attachment(
                message=message,
                original_name=item.name,
                content_type=item.content_type,
                size=len(item.data),
            )
            attachment.file.save(attachment.key, ContentFile(item.data), save=False)
            attachment.save()
        if items:
            # Shared from the moment the message is, so a scheduled message's photo waits too.
            media_services.media_publish(actor=actor, items=items, at=message.sent_at)
            MessageMedia.objects.bulk_create(MessageMedia(message=message, item=i) for i in items)
        due_ids = _notifications_plan(message, child, now=now)
        transaction.on_commit(lambda: _dispatch(due_ids))
        _unread_changed()
    return message


def _notifications_plan(message, child, *, now) -> list[int]:
    """One due row per recipient: parents when the message is sent, staff at the start of
    their next reading hours (quiet hours). Returns the ids due right away."""
    school = child.group.school
    rows = []
    if message.author_side == Side.STAFF:
        # Parents who chose "only in the weekly digest" find the unread count there instead.
        parents = audience.guardians_of(child).exclude(pk=message.author_id)
        for person in parents.exclude(message_notifications=NotificationMode.DIGEST):
            rows.append(
                MessageNotification(message=message, recipient=person, due_at=message.sent_at)
            )
    else:
        people = list(selectors.staff_recipients(child).exclude(pk=message.author_id))
        hours = selectors.staff_hours_of(people, school)
        for person in people:
            moment = selectors.next_reading_moment(hours[person.pk], school, now)
            rows.append(
                MessageNotification(message=message, recipient=person, due_at=moment or now)
            )
    created = MessageNotification.objects.bulk_create(rows)
    return [row.pk for row in created if row.due_at <= now]


def _dispatch(notification_ids):
    # Imported here: tasks import this module.
    from .tasks import send_message_notification

    for notification_id in notification_ids:
        send_message_notification.delay(notification_id)


def notification_send(*, notification_id, now=None) -> bool:
    """Send one due notification e-mail once; False when not due, gone or already sent."""
    now = now or timezone.now()
    claimed = MessageNotification.objects.filter(
        pk=notification_id, sent_at__isnull=True, due_at__lte=now
    ).update(sent_at=now)
    if not claimed:
        return False
    notification = MessageNotification.objects.select_related(
        "recipient", "message__thread__child__group__school"
    ).get(pk=notification_id)
    recipient = notification.recipient
    thread = notification.message.thread
    # Access is checked again at sending time: a guardian flagged meanwhile, or a teacher
    # who left the group, gets nothing.
    if not selectors.visible_threads(recipient).filter(pk=thread.pk).exists():
        return False
    with translation.override(recipient.preferred_language):
        context = {
            "recipient": recipient,
            "child": thread.child,
            "school": thread.child.group.school,
            "url": settings.SITE_URL.rstrip("/") + reverse("kindgesprek:thread", args=[thread.pk]),
        }
        subject = _("New message about %(child)s") % {"child": thread.child.first_name}
        text = render_to_string("messaging/kindgesprek/email/new_message.txt", context)
    send_mail(subject, text, None, [recipient.email])
    return True


def notifications_send_due(*, now=None) -> int:
    """Send every notification whose moment has come (run every minute by beat)."""
    now = now or timezone.now()
    ids = list(
        MessageNotification.objects.filter(sent_at__isnull=True, due_at__lte=now).values_list(
            "pk", flat=True
        )[:500]
    )
    return sum(notification_send(notification_id=pk, now=now) for pk in ids)


# --- Reading ----------------------------------------------------------------------------


def thread_mark_read(*, actor, thread, now=None) -> int:
    """Mark every message the actor can see in the thread as read by them."""
    now = now or timezone.now()
    message_ids = (
        selectors.visible_messages(actor, thread, now=now)
        .filter(sent_at__lte=now)
        .exclude(author=actor)
        .exclude(reads__user=actor)
        .values_list("pk", flat=True)
    )
    rows = [MessageRead(message_id=pk, user=actor, read_at=now) for pk in message_ids]
    MessageRead.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        _unread_changed()
    return len(rows)


def _unread_changed() -> None:
    # Now, for the rest of this request, and again after commit: a badge another request
    # counted from the old rows in between must not be kept.
    selectors.unread_changed()
    transaction.on_commit(selectors.unread_changed)


# --- Reading hours ----------------------------------------------------------------------


def availability_set(*, actor, school, hours) -> None:
    """Save the staff member's reading hours: {weekday: (start, end) or None} for 1 to 7."""
    if not StaffMembership.objects.filter(user=actor, school=school, user__is_active=True):
        raise ValidationError(_("You do not work at this school."))
    errors = {}
    for day in range(1, 8):
        span = hours.get(day)
        if span and not (span[0] and span[1] and span[0] < span[1]):
            errors[f"day_{day}"] = _("The end time must be after the start time.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for day in range(1, 8):
            span = hours.get(day)
            StaffAvailability.objects.update_or_create(
                user=actor,
                school=school,
                weekday=day,
                defaults={"start": span[0] if span else None, "end": span[1] if span else None},
            )


# --- Coach ------------------------------------------------------------------------------


def coach_week_key(now) -> str:
    year, week, _day = now.isocalendar()
    return f"{year}W{week:02d}"


def coach_summary_send(*, user, now=None) -> bool:
    """The weekly summary for one staff member, at most once per ISO week."""
    now = now or timezone.now()
    rows = selectors.coach_rows(user, now=now)
    if not rows:
        return False
    try:
        with transaction.atomic():
            PersonalMessageCoachRun.objects.create(user=user, week=coach_week_key(now), sent_at=now)
    except IntegrityError:
        return False
    overdue = [row for row in rows if row.overdue]
    with translation.override(user.preferred_language):
        context = {
            "recipient": user,
            "overdue": overdue,
            "total": len(rows),
            "url": settings.SITE_URL.rstrip("/") + reverse("kindgesprek:coach"),
        }
        subject = _("Something personal this week: your overview")
        text = render_to_string("messaging/kindgesprek/email/coach_summary.txt", context)
    send_mail(subject, text, None, [user.email])
    return True


def coach_summaries_send(*, now=None) -> int:
    """Weekly: every active teacher and assistant of a school that uses the coach."""
    now = now or timezone.now()
    staff = (
        StaffMembership.objects.filter(
            role__in=StaffMembership.GROUP_ROLES,
            user__is_active=True,
            school__personal_message_coach=True,
        )
        .select_related("user")
        .order_by("user_id")
        .distinct()
    )
    people = {membership.user_id: membership.user for membership in staff}
    return sum(coach_summary_send(user=person, now=now) for person in people.values())
