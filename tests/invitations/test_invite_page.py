"""The in-app page where a teacher invites parents of their own group's children."""

import pytest
from django.core import mail
from django.urls import reverse

from invitations.models import Invitation
from tests.factories import ChildFactory

URL = reverse("invitation_new")


def test_teacher_invites_parent_of_own_group(personas, login, django_capture_on_commit_callbacks):
    client = login(personas.teacher_a)
    page = client.get(URL)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Daan" in content
    assert "Sem" not in content  # group B is not the teacher's
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"child": personas.child_a.pk, "email": "nieuw@example.org", "language": "nl"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.child == personas.child_a
    assert invitation.invited_by == personas.teacher_a
    assert mail.outbox[-1].to == ["nieuw@example.org"]
    listing = client.get(URL).content.decode()
    assert "nieuw@example.org" in listing
    assert "Verstuurd" in listing


def test_teacher_cannot_invite_for_another_group(personas, login):
    response = login(personas.teacher_a).post(
        URL, {"child": personas.child_b.pk, "email": "x@example.org", "language": "nl"}
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Invitation.objects.exists()


def test_administration_may_invite_for_any_child_of_own_school(personas, login):
    content = login(personas.admin).get(URL).content.decode()
    assert "Sem" in content
    assert "Noor" not in content


@pytest.mark.parametrize("persona", ["parent_a", "assistant_a", "direction", "outsider"])
def test_wrong_role_gets_404(personas, login, persona):
    assert login(getattr(personas, persona)).get(URL).status_code == 404


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("email", "message"),
    [("geen-adres", "Voer een geldig e-mailadres in."), ("parent.a@example.org", "al ouder")],
)
def test_bad_input_is_refused(personas, login, email, message):
    response = login(personas.teacher_a).post(
        URL, {"child": personas.child_a.pk, "email": email, "language": "nl"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_home_links_teachers_and_administration_only(personas, login):
    for persona, shown in (("teacher_a", True), ("admin", True), ("parent_a", False)):
        content = login(getattr(personas, persona)).get(reverse("home")).content.decode()
        assert (URL in content) is shown


@pytest.mark.parametrize("size", [1, 10])
def test_page_query_count_is_constant(personas, login, invite, django_assert_num_queries, size):
    for number in range(size):
        child = ChildFactory(group=personas.group_a)
        invite(personas.admin, f"p{number}@example.org", child=child)
    client = login(personas.teacher_a)
    # user, kindgesprek unread badge, children exist, children (choices), invitations
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.content.decode().count("Verstuurd") == size
