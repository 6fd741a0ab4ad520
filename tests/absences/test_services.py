import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404

from absences.models import AbsenceReport
from absences.services import absence_report, absence_withdraw
from groups.models import School
from tests.absences.conftest import MONDAYS, NORMAL_MONDAY, at
from tests.factories import ChildFactory, GuardianshipFactory

Kind = AbsenceReport.Kind
Part = AbsenceReport.Part
ONE_DAY = datetime.timedelta(days=1)


def report(p, *, children=None, kind=Kind.SICK, start=None, end=None, part=Part.WHOLE, **kw):
    return absence_report(
        actor=kw.pop("actor", p.parent_a),
        children=children or [p.child_a],
        kind=kind,
        start=start,
        end=end,
        part=part,
        note=kw.pop("note", ""),
        **kw,
    )


@pytest.mark.parametrize("day", MONDAYS, ids=str)
@pytest.mark.parametrize(
    ("hour", "minute", "second", "late"),
    [(7, 59, 0, False), (8, 14, 59, False), (8, 15, 0, True), (8, 16, 0, True)],
)
def test_same_day_sick_report_is_late_from_the_cut_off(
    personas, clock, day, hour, minute, second, late
):
    clock(day, hour, minute, second)
    [saved] = report(personas, start=day)
    assert saved.pk is not None
    assert saved.is_late is late
    assert saved.routed_to_administration is late


@pytest.mark.parametrize("day", MONDAYS, ids=str)
@pytest.mark.parametrize(("hour", "minute"), [(7, 59), (8, 15), (8, 16)])
def test_phone_mode_school_takes_the_app_report_as_a_note_at_any_time(
    personas, clock, day, hour, minute
):
    School.objects.filter(pk=personas.school.pk).update(absence_mode=School.AbsenceMode.PHONE)
    clock(day, hour, minute)
    [saved] = report(personas, start=day)
    assert (saved.is_late, saved.routed_to_administration) == (False, False)


@pytest.mark.parametrize("day", MONDAYS, ids=str)
def test_cut_off_uses_the_schools_time_zone_not_the_servers(personas, clock, day):
    School.objects.filter(pk=personas.school.pk).update(time_zone="America/New_York")
    clock(day, 9, 0)  # 09:00 in Amsterdam is still night in New York
    [saved] = report(personas, start=day)
    assert saved.is_late is False


def test_friday_for_a_planned_monday_is_on_time(personas, clock):
    friday = NORMAL_MONDAY - 3 * ONE_DAY
    clock(friday, 15, 0)
    [saved] = report(personas, kind=Kind.APPOINTMENT, start=NORMAL_MONDAY, part=Part.MORNING)
    assert saved.is_late is False


def test_planned_absence_needs_the_schools_notice_in_school_days(personas, clock):
    School.objects.filter(pk=personas.school.pk).update(planned_absence_notice_days=2)
    clock(NORMAL_MONDAY - 3 * ONE_DAY, 15, 0)  # Friday: Monday is one school day ahead
    [monday] = report(personas, kind=Kind.APPOINTMENT, start=NORMAL_MONDAY)
    [tuesday] = report(personas, kind=Kind.OTHER, start=NORMAL_MONDAY + ONE_DAY)
    assert (monday.is_late, monday.routed_to_administration) == (True, True)
    assert tuesday.is_late is False


@pytest.mark.parametrize("day", MONDAYS, ids=str)
def test_same_day_planned_absence_is_late_even_before_the_cut_off(personas, clock, day):
    clock(day, 7, 59)
    [saved] = report(personas, kind=Kind.APPOINTMENT, start=day, part=Part.AFTERNOON)
    assert (saved.is_late, saved.routed_to_administration) == (True, True)


def test_siblings_are_reported_at_once(personas, clock):
    GuardianshipFactory(guardian=personas.parent_a, child=personas.child_b)
    clock(NORMAL_MONDAY, 7, 30)
    saved = report(personas, children=[personas.child_a, personas.child_b], start=NORMAL_MONDAY)
    assert {r.child for r in saved} == {personas.child_a, personas.child_b}
    assert AbsenceReport.objects.count() == 2


def test_siblings_are_all_or_nothing(personas, clock):
    GuardianshipFactory(guardian=personas.parent_a, child=personas.child_b)
    clock(NORMAL_MONDAY, 7, 30)
    report(personas, children=[personas.child_b], start=NORMAL_MONDAY)
    with pytest.raises(ValidationError, match="Sem"):
        report(personas, children=[personas.child_a, personas.child_b], start=NORMAL_MONDAY)
    assert list(AbsenceReport.objects.values_list("child", flat=True)) == [personas.child_b.pk]


def test_a_child_that_is_not_yours_is_missing_and_nothing_is_saved(personas, clock):
    clock(NORMAL_MONDAY, 7, 30)
    for children in ([personas.child_b], [personas.child_a, personas.child_b], [999999]):
        with pytest.raises(Http404):
            report(personas, children=children, start=NORMAL_MONDAY)
    with pytest.raises(Http404):  # custody ruling: no information, no reporting
        report(personas, actor=personas.blocked_parent_a, start=NORMAL_MONDAY)
    assert AbsenceReport.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": NORMAL_MONDAY - ONE_DAY}, "start"),
        ({"end": NORMAL_MONDAY - ONE_DAY}, "end"),
        ({"end": NORMAL_MONDAY + 10 * ONE_DAY}, "end"),
        ({"kind": "holiday"}, "kind"),
        ({"part": "evening"}, "part"),
        ({"end": NORMAL_MONDAY + ONE_DAY, "part": Part.MORNING}, "part"),
        ({"note": "x" * 201}, "note"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(personas, clock, changes, field):
    clock(NORMAL_MONDAY, 7, 30)
    arguments = {"start": NORMAL_MONDAY} | changes
    with pytest.raises(ValidationError) as error:
        report(personas, **arguments)
    assert field in error.value.message_dict
    assert AbsenceReport.objects.count() == 0
    assert mail.outbox == []


def test_longest_range_follows_the_school(personas, clock):
    clock(NORMAL_MONDAY, 7, 30)
    [saved] = report(personas, start=NORMAL_MONDAY, end=NORMAL_MONDAY + 9 * ONE_DAY)
    assert (saved.end - saved.start).days + 1 == personas.school.max_absence_days


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        (Part.WHOLE, Part.MORNING, True),
        (Part.MORNING, Part.MORNING, True),
        (Part.MORNING, Part.AFTERNOON, False),
    ],
)
def test_overlapping_reports_get_a_message_never_a_duplicate(personas, clock, first, second, clash):
    clock(NORMAL_MONDAY, 7, 30)
    report(personas, start=NORMAL_MONDAY, part=first)
    if clash:
        with pytest.raises(ValidationError, match="Voor Daan is al een absentie gemeld"):
            report(personas, actor=personas.separated_parent_a, start=NORMAL_MONDAY, part=second)
        assert AbsenceReport.objects.count() == 1
    else:
        report(personas, start=NORMAL_MONDAY, part=second)
        assert AbsenceReport.objects.count() == 2


def test_overlap_is_found_inside_a_longer_range(personas, clock):
    clock(NORMAL_MONDAY, 7, 30)
    report(personas, start=NORMAL_MONDAY, end=NORMAL_MONDAY + 4 * ONE_DAY)
    with pytest.raises(ValidationError, match="Daan"):
        report(personas, start=NORMAL_MONDAY + 2 * ONE_DAY)


def test_every_guardian_who_receives_communication_is_told_in_their_language(
    personas, clock, django_capture_on_commit_callbacks
):
    personas.separated_parent_a.preferred_language = "en"
    personas.separated_parent_a.save()
    clock(NORMAL_MONDAY, 7, 30)
    with django_capture_on_commit_callbacks(execute=True):
        report(personas, start=NORMAL_MONDAY)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {personas.parent_a.email, personas.separated_parent_a.email}
    dutch = by_address[personas.parent_a.email]
    english = by_address[personas.separated_parent_a.email]
    assert dutch.subject == "Ziekmelding/absentie doorgegeven voor Daan"
    assert "Daan" in dutch.body
    assert "Gemeld door Sanne Parent" in dutch.body
    assert english.subject == "Absence reported for Daan"
    assert "Reported by Sanne Parent" in english.body


def test_no_mail_before_commit(personas, clock, django_capture_on_commit_callbacks):
    clock(NORMAL_MONDAY, 7, 30)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report(personas, start=NORMAL_MONDAY)
    assert mail.outbox == []
    assert len(callbacks) == 1


@pytest.mark.parametrize("siblings", [1, 4])
def test_reporting_runs_six_queries_whatever_the_number_of_siblings(
    personas, clock, django_assert_num_queries, django_capture_on_commit_callbacks, siblings
):
    children = [personas.child_a] + [ChildFactory(group=personas.group_a) for _ in range(siblings)]
    for child in children[1:]:
        GuardianshipFactory(guardian=personas.parent_a, child=child)
        GuardianshipFactory(child=child)
    clock(NORMAL_MONDAY, 7, 30)
    # savepoint, children (locked), overlaps, insert, release, guardians to e-mail
    with django_assert_num_queries(6), django_capture_on_commit_callbacks(execute=True):
        report(personas, children=children, start=NORMAL_MONDAY)
    assert AbsenceReport.objects.count() == len(children)


def test_administration_enters_a_phone_report_on_a_guardians_behalf(
    personas, clock, django_capture_on_commit_callbacks
):
    clock(NORMAL_MONDAY, 8, 40)
    with django_capture_on_commit_callbacks(execute=True):
        [saved] = report(
            personas, actor=personas.admin, start=NORMAL_MONDAY, on_behalf_of=personas.parent_a
        )
    assert saved.reported_by == personas.admin
    assert saved.on_behalf_of == personas.parent_a
    assert saved.by_phone
    assert saved.is_late
    assert not saved.routed_to_administration
    assert "Telefonisch gemeld door Sanne Parent" in mail.outbox[0].body


@pytest.mark.parametrize("actor", ["teacher_a", "other_admin", "parent_a"])
def test_only_the_childs_administration_enters_phone_reports(personas, clock, actor):
    clock(NORMAL_MONDAY, 8, 40)
    with pytest.raises(Http404):
        report(
            personas,
            actor=getattr(personas, actor),
            start=NORMAL_MONDAY,
            on_behalf_of=personas.parent_a,
        )
    assert AbsenceReport.objects.count() == 0


def test_phone_report_names_a_real_guardian_of_the_child(personas, clock):
    clock(NORMAL_MONDAY, 8, 40)
    for caller in (personas.parent_b, personas.blocked_parent_a):
        with pytest.raises(Http404):
            report(personas, actor=personas.admin, start=NORMAL_MONDAY, on_behalf_of=caller)


def test_withdraw_before_it_starts(personas, clock):
    clock(NORMAL_MONDAY - ONE_DAY, 20, 0)
    [saved] = report(personas, start=NORMAL_MONDAY)
    withdrawn = absence_withdraw(actor=personas.separated_parent_a, report_id=saved.pk)
    assert withdrawn.withdrawn_at == at(NORMAL_MONDAY - ONE_DAY, 20, 0)
    report(personas, start=NORMAL_MONDAY)  # a withdrawn report no longer blocks the day


def test_withdraw_refused_once_started_or_twice(personas, clock):
    clock(NORMAL_MONDAY, 7, 0)
    [today] = report(personas, start=NORMAL_MONDAY)
    with pytest.raises(ValidationError, match="al begonnen"):
        absence_withdraw(actor=personas.parent_a, report_id=today.pk)
    [later] = report(personas, start=NORMAL_MONDAY + ONE_DAY)
    absence_withdraw(actor=personas.parent_a, report_id=later.pk)
    with pytest.raises(ValidationError, match="al ingetrokken"):
        absence_withdraw(actor=personas.parent_a, report_id=later.pk)


@pytest.mark.parametrize("actor", ["parent_b", "teacher_a", "blocked_parent_a", "other_admin"])
def test_withdraw_by_others_is_missing(personas, clock, actor):
    clock(NORMAL_MONDAY, 7, 0)
    [saved] = report(personas, start=NORMAL_MONDAY + ONE_DAY)
    with pytest.raises(Http404):
        absence_withdraw(actor=getattr(personas, actor), report_id=saved.pk)
    saved.refresh_from_db()
    assert saved.withdrawn_at is None


def test_siblings_at_two_schools_each_follow_their_own_schools_cut_off(personas, clock):
    School.objects.filter(pk=personas.other_school.pk).update(absence_cutoff=datetime.time(8, 0))
    clock(NORMAL_MONDAY, 8, 10)
    saved = report(
        personas,
        actor=personas.multi_school_parent,
        children=[personas.child_a2, personas.child_x],
        start=NORMAL_MONDAY,
    )
    late = {r.child.first_name: r.is_late for r in saved}
    assert late == {"Mila": False, "Noor": True}


def test_late_report_is_routed_to_the_schools_administration_by_mail(
    personas, clock, django_capture_on_commit_callbacks
):
    clock(NORMAL_MONDAY, 8, 16)
    with django_capture_on_commit_callbacks(execute=True):
        report(personas, start=NORMAL_MONDAY)
    to_admin = [m for m in mail.outbox if m.to == [personas.admin.email]]
    assert len(to_admin) == 1
    assert to_admin[0].subject == "Te late absentiemelding: 1 kind"
    assert "Daan" in to_admin[0].body
    assert "na 08:15" in to_admin[0].body
    assert personas.other_admin.email not in {m.to[0] for m in mail.outbox}


def test_on_time_report_does_not_mail_the_administration(
    personas, clock, django_capture_on_commit_callbacks
):
    clock(NORMAL_MONDAY, 8, 14, 59)
    with django_capture_on_commit_callbacks(execute=True):
        report(personas, start=NORMAL_MONDAY)
    assert personas.admin.email not in {m.to[0] for m in mail.outbox}
