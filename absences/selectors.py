"""Who may see which absence reports. The audience is always the child's: a report is
visible to whoever may see the child (groups.selectors.visible_children), so staff never see
a child outside their groups, except the school's administration."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from groups import selectors as audience
from groups.models import Child, Group, Guardianship, School, StaffMembership

from .models import AbsenceReport


def _with_people(qs):
    return qs.select_related(
        "child", "child__group", "child__school", "reported_by", "on_behalf_of"
    )


def visible_reports(user) -> QuerySet[AbsenceReport]:
    return _with_people(
        AbsenceReport.objects.filter(child__in=audience.visible_children(user))
    ).order_by("-start", "child__first_name", "-created_at")


def own_reports(user) -> QuerySet[AbsenceReport]:
    """Reports about the user's own children, whoever of their guardians made them."""
    return _with_people(
        AbsenceReport.objects.filter(child__in=audience.children_of_guardian(user))
    ).order_by("-start", "child__first_name", "-created_at")


def access_report(user, report_id) -> AbsenceReport:
    """The report if the user may see its child; 404 for missing and not-yours alike."""
    try:
        return visible_reports(user).get(pk=report_id)
    except (AbsenceReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def reportable_children(user, child_ids) -> list[Child]:
    """The user's own children among child_ids, locked for the rest of the transaction so two
    reports for the same child cannot both pass the overlap check. 404 if any is not theirs."""
    try:
        ids = {int(pk) for pk in child_ids}
    except (TypeError, ValueError):
        raise Http404 from None
    children = list(
        audience.children_of_guardian(user)
        .filter(pk__in=ids)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not ids or len(children) != len(ids):
        raise Http404
    return children


def phone_reportable_children(user, child_ids, guardian) -> list[Child]:
    """Children of the user's administered school(s) of whom `guardian` (who phoned) is a
    guardian receiving communication; locked like reportable_children. 404 otherwise."""
    try:
        ids = {int(pk) for pk in child_ids}
    except (TypeError, ValueError):
        raise Http404 from None
    children = list(
        Child.objects.filter(pk__in=ids, school__in=audience.administered_schools(user))
        .select_related("school", "group")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    guardian_of = set(
        Guardianship.objects.filter(
            child__in=children, guardian=guardian, receives_communication=True
        ).values_list("child_id", flat=True)
    )
    if not ids or len(children) != len(ids) or guardian_of != ids:
        raise Http404
    return children


def administered_school(user, school_id) -> School:
    try:
        return audience.administered_schools(user).get(pk=school_id)
    except (School.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def today_in(school) -> datetime.date:
    return timezone.now().astimezone(school.tz).date()


def school_days(day: datetime.date, workdays) -> list[datetime.date]:
    """The school's working days of the week that holds `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday + datetime.timedelta(days=n) for n in range(7) if n + 1 in workdays]


def _active_between(first, last):
    return AbsenceReport.objects.filter(withdrawn_at__isnull=True, start__lte=last, end__gte=first)


@dataclass(frozen=True)
class Today:
    groups: list
    reports: list


def absent_today_for_staff(user) -> Today:
    """Today's reports for the groups the user works in, each school on its own calendar.
    One query per school the person works at, whatever the number of reports."""
    groups = list(audience.staffed_groups(user).order_by("grade", "name"))
    if not groups:
        raise Http404
    reports = []
    for school_id in sorted({g.school_id for g in groups}):
        school = next(g.school for g in groups if g.school_id == school_id)
        today = today_in(school)
        group_ids = [g.pk for g in groups if g.school_id == school_id]
        reports += _with_people(
            _active_between(today, today).filter(child__group_id__in=group_ids)
        ).order_by("child__group__grade", "child__group__name", "child__first_name")
    return Today(groups=groups, reports=reports)


@dataclass(frozen=True)
class WeekRow:
    child: Child
    cells: list  # one list of reports per day of the week


@dataclass(frozen=True)
class GroupWeek:
    group: Group
    days: list
    rows: list

    @property
    def previous(self):
        return self.days[0] - datetime.timedelta(days=7)

    @property
    def next(self):
        return self.days[0] + datetime.timedelta(days=7)


def group_week(user, group_id, day: datetime.date | None = None) -> GroupWeek:
    """A group's children and their absences for one school week: two queries for them,
    whatever the number of children and reports. Group staff and administration only."""
    group = staff_group(user, group_id)
    day = day or today_in(group.school)
    days = school_days(day, group.school.staff_workdays)
    if not days:
        return GroupWeek(group=group, days=[], rows=[])
    reports = _with_people(_active_between(days[0], days[-1])).order_by("created_at")
    children = group.children.order_by("first_name", "last_name").prefetch_related(
        Prefetch("absence_reports", queryset=reports, to_attr="week_reports")
    )
    rows = [
        WeekRow(child=child, cells=[[r for r in child.week_reports if r.covers(d)] for d in days])
        for child in children
    ]
    return GroupWeek(group=group, days=days, rows=rows)


def staff_group(user, group_id) -> Group:
    """A group whose children the user may see as staff: they work in it, or administer the
    school. Parents (who may see their child's group) get 404 like outsiders."""
    try:
        group = Group.objects.select_related("school").get(pk=group_id)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    school = group.school
    if not (
        audience.is_group_staff(user, group) or audience.is_school_administration(user, school)
    ):
        raise Http404
    return group


def school_day_reports(user, school_id, day, *, group_id=None, kind=None):
    """The administration's view of one day for their whole school, optionally filtered."""
    school = administered_school(user, school_id)
    reports = _active_between(day, day).filter(child__school=school)
    if group_id:
        reports = reports.filter(child__group_id=group_id)
    if kind:
        reports = reports.filter(kind=kind)
    reports = _with_people(reports).order_by(
        "child__group__grade", "child__group__name", "child__first_name", "created_at"
    )
    return school, list(reports)


def school_groups(school) -> QuerySet[Group]:
    return school.groups.order_by("-school_year", "grade", "name")


def phone_entry_choices(school):
    """Guardianships (child + guardian) the administration may enter a phone report for."""
    return (
        Guardianship.objects.filter(
            child__school=school, receives_communication=True, guardian__is_active=True
        )
        .select_related("child", "guardian", "child__group")
        .order_by("child__first_name", "child__last_name", "guardian__full_name")
    )


@dataclass(frozen=True)
class ReportingNotice:
    """What a school asks of a parent reporting right now."""

    school: School
    phone_mode: bool
    past_cutoff: bool


def reporting_notices(children) -> list[ReportingNotice]:
    """One notice per school of the children (no queries: children carry their school)."""
    schools = {child.school_id: child.school for child in children}
    notices = []
    for school in sorted(schools.values(), key=lambda s: s.name):
        local = timezone.now().astimezone(school.tz)
        notices.append(
            ReportingNotice(
                school=school,
                phone_mode=school.absence_mode == School.AbsenceMode.PHONE,
                past_cutoff=local.time() >= school.absence_cutoff,
            )
        )
    return notices


@dataclass(frozen=True)
class Hub:
    """What the absences page offers a person, by role."""

    children: list
    reports: list
    groups: list
    schools: list


def absences_hub(user) -> Hub:
    children = list(audience.children_of_guardian(user).order_by("first_name"))
    reports = list(own_reports(user)[:50]) if children else []
    for report in reports:
        # Before its first day, in the child's school's calendar (see absence_withdraw).
        report.withdrawable = report.withdrawn_at is None and report.start > today_in(
            report.child.school
        )
    return Hub(
        children=children,
        reports=reports,
        groups=list(audience.staffed_groups(user).order_by("grade", "name")),
        schools=list(audience.administered_schools(user)),
    )


def administration_memberships(school_ids) -> QuerySet[StaffMembership]:
    """Active administration staff of these schools: who a late report is routed to."""
    return StaffMembership.objects.filter(
        school_id__in=school_ids,
        role=StaffMembership.Role.ADMINISTRATION,
        user__is_active=True,
    ).select_related("user")
