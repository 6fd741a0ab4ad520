"""Invitations in Django admin, through the real admin URLs, scoped per school."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import StaffMembership
from invitations.models import Invitation

CHANGELIST = "admin:invitations_invitation_changelist"


@pytest.fixture
def sent(personas, invite):
    """An invitation for each school."""
    own, _link = invite(personas.admin, "new@example.org", child=personas.child_b)
    other, _link = invite(personas.other_admin, "foreign@example.org", child=personas.child_x)
    return own, other


def test_admin_lists_own_school_invitations_with_state(personas, login, sent):
    content = login(personas.admin).get(reverse(CHANGELIST)).content.decode()
    assert "new@example.org" in content
    assert "Verstuurd" in content
    assert "foreign@example.org" not in content


def test_other_school_admin_gets_missing(personas, login, sent):
    own, _other = sent
    client = login(personas.other_admin)
    response = client.get(reverse("admin:invitations_invitation_change", args=[own.pk]))
    assert response.status_code == 302
    assert "new@example.org" not in client.get(reverse(CHANGELIST)).content.decode()


def test_admin_opens_own_invitation_read_only(personas, login, sent):
    own, _other = sent
    response = login(personas.admin).get(
        reverse("admin:invitations_invitation_change", args=[own.pk])
    )
    assert response.status_code == 200
    assert "token_hash" not in response.content.decode()
    assert 'name="email"' not in response.content.decode()


@pytest.mark.parametrize("persona", ["teacher_a", "parent_a", "direction"])
def test_wrong_role_has_no_invitation_admin(personas, login, persona, sent):
    client = login(getattr(personas, persona))
    for name in (CHANGELIST, "admin:invitations_invite", "admin:invitations_overview"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def _action(client, action, ids):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": ids}, follow=True
    )


def test_revoke_action_calls_service(personas, login, sent, client):
    own, _other = sent
    response = _action(login(personas.admin), "revoke_selected", [own.pk])
    assert "1 uitnodiging ingetrokken." in response.content.decode()
    own.refresh_from_db()
    assert own.state == "revoked"


def test_resend_action_sends_a_new_link(personas, login, sent, django_capture_on_commit_callbacks):
    own, _other = sent
    before = own.token_hash
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(login(personas.admin), "resend_selected", [own.pk])
    assert "1 uitnodiging opnieuw verstuurd." in response.content.decode()
    own.refresh_from_db()
    assert own.token_hash != before
    assert mail.outbox[-1].to == ["new@example.org"]


def test_resending_revoked_invitation_gives_message(personas, login, sent):
    own, _other = sent
    client = login(personas.admin)
    _action(client, "revoke_selected", [own.pk])
    response = _action(client, "resend_selected", [own.pk])
    assert "Alleen een ongebruikte uitnodiging" in response.content.decode()


def test_actions_do_not_touch_other_schools_rows(personas, login, sent):
    own, other = sent
    _action(login(personas.admin), "revoke_selected", [own.pk, other.pk])
    other.refresh_from_db()
    assert other.state == "sent"


def test_invite_form_sends_guardian_invitation(personas, login, django_capture_on_commit_callbacks):
    client = login(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:invitations_invite"),
            {"email": "ouder@example.org", "language": "nl", "child": personas.child_a2.pk},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="ouder@example.org")
    assert invitation.child == personas.child_a2
    assert invitation.invited_by == personas.admin
    assert "Mila" in mail.outbox[-1].body


def test_invite_form_sends_staff_invitation(personas, login, django_capture_on_commit_callbacks):
    client = login(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:invitations_invite"),
            {
                "email": "juf@alpha.example",
                "language": "nl",
                "role": StaffMembership.Role.TEACHER,
                "groups": [personas.group_b.pk],
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="juf@alpha.example")
    assert invitation.school == personas.school
    assert list(invitation.groups.all()) == [personas.group_b]


def test_invite_form_refuses_other_schools_child(personas, login):
    response = login(personas.admin).post(
        reverse("admin:invitations_invite"),
        {"email": "x@example.org", "language": "nl", "child": personas.child_x.pk},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "x@example.org", "language": "nl"}, "Kies een kind"),
        ({"email": "not-an-address", "language": "nl"}, "geldig e-mailadres"),
    ],
)
def test_invite_form_bad_input(personas, login, data, message):
    response = login(personas.admin).post(reverse("admin:invitations_invite"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_form_already_guardian(personas, login):
    response = login(personas.admin).post(
        reverse("admin:invitations_invite"),
        {"email": personas.parent_a.email, "language": "nl", "child": personas.child_a.pk},
    )
    assert "is al ouder/verzorger van Daan" in response.content.decode()
    assert not Invitation.objects.exists()


def test_overview_shows_children_without_guardian_per_group(personas, login, sent):
    client = login(personas.admin)
    response = client.get(reverse("admin:invitations_overview"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Groep 5a" in content
    assert "Groep 6b" in content
    assert "Groep 3x" not in content
    assert "foreign@example.org" not in content
    assert "new@example.org: Verstuurd" in content
    assert content.count("nog niet") == 0  # every Alpha child has a guardian


def test_overview_flags_child_without_active_guardian(personas, login):
    personas.parent_b.is_active = False
    personas.parent_b.save()
    content = login(personas.admin).get(reverse("admin:invitations_overview")).content.decode()
    assert content.count("nog niet") == 1


def test_overview_query_count_does_not_grow(personas, login, invite, django_assert_num_queries):
    from tests.factories import ChildFactory, GroupFactory

    client = login(personas.admin)
    url = reverse("admin:invitations_overview")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    group = GroupFactory(school=personas.school, name="Groep 8c")
    for number in range(15):
        child = ChildFactory(group=group)
        invite(personas.admin, f"extra{number}@example.org", child=child)
    with django_assert_num_queries(len(small.captured_queries)):
        content = client.get(url).content.decode()
    assert content.count("Verstuurd") == 15


def test_state_filter_shows_expired(personas, login, sent):
    own, _other = sent
    Invitation.objects.filter(pk=own.pk).update(expires_at="2020-01-01T00:00:00Z")
    client = login(personas.admin)
    content = client.get(reverse(CHANGELIST) + "?state=expired").content.decode()
    assert "new@example.org" in content
    assert "Verlopen" in content
    assert "new@example.org" not in client.get(reverse(CHANGELIST) + "?state=sent").content.decode()


def test_group_filter_lists_own_groups_only(personas, login, sent):
    content = login(personas.admin).get(reverse(CHANGELIST)).content.decode()
    assert "Groep 3x" not in content
    filtered = (
        login(personas.admin)
        .get(reverse(CHANGELIST) + f"?group={personas.group_a.pk}")
        .content.decode()
    )
    assert "new@example.org" not in filtered


def test_superuser_sees_every_school(personas, client, django_user_model, sent):
    django_user_model.objects.create_superuser("root@example.org", "long-enough-password")
    client.login(username="root@example.org", password="long-enough-password")
    content = client.get(reverse(CHANGELIST)).content.decode()
    assert "new@example.org" in content
    assert "foreign@example.org" in content
