"""Absence reports: the only place they are written. The school's policy decides the rules,
always in the school's own time zone."""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from groups import selectors as audience
from groups.models import Guardianship, School

from . import selectors
from .models import NOTE_MAX_LENGTH, AbsenceReport

Kind = AbsenceReport.Kind
Part = AbsenceReport.Part


def school_days_ahead(today: datetime.date, start: datetime.date, workdays) -> int:
    """School days after today up to and including start: Friday → Monday is one."""
    days = 0
    day = today + datetime.timedelta(days=1)
    while day <= start:
        if day.isoweekday() in workdays:
            days += 1
        day += datetime.timedelta(days=1)
    return days


def is_late(school: School, kind: str, start: datetime.date, now: datetime.datetime) -> bool:
    """Whether the teacher would not see a report made at `now` in time.

    Same-day sick reports count until the school's cut-off (a report at the cut-off itself is
    late); planned absences need the school's notice in school days. A school that takes sick
    reports by phone treats the app report as an optional note, never late.
    """
    local = now.astimezone(school.tz)
    if kind == Kind.SICK:
        if school.absence_mode == School.AbsenceMode.PHONE:
            return False
        return start == local.date() and local.time() >= school.absence_cutoff
    ahead = school_days_ahead(local.date(), start, school.staff_workdays)
    return ahead < school.planned_absence_notice_days


def _validate(*, kind, start, end, part, note):
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose sick, appointment or other.")
    if part not in Part.values:
        errors["part"] = _("Choose the whole day, the morning or the afternoon.")
    if not isinstance(start, datetime.date):
        errors["start"] = _("Enter the first day of the absence.")
    if not isinstance(end, datetime.date):
        errors["end"] = _("Enter the last day of the absence.")
    elif isinstance(start, datetime.date) and end < start:
        errors["end"] = _("The last day cannot be before the first day.")
    elif part != Part.WHOLE and start != end:
        errors["part"] = _("A part of the day is only possible for a single day.")
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = _("Keep the note to %(max)d characters.") % {"max": NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)


def _validate_school_rules(children, *, start, end, now):
    for child in children:
        school = child.school
        if start < now.astimezone(school.tz).date():
            raise ValidationError({"start": _("An absence cannot start on a day in the past.")})
        if (end - start).days + 1 > school.max_absence_days:
            raise ValidationError(
                {
                    "end": _(
                        "%(school)s takes reports of at most %(days)d days. For a longer "
                        "absence, please contact the administration."
                    )
                    % {"school": school.name, "days": school.max_absence_days}
                }
            )


def _parts_overlap(a, b):
    return a == Part.WHOLE or b == Part.WHOLE or a == b


def _refuse_overlaps(children, *, start, end, part):
    existing = AbsenceReport.objects.filter(
        child__in=children, withdrawn_at__isnull=True, start__lte=end, end__gte=start
    ).order_by("start")
    names = {child.pk: child.first_name for child in children}
    for report in existing:
        if _parts_overlap(report.part, part):
            day = max(report.start, start)
            raise ValidationError(
                _(
                    "%(child)s already has an absence report for %(day)s. Withdraw that one "
                    "first, or choose other days."
                )
                % {"child": names[report.child_id], "day": date_format(day, "l j F")}
            )


def absence_report(
    *, actor, children, kind, start, end=None, part=Part.WHOLE, note="", now=None, on_behalf_of=None
) -> list[AbsenceReport]:
    """Report one absence for one or more children (siblings at once): all or nothing.

    A late report is still recorded, flagged, and routed to the administration, never
    dropped. With `on_behalf_of`, the actor is the school's administration typing in that
    guardian's phone call. Every guardian who receives communication is e-mailed after commit.
    """
    now = now or timezone.now()
    note = (note or "").strip()
    end = end or start
    _validate(kind=kind, start=start, end=end, part=part, note=note)
    child_ids = [getattr(child, "pk", child) for child in children]
    with transaction.atomic():
        if on_behalf_of is None:
            locked = selectors.reportable_children(actor, child_ids)
        else:
            locked = selectors.phone_reportable_children(actor, child_ids, on_behalf_of)
        _validate_school_rules(locked, start=start, end=end, now=now)
        _refuse_overlaps(locked, start=start, end=end, part=part)
        reports = []
        for child in locked:
            late = is_late(child.school, kind, start, now)
            reports.append(
                AbsenceReport(
                    child=child,
                    kind=kind,
                    start=start,
                    end=end,
                    part=part,
                    note=note,
                    reported_by=actor,
                    on_behalf_of=on_behalf_of,
                    is_late=late,
                    # A phone call already reached the administration.
                    routed_to_administration=late and on_behalf_of is None,
                )
            )
        AbsenceReport.objects.bulk_create(reports)
        transaction.on_commit(partial(absence_notify_guardians, reports=reports))
        routed = [report for report in reports if report.routed_to_administration]
        if routed:
            transaction.on_commit(partial(absence_notify_administration, reports=routed))
    return reports


def absence_withdraw(*, actor, report_id, now=None) -> AbsenceReport:
    """A guardian of the child (or the administration) withdraws a report before it starts."""
    now = now or timezone.now()
    with transaction.atomic():
        report = selectors.access_report(actor, report_id)
        child = report.child
        may_withdraw = audience.children_of_guardian(actor).filter(pk=child.pk).exists() or (
            audience.is_school_administration(actor, child.school)
        )
        if not may_withdraw:
            raise Http404
        if report.withdrawn_at is not None:
            raise ValidationError(_("This report has already been withdrawn."))
        if now.astimezone(child.school.tz).date() >= report.start:
            raise ValidationError(
                _(
                    "This absence has already started and can no longer be withdrawn. "
                    "Please phone the administration."
                )
            )
        report.withdrawn_at = now
        report.save(update_fields=["withdrawn_at"])
    return report


def absence_notify_guardians(*, reports):
    """E-mail every guardian who receives communication about the reported children, in
    their own language: the one who reported and the other parent alike."""
    by_child = {report.child_id: report for report in reports}
    guardianships = (
        Guardianship.objects.filter(
            child_id__in=by_child,
            receives_communication=True,
            guardian__is_active=True,
        )
        .select_related("guardian")
        .order_by("guardian_id", "child_id")
    )
    per_guardian = {}
    for guardianship in guardianships:
        per_guardian.setdefault(guardianship.guardian, []).append(by_child[guardianship.child_id])
    messages = []
    for guardian, own in per_guardian.items():
        with translation.override(guardian.preferred_language):
            context = {"guardian": guardian, "reports": own, "school": own[0].child.school}
            subject = render_to_string("absences/email/reported_subject.txt", context)
            body = render_to_string("absences/email/reported_body.txt", context)
        messages.append(EmailMessage(" ".join(subject.split()), body, to=[guardian.email]))
    if messages:
        get_connection().send_messages(messages)


def absence_notify_administration(*, reports):
    """Route late reports to the administration of each child's school by e-mail, so a
    report the teacher will not see in time still reaches someone that morning."""
    by_school = {}
    for report in reports:
        by_school.setdefault(report.child.school_id, []).append(report)
    messages = []
    for membership in selectors.administration_memberships(by_school):
        person = membership.user
        own = by_school[membership.school_id]
        with translation.override(person.preferred_language):
            context = {"person": person, "reports": own, "school": membership.school}
            subject = render_to_string("absences/email/late_subject.txt", context)
            body = render_to_string("absences/email/late_body.txt", context)
        messages.append(EmailMessage(" ".join(subject.split()), body, to=[person.email]))
    if messages:
        get_connection().send_messages(messages)
