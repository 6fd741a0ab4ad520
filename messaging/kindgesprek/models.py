"""Kindgesprek: one private conversation per child per school year.

A thread is shared by the child's guardians who receive communication and the staff of the
child's current group; who may see it is decided in selectors.access_thread only.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import WEEKDAYS

__all__ = [
    "Attachment",
    "Message",
    "MessageMedia",
    "MessageNotification",
    "MessageRead",
    "PersonalMessageCoachRun",
    "StaffAvailability",
    "Thread",
]


class Side(models.TextChoices):
    PARENT = "parent", _("Parent")
    STAFF = "staff", _("School")


class Thread(models.Model):
    child = models.ForeignKey(
        "groups.Child",
        on_delete=models.CASCADE,
        related_name="kindgesprek_threads",
        verbose_name=_("child"),
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        app_label = "messaging"
        verbose_name = _("kindgesprek")
        verbose_name_plural = _("kindgesprekken")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "school_year"], name="messaging_thread_one_per_child_year"
            ),
        ]

    def __str__(self):
        return f"{self.child} ({self.school_year})"


class Message(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="messages", verbose_name=_("kindgesprek")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="kindgesprek_messages",
        verbose_name=_("author"),
    )
    author_side = models.CharField(_("written by"), max_length=8, choices=Side)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    # Later than created_at when staff chose to send it at the start of their working hours;
    # the other side sees the message only from this moment on.
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        app_label = "messaging"
        verbose_name = _("kindgesprek message")
        verbose_name_plural = _("kindgesprek messages")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["thread", "sent_at"], name="messaging_msg_thread_sent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__gte=F("created_at")),
                name="messaging_message_sent_after_written",
            ),
        ]

    def __str__(self):
        return f"{self.thread}: {self.author} {self.sent_at:%Y-%m-%d %H:%M}"

    @property
    def is_scheduled(self):
        return self.sent_at > timezone.now()


class MessageRead(models.Model):
    """A read receipt: who read which message, and when."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reads", verbose_name=_("message")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kindgesprek_reads",
        verbose_name=_("reader"),
    )
    read_at = models.DateTimeField(_("read"), default=timezone.now)

    class Meta:
        app_label = "messaging"
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="messaging_read_once"),
        ]

    def __str__(self):
        return f"{self.user} read {self.message_id}"


def attachment_upload_to(instance, _filename):
    # The stored name is the random key only: nothing about the child or the original file.
    return f"kindgesprek/{instance.key[:2]}/{instance.key}"


def new_attachment_key():
    return secrets.token_urlsafe(32)


class Attachment(models.Model):
    class Kind(models.TextChoices):
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        PDF = "application/pdf", "PDF"

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    key = models.CharField(max_length=64, unique=True, default=new_attachment_key, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=32, choices=Kind)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        app_label = "messaging"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class MessageMedia(models.Model):
    """A photo in a kindgesprek message, shared through media_sharing with this child's
    guardians and group staff; media_sharing decides at each request who may see it."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="media_links", verbose_name=_("message")
    )
    item = models.OneToOneField(
        "media_sharing.MediaItem",
        on_delete=models.CASCADE,
        related_name="message_link",
        verbose_name=_("photo"),
    )

    class Meta:
        app_label = "messaging"
        verbose_name = _("photo in a message")
        verbose_name_plural = _("photos in messages")
        ordering = ["message", "id"]

    def __str__(self):
        return f"{self.item_id} in {self.message_id}"


class StaffAvailability(models.Model):
    """A staff member's own reading hours on one weekday at one school.

    Without rows the school's staff hours on the membership's working days apply; once the
    staff member saves their hours, all seven weekdays have a row (no times = not working).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kindgesprek_availability",
        verbose_name=_("staff member"),
    )
    school = models.ForeignKey(
        "groups.School",
        on_delete=models.CASCADE,
        related_name="kindgesprek_availability",
        verbose_name=_("school"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        app_label = "messaging"
        verbose_name = _("reading hours")
        verbose_name_plural = _("reading hours")
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "weekday"], name="messaging_availability_one_per_day"
            ),
            models.CheckConstraint(
                condition=(Q(start__isnull=True, end__isnull=True) | Q(start__lt=F("end"))),
                name="messaging_availability_order",
                violation_error_message=_("The end time must be after the start time."),
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.get_weekday_display()}"


class MessageNotification(models.Model):
    """An e-mail owed to one person about one message, due at a moment (quiet hours).

    Claimed with a conditional UPDATE before sending, so a retry or a second worker never
    sends it twice.
    """

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("message")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kindgesprek_notifications",
        verbose_name=_("recipient"),
    )
    due_at = models.DateTimeField(_("due"), db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        app_label = "messaging"
        verbose_name = _("message notification")
        verbose_name_plural = _("message notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "recipient"], name="messaging_notification_once"
            ),
        ]

    def __str__(self):
        return f"{self.recipient} about {self.message_id}"


class PersonalMessageCoachRun(models.Model):
    """One weekly coach summary per staff member per week, claimed before it is sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kindgesprek_coach_runs",
        verbose_name=_("staff member"),
    )
    week = models.CharField(_("week"), max_length=8)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        app_label = "messaging"
        verbose_name = _("coach summary")
        verbose_name_plural = _("coach summaries")
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="messaging_coach_once_a_week"),
        ]

    def __str__(self):
        return f"{self.user} {self.week}"
