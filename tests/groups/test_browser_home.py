"""In a real browser, with the demo data: people log in and see what is theirs."""

import pytest
from playwright.sync_api import expect

from groups import demo as demo_people
from groups.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    # The people only: these pages show who is whose, and the content (tests/demo) would
    # cost a quarter of a minute per test.
    demo_people.seed_demo()


def test_demo_parent_sees_their_childrens_groups(demo, page, browser_login):
    browser_login("sanne@ouders.example", DEMO_PASSWORD)
    children = page.get_by_role("region", name="Uw kinderen")
    expect(children.get_by_text("Daan de Boer")).to_be_visible()
    expect(children.get_by_text("Groep 5 · Kindcentrum De Lindeboom")).to_be_visible()
    expect(children.get_by_text("Mila Smit")).to_be_visible()
    expect(children.get_by_text("Groep 7 · Kindcentrum De Lindeboom")).to_be_visible()
    expect(page.get_by_role("link", name="Beheer")).to_have_count(0)


def test_demo_teacher_sees_their_groups(demo, page, browser_login):
    browser_login("juf.anna@lindeboom.example", DEMO_PASSWORD)
    school = page.get_by_role("region", name="Kindcentrum De Lindeboom")
    expect(school.get_by_text("Uw rol: Leerkracht")).to_be_visible()
    expect(school.get_by_text("Groep 5", exact=True)).to_be_visible()
    expect(page.get_by_text("Groep 7")).to_have_count(0)


def test_wrong_password_shows_message_and_language_switch(demo, page):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill("sanne@ouders.example")
    page.get_by_label("Wachtwoord").fill("not-the-password")
    page.get_by_role("button", name="Inloggen").click()
    expect(
        page.get_by_role("alert").get_by_text("horen niet bij een actief account")
    ).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_administration_reaches_the_admin(demo, page, browser_login):
    browser_login("administratie@zeester.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Naar het beheer").click()
    page.get_by_role("link", name="Scholen", exact=True).first.click()
    expect(page.get_by_role("link", name="Basisschool De Zeester")).to_be_visible()
    expect(page.get_by_text("Kindcentrum De Lindeboom")).to_have_count(0)
