import pytest
from django.urls import reverse

from messaging import services
from messaging.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas, post_for):
    return services.report_create(actor=personas.parent_a, post=post_for(), reason="Ongepast")


def test_school_admin_sees_own_reports_only(login, personas, report):
    response = login(personas.admin).get(reverse("admin:messaging_report_changelist"))
    assert response.status_code == 200
    assert "Ongepast" in response.content.decode()
    other = login(personas.other_admin).get(reverse("admin:messaging_report_changelist"))
    assert "Ongepast" not in other.content.decode()


def test_admin_action_hides_through_the_service(login, personas, report):
    response = login(personas.admin).post(
        reverse("admin:messaging_report_changelist"),
        {"action": "hide_content", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert response.status_code == 302
    assert report.state == Report.State.HIDDEN
    assert report.post.hidden_at is not None


def test_other_school_admin_cannot_open_a_post(login, personas, report):
    url = reverse("admin:messaging_post_change", args=[report.post_id])
    assert login(personas.other_admin).get(url).status_code == 302  # "does not exist"
    assert login(personas.admin).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["teacher_a", "parent_a"])
def test_non_admins_have_no_admin(login, personas, persona):
    response = login(getattr(personas, persona)).get(reverse("admin:messaging_post_changelist"))
    assert response.status_code == 302
