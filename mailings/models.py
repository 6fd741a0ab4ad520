from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailRun(models.Model):
    """One sending of one kind of mail for one period, e.g. school 3's digest of 2026-W47.

    The (kind, period_key) pair is unique: a second beat tick or a manual rerun finds the
    same run instead of starting another.
    """

    kind = models.CharField(_("kind"), max_length=32)
    period_key = models.CharField(_("period"), max_length=64)
    school = models.ForeignKey(
        "groups.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mail_runs",
        verbose_name=_("school"),
    )
    payload = models.JSONField(_("content"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail run")
        verbose_name_plural = _("mail runs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_key"], name="mailings_run_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.period_key}"


class MailDelivery(models.Model):
    """One recipient's mail of a run; its state is claimed with conditional updates."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CLAIMED = "claimed", _("Claimed by a worker")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Unknown: check by hand")

    run = models.ForeignKey(
        MailRun, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("run")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mail_deliveries",
        verbose_name=_("recipient"),
    )
    state = models.CharField(
        _("state"), max_length=8, choices=State, default=State.PENDING, db_index=True
    )
    claim_token = models.CharField(max_length=32, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True, default="")
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resent by"),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "recipient"], name="mailings_one_per_recipient"),
        ]

    def __str__(self):
        return f"{self.run} → {self.recipient_id}: {self.state}"
