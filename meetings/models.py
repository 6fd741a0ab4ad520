"""Parent meetings (rounds, slots, bookings), help requests and the agenda.

The invariants that must hold under a rush live in the database: one booking per slot and
one slot per child per round are unique constraints, and on PostgreSQL an exclusion
constraint (migration 0002) forbids overlapping slots of one staff member within a round.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Child, Group, School


class Round(models.Model):
    """A round of parent meetings (oudergesprekken) for one or more groups of a school."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="meeting_rounds", verbose_name=_("school")
    )
    title = models.CharField(_("title"), max_length=150)
    purpose = models.TextField(_("purpose"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes per meeting"), validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    groups = models.ManyToManyField(Group, related_name="meeting_rounds", verbose_name=_("groups"))
    invited_children = models.ManyToManyField(
        Child, related_name="meeting_invitations", verbose_name=_("invited children")
    )
    opens_at = models.DateTimeField(_("sign-up opens"))
    early_opens_at = models.DateTimeField(
        _("early opening for families with children in several groups"), null=True, blank=True
    )
    closes_at = models.DateTimeField(_("sign-up closes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting round")
        verbose_name_plural = _("meeting rounds")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="meetings_round_opens_before_closing",
                violation_error_message=_("Sign-up must close after it opens."),
            ),
            models.CheckConstraint(
                condition=models.Q(early_opens_at__isnull=True)
                | models.Q(early_opens_at__lt=models.F("opens_at")),
                name="meetings_round_early_before_opening",
                violation_error_message=_("The early opening must come before the opening."),
            ),
        ]

    def __str__(self):
        return self.title


class Slot(models.Model):
    """One meeting time with one staff member, meant for the families of one group."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="slots", verbose_name=_("round")
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="meeting_slots", verbose_name=_("group")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_slots",
        verbose_name=_("staff member"),
    )
    room = models.CharField(_("room"), max_length=64, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["round", "group", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="meetings_slot_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.staff}"


class Booking(models.Model):
    """A child's meeting in a round. `round` repeats slot.round so the database can hold
    "one slot per child per round" as a plain unique constraint."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("round")
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("slot")
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="meeting_bookings", verbose_name=_("child")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(fields=["slot"], name="meetings_booking_one_per_slot"),
            models.UniqueConstraint(
                fields=["round", "child"], name="meetings_booking_one_per_child"
            ),
        ]

    def __str__(self):
        return f"{self.child} @ {self.slot}"


class HelpRequest(models.Model):
    """Staff ask parents of a group for help (hulpouders), e.g. drivers for a trip."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("school")
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    closes_at = models.DateTimeField(_("sign-up closes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["date", "pk"]

    def __str__(self):
        return self.title


class HelpRole(models.Model):
    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="roles", verbose_name=_("request")
    )
    name = models.CharField(_("role"), max_length=80)
    needed = models.PositiveSmallIntegerField(
        _("number needed"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("help role")
        verbose_name_plural = _("help roles")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(needed__gte=1), name="meetings_helprole_needs_someone"
            ),
        ]

    def __str__(self):
        return self.name


class HelpSignup(models.Model):
    role = models.ForeignKey(
        HelpRole, on_delete=models.CASCADE, related_name="signups", verbose_name=_("role")
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="help_signups",
        verbose_name=_("parent"),
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        verbose_name = _("help sign-up")
        verbose_name_plural = _("help sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["role", "parent"], name="meetings_helpsignup_once"),
        ]

    def __str__(self):
        return f"{self.parent} – {self.role}"


class HelpReminder(models.Model):
    """Claimed before the reminder is sent, so a retried or doubled task never sends twice."""

    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("request")
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("parent"),
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("help reminder")
        verbose_name_plural = _("help reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "parent"], name="meetings_helpreminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.request} → {self.parent}"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        TRIP = "trip", _("Trip")
        HOLIDAY = "holiday", _("Holiday")
        STUDY_DAY = "study_day", _("Study day")
        MEETING = "meeting", _("Meeting")
        OTHER = "other", _("Other")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("school")
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("group"),
        help_text=_("Leave empty for an item for the whole school."),
    )
    date = models.DateField(_("date"))
    end_date = models.DateField(_("last day"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("date")),
                name="meetings_agendaitem_end_after_start",
                violation_error_message=_("The last day cannot come before the first."),
            ),
        ]

    def __str__(self):
        return self.title


class AgendaToken(models.Model):
    """A parent's private calendar subscription. Only the SHA-256 of the token is kept, so a
    database leak does not expose working links; a new token replaces (revokes) the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agenda_token",
        verbose_name=_("person"),
    )
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda subscription")
        verbose_name_plural = _("agenda subscriptions")

    def __str__(self):
        return str(self.user)
