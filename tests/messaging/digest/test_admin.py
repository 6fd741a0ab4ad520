"""The admin overviews: each school's administration sees its own newsletters, reminders and
mail runs only; writing happens in the app."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from mailings.models import MailRun
from messaging.digest import services

from .conftest import FRIDAY_DIGEST, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsletter(personas):
    with time_machine.travel(at(2026, 11, 20, 10), tick=False):
        return services.newsletter_create(
            actor=personas.admin,
            school=personas.school,
            title="Nieuwsbrief december",
            body="Tekst",
            month=datetime.date(2026, 12, 1),
        )


def test_administration_sees_its_own_newsletters_only(personas, login, newsletter):
    url = reverse("admin:messaging_newsletter_changelist")
    assert "Nieuwsbrief december" in login(personas.admin).get(url).content.decode()
    other = login(personas.other_admin)
    assert "Nieuwsbrief december" not in other.get(url).content.decode()
    change = reverse("admin:messaging_newsletter_change", args=[newsletter.pk])
    assert other.get(change).status_code in (302, 404)


def test_adding_a_newsletter_in_the_admin_opens_the_apps_page(personas, login):
    response = login(personas.admin).get(reverse("admin:messaging_newsletter_add"))
    assert response.status_code == 302
    assert response.url == reverse("digest:newsletter-create")


def test_teachers_have_no_newsletter_admin(personas, login):
    response = login(personas.teacher_a).get(reverse("admin:messaging_newsletter_changelist"))
    assert response.status_code == 302  # not admin staff: sent to the admin login


def test_digest_runs_show_their_counts_to_the_schools_administration(personas, login):
    with time_machine.travel(FRIDAY_DIGEST, tick=False):
        services.schedule_tick()
    url = reverse("admin:mailings_mailrun_changelist") + "?kind=digest"
    page = login(personas.admin).get(url).content.decode()
    assert f"{personas.school.pk}:2026-W47" in page
    assert f"{personas.other_school.pk}:2026-W47" not in page


def test_cadence_reminders_are_listed_per_school(personas, login):
    with time_machine.travel(at(2026, 11, 20, 9, 5), tick=False):
        services.schedule_tick()
    url = reverse("admin:messaging_cadencereminder_changelist")
    assert "Anna Teacher" in login(personas.admin).get(url).content.decode()
    assert "Anna Teacher" not in login(personas.other_admin).get(url).content.decode()


def test_a_runs_skips_are_split_into_nothing_new_and_opted_out(personas, login, run_on_commit):
    personas.parent_a.digest_enabled = False
    personas.parent_a.save()
    with time_machine.travel(FRIDAY_DIGEST, tick=False):
        run_on_commit(services.schedule_tick)
    run = MailRun.objects.get(kind=services.DIGEST, school=personas.school)
    client = login(personas.admin)
    page = client.get(reverse("admin:mailings_mailrun_changelist") + "?kind=digest")
    html = page.content.decode()
    assert "Waarvan afgemeld" in html
    assert "Waarvan niets nieuws" in html
    opted_out = (
        reverse("admin:mailings_maildelivery_changelist")
        + f"?run__id__exact={run.pk}&state__exact=skipped&note=opted+out"
    )
    assert f'href="{opted_out.replace("&", "&amp;")}">1<' in html
    listed = client.get(opted_out).content.decode()
    assert personas.parent_a.full_name in listed
    assert personas.parent_b.full_name not in listed
