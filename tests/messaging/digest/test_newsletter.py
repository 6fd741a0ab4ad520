"""The newsletter: written, previewed and scheduled by the school's administration, sent once."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.models import StaffMembership
from mailings.models import MailRun
from messaging.digest import services
from messaging.digest.models import Newsletter
from tests.factories import SchoolFactory, StaffMembershipFactory, UserFactory

from .conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 20, 10)
DECEMBER = datetime.date(2026, 12, 1)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def frozen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def draft(personas):
    return services.newsletter_create(
        actor=personas.admin,
        school=personas.school,
        title="Nieuwsbrief december",
        body="Beste ouders,\n\nHet <strong>kerstdiner</strong> is op 17 december.",
        month=DECEMBER,
    )


def form_data(personas, **overrides):
    return {
        "school": personas.school.pk,
        "title": "Nieuwsbrief december",
        "body": "Beste ouders,\n\n<script>alert(1)</script><em>Fijne feestdagen!</em>",
        "month": DECEMBER.isoformat(),
        **overrides,
    }


# --- pages --------------------------------------------------------------------------------


def test_administration_writes_and_previews_a_newsletter(personas, login):
    client = login(personas.admin)
    assert client.get(reverse("digest:newsletter-create")).status_code == 200
    pdf = SimpleUploadedFile("programma.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("digest:newsletter-create"), {**form_data(personas), "attachment": pdf}
    )
    newsletter = Newsletter.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("digest:newsletter", args=[newsletter.pk])
    assert newsletter.state == Newsletter.State.DRAFT
    assert newsletter.author == personas.admin
    assert "<script>" not in newsletter.body
    assert "<em>Fijne feestdagen!</em>" in newsletter.body
    page = client.get(response.url).content.decode()
    assert "Concept voor december 2026" in page
    assert "<em>Fijne feestdagen!</em>" in page
    assert "programma.pdf" in page
    download = client.get(reverse("digest:newsletter-attachment", args=[newsletter.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert client.get(reverse("digest:newsletters")).status_code == 200


def test_bad_input_gets_clear_messages_and_saves_nothing(personas, login):
    client = login(personas.admin)
    not_pdf = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(
        reverse("digest:newsletter-create"),
        {**form_data(personas, title="  ", body="<script></script>"), "attachment": not_pdf},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit veld is vereist." in page
    assert Newsletter.objects.count() == 0
    not_pdf = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(
        reverse("digest:newsletter-create"),
        {**form_data(personas, body="<script></script>"), "attachment": not_pdf},
    )
    page = response.content.decode()
    assert "Schrijf de tekst van de nieuwsbrief." in page
    assert "De bijlage moet een pdf-bestand zijn." in page
    assert Newsletter.objects.count() == 0


def test_administration_of_two_schools_chooses_and_cannot_pick_a_third(personas, login):
    StaffMembershipFactory(
        user=personas.admin, school=personas.other_school, role=StaffMembership.Role.ADMINISTRATION
    )
    client = login(personas.admin)
    assert "Beta school" in client.get(reverse("digest:newsletter-create")).content.decode()
    third = SchoolFactory(name="Gamma school")
    for school in ("abc", str(third.pk)):
        response = client.post(
            reverse("digest:newsletter-create"), form_data(personas, school=school)
        )
        assert response.status_code == 200
        assert "Selecteer een geldige keuze." in response.content.decode()
    assert Newsletter.objects.count() == 0
    client.post(
        reverse("digest:newsletter-create"), form_data(personas, school=personas.other_school.pk)
    )
    assert Newsletter.objects.get().school == personas.other_school


def test_one_schools_administration_always_writes_for_its_own_school(personas, login):
    login(personas.admin).post(
        reverse("digest:newsletter-create"), form_data(personas, school=personas.other_school.pk)
    )
    assert Newsletter.objects.get().school == personas.school


def test_a_month_whose_newsletter_day_passed_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        services.newsletter_create(
            actor=personas.admin,
            school=personas.school,
            title="Te laat",
            body="Tekst",
            month=datetime.date(2026, 11, 1),
        )
    assert "month" in error.value.error_dict


def test_one_newsletter_per_school_per_month(personas, draft):
    with pytest.raises(ValidationError):
        services.newsletter_create(
            actor=personas.admin, school=personas.school, title="Nog een", body="x", month=DECEMBER
        )


@pytest.mark.parametrize(
    "who", ["outsider", "other_admin", "teacher_a", "direction", "parent_a"], ids=str
)
def test_everyone_but_the_schools_administration_gets_404(personas, login, draft, who):
    client = login(getattr(personas, who))
    for name in ("digest:newsletter", "digest:newsletter-edit", "digest:newsletter-attachment"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert client.post(reverse("digest:newsletter-schedule", args=[draft.pk])).status_code == 404
    assert client.post(reverse("digest:newsletter-edit", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.state == Newsletter.State.DRAFT


@pytest.mark.parametrize("who", ["outsider", "teacher_a", "direction", "parent_a"], ids=str)
def test_only_administration_has_the_newsletter_pages(personas, login, who):
    client = login(getattr(personas, who))
    assert client.get(reverse("digest:newsletters")).status_code == 404
    assert client.get(reverse("digest:newsletter-create")).status_code == 404
    assert client.post(reverse("digest:newsletter-create"), form_data(personas)).status_code == 404
    assert Newsletter.objects.count() == 0


def test_another_schools_administration_cannot_write_for_this_school(personas, login):
    client = login(personas.other_admin)
    client.post(reverse("digest:newsletter-create"), form_data(personas))
    assert not Newsletter.objects.filter(school=personas.school).exists()


def test_anonymous_visitors_are_sent_to_login(client, draft):
    response = client.get(reverse("digest:newsletter", args=[draft.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_schedule_edit_and_unschedule(personas, login, draft):
    client = login(personas.admin)
    response = client.post(
        reverse("digest:newsletter-edit", args=[draft.pk]),
        form_data(personas, title="Nieuwsbrief december (nieuw)"),
    )
    assert response.status_code == 302
    client.post(reverse("digest:newsletter-schedule", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.title == "Nieuwsbrief december (nieuw)"
    assert draft.state == Newsletter.State.SCHEDULED
    # The school's newsletter day (the 1st) at the start of staff hours, local time.
    assert draft.publish_at == at(2026, 12, 1, 8)
    page = client.get(reverse("digest:newsletter", args=[draft.pk])).content.decode()
    assert "Ingepland" in page
    # A scheduled newsletter is not edited in place: back to draft first.
    response = client.get(reverse("digest:newsletter-edit", args=[draft.pk]))
    assert response.status_code == 302
    client.post(reverse("digest:newsletter-schedule", args=[draft.pk]), {"action": "unschedule"})
    draft.refresh_from_db()
    assert draft.state == Newsletter.State.DRAFT
    assert draft.publish_at is None


# --- sending ------------------------------------------------------------------------------


def test_the_tick_sends_it_once_on_the_newsletter_day(personas, draft, run_on_commit):
    services.newsletter_schedule(actor=personas.admin, newsletter=draft)
    personas.parent_b.digest_enabled = False  # the digest switch is not the newsletter's
    personas.parent_b.save()
    with time_machine.travel(at(2026, 12, 1, 7, 55), tick=False):
        assert run_on_commit(services.schedule_tick)[services.NEWSLETTER] == []
    with time_machine.travel(at(2026, 12, 1, 8, 5), tick=False):
        assert run_on_commit(services.schedule_tick)[services.NEWSLETTER] == [draft.pk]
        assert run_on_commit(services.schedule_tick)[services.NEWSLETTER] == []
        assert not services.newsletter_publish(newsletter=draft)
    draft.refresh_from_db()
    assert draft.state == Newsletter.State.SENT
    run = MailRun.objects.get(kind=services.NEWSLETTER)
    assert run.period_key == f"{personas.school.pk}:2026-12"
    received = sorted(message.to[0] for message in mail.outbox)
    assert received == sorted(
        [
            personas.parent_a.email,
            personas.separated_parent_a.email,
            personas.parent_b.email,
            personas.multi_school_parent.email,
        ]
    )
    message = mail.outbox[0]
    assert message.subject == "Nieuwsbrief Alpha school: Nieuwsbrief december"
    assert "<strong>kerstdiner</strong>" in message.alternatives[0][0]
    assert "kerstdiner is op 17 december" in message.body


def test_a_sent_newsletter_cannot_be_changed(personas, draft, login):
    services.newsletter_schedule(actor=personas.admin, newsletter=draft)
    with time_machine.travel(at(2026, 12, 1, 8, 5), tick=False):
        services.schedule_tick()
        draft.refresh_from_db()
        with pytest.raises(ValidationError):
            services.newsletter_update(
                actor=personas.admin, newsletter=draft, title="x", body="y", month=DECEMBER
            )
        with pytest.raises(ValidationError):
            services.newsletter_unschedule(actor=personas.admin, newsletter=draft)
        client = login(personas.admin)
        client.post(reverse("digest:newsletter-edit", args=[draft.pk]), form_data(personas))
    draft.refresh_from_db()
    assert draft.title == "Nieuwsbrief december"


def test_the_newsletter_day_follows_the_school_time_across_dst(personas):
    school = personas.school
    school.newsletter_day = 28
    school.save()
    with time_machine.travel(at(2027, 3, 1, 9), tick=False):
        newsletter = services.newsletter_create(
            actor=personas.admin,
            school=school,
            title="Maart",
            body="Tekst",
            month=datetime.date(2027, 3, 1),
        )
        services.newsletter_schedule(actor=personas.admin, newsletter=newsletter)
    newsletter.refresh_from_db()
    # Sunday 28 March 2027 is the DST change: 08:00 is summer time (06:00 UTC).
    assert newsletter.publish_at == datetime.datetime(2027, 3, 28, 6, 0, tzinfo=datetime.UTC)


def test_the_sent_newsletter_is_a_school_wide_post_in_every_parents_feed(
    personas, login, run_on_commit
):
    pdf = SimpleUploadedFile("programma.pdf", PDF, content_type="application/pdf")
    newsletter = services.newsletter_create(
        actor=personas.admin,
        school=personas.school,
        title="Nieuwsbrief december",
        body="<p>Het <strong>kerstdiner</strong> is op 17 december.</p>",
        month=DECEMBER,
        attachment=pdf,
    )
    services.newsletter_schedule(actor=personas.admin, newsletter=newsletter)
    personas.parent_a.post_notifications = "instant"
    personas.parent_a.save()
    with time_machine.travel(at(2026, 12, 1, 8, 5), tick=False):
        run_on_commit(services.schedule_tick)
    with time_machine.travel(at(2026, 12, 1, 8, 10), tick=False):
        # The next tick sees the new post; it is the newsletter, already mailed to everyone.
        assert run_on_commit(services.schedule_tick)[services.POST] == []
        newsletter.refresh_from_db()
        post = newsletter.post
        assert post.is_school_wide
        assert post.author == personas.admin
        assert post.body == "Het kerstdiner is op 17 december."
        assert [a.display_name for a in post.attachments.all()] == ["programma.pdf"]
        assert set(post.audience.values_list("group_id", flat=True)) == {
            personas.group_a.pk,
            personas.group_b.pk,
        }
        for parent in (personas.parent_a, personas.parent_b):
            feed_page = login(parent).get(reverse("messaging:feed")).content.decode()
            assert "Nieuwsbrief december" in feed_page
        outsider_feed = login(personas.outsider).get(reverse("messaging:feed")).content.decode()
        assert "Nieuwsbrief december" not in outsider_feed
    [message] = [m for m in mail.outbox if m.to == [personas.parent_a.email]]
    assert f"/messages/{post.pk}/" in message.body


def test_a_newsletter_whose_author_left_is_published_by_another_administrator(
    personas, draft, run_on_commit
):
    services.newsletter_schedule(actor=personas.admin, newsletter=draft)
    colleague = UserFactory()
    StaffMembershipFactory(
        user=colleague, school=personas.school, role=StaffMembership.Role.ADMINISTRATION
    )
    personas.admin.is_active = False
    personas.admin.save()
    with time_machine.travel(at(2026, 12, 1, 8, 5), tick=False):
        run_on_commit(services.schedule_tick)
    draft.refresh_from_db()
    assert draft.state == Newsletter.State.SENT
    assert draft.post.author == colleague
