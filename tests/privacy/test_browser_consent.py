"""The consent flows in a real browser, as the people who do them."""

import re

import pytest
from playwright.sync_api import expect

from privacy import selectors, services

pytestmark = pytest.mark.browser

GROUP_PURPOSE = "Foto's en video in de besloten groepsomgeving"


def _for_purpose(action):
    # The purpose is a visually hidden part of the button's name, so that screen-reader users
    # hear which of the six "withdraw" buttons this is.
    return re.compile(rf"^{action}\s*: {re.escape(GROUP_PURPOSE)}$")


@pytest.fixture
def seeded(personas):
    services.consent_purposes_ensure(personas.school)
    return {p.code: p for p in personas.school.consent_purposes.all()}


def test_parent_withdraws_photo_consent_and_sees_the_history(personas, seeded, page, browser_login):
    services.consent_record(
        actor=personas.parent_a, child=personas.child_a, purpose=seeded["group"], decision="granted"
    )
    browser_login(personas.parent_a.email)
    page.get_by_role("link", name="Privacy").click()
    page.get_by_role("link", name=personas.child_a.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy van Daan")

    page.get_by_role("button", name=_for_purpose("Toestemming intrekken")).click()

    expect(page.get_by_role("status")).to_contain_text("U weigerde toestemming")
    section = page.get_by_role("region", name=GROUP_PURPOSE)
    expect(section).to_contain_text("Huidige keuze: Geweigerd")
    expect(section.get_by_role("button", name=_for_purpose("Toestemming geven"))).to_be_visible()
    history = page.get_by_role("region", name="Geschiedenis").get_by_role("listitem")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Geweigerd")
    expect(history.first).to_contain_text("door Sanne Parent")
    expect(history.last).to_contain_text("Toestemming")
    assert not selectors.child_may_be_shown(personas.child_a, "group")


def test_administration_records_paper_consent_and_prints_no_photo_list(
    personas, seeded, page, browser_login
):
    browser_login(personas.admin.email)
    page.goto("/admin/privacy/consentevent/")
    page.get_by_role("link", name="Toestemming per groep").click()
    page.get_by_role("link", name=re.compile("Groep 5a")).first.click()
    expect(page.get_by_role("cell", name="Niet gevraagd").first).to_be_visible()

    page.get_by_role("link", name="Vastleggen voor Mila").click()
    page.get_by_label("Doel").select_option(label=GROUP_PURPOSE)
    page.get_by_label("Toestemming", exact=True).check()
    page.get_by_label("Ouder/verzorger die besliste").select_option(label="Lotte Multi")
    page.get_by_label("Reden").fill("Papieren formulier van 3 september")
    page.get_by_role("button", name="Toevoegen aan het register").click()

    expect(page.locator(".messagelist")).to_contain_text("is aan het register toegevoegd")
    assert selectors.child_may_be_shown(personas.child_a2, "group")

    page.get_by_role("link", name="Niet fotograferen").click()
    names = page.locator(".no-photo-list li")
    expect(names).to_have_text([personas.child_a.full_name])
    # Headless Chromium has no printer; record that the button asked for the print dialog.
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Afdrukken").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Afdrukken")).to_be_hidden()
    expect(names).to_have_text([personas.child_a.full_name])
