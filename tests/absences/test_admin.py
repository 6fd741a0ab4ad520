from django.urls import reverse

from absences.models import AbsenceReport
from tests.absences.conftest import NORMAL_MONDAY

CHANGELIST = reverse("admin:absences_absencereport_changelist")


def _report(child, user):
    return AbsenceReport.objects.create(
        child=child, kind="sick", start=NORMAL_MONDAY, end=NORMAL_MONDAY, reported_by=user
    )


def test_administration_sees_only_their_schools_reports_read_only(personas, login):
    own = _report(personas.child_a, personas.parent_a)
    other = _report(personas.child_x, personas.multi_school_parent)
    client = login(personas.admin)
    content = client.get(CHANGELIST).content.decode()
    assert "Daan" in content
    assert "Noor" not in content
    change = reverse("admin:absences_absencereport_change", args=[own.pk])
    assert client.get(change).status_code == 200  # view only: reports change through services
    assert client.post(change, {"kind": "other"}).status_code == 403
    other_url = reverse("admin:absences_absencereport_change", args=[other.pk])
    assert client.get(other_url).status_code == 302  # "does not exist", back to the list
    own.refresh_from_db()
    assert own.kind == "sick"


def test_teachers_and_parents_have_no_admin(personas, login):
    for user in (personas.teacher_a, personas.parent_a):
        assert login(user).get(CHANGELIST).status_code == 302
