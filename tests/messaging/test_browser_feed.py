"""The feed's user flows in a real browser, as the persona who does them."""

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from messaging import services
from messaging.models import Comment, Post, PostRead

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.browser


def _log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/accounts/login/**")


def test_teacher_publishes_and_schedules_outside_hours(page, browser_login, personas):
    # Friday evening: outside the school's staff hours.
    with time_machine.travel(datetime.datetime(2026, 11, 20, 19, 0, tzinfo=AMS)):
        browser_login("teacher.a@alpha.example")
        page.get_by_role("link", name="Berichten", exact=True).click()
        page.get_by_role("link", name="Bericht schrijven").click()
        expect(page.get_by_role("note")).to_contain_text("buiten de werktijden")
        page.get_by_label("Titel").fill("Excursie")
        page.get_by_label("Tekst").fill("Vrijdag gaan we naar het bos.")
        page.get_by_label("Groep 5a").check()
        page.get_by_role("button", name="Publiceren").click()
        expect(page.get_by_role("status")).to_contain_text("Uw bericht is gepubliceerd.")
        expect(page.get_by_role("heading", name="Excursie")).to_be_visible()

        page.get_by_role("link", name="Berichten", exact=True).click()
        page.get_by_role("link", name="Bericht schrijven").click()
        page.get_by_label("Titel").fill("Maandag gym")
        page.get_by_label("Tekst").fill("Neem gymschoenen mee.")
        page.get_by_label("Groep 5a").check()
        page.get_by_role("button", name="Inplannen voor maandag 23 november 08:00").click()
        expect(page.get_by_role("status")).to_contain_text("23-11-2026 08:00")
    scheduled = Post.objects.get(title="Maandag gym")
    assert scheduled.publish_at == datetime.datetime(2026, 11, 23, 8, 0, tzinfo=AMS)
    assert Post.objects.get(title="Excursie").author == personas.teacher_a


def test_parent_sees_both_childrens_groups_and_teacher_sees_it_read(page, browser_login, personas):
    personas.child_b.guardianships.create(guardian=personas.parent_a)
    services.post_publish(
        actor=personas.teacher_a,
        school=personas.school,
        group_ids=[personas.group_a.pk],
        title="Nieuws uit 5a",
        body="Wij hebben geknutseld.",
    )
    services.post_publish(
        actor=personas.direction,
        school=personas.school,
        group_ids=[personas.group_b.pk],
        title="Nieuws uit 6b",
        body="Wij hebben gezongen.",
    )
    browser_login("parent.a@example.org")
    with page.expect_response("**/messages/read/") as seen:
        page.get_by_role("link", name="Berichten", exact=True).click()
    assert seen.value.status == 204  # posts on screen are reported as read by the script
    feed = page.locator("#feed")
    expect(feed.get_by_text("Groep 5a · Daan")).to_be_visible()
    expect(feed.get_by_text("Groep 6b · Sem")).to_be_visible()
    page.get_by_role("link", name="Sem").click()
    expect(feed.get_by_text("Nieuws uit 5a")).to_have_count(0)
    page.get_by_role("link", name="Nieuws uit 6b").click()
    expect(page.get_by_role("heading", name="Nieuws uit 6b")).to_be_visible()
    _log_out(page)

    browser_login("teacher.a@alpha.example")
    page.get_by_role("link", name="Berichten", exact=True).click()
    page.get_by_role("link", name="Nieuws uit 5a").click()
    page.get_by_role("link", name="Gelezen door 1 van 2 gezinnen").click()
    # child_a's family read it; child_a2's family (multi_school_parent) has not.
    expect(page.get_by_text("Gelezen door 1 van 2 gezinnen")).to_be_visible()
    expect(page.get_by_text("Lotte Multi")).to_be_visible()
    assert PostRead.objects.filter(user=personas.parent_a).count() == 2


def test_parent_reports_a_comment_and_direction_hides_it(page, browser_login, personas):
    post = services.post_publish(
        actor=personas.teacher_a,
        school=personas.school,
        group_ids=[personas.group_a.pk],
        title="Sportdag",
        body="Wie helpt er mee?",
    )
    comment = services.comment_add(actor=personas.parent_a, post=post, body="Wat een onzin")
    browser_login("multi@example.org")
    page.goto(f"/messages/{post.pk}/")
    page.get_by_role("link", name="Reactie melden").click()
    page.get_by_label("Waarom is dit ongepast?").fill("Niet vriendelijk")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Uw melding is ontvangen")
    _log_out(page)

    browser_login("direction@alpha.example")
    page.get_by_role("link", name="Berichten", exact=True).click()
    page.get_by_role("link", name="Moderatie").click()
    expect(page.get_by_text("Niet vriendelijk")).to_be_visible()
    page.get_by_role("button", name="Verbergen").click()
    expect(page.get_by_role("status")).to_contain_text("De inhoud is verborgen.")
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert Comment.objects.filter(hidden_at__isnull=True).count() == 0


def test_older_posts_load_in_place(page, browser_login, personas):
    for n in range(21):
        services.post_publish(
            actor=personas.teacher_a,
            school=personas.school,
            group_ids=[personas.group_a.pk],
            title=f"Weekbericht {n}",
            body="Tekst",
        )
    browser_login("parent.a@example.org")
    page.get_by_role("link", name="Berichten", exact=True).click()
    expect(page.locator("[data-post-id]")).to_have_count(20)
    page.get_by_role("link", name="Oudere berichten").click()
    expect(page.locator("[data-post-id]")).to_have_count(21)
    expect(page.get_by_role("link", name="Weekbericht 0")).to_be_visible()
    assert page.url.endswith("/messages/")  # htmx swapped the list; no page load
