"""In a real browser, after seed_demo: the demo looks lived in."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from groups.demo import DEMO_PASSWORD
from privacy import selectors as privacy_selectors

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A Wednesday morning: Anna's working day. The clock keeps ticking for the live server.
# The demo at every other moment is tests/demo/test_content.py's, which the sweep runs.
WEDNESDAY = datetime(2026, 11, 18, 10, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))

pytestmark = [pytest.mark.browser, pytest.mark.clock(WEDNESDAY)]


def test_demo_parent_and_teacher_find_a_lived_in_school(page, browser_login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo")

    browser_login("sanne@ouders.example", DEMO_PASSWORD)
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto("/messages/")
    photos = page.locator("img.media-thumb")
    expect(photos.first).to_be_visible()
    assert photos.count() >= 3
    expect(page.get_by_text("Wat een sportdag!").first).to_be_visible()
    # Phone width: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "demo-feed-320.png")
    photos.first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "demo-feed-photos-320.png")

    daan = User.objects.get(email="sanne@ouders.example").children.get(first_name="Daan")
    page.goto(f"/kindgesprek/child/{daan.pk}/")
    expect(page.get_by_text("weekendverhaal van Daan")).to_be_visible()
    expect(page.get_by_text("practise the times tables")).to_be_visible()

    page.context.clear_cookies()
    browser_login("juf.anna@lindeboom.example", DEMO_PASSWORD)
    page.goto("/privacy/")
    anna = User.objects.get(email="juf.anna@lindeboom.example")
    groep5 = anna.staff_memberships.get().groups.get()
    blocked = privacy_selectors.no_photo_children(groep5.children.all())
    assert 0 < len(blocked) <= 4
    expect(page.locator(".no-photo-mark")).to_have_count(len(blocked))
