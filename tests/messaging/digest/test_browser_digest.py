"""In a real browser: the administration writes, previews and schedules the newsletter, the
frozen-clock tick sends it and a parent finds it in the feed; a parent switches the weekly
digest off."""

import re

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from messaging.digest import services
from messaging.digest.models import Newsletter

from .conftest import at

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_administration_schedules_the_newsletter_and_the_tick_sends_it(
    personas, page, browser_login, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(at(2026, 11, 20, 10), tick=True):
        browser_login(personas.admin.email)
        page.goto("/communication/newsletters/")
        page.get_by_role("link", name="Nieuwsbrief schrijven").click()
        page.get_by_label("Titel").fill("Nieuwsbrief december")
        page.get_by_label("Tekst").fill(
            "Beste ouders,\n\nHet <strong>kerstdiner</strong> is op 17 december."
        )
        page.get_by_label("Versturen op").select_option(label="1 december 2026")
        page.get_by_label("Bijlage (pdf, niet verplicht)").set_input_files(
            files=[{"name": "programma.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Opslaan en voorbeeld bekijken").click()

        preview = page.get_by_role("article", name="Voorbeeld")
        expect(preview.get_by_role("heading", name="Nieuwsbrief december")).to_be_visible()
        expect(preview.locator("strong", has_text="kerstdiner")).to_be_visible()
        expect(preview.get_by_role("link", name="programma.pdf")).to_be_visible()
        expect(page.get_by_text("Concept voor december 2026")).to_be_visible()
        page.get_by_role("button", name="Inplannen voor de nieuwsbriefdag").click()
        expect(page.get_by_text("De nieuwsbrief is ingepland.")).to_be_visible()
        expect(page.get_by_text(re.compile(r"Ingepland: op 1 december 2026 08:00"))).to_be_visible()

    newsletter = Newsletter.objects.get()
    assert newsletter.publish_at == at(2026, 12, 1, 8)
    with (
        time_machine.travel(at(2026, 12, 1, 8, 5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.schedule_tick()
    newsletter.refresh_from_db()
    assert newsletter.state == Newsletter.State.SENT
    assert personas.parent_a.email in [message.to[0] for message in mail.outbox]

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/accounts/login/")
    with time_machine.travel(at(2026, 12, 1, 9), tick=True):
        browser_login(personas.parent_b.email)
        page.goto("/messages/")
        expect(page.get_by_text("Nieuwsbrief december").first).to_be_visible()
        page.get_by_role("link", name="Nieuwsbrief december").first.click()
        expect(page.get_by_text("Het kerstdiner is op 17 december.")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("programma.pdf"))).to_be_visible()


def test_a_parent_switches_the_digest_off(personas, page, browser_login):
    browser_login(personas.parent_a.email)
    page.get_by_role("link", name="Instellingen").click()
    digest = page.get_by_label("Wekelijks overzicht")
    expect(digest).to_be_checked()
    digest.uncheck()
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.get_by_label("Wekelijks overzicht")).not_to_be_checked()
    personas.parent_a.refresh_from_db()
    assert personas.parent_a.digest_enabled is False
