"""An invitation from e-mail to account: new person, existing account, second school, and
every way a link stops working (used, expired, revoked, resent, tampered)."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from groups.models import Guardianship, StaffMembership
from invitations import services
from invitations.models import Invitation, hash_token
from tests.factories import PASSWORD

from .conftest import BASE_URL, last_link

User = get_user_model()
NEW_PASSWORD = "a-long-family-password"
UNUSABLE = "Vraag de school om een nieuwe uitnodiging."


def _accept_new(client, link, name="Fatima El Amrani", password=NEW_PASSWORD):
    return client.post(link, {"full_name": name, "password1": password, "password2": password})


def test_email_names_school_and_child_in_dutch(personas, invite):
    invitation, link = invite(personas.admin, "New.Parent@Example.org ", child=personas.child_a)
    message = mail.outbox[-1]
    assert message.to == ["new.parent@example.org"]
    assert "Alpha school" in message.subject
    assert "Daan" in message.subject
    assert "Daan" in message.body
    assert "Accepteer de uitnodiging" in message.body
    token = link.split("/")[2]
    assert len(token) >= 43  # 32 random bytes, base64
    invitation.refresh_from_db()
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())


def test_email_in_english_for_english_invitee(personas, invite):
    invite(personas.admin, "new@example.org", child=personas.child_a, language="en")
    assert "invites you to follow Daan" in mail.outbox[-1].subject


def test_existing_account_gets_mail_in_its_language(personas, invite):
    personas.parent_b.preferred_language = "en"
    personas.parent_b.save()
    invite(personas.admin, personas.parent_b.email, child=personas.child_a)
    assert "Accept the invitation" in mail.outbox[-1].body


def test_new_person_sets_name_and_password_and_sees_the_child(client, personas, invite):
    invitation, link = invite(personas.admin, "new@example.org", child=personas.child_a)
    page = client.get(link)
    assert page.status_code == 200
    assert "Daan" in page.content.decode()
    response = _accept_new(client, link)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="new@example.org")
    assert user.full_name == "Fatima El Amrani"
    assert Guardianship.objects.filter(guardian=user, child=personas.child_a).exists()
    invitation.refresh_from_db()
    assert invitation.state == "accepted"
    assert invitation.accepted_by == user
    home = client.get(reverse("home")).content.decode()
    assert "Daan" in home
    assert "Groep 5a" in home


def test_used_link_shows_clear_page_and_changes_nothing(client, personas, invite):
    _invitation, link = invite(personas.admin, "new@example.org", child=personas.child_a)
    _accept_new(client, link)
    client.post(reverse("logout"))
    users = User.objects.count()
    response = _accept_new(client, link, name="Someone Else")
    assert response.status_code == 410
    content = response.content.decode()
    assert UNUSABLE in content
    assert "Traceback" not in content
    assert User.objects.count() == users
    assert client.get(link).status_code == 410


@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        ("kort", "kort", "Dit wachtwoord is te kort"),
        ("12345678901234", "12345678901234", "Dit wachtwoord bevat alleen cijfers."),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "De twee wachtwoorden zijn niet gelijk."),
    ],
)
def test_bad_password_is_refused_and_nothing_saved(
    client, personas, invite, password1, password2, message
):
    invitation, link = invite(personas.admin, "new@example.org", child=personas.child_a)
    response = client.post(
        link, {"full_name": "Fatima", "password1": password1, "password2": password2}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.state == "sent"


def test_missing_name_is_refused(client, personas, invite):
    _invitation, link = invite(personas.admin, "new@example.org", child=personas.child_a)
    response = _accept_new(client, link, name="  ")
    assert response.status_code == 200
    assert not User.objects.filter(email="new@example.org").exists()


def test_existing_account_logs_in_and_child_is_added(client, personas, invite):
    _invitation, link = invite(personas.admin, personas.parent_b.email, child=personas.child_a2)
    page = client.get(link)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Log in om te accepteren" in content
    assert 'name="password1"' not in content
    # Posting a new-account form for an existing address changes nothing.
    assert _accept_new(client, link).status_code == 200
    assert not personas.parent_b.children.filter(pk=personas.child_a2.pk).exists()
    client.post(
        f"{reverse('login')}?next={link}",
        {"username": personas.parent_b.email, "password": PASSWORD},
    )
    assert "Accepteren en aan mijn account toevoegen" in client.get(link).content.decode()
    users = User.objects.count()
    assert client.post(link).status_code == 302
    assert User.objects.count() == users
    children = set(personas.parent_b.children.all())
    assert children == {personas.child_b, personas.child_a2}


def test_second_school_adds_to_the_same_account(login, personas, invite):
    _invitation, link = invite(
        personas.other_admin, personas.parent_a.email, child=personas.child_x
    )
    client = login(personas.parent_a)
    assert client.post(link).status_code == 302
    home = client.get(reverse("home")).content.decode()
    assert "Noor" in home
    assert "Daan" in home
    assert "Beta school" in home


def test_expired_link_shows_clear_page(client, personas, invite):
    start = datetime.datetime(2026, 10, 20, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        invitation, link = invite(personas.admin, "new@example.org", child=personas.child_a)
    # The school's 14 days run across the end of summer time (25 October).
    with time_machine.travel(start + datetime.timedelta(days=13, hours=23), tick=False):
        assert client.get(link).status_code == 200
        assert invitation.current_state == "sent"
    with time_machine.travel(start + datetime.timedelta(days=14, minutes=1), tick=False):
        response = _accept_new(client, link)
        assert response.status_code == 410
        assert UNUSABLE in response.content.decode()
        invitation.refresh_from_db()
        assert invitation.current_state == "expired"
    assert not User.objects.filter(email="new@example.org").exists()


def test_school_sets_validity(client, personas, invite):
    personas.school.invitation_valid_days = 3
    personas.school.save()
    start = datetime.datetime(2026, 3, 27, 9, 0, tzinfo=datetime.UTC)  # summer time starts 29th
    with time_machine.travel(start, tick=False):
        _invitation, link = invite(personas.admin, "new@example.org", child=personas.child_a)
    with time_machine.travel(start + datetime.timedelta(days=3, seconds=1), tick=False):
        assert client.get(link).status_code == 410


def test_revoked_link_shows_clear_page(client, personas, invite):
    invitation, link = invite(personas.admin, "new@example.org", child=personas.child_a)
    services.invitation_revoke(actor=personas.admin, invitation=invitation)
    response = _accept_new(client, link)
    assert response.status_code == 410
    assert UNUSABLE in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()
    with pytest.raises(ValidationError):
        services.invitation_revoke(actor=personas.admin, invitation=invitation)


def test_resend_kills_the_old_link(client, personas, invite, django_capture_on_commit_callbacks):
    invitation, old_link = invite(personas.admin, "new@example.org", child=personas.child_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=personas.admin, invitation=invitation, base_url=BASE_URL)
    new_link = last_link()
    assert new_link != old_link
    assert len(mail.outbox) == 2
    assert client.get(old_link).status_code == 410
    assert _accept_new(client, new_link).status_code == 302
    assert Invitation.objects.count() == 1


def test_inviting_again_reuses_the_open_invitation(personas, invite, client):
    first, old_link = invite(personas.admin, "new@example.org", child=personas.child_a)
    second, new_link = invite(personas.admin, "NEW@example.org", child=personas.child_a)
    assert first.pk == second.pk
    assert client.get(old_link).status_code == 410
    assert client.get(new_link).status_code == 200


def test_resending_an_accepted_invitation_is_refused(client, personas, invite):
    invitation, link = invite(personas.admin, "new@example.org", child=personas.child_a)
    _accept_new(client, link)
    invitation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.invitation_resend(actor=personas.admin, invitation=invitation, base_url=BASE_URL)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:20],
        lambda token: "x" * 500,
        lambda token: "..%2F..%2Fadmin",
    ],
)
def test_tampered_link_shows_clear_page(client, personas, invite, mangle):
    _invitation, link = invite(personas.admin, "new@example.org", child=personas.child_a)
    token = link.split("/")[2]
    bad = reverse("invitation_accept", args=[mangle(token)])
    response = _accept_new(client, bad)
    assert response.status_code == 410
    assert UNUSABLE in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_already_guardian_is_not_invited(personas):
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=personas.admin,
            email=personas.parent_a.email,
            child=personas.child_a,
            base_url=BASE_URL,
        )
    assert not Invitation.objects.exists()


def test_malformed_address_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(
            actor=personas.admin, email="not-an-address", child=personas.child_a, base_url=BASE_URL
        )
    assert "email" in error.value.message_dict
    assert not Invitation.objects.exists()


def test_teacher_invites_for_own_group_only(personas, invite):
    invitation, _link = invite(personas.teacher_a, "new@example.org", child=personas.child_a)
    assert invitation.invited_by == personas.teacher_a
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=personas.teacher_a,
            email="x@example.org",
            child=personas.child_b,
            base_url=BASE_URL,
        )


@pytest.mark.parametrize("persona", ["assistant_a", "direction", "parent_a", "other_admin"])
def test_wrong_role_cannot_invite(personas, persona):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=getattr(personas, persona),
            email="x@example.org",
            child=personas.child_a,
            base_url=BASE_URL,
        )
    assert not Invitation.objects.exists()


def test_other_school_admin_cannot_revoke(personas, invite):
    invitation, _link = invite(personas.admin, "new@example.org", child=personas.child_a)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=personas.other_admin, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.state == "sent"


def test_staff_invitation_gives_role_and_groups(client, personas, invite):
    _invitation, link = invite(
        personas.admin,
        "new.teacher@alpha.example",
        school=personas.school,
        role=StaffMembership.Role.TEACHER,
        groups=[personas.group_b],
    )
    assert "leerkracht" in mail.outbox[-1].body.lower()
    assert _accept_new(client, link, name="Nina Teacher").status_code == 302
    membership = StaffMembership.objects.get(user__email="new.teacher@alpha.example")
    assert membership.school == personas.school
    assert list(membership.groups.all()) == [personas.group_b]


def test_staff_invitation_refuses_foreign_groups(personas):
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=personas.admin,
            email="t@example.org",
            school=personas.school,
            role=StaffMembership.Role.TEACHER,
            groups=[personas.group_x],
            base_url=BASE_URL,
        )
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=personas.teacher_a,
            email="t@example.org",
            school=personas.school,
            role=StaffMembership.Role.TEACHER,
            base_url=BASE_URL,
        )
    assert not Invitation.objects.exists()


def test_delivery_sends_once(personas, invite):
    invitation, _link = invite(personas.admin, "new@example.org", child=personas.child_a)
    assert services.invitation_deliver(invitation_id=invitation.pk, base_url=BASE_URL) is False
    assert len(mail.outbox) == 1


def test_logged_in_person_accepting_gets_confirmation_page(login, personas, invite):
    _invitation, link = invite(personas.admin, "new@example.org", child=personas.child_b)
    client = login(personas.parent_a)
    response = client.get(link)
    assert response.status_code == 200
    assert personas.parent_a.email in response.content.decode()
    assert not personas.parent_a.children.filter(pk=personas.child_b.pk).exists()


def test_invitation_cannot_undo_a_custody_ruling(personas):
    """A guardian flagged as not receiving communication cannot be re-invited for that child."""
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=personas.admin,
            email=personas.blocked_parent_a.email,
            child=personas.child_a,
            base_url=BASE_URL,
        )
    assert not Invitation.objects.exists()


def test_accepting_keeps_an_existing_custody_flag(login, personas, invite):
    """Linked meanwhile with the flag off (e.g. by an operator): accepting does not switch it on."""
    _invitation, link = invite(personas.admin, personas.outsider.email, child=personas.child_b)
    Guardianship.objects.create(
        guardian=personas.outsider, child=personas.child_b, receives_communication=False
    )
    client = login(personas.outsider)
    assert client.post(link).status_code == 302
    assert not Guardianship.objects.get(guardian=personas.outsider).receives_communication
    assert "Sem" not in client.get(reverse("home")).content.decode()
