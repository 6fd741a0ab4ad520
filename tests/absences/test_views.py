import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse

from absences.models import AbsenceReport
from absences.services import absence_report
from groups.models import School
from tests.absences.conftest import MONDAYS, NORMAL_MONDAY
from tests.factories import ChildFactory, GuardianshipFactory

ONE_DAY = datetime.timedelta(days=1)
NEW = reverse("absences:report-new")
HUB = reverse("absences:hub")
TODAY = reverse("absences:today-panel")


def sick(p, child=None, day=NORMAL_MONDAY, actor=None, **kw):
    return absence_report(
        actor=actor or p.parent_a,
        children=[child or p.child_a],
        kind=AbsenceReport.Kind.SICK,
        start=day,
        end=kw.pop("end", None),
        part=kw.pop("part", AbsenceReport.Part.WHOLE),
        note=kw.pop("note", ""),
        **kw,
    )[0]


def form_data(p, **changes):
    return {
        "children": [p.child_a.pk],
        "kind": "sick",
        "start": NORMAL_MONDAY.isoformat(),
        "end": "",
        "part": "whole",
        "note": "",
    } | changes


# --- Report form ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", MONDAYS, ids=str)
def test_form_before_the_cut_off_names_the_deadline(personas, login, clock, day):
    clock(day, 8, 14, 59)
    content = login(personas.parent_a).get(NEW).content.decode()
    assert "vóór 08:15" in content
    assert "de leerkracht ziet een melding voor vandaag niet meer op tijd" not in content


@pytest.mark.parametrize("day", MONDAYS, ids=str)
def test_form_after_the_cut_off_says_to_phone(personas, login, clock, day):
    clock(day, 8, 15)
    content = login(personas.parent_a).get(NEW).content.decode()
    assert "de leerkracht ziet een melding voor vandaag niet meer op tijd" in content
    assert 'href="tel:+31205550000"' in content


def test_phone_mode_school_shows_the_number_first_and_the_note_as_optional(personas, login, clock):
    School.objects.filter(pk=personas.school.pk).update(absence_mode=School.AbsenceMode.PHONE)
    clock(NORMAL_MONDAY, 7, 30)
    content = login(personas.parent_a).get(NEW).content.decode()
    phone = content.index('href="tel:+31205550000"')
    assert phone < content.index('<form method="post"')
    assert "Meld ziekte telefonisch bij de administratie" in content
    assert "vervangt het telefoontje niet" in content


def test_parent_reports_and_sees_the_confirmation(
    personas, login, clock, django_capture_on_commit_callbacks
):
    clock(NORMAL_MONDAY, 8, 0)
    client = login(personas.parent_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, form_data(personas, note="Koorts"), follow=True)
    assert response.redirect_chain[-1][0] == HUB
    content = response.content.decode()
    assert "Absentie gemeld voor Daan." in content
    assert "Koorts" in content
    report = AbsenceReport.objects.get()
    assert (report.child, report.reported_by, report.is_late) == (
        personas.child_a,
        personas.parent_a,
        False,
    )
    assert {m.to[0] for m in mail.outbox} == {
        personas.parent_a.email,
        personas.separated_parent_a.email,
    }


def test_late_report_is_recorded_and_says_to_phone(personas, login, clock):
    clock(NORMAL_MONDAY, 8, 16)
    response = login(personas.parent_a).post(NEW, form_data(personas), follow=True)
    content = response.content.decode()
    assert "De leerkracht ziet deze melding niet op tijd" in content
    assert 'href="tel:+31205550000"' in content
    assert AbsenceReport.objects.get().routed_to_administration is True


def test_siblings_in_one_form(personas, login, clock):
    GuardianshipFactory(guardian=personas.parent_a, child=personas.child_b)
    clock(NORMAL_MONDAY, 7, 0)
    data = form_data(personas, children=[personas.child_a.pk, personas.child_b.pk])
    login(personas.parent_a).post(NEW, data)
    assert AbsenceReport.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": (NORMAL_MONDAY - ONE_DAY).isoformat()}, "dag in het verleden"),
        ({"end": (NORMAL_MONDAY - ONE_DAY).isoformat()}, "niet vóór de eerste dag"),
        ({"kind": "holiday"}, "Selecteer een geldige keuze"),
        ({"children": []}, "Kies minstens één kind"),
        ({"end": (NORMAL_MONDAY + 20 * ONE_DAY).isoformat()}, "hoogstens 10 dagen"),
    ],
)
def test_bad_input_shows_a_message_and_saves_nothing(personas, login, clock, changes, message):
    clock(NORMAL_MONDAY, 7, 0)
    response = login(personas.parent_a).post(NEW, form_data(personas, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AbsenceReport.objects.count() == 0


def test_overlap_message_in_the_form(personas, login, clock):
    clock(NORMAL_MONDAY, 7, 0)
    sick(personas)
    response = login(personas.separated_parent_a).post(NEW, form_data(personas))
    assert "Voor Daan is al een absentie gemeld" in response.content.decode()
    assert AbsenceReport.objects.count() == 1


def test_someone_elses_child_cannot_be_chosen(personas, login, clock):
    clock(NORMAL_MONDAY, 7, 0)
    response = login(personas.parent_a).post(
        NEW, form_data(personas, children=[personas.child_b.pk])
    )
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert AbsenceReport.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "teacher_a", "admin", "blocked_parent_a"])
def test_report_form_is_missing_for_people_without_children(personas, login, who):
    client = login(getattr(personas, who))
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, form_data(personas)).status_code == 404
    assert AbsenceReport.objects.count() == 0


def test_report_form_needs_login(client, db):
    assert client.get(NEW).status_code == 302


# --- Own reports and withdrawing --------------------------------------------------------------


def test_both_guardians_see_the_report_and_can_withdraw_before_it_starts(personas, login, clock):
    clock(NORMAL_MONDAY - ONE_DAY, 18, 0)
    report = sick(personas)
    client = login(personas.separated_parent_a)
    content = client.get(HUB).content.decode()
    assert "Gemeld door Sanne Parent" in content
    withdraw = reverse("absences:report-withdraw", args=[report.pk])
    assert withdraw in content
    response = client.post(withdraw, follow=True)
    assert "is ingetrokken" in response.content.decode()
    report.refresh_from_db()
    assert report.withdrawn_at is not None


def test_started_report_offers_no_withdraw_and_refuses_it(personas, login, clock):
    clock(NORMAL_MONDAY, 7, 0)
    report = sick(personas)
    client = login(personas.parent_a)
    withdraw = reverse("absences:report-withdraw", args=[report.pk])
    assert withdraw not in client.get(HUB).content.decode()
    response = client.post(withdraw, follow=True)
    assert "al begonnen" in response.content.decode()
    report.refresh_from_db()
    assert report.withdrawn_at is None


@pytest.mark.parametrize("who", ["outsider", "parent_b", "teacher_a", "other_admin"])
def test_withdraw_by_others_is_missing(personas, login, clock, who):
    clock(NORMAL_MONDAY, 7, 0)
    report = sick(personas, day=NORMAL_MONDAY + ONE_DAY)
    client = login(getattr(personas, who))
    assert client.post(reverse("absences:report-withdraw", args=[report.pk])).status_code == 404
    assert client.post(reverse("absences:report-withdraw", args=[999999])).status_code == 404
    report.refresh_from_db()
    assert report.withdrawn_at is None


def test_withdraw_needs_post(personas, login):
    client = login(personas.parent_a)
    assert client.get(reverse("absences:report-withdraw", args=[1])).status_code == 405


def test_hub_shows_other_people_nothing_of_the_child(personas, login, clock):
    clock(NORMAL_MONDAY, 7, 0)
    sick(personas, note="Buikpijn")
    for who in ("parent_b", "outsider", "blocked_parent_a"):
        content = login(getattr(personas, who)).get(HUB).content.decode()
        assert "Buikpijn" not in content


# --- Staff: home panel, today, week -----------------------------------------------------------


def test_teacher_home_loads_the_absent_today_panel(personas, login):
    content = login(personas.teacher_a).get(reverse("home")).content.decode()
    assert f'hx-get="{TODAY}"' in content
    parent_home = login(personas.parent_a).get(reverse("home")).content.decode()
    assert TODAY not in parent_home


def test_absent_today_shows_kind_reporter_time_and_late_flag(personas, login, clock):
    clock(NORMAL_MONDAY, 8, 20)
    sick(personas, note="Koorts")
    sick(personas, child=personas.child_b, actor=personas.parent_b)  # group B: not shown
    for who in ("teacher_a", "assistant_a"):
        response = login(getattr(personas, who)).get(TODAY, headers={"HX-Request": "true"})
        content = response.content.decode()
        assert "<html" not in content
        assert "Daan" in content
        assert "Ziek" in content
        assert "Gemeld door Sanne Parent" in content
        assert "08:20" in content
        assert "Te laat" in content
        assert "Sem" not in content


def test_absent_today_without_javascript_is_a_page(personas, login):
    content = login(personas.teacher_a).get(TODAY).content.decode()
    assert "<html" in content
    assert "Geen absenties gemeld voor vandaag." in content


@pytest.mark.parametrize("who", ["parent_a", "outsider", "admin", "direction"])
def test_absent_today_is_for_group_staff(personas, login, who):
    assert login(getattr(personas, who)).get(TODAY).status_code == 404


def test_week_view_for_the_teacher(personas, login, clock):
    clock(NORMAL_MONDAY, 7, 0)
    sick(personas, day=NORMAL_MONDAY + 2 * ONE_DAY, part=AbsenceReport.Part.MORNING)
    url = reverse("absences:group-week", args=[personas.group_a.pk])
    content = login(personas.teacher_a).get(url).content.decode()
    assert "Daan" in content
    assert "Ziek (ochtend)" in content
    assert "?day=2026-11-30" in content


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher_a", 200),
        ("assistant_a", 200),
        ("admin", 200),
        ("parent_a", 404),
        ("outsider", 404),
        ("other_admin", 404),
        ("direction", 404),
    ],
)
def test_week_view_access(personas, login, who, status):
    url = reverse("absences:group-week", args=[personas.group_a.pk])
    assert login(getattr(personas, who)).get(url).status_code == status


def test_week_view_of_another_group_is_missing_for_the_teacher(personas, login):
    client = login(personas.teacher_a)
    assert client.get(reverse("absences:group-week", args=[personas.group_b.pk])).status_code == 404
    assert client.get(reverse("absences:group-week", args=[999999])).status_code == 404


@pytest.mark.parametrize("reports_per_child", [0, 3])
def test_week_view_query_count_is_constant_for_a_group_of_thirty(
    personas, login, clock, django_assert_num_queries, reports_per_child
):
    children = [personas.child_a, personas.child_a2]
    children += [ChildFactory(group=personas.group_a) for _ in range(28)]
    clock(NORMAL_MONDAY - 3 * ONE_DAY, 7, 0)  # the Friday before
    for child in children:
        for n in range(reports_per_child):
            AbsenceReport.objects.create(
                child=child,
                kind="sick",
                start=NORMAL_MONDAY + n * ONE_DAY,
                end=NORMAL_MONDAY + n * ONE_DAY,
                reported_by=personas.parent_a,
            )
    client = login(personas.teacher_a)
    url = reverse("absences:group-week", args=[personas.group_a.pk]) + "?day=2026-11-23"
    # user, kindgesprek unread badge, group, is-group-staff, children, week reports (the
    # session comes from the cache)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("Ziek") == 30 * reports_per_child


@pytest.mark.parametrize("reports", [0, 30])
def test_absent_today_query_count_is_constant(
    personas, login, clock, django_assert_num_queries, reports
):
    clock(NORMAL_MONDAY, 7, 0)
    for _ in range(reports):
        AbsenceReport.objects.create(
            child=ChildFactory(group=personas.group_a),
            kind="sick",
            start=NORMAL_MONDAY,
            end=NORMAL_MONDAY,
            reported_by=personas.parent_a,
        )
    client = login(personas.teacher_a)
    # user, groups, today's reports
    with django_assert_num_queries(3):
        response = client.get(TODAY, headers={"HX-Request": "true"})
    assert response.content.decode().count("Gemeld door") == reports


# --- Administration: day, filters, CSV, phone reports ------------------------------------------


def _day_url(p, name="absences:school-day", **query):
    from urllib.parse import urlencode

    url = reverse(name, args=[p.school.pk])
    return f"{url}?{urlencode(query)}" if query else url


def test_administration_sees_the_whole_school_and_filters(personas, login, clock):
    clock(NORMAL_MONDAY, 7, 0)
    sick(personas)
    sick(personas, child=personas.child_b, actor=personas.parent_b)
    client = login(personas.admin)
    content = client.get(_day_url(personas)).content.decode()
    assert "Daan" in content
    assert "Sem" in content
    filtered = client.get(_day_url(personas, group=personas.group_b.pk)).content.decode()
    assert "Sem" in filtered
    assert "Daan" not in filtered
    by_kind = client.get(_day_url(personas, kind="appointment")).content.decode()
    assert "Geen absenties voor deze dag." in by_kind
    other_day = client.get(_day_url(personas, day="2026-11-24")).content.decode()
    assert "Daan" not in other_day


def test_csv_export_of_the_day(personas, login, clock):
    clock(NORMAL_MONDAY, 8, 30)
    sick(personas, note="=HYPERLINK(1)")
    sick(personas, child=personas.child_x, actor=personas.multi_school_parent)
    response = login(personas.admin).get(_day_url(personas, "absences:school-day-csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "absences-alpha-2026-11-23.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Dag", "Groep", "Voornaam"]
    assert len(rows) == 2  # the other school's child is not there
    assert rows[1][2] == "Daan"
    assert rows[1][10] == "2026-11-23 08:30"
    assert rows[1][11] == "ja"
    assert rows[1][12] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("name", ["absences:school-day", "absences:school-day-csv"])
@pytest.mark.parametrize("who", ["other_admin", "teacher_a", "direction", "parent_a", "outsider"])
def test_school_day_is_for_the_schools_administration(personas, login, name, who):
    assert login(getattr(personas, who)).get(_day_url(personas, name)).status_code == 404


def test_administration_enters_a_phone_report(personas, login, clock):
    clock(NORMAL_MONDAY, 8, 40)
    guardianship = personas.parent_a.guardianships.get(child=personas.child_a)
    url = reverse("absences:phone-report", args=[personas.school.pk])
    client = login(personas.admin)
    assert "Daan" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "guardianship": guardianship.pk,
            "kind": "sick",
            "start": "2026-11-23",
            "part": "whole",
            "note": "",
        },
        follow=True,
    )
    assert "Telefonisch gemeld door Sanne Parent" in response.content.decode()
    report = AbsenceReport.objects.get()
    assert (report.reported_by, report.on_behalf_of) == (personas.admin, personas.parent_a)


def test_phone_report_form_offers_only_the_schools_guardians(personas, login):
    url = reverse("absences:phone-report", args=[personas.school.pk])
    content = login(personas.admin).get(url).content.decode()
    assert "Noor" not in content  # another school's child
    assert "Bart Blocked" not in content  # custody ruling


@pytest.mark.parametrize("who", ["other_admin", "teacher_a", "parent_a", "outsider"])
def test_phone_report_is_for_the_schools_administration(personas, login, who):
    url = reverse("absences:phone-report", args=[personas.school.pk])
    guardianship = personas.parent_a.guardianships.get(child=personas.child_a)
    client = login(getattr(personas, who))
    assert client.get(url).status_code == 404
    assert client.post(url, {"guardianship": guardianship.pk}).status_code == 404
    assert AbsenceReport.objects.count() == 0
