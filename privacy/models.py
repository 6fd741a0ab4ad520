"""Consent per child, per purpose, per school year, kept as an append-only ledger.

The current state is never stored: it is derived from the events (see selectors.py), so the
ledger is the single source of truth and doubles as the evidence the AVG asks for.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Child, School


class ConsentPurpose(models.Model):
    """Something a school wants to do with a child's image or name, asked per school year."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="consent_purposes", verbose_name=_("school")
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=150)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("consent purpose")
        verbose_name_plural = _("consent purposes")
        ordering = ["school__name", "ordering", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "code"], name="privacy_purpose_unique_code_per_school"
            ),
        ]

    def __str__(self):
        return self.name


class ConsentPurposeText(models.Model):
    """The wording parents read. A new wording is a new version; old versions stay, because
    every decision records the version it was given on."""

    purpose = models.ForeignKey(
        ConsentPurpose, on_delete=models.CASCADE, related_name="texts", verbose_name=_("purpose")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"], name="privacy_text_unique_version"
            ),
        ]

    def __str__(self):
        return f"{self.purpose} v{self.version}"


class ImmutableEventError(Exception):
    """Raised when code tries to change or remove a ledger entry."""


class ConsentEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEventError("Consent events are never updated.")

    def delete(self):
        raise ImmutableEventError("Consent events are never deleted.")


class ConsentEvent(models.Model):
    """One decision about one child and one purpose. Never updated, never deleted: the ORM
    refuses here, and on PostgreSQL a trigger refuses below the ORM (migration 0002)."""

    class Decision(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    class Source(models.TextChoices):
        APP = "app", _("In the app")
        PAPER = "paper", _("Paper form")
        IMPORT = "import", _("Import")

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="consent_events", verbose_name=_("child")
    )
    purpose = models.ForeignKey(
        ConsentPurpose, on_delete=models.PROTECT, related_name="events", verbose_name=_("purpose")
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    decision = models.CharField(_("decision"), max_length=8, choices=Decision)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("on behalf of guardian"),
    )
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source, default=Source.APP)
    text_version = models.PositiveSmallIntegerField(_("text version shown"))
    created_at = models.DateTimeField(_("decided at"), default=timezone.now, db_index=True)

    objects = ConsentEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent decision")
        verbose_name_plural = _("consent decisions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["child", "purpose", "school_year"], name="privacy_event_lookup"),
        ]
        constraints = [
            # In the app a guardian decides for themselves; on paper or by import someone
            # else records a named guardian's decision and must say why.
            models.CheckConstraint(
                condition=(Q(source="app") & Q(on_behalf_of__isnull=True))
                | (~Q(source="app") & Q(on_behalf_of__isnull=False) & ~Q(reason="")),
                name="privacy_event_on_behalf_needs_guardian_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["granted", "refused"]),
                name="privacy_event_decision_valid",
            ),
        ]

    def __str__(self):
        return f"{self.child} · {self.purpose} · {self.get_decision_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEventError("Consent events are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEventError("Consent events are never deleted.")

    @property
    def guardian_id(self):
        """The guardian whose decision this is."""
        return self.on_behalf_of_id or self.decided_by_id

    @property
    def guardian(self):
        return self.on_behalf_of if self.on_behalf_of_id else self.decided_by

    def clean(self):
        super().clean()
        if self.child_id and self.purpose_id and self.purpose.school_id != self.child.school_id:
            raise ValidationError({"purpose": _("The purpose must belong to the child's school.")})


class DataExport(models.Model):
    """A person's copy of their data (AVG art. 15/20), built in the background and offered
    once through a link that expires. Only a hash of the link's token is stored."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        DOWNLOADED = "downloaded", _("Downloaded")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    file = models.FileField(_("file"), upload_to="privacy/exports/", blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.get_status_display()}"


class AccountDeletionRequest(models.Model):
    """A parent's request to delete their account (AVG art. 17), confirmed by the school's
    administration. Kept after the erasure as the log of it, without the person's data."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the administration")
        ERASED = "erased", _("Account deleted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deletion_requests",
        verbose_name=_("account"),
    )
    schools = models.ManyToManyField(
        School,
        related_name="deletion_requests",
        verbose_name=_("schools"),
        help_text=_("The schools of the person's children when they asked."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.REQUESTED)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("confirmed by"),
    )
    erased_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account deletion request")
        verbose_name_plural = _("account deletion requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="requested"),
                name="privacy_one_open_deletion_request",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_status_display()}"
