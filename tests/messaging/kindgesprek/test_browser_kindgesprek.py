"""In a real browser: a parent writes in the evening, the teacher answers the next morning,
and the other guardian reads along."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from .conftest import MONDAY_EVENING, THAT_MONDAY, at

pytestmark = pytest.mark.clock(THAT_MONDAY)

pytestmark = pytest.mark.browser


def _logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/accounts/login/")


def test_evening_question_answered_next_morning(transactional_db, personas, page, browser_login):
    with time_machine.travel(MONDAY_EVENING, tick=True):
        browser_login(personas.parent_a.email)
        page.get_by_role("link", name="Kindgesprek").click()
        page.get_by_role("link", name="Gesprek over Daan").click()
        notice = page.get_by_role("note")
        expect(
            notice.get_by_text("Anna Teacher leest berichten op dinsdag vanaf 08:00.")
        ).to_be_visible()
        expect(
            notice.get_by_text("Dringend? Bel de administratie: +31 20 555 0000")
        ).to_be_visible()
        page.get_by_label("Uw bericht").fill("Mag Daan morgen eerder weg voor de tandarts?")
        page.get_by_role("button", name="Versturen").click()
        expect(page.get_by_text("Mag Daan morgen eerder weg voor de tandarts?")).to_be_visible()
        _logout(page)

    with time_machine.travel(at(2026, 11, 24, 8, 5), tick=True):
        browser_login(personas.teacher_a.email)
        page.get_by_role("link", name=re.compile(r"Kindgesprek.*1 ongelezen")).click()
        page.get_by_label("Alleen gesprekken die een antwoord nodig hebben").check()
        page.get_by_role("button", name="Tonen").click()
        inbox = page.get_by_role("region", name="Gesprekken van uw groepen")
        expect(inbox.get_by_text("Wacht op antwoord")).to_be_visible()
        inbox.get_by_role("link", name=personas.child_a.full_name).click()
        expect(page.get_by_text("leest berichten op")).to_have_count(0)
        page.get_by_label("Uw bericht").fill("Ja hoor, om 11:00 staat hij klaar.")
        page.get_by_role("button", name="Versturen").click()
        expect(page.get_by_text("Ja hoor, om 11:00 staat hij klaar.")).to_be_visible()
        _logout(page)

        browser_login(personas.separated_parent_a.email)
        page.get_by_role("link", name=re.compile(r"Kindgesprek.*1 ongelezen")).click()
        page.get_by_role("link", name="Gesprek over Daan").click()
        expect(page.get_by_text("Mag Daan morgen eerder weg voor de tandarts?")).to_be_visible()
        expect(page.get_by_text("Ja hoor, om 11:00 staat hij klaar.")).to_be_visible()
        expect(page.get_by_text("Gelezen door Anna Teacher")).to_be_visible()
