"""A parent finds the group's photos through the navigation: "Foto's", then the album of
their child's group, where a photo the teacher shared is shown."""

import re

import pytest
from playwright.sync_api import expect

from media_sharing import services

from .conftest import jpeg_bytes, upload

pytestmark = pytest.mark.browser


def test_a_parent_opens_the_groups_album_from_the_navigation(personas, page, browser_login):
    p = personas
    [photo] = services.media_upload(
        actor=p.teacher_a, group=p.group_a, files=[upload("IMG_1.jpg", jpeg_bytes((800, 600)))]
    ).items
    services.media_tags_set(
        actor=p.teacher_a, item=photo, child_ids=[], confirmed_no_recognisable_children=True
    )
    services.media_publish(actor=p.teacher_a, items=[photo])

    browser_login(p.parent_a.email)
    nav = page.get_by_role("link", name="Foto's", exact=True)
    nav.click()
    expect(page).to_have_url(re.compile(r"/media/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Foto's")
    expect(nav).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Daan in Groep 5a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Foto's van Groep 5a")
    thumbnail = page.locator("img.media-thumb")
    expect(thumbnail).to_have_count(1)
    # The photo itself arrived, not only its frame.
    expect(thumbnail).to_have_js_property("complete", True)
    expect(thumbnail).not_to_have_js_property("naturalWidth", 0)
    expect(page.get_by_role("link", name="Foto's", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
