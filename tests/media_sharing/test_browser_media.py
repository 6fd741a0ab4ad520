"""The photo flow in a real browser, as the people who do it: a teacher posts five photos,
a parent sees them, the office records a withdrawal, and the photo is gone for the parent."""

import re

import pytest
from playwright.sync_api import expect

from media_sharing.models import MediaItem
from privacy import services as privacy_services

from .conftest import jpeg_bytes

pytestmark = pytest.mark.browser

GROUP_PURPOSE = "Foto's en video in de besloten groepsomgeving"


def _log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/accounts/login/**")


def test_teacher_posts_photos_parent_sees_them_until_consent_is_withdrawn(
    personas, page, browser_login, tmp_path
):
    p = personas
    privacy_services.consent_purposes_ensure(p.school)
    group = p.school.consent_purposes.get(code="group")
    for guardian in (p.parent_a, p.separated_parent_a):
        privacy_services.consent_record(
            actor=guardian, child=p.child_a, purpose=group, decision="granted"
        )
    # Mila's guardian never answered: she is marked "no photos".
    files = []
    for number in range(5):
        path = tmp_path / f"IMG_{number}.jpg"
        path.write_bytes(jpeg_bytes(size=(800, 600), color=(40 * number, 90, 160)))
        files.append(str(path))

    # The teacher uploads five photos in the group's album, with a progress bar.
    browser_login(p.teacher_a.email)
    page.get_by_role("link", name="Berichten", exact=True).click()
    page.get_by_role("link", name="Bericht schrijven").click()
    page.get_by_role("link", name="Album van Groep 5a").click()
    page.get_by_label("Foto's en video's", exact=True).set_input_files(files)
    page.get_by_role("button", name="Uploaden").click()
    expect(page.get_by_role("status")).to_contain_text("Geüpload. Tag de kinderen")
    cards = page.locator(".media-card")
    expect(cards).to_have_count(5)
    expect(page.locator("img.media-thumb")).to_have_count(5)

    # Mila carries the "no photos" marker; tagging her gives the block message at once.
    first = cards.first
    expect(first.locator("label", has_text="Mila")).to_contain_text("geen foto's")
    first.get_by_label(re.compile("Daan")).check()
    first.get_by_label(re.compile("Mila")).check()
    first.get_by_role("button", name="Tags opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Geen toestemming om Mila")
    # She is not in it after all: untag her.
    cards.first.get_by_label(re.compile("Mila")).uncheck()
    cards.first.get_by_role("button", name="Tags opslaan").click()
    expect(page.get_by_role("status")).not_to_contain_text("Geen toestemming")
    for index in range(1, 5):
        card = page.locator(".media-card").nth(index)
        card.get_by_label("Op deze foto is geen kind herkenbaar").check()
        card.get_by_role("button", name="Tags opslaan").click()
        expect(page.get_by_role("status")).to_contain_text("Tags opgeslagen.")

    # Then the post, with the five photos.
    page.get_by_role("link", name="Berichten", exact=True).click()
    page.get_by_role("link", name="Bericht schrijven").click()
    page.get_by_label("Titel").fill("Herfstwandeling")
    page.get_by_label("Tekst").fill("Wat een mooie dag in het bos!")
    page.get_by_role("checkbox", name=re.compile("^Groep 5a")).check()
    for box in page.get_by_role("checkbox", name=re.compile(r"^Foto \d+ van Groep 5a")).all():
        box.check()
    page.get_by_role("button", name="Publiceren").click()
    expect(page.get_by_role("status")).to_contain_text("Uw bericht is gepubliceerd.")
    _log_out(page)

    # A parent of the group sees the five photos in the feed, with the notice.
    browser_login(p.parent_a.email)
    page.get_by_role("link", name="Berichten", exact=True).click()
    post = page.locator(".post-card", has_text="Herfstwandeling")
    expect(post.locator("img.media-thumb")).to_have_count(5)
    expect(post.get_by_role("note")).to_contain_text("blijven binnen de omgeving van de school")
    _log_out(page)

    # The office records the other guardian's paper refusal for Daan.
    browser_login(p.admin.email)
    page.goto("/admin/privacy/consentevent/")
    page.get_by_role("link", name="Toestemming per groep").click()
    page.get_by_role("link", name=re.compile("Groep 5a")).first.click()
    page.get_by_role("link", name="Vastleggen voor Daan").click()
    page.get_by_label("Doel").select_option(label=GROUP_PURPOSE)
    page.get_by_label("Geweigerd", exact=True).check()
    page.get_by_label("Ouder/verzorger die besliste").select_option(label="Tom Separated")
    page.get_by_label("Reden").fill("Papieren formulier: geen foto's meer")
    page.get_by_role("button", name="Toevoegen aan het register").click()
    expect(page.locator(".messagelist")).to_contain_text("is aan het register toegevoegd")
    _log_out(page)

    # The parent reloads: the photo with Daan is gone, the other four remain.
    browser_login(p.parent_a.email)
    page.get_by_role("link", name="Berichten", exact=True).click()
    post = page.locator(".post-card", has_text="Herfstwandeling")
    expect(post.locator("img.media-thumb")).to_have_count(4)
    tagged = MediaItem.objects.get(tags__child=p.child_a)
    assert f"/media/{tagged.pk}/" not in page.content()
    assert page.request.get(f"/media/{tagged.pk}/thumbnail/").status == 404
