import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD

URL = reverse("preferences")
VALID = {
    "full_name": "Sanne de Vries",
    "preferred_language": "nl",
    "digest_enabled": "",
    "post_notifications": "instant",
    "message_notifications": "digest",
}


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["parent_a", "teacher_a", "admin"])
def test_everyone_edits_only_their_own_settings(personas, login, persona):
    user = getattr(personas, persona)
    client = login(user)
    assert client.get(URL).status_code == 200
    response = client.post(URL, VALID)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "Sanne de Vries"
    assert user.digest_enabled is False
    assert user.post_notifications == "instant"
    assert user.message_notifications == "digest"
    other = personas.parent_b
    other.refresh_from_db()
    assert other.digest_enabled is True


def test_fields_outside_preferences_are_ignored(personas, login):
    client = login(personas.parent_a)
    client.post(URL, {**VALID, "is_staff": "on", "email": "evil@example.org"})
    personas.parent_a.refresh_from_db()
    assert personas.parent_a.is_staff is False
    assert personas.parent_a.email == "parent.a@example.org"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "   ", "Dit veld is vereist."),
        ("preferred_language", "xx", "Selecteer een geldige keuze."),
        ("post_notifications", "sometimes", "Selecteer een geldige keuze."),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(personas, login, field, value, message):
    client = login(personas.parent_a)
    response = client.post(URL, {**VALID, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    personas.parent_a.refresh_from_db()
    assert personas.parent_a.full_name == "Sanne Parent"
    assert personas.parent_a.digest_enabled is True


def test_switching_language_applies_at_once(personas, login):
    client = login(personas.parent_a)
    response = client.post(URL, {**VALID, "preferred_language": "en"}, follow=True)
    assert "Your settings are saved." in response.content.decode()


@pytest.mark.browser
def test_parent_turns_the_digest_off(personas, page):
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(personas.parent_a.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_label("Wekelijks overzicht").uncheck()
    page.get_by_role("group", name="Nieuwe groepsberichten").get_by_label(
        "Meteen een e-mail"
    ).check()
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw instellingen zijn opgeslagen.")
    personas.parent_a.refresh_from_db()
    assert personas.parent_a.digest_enabled is False
    assert personas.parent_a.post_notifications == "instant"
