"""The signed one-click unsubscribe link: confirm by POST, no login, clear page when broken."""

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from messaging.digest import selectors, services

from .conftest import at

pytestmark = pytest.mark.django_db


def url_for(token):
    return reverse("digest:unsubscribe", args=[token])


def test_the_link_asks_first_and_a_post_switches_the_digest_off(client, personas):
    parent = personas.parent_a
    url = url_for(services.unsubscribe_token(parent))
    response = client.get(url)
    assert response.status_code == 200
    assert "Wekelijks overzicht stoppen" in response.content.decode()
    parent.refresh_from_db()
    assert parent.digest_enabled, "a GET (a mail scanner following links) changes nothing"

    response = client.post(url)
    assert response.status_code == 200
    assert "staat uit" in response.content.decode()
    parent.refresh_from_db()
    assert not parent.digest_enabled


def test_one_click_post_from_a_mail_program_needs_no_session_or_csrf(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    token = services.unsubscribe_token(personas.parent_b)
    response = client.post(url_for(token), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    personas.parent_b.refresh_from_db()
    assert not personas.parent_b.digest_enabled


def test_a_tampered_token_gets_a_clear_page_and_changes_nothing(client, personas):
    token = services.unsubscribe_token(personas.parent_a)
    forged = signing.dumps(
        {"u": personas.parent_b.pk, "e": personas.parent_b.email}, salt="another.salt"
    )
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        response = client.post(url_for(bad))
        assert response.status_code == 400
        assert "Deze link werkt niet meer" in response.content.decode()
    for person in (personas.parent_a, personas.parent_b):
        person.refresh_from_db()
        assert person.digest_enabled


def test_an_expired_token_gets_the_same_clear_page(client, personas):
    with time_machine.travel(at(2026, 1, 5, 9), tick=False):
        token = services.unsubscribe_token(personas.parent_a)
    with time_machine.travel(at(2026, 3, 20, 9), tick=False):
        response = client.get(url_for(token))
    assert response.status_code == 400
    assert "Deze link werkt niet meer" in response.content.decode()
    with pytest.raises(signing.SignatureExpired), time_machine.travel(at(2026, 3, 20, 9)):
        selectors.unsubscribe_user(token)


def test_a_link_stops_working_when_the_address_changed(client, personas):
    token = services.unsubscribe_token(personas.parent_a)
    personas.parent_a.email = "new.address@example.org"
    personas.parent_a.save()
    assert client.post(url_for(token)).status_code == 400


def test_a_deactivated_account_gets_the_clear_page(client, personas):
    token = services.unsubscribe_token(personas.parent_a)
    personas.parent_a.is_active = False
    personas.parent_a.save()
    assert client.get(url_for(token)).status_code == 400
