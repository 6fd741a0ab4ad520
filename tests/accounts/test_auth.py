from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


def test_login_with_email_any_case(client, personas):
    response = client.post(
        reverse("login"), {"username": "Parent.A@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_unknown_email_and_wrong_password_get_the_same_answer(client, personas):
    wrong = client.post(reverse("login"), {"username": "parent.a@example.org", "password": "x"})
    unknown = client.post(reverse("login"), {"username": "nobody@example.org", "password": "x"})
    assert wrong.status_code == unknown.status_code == 200
    message = "Dit e-mailadres en wachtwoord horen niet bij een actief account."
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()


def test_session_is_rotated_at_login(client, personas):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("login"), {"username": "parent.a@example.org", "password": PASSWORD})
    assert client.session.session_key != before


def test_logout_clears_the_session(personas, login):
    client = login(personas.parent_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_deactivated_user_loses_access_at_next_request(personas, login):
    client = login(personas.parent_a)
    personas.parent_a.is_active = False
    personas.parent_a.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_does_not_reveal_addresses(client, personas):
    known = client.post(reverse("password_reset"), {"email": "parent.a@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["parent.a@example.org"]


def test_password_reset_link_sets_new_password(client, personas):
    client.post(reverse("password_reset"), {"email": "parent.a@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    response = client.get(link.split("testserver", 1)[1], follow=True)
    assert response.status_code == 200
    new_password = "a-long-new-password-2026"
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert client.login(username="parent.a@example.org", password=new_password)


def test_short_password_is_refused_in_dutch(client, personas):
    client.post(reverse("password_reset"), {"email": "parent.a@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    response = client.get(link.split("testserver", 1)[1], follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "kort", "new_password2": "kort"}
    )
    assert response.status_code == 200
    assert "Dit wachtwoord is te kort" in response.content.decode()
    personas.parent_a.refresh_from_db()
    assert personas.parent_a.check_password(PASSWORD)


def test_tampered_reset_link_shows_clear_page(client, personas):
    response = client.get("/accounts/password-reset/MQ/bad-token/")
    assert response.status_code == 200
    assert "Deze link werkt niet meer" in response.content.decode()


def test_public_pages_need_no_login(client, db):
    for name in ("login", "password_reset", "password_reset_done"):
        assert client.get(reverse(name)).status_code == 200


def test_unknown_page_is_404_for_logged_in_user(personas, login):
    client = login(personas.parent_a)
    assert client.get("/does-not-exist/").status_code == 404
