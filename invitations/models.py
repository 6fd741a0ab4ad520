import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Child, Group, School, StaffMembership


def hash_token(token: str) -> str:
    """Only this hash is stored: a database leak gives no usable invitation links."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Sent and not yet expired: the link still works."""
        return self.filter(state=Invitation.State.SENT, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """One person invited by e-mail: as guardian of a child, or as staff with a role."""

    class Kind(models.TextChoices):
        GUARDIAN = "guardian", _("Guardian")
        STAFF = "staff", _("Staff")

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.GUARDIAN)
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("child"),
    )
    role = models.CharField(_("role"), max_length=16, choices=StaffMembership.Role, blank=True)
    groups = models.ManyToManyField(
        Group, blank=True, related_name="staff_invitations", verbose_name=_("groups")
    )
    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The link is made and mailed by the delivery task, which claims this flag first: the raw
    # token never passes through the broker, and a retried task never mails twice.
    delivery_pending = models.BooleanField(default=True, editable=False)
    # "expired" is derived from expires_at (see current_state); the stored state is only
    # ever sent, accepted or revoked.
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.SENT)
    expires_at = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
        verbose_name=_("accepted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="guardian", child__isnull=False, role="")
                    | Q(kind="staff", child__isnull=True) & ~Q(role="")
                ),
                name="invitations_kind_fields",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["sent", "accepted", "revoked"]),
                name="invitations_stored_state",
            ),
            # One live invitation per person and child (or per person and school for staff);
            # the import and the admin resend that one instead of piling up links.
            models.UniqueConstraint(
                fields=["child", "email"],
                condition=Q(state="sent", kind="guardian"),
                name="invitations_one_open_per_child",
            ),
            models.UniqueConstraint(
                fields=["school", "email"],
                condition=Q(state="sent", kind="staff"),
                name="invitations_one_open_staff_per_school",
            ),
        ]
        indexes = [models.Index(fields=["school", "state"])]

    def __str__(self):
        return self.email

    @property
    def current_state(self):
        if self.state == self.State.SENT and self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State(self.state)

    def get_current_state_display(self):
        return self.current_state.label
