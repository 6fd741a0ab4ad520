"""Onboarding a class in a real browser: administration imports a class list, a parent
accepts the invitation from the e-mail, and a used link shows the clear page."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import school_year_for
from tests.factories import GroupFactory

pytestmark = pytest.mark.browser

PARENT_PASSWORD = "a-long-family-password"


def test_admin_imports_class_list_and_parent_accepts(page, personas, browser_login, live_server):
    year = school_year_for(timezone.localdate(timezone=personas.school.tz))
    GroupFactory(school=personas.school, name="Groep 4c", school_year=year)
    class_list = (
        "voornaam,achternaam,groep,e-mail ouder 1,e-mail ouder 2\n"
        "Zoë,de Vries,Groep 4c,ouder.zoe@example.org,\n"
        "Liam,Bakker,Groep 4c,ouder.liam@example.org,tweede.liam@example.org\n"
    ).encode()

    browser_login(personas.admin.email)
    page.goto("/admin/invitations/invitation/")
    page.get_by_role("link", name="Klassenlijst importeren").click()
    page.get_by_label("Klassenlijst (CSV)").set_input_files(
        files=[{"name": "klas.csv", "mimeType": "text/csv", "buffer": class_list}]
    )
    page.get_by_role("button", name="Voorvertoning tonen").click()
    page.get_by_text("2 kinderen worden toegevoegd.").wait_for()
    page.get_by_text("3 uitnodigingen worden verstuurd.").wait_for()
    page.get_by_role("button", name="Importeren en uitnodigingen versturen").click()
    page.get_by_text("2 kinderen toegevoegd, 0 verplaatst, 3 uitnodigingen verstuurd").wait_for()
    expect(page.get_by_role("heading", name=re.compile("Groep 4c"))).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    message = next(m for m in mail.outbox if m.to == ["ouder.zoe@example.org"])
    link = re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)

    page.goto(link)
    page.get_by_text("Alpha school nodigt u uit om Zoë te volgen in Schoolbrug.").wait_for()
    page.get_by_label("Uw volledige naam").fill("Eva de Vries")
    page.get_by_label("Kies een wachtwoord").fill(PARENT_PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PARENT_PASSWORD)
    page.get_by_role("button", name="Mijn account aanmaken").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_text("Welkom! Uw account is klaar.").wait_for()
    children = page.get_by_role("region", name="Uw kinderen")
    expect(children).to_contain_text("Zoë de Vries")
    expect(children).to_contain_text("Groep 4c")

    page.get_by_role("button", name="Uitloggen").click()
    page.goto(link)
    page.get_by_role("heading", name="Deze uitnodiging werkt niet meer").wait_for()
    expect(page.get_by_text("Vraag de school om een nieuwe uitnodiging.")).to_be_visible()
