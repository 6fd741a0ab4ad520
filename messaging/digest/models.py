"""Scheduled communication: the monthly newsletter and the weekly cadence reminders.

The digest itself needs no model of its own: its run and per-parent rows are mailings'
MailRun and MailDelivery, keyed by school and ISO week.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["CadenceReminder", "Newsletter"]

NEWSLETTER_TITLE_MAX = 150
NEWSLETTER_BODY_MAX = 10_000


def newsletter_attachment_key(instance, filename):
    # A random stored name: a leaked path reveals nothing and cannot be guessed.
    return f"messaging/newsletters/{secrets.token_urlsafe(24)}"


class Newsletter(models.Model):
    """The school's monthly newsletter: written and previewed as a draft, scheduled for the
    school's newsletter day, then published once and never edited again."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENT = "sent", _("Sent")

    school = models.ForeignKey(
        "groups.School",
        on_delete=models.CASCADE,
        related_name="newsletters",
        verbose_name=_("school"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=NEWSLETTER_TITLE_MAX)
    # Sanitized HTML (messaging.digest.formatting): only the small formatting subset survives.
    body = models.TextField(_("text"), max_length=NEWSLETTER_BODY_MAX * 2)
    attachment = models.FileField(
        _("attachment (PDF)"), upload_to=newsletter_attachment_key, max_length=200, blank=True
    )
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.DRAFT)
    # The first day of the month it is for; one newsletter per school per month.
    month = models.DateField(_("month"))
    publish_at = models.DateTimeField(_("to be published at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The school-wide feed post it became when it was sent.
    post = models.OneToOneField(
        "messaging.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter",
        verbose_name=_("feed post"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        app_label = "messaging"
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month"], name="messaging_newsletter_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(publish_at__isnull=False),
                name="messaging_newsletter_scheduled_has_moment",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def editable(self):
        return self.state == self.State.DRAFT


class CadenceReminder(models.Model):
    """An in-app reminder for a group's staff: no group message yet this week."""

    school = models.ForeignKey(
        "groups.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    group = models.ForeignKey(
        "groups.Group",
        on_delete=models.CASCADE,
        related_name="cadence_reminders",
        verbose_name=_("group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cadence_reminders",
        verbose_name=_("staff member"),
    )
    week = models.CharField(_("week"), max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        app_label = "messaging"
        verbose_name = _("group-message reminder")
        verbose_name_plural = _("group-message reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user", "week"], name="messaging_cadence_once_per_week"
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.week} → {self.user_id}"
