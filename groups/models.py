import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
WEEKDAY_NUMBERS = [number for number, _label in WEEKDAYS]


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def validate_weekdays(value):
    if not isinstance(value, list) or any(day not in WEEKDAY_NUMBERS for day in value):
        raise ValidationError(_("Choose weekdays from Monday to Sunday."))


def default_workdays():
    return [1, 2, 3, 4, 5]


class School(models.Model):
    """A school and its own communication policy, as data."""

    class AbsenceMode(models.TextChoices):
        APP = "app", _("In the app, before the cut-off time")
        PHONE = "phone", _("By phone; an app message is an optional note")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name"), unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Amsterdam", validators=[validate_time_zone]
    )
    administration_phone = models.CharField(_("administration phone number"), max_length=32)

    absence_mode = models.CharField(
        _("absence reporting"), max_length=8, choices=AbsenceMode, default=AbsenceMode.APP
    )
    absence_cutoff = models.TimeField(
        _("same-day absence cut-off"),
        default=datetime.time(8, 15),
        help_text=_("Same-day reports after this time reach the administration, not the teacher."),
    )
    planned_absence_notice_days = models.PositiveSmallIntegerField(
        _("days of notice for planned absences"), default=1, validators=[MaxValueValidator(30)]
    )
    staff_hours_start = models.TimeField(_("staff reachable from"), default=datetime.time(8, 0))
    staff_hours_end = models.TimeField(_("staff reachable until"), default=datetime.time(16, 30))
    staff_workdays = models.JSONField(
        _("staff working days"), default=default_workdays, validators=[validate_weekdays]
    )
    group_message_weekday = models.PositiveSmallIntegerField(
        _("weekly group-message day"), choices=WEEKDAYS, default=5
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("digest weekday"), choices=WEEKDAYS, default=5
    )
    digest_time = models.TimeField(_("digest time"), default=datetime.time(16, 0))
    newsletter_day = models.PositiveSmallIntegerField(
        _("newsletter day of the month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("1 to 28, so that every month has that day."),
    )
    allow_portrait_photos = models.BooleanField(
        _("portrait photos allowed"),
        default=True,
        help_text=_("Whether a shared photo may show a single child."),
    )
    max_absence_days = models.PositiveSmallIntegerField(
        _("longest absence report in days"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Longer absences go through the administration (leave requests)."),
    )
    invitation_valid_days = models.PositiveSmallIntegerField(
        _("days an invitation stays valid"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    personal_message_coach = models.BooleanField(
        _("remind staff of a personal message per child each week"), default=True
    )
    reminder_time = models.TimeField(
        _("time of the weekly group-message reminder"), default=datetime.time(9, 0)
    )
    retention_months = models.PositiveSmallIntegerField(
        _("months to keep group and conversation content"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    allow_photo_download = models.BooleanField(
        _("parents may download photos for private use"), default=True
    )
    code_of_conduct = models.TextField(
        _("code of conduct"),
        blank=True,
        help_text=_("Shown wherever parents and staff write."),
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(staff_hours_start__lt=models.F("staff_hours_end")),
                name="groups_school_staff_hours_order",
                violation_error_message=_("Staff hours must end after they start."),
            ),
            models.CheckConstraint(
                condition=models.Q(newsletter_day__gte=1, newsletter_day__lte=28),
                name="groups_school_newsletter_day_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)


def school_year_for(day: datetime.date) -> int:
    """Dutch school years start in August; a year is named by the calendar year it starts in."""
    return day.year if day.month >= 8 else day.year - 1


class Group(models.Model):
    """A class ("Groep 5b") of a school in one school year."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="groups", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=64)
    school_year = models.PositiveSmallIntegerField(
        _("school year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The calendar year the school year starts in, e.g. 2026 for 2026–2027."),
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), default=1, help_text=_("For ordering: 1 for groep 1/2 up to 8.")
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["school__name", "-school_year", "grade", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="groups_group_unique_name_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.school_year_label})"

    @property
    def school_year_label(self):
        return f"{self.school_year}–{self.school_year + 1}"


class Child(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="children", verbose_name=_("school")
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="children", verbose_name=_("group")
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=120)
    guardians = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Guardianship",
        related_name="children",
        verbose_name=_("guardians"),
    )

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        super().clean()
        if self.group_id and self.school_id and self.group.school_id != self.school_id:
            raise ValidationError({"group": _("The group must belong to the child's school.")})


class Guardianship(models.Model):
    """A guardian's account linked to a child. One account may hold children at several schools."""

    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardianships",
        verbose_name=_("guardian"),
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="guardianships", verbose_name=_("child")
    )
    receives_communication = models.BooleanField(
        _("receives communication"),
        default=True,
        help_text=_(
            "Switch off when a court ruling says this guardian must not receive information "
            "about the child. They then see nothing of the child or the child's group."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "child"], name="groups_guardianship_unique_pair"
            ),
        ]

    def __str__(self):
        return f"{self.guardian} → {self.child}"


class StaffMembership(models.Model):
    """A person's role at a school; teachers and assistants also work in groups."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        ASSISTANT = "assistant", _("Teaching assistant")
        DIRECTION = "direction", _("Direction")
        ADMINISTRATION = "administration", _("Administration")

    GROUP_ROLES = (Role.TEACHER, Role.ASSISTANT)
    LEADERSHIP_ROLES = (Role.DIRECTION, Role.ADMINISTRATION)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_memberships",
        verbose_name=_("person"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="staff", verbose_name=_("school")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role)
    groups = models.ManyToManyField(
        Group, blank=True, related_name="staff_memberships", verbose_name=_("groups")
    )
    workdays = models.JSONField(
        _("working days"),
        default=default_workdays,
        validators=[validate_weekdays],
        help_text=_("Part-time staff work only some of the school's days."),
    )

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        ordering = ["school__name", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="groups_staff_one_role"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.school})"
