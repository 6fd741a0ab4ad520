"""Login lockout per account and address (django-axes), without hinting which accounts exist."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PASSWORD

LOCKED = "Te vaak een verkeerd wachtwoord"
WRONG = "Dit e-mailadres en wachtwoord horen niet bij een actief account."
SCHOOL_IP = "192.0.2.10"


def _attempt(client, email, password, ip=SCHOOL_IP):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def _fail_five_times(client, email, ip=SCHOOL_IP):
    for _ in range(5):
        response = _attempt(client, email, "wrong-password", ip)
    return response


def test_fifth_failure_locks_account_at_that_address(client, personas):
    last = _fail_five_times(client, personas.parent_a.email)
    assert last.status_code == 429
    response = _attempt(client, personas.parent_a.email, PASSWORD)
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKED in content
    assert "15 minuten" in content
    assert "Traceback" not in content
    assert "_auth_user_id" not in client.session


def test_failures_before_the_limit_get_the_usual_answer(client, personas):
    for _ in range(4):
        response = _attempt(client, personas.parent_a.email, "wrong-password")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert _attempt(client, personas.parent_a.email, PASSWORD).status_code == 302


def test_shared_school_address_is_not_locked_for_others(client, personas):
    _fail_five_times(client, personas.parent_a.email)
    response = _attempt(client, personas.parent_b.email, PASSWORD)
    assert response.status_code == 302


def test_same_account_from_another_address_still_logs_in(client, personas):
    _fail_five_times(client, personas.parent_a.email)
    response = _attempt(client, personas.parent_a.email, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302


def test_unknown_address_is_locked_the_same_way(client, personas):
    known = _fail_five_times(client, personas.parent_a.email)
    unknown = _fail_five_times(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 429
    assert LOCKED in unknown.content.decode()


def test_case_of_the_address_does_not_reset_the_count(client, personas):
    for email in ("parent.a@example.org", "Parent.A@example.org", "PARENT.A@EXAMPLE.ORG"):
        _attempt(client, email, "wrong-password")
    _attempt(client, " parent.a@example.org", "wrong-password")
    response = _attempt(client, "Parent.a@Example.org", "wrong-password")
    assert response.status_code == 429


def test_success_resets_the_count(client, personas):
    for _ in range(4):
        _attempt(client, personas.parent_a.email, "wrong-password")
    assert _attempt(client, personas.parent_a.email, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        response = _attempt(client, personas.parent_a.email, "wrong-password")
    assert response.status_code == 200


def _at(start, minutes):
    return time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False)


# DST ends that night in Amsterdam; the cool-off is counted in real elapsed time.
DST_END = datetime.datetime(2026, 10, 25, 0, 50, tzinfo=datetime.UTC)


def test_lockout_ends_after_the_cool_off(client, personas):
    with _at(DST_END, 0):
        _fail_five_times(client, personas.parent_a.email)
    with _at(DST_END, 16):
        assert _attempt(client, personas.parent_a.email, PASSWORD).status_code == 302


def test_trying_during_the_lockout_extends_it(client, personas):
    with _at(DST_END, 0):
        _fail_five_times(client, personas.parent_a.email)
    with _at(DST_END, 14):
        assert _attempt(client, personas.parent_a.email, PASSWORD).status_code == 429
    with _at(DST_END, 16):
        assert _attempt(client, personas.parent_a.email, PASSWORD).status_code == 429
    with _at(DST_END, 32):
        assert _attempt(client, personas.parent_a.email, PASSWORD).status_code == 302


def test_lockout_page_in_english(client, personas):
    client.cookies["django_language"] = "en"
    response = _fail_five_times(client, personas.parent_a.email)
    assert "Too many failed attempts" in response.content.decode()


def test_admin_login_is_locked_too(client, personas):
    for _ in range(5):
        response = client.post(
            reverse("admin:login"),
            {"username": personas.admin.email, "password": "wrong-password"},
            REMOTE_ADDR=SCHOOL_IP,
        )
    assert response.status_code == 429


@pytest.mark.parametrize("password", ["wrong-password", PASSWORD])
def test_api_token_is_refused_while_locked(client, personas, password):
    url = reverse("api-token")
    for _ in range(5):
        client.post(
            url, {"username": personas.parent_a.email, "password": "x"}, REMOTE_ADDR=SCHOOL_IP
        )
    response = client.post(
        url, {"username": personas.parent_a.email, "password": password}, REMOTE_ADDR=SCHOOL_IP
    )
    assert response.status_code == 429
    assert "token" not in response.json()
    assert "Te vaak" in response.json()["detail"]


def test_api_token_failures_lock_the_web_login(client, personas):
    for _ in range(5):
        client.post(
            reverse("api-token"),
            {"username": personas.parent_a.email, "password": "x"},
            REMOTE_ADDR=SCHOOL_IP,
        )
    assert _attempt(client, personas.parent_a.email, PASSWORD).status_code == 429


@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_school_administration_cannot_see_login_records(client, personas, login, model):
    """Failed logins of every school are in these tables: operators (superusers) only."""
    _fail_five_times(client, personas.parent_b.email)
    admin_client = login(personas.admin)
    response = admin_client.get(reverse(f"admin:axes_{model}_changelist"))
    assert response.status_code == 403
    assert "axes" not in admin_client.get(reverse("admin:index")).content.decode()
