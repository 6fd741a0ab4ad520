from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Child

NOTE_MAX_LENGTH = 200


class AbsenceReport(models.Model):
    """A guardian's (or, by phone, the administration's) report that a child will be away."""

    class Kind(models.TextChoices):
        SICK = "sick", _("Sick")
        APPOINTMENT = "appointment", _("Appointment (doctor, dentist…)")
        OTHER = "other", _("Other")

    class Part(models.TextChoices):
        WHOLE = "whole", _("Whole day")
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")

    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        related_name="absence_reports",
        verbose_name=_("child"),
    )
    kind = models.CharField(_("reason"), max_length=16, choices=Kind)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    part = models.CharField(_("part of the day"), max_length=16, choices=Part, default=Part.WHOLE)
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # Set when the administration typed in a guardian's phone call: the guardian who called.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by phone by"),
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    is_late = models.BooleanField(_("late"), default=False)
    routed_to_administration = models.BooleanField(_("sent to the administration"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("absence report")
        verbose_name_plural = _("absence reports")
        ordering = ["-start", "child__first_name"]
        indexes = [models.Index(fields=["child", "start", "end"], name="absences_child_days")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="absences_report_end_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=models.Q(part="whole") | models.Q(start=models.F("end")),
                name="absences_report_part_single_day",
                violation_error_message=_("A part of the day is only possible for a single day."),
            ),
        ]

    def __str__(self):
        return f"{self.child} {self.start}–{self.end} ({self.get_kind_display()})"

    @property
    def by_phone(self):
        return self.on_behalf_of_id is not None

    @property
    def reporter_id(self):
        """The guardian the report came from, also when the administration typed it in."""
        return self.on_behalf_of_id or self.reported_by_id

    def covers(self, day):
        return self.start <= day <= self.end
