"""A parent asks to delete their account; the school's administration confirms in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.authtoken.models import Token

from groups.models import Guardianship
from privacy import selectors, services
from privacy.models import AccountDeletionRequest, ConsentEvent, DataExport
from tests.factories import PASSWORD

CHANGELIST = "admin:privacy_accountdeletionrequest_changelist"


def _ask(client):
    return client.post(reverse("privacy-delete-account"), {"confirm": "on"}, follow=True)


def _confirm(client, deletion_request):
    return client.post(
        reverse(CHANGELIST),
        {"action": "erase_accounts", "_selected_action": [deletion_request.pk]},
        follow=True,
    )


def test_parent_asks_and_administration_erases(
    personas, purposes, login, decide, client, media_root, django_capture_on_commit_callbacks
):
    parent = personas.separated_parent_a
    decide(parent, personas.child_a, purposes["group"], "refused")
    export = DataExport.objects.create(user=parent, status="ready")
    export.file.save("export.zip", ContentFile(b"zip"))
    file_path = media_root / export.file.name
    Token.objects.create(user=parent)

    response = _ask(login(parent))
    assert "naar de administratie van de school gestuurd" in response.content.decode()
    deletion_request = AccountDeletionRequest.objects.get()
    assert list(deletion_request.schools.all()) == [personas.school]
    client.logout()

    admin = login(personas.admin)
    assert parent.full_name in admin.get(reverse(CHANGELIST)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _confirm(admin, deletion_request)
    assert "1 account(s) verwijderd." in response.content.decode()

    parent.refresh_from_db()
    assert parent.full_name == "Voormalig ouder"
    assert "separated" not in parent.email
    assert not parent.is_active
    assert not parent.has_usable_password()
    assert not Guardianship.objects.filter(guardian=parent).exists()
    assert not Token.objects.filter(user=parent).exists()
    assert not DataExport.objects.filter(user=parent).exists()
    assert not file_path.exists()
    # The ledger keeps the decision, now by a former parent who no longer counts.
    assert ConsentEvent.objects.filter(decided_by=parent).count() == 1
    assert selectors.consent_states([personas.child_a], [purposes["group"]]) == {
        (personas.child_a.pk, purposes["group"].pk): selectors.NOT_ASKED
    }
    deletion_request.refresh_from_db()
    assert (deletion_request.status, deletion_request.erased_by) == ("erased", personas.admin)
    client.logout()
    assert not client.login(username="separated.a@example.org", password=PASSWORD)


def test_asking_twice_keeps_one_open_request(personas, login):
    client = login(personas.parent_a)
    _ask(client)
    response = _ask(client)
    assert AccountDeletionRequest.objects.count() == 1
    assert "De administratie bevestigt" in response.content.decode()


def test_confirmation_box_is_required(personas, login):
    response = login(personas.parent_a).post(reverse("privacy-delete-account"), {}, follow=True)
    assert "Vink het vakje aan" in response.content.decode()
    assert not AccountDeletionRequest.objects.exists()


@pytest.mark.parametrize(
    ("persona", "message"),
    [("teacher_a", "Medewerkersaccounts"), ("outsider", "niet gekoppeld aan een school")],
)
def test_staff_and_unlinked_accounts_cannot_ask_here(personas, login, persona, message):
    response = _ask(login(getattr(personas, persona)))
    assert message in response.content.decode()
    assert not AccountDeletionRequest.objects.exists()


def test_request_is_post_only(personas, login):
    assert login(personas.parent_a).get(reverse("privacy-delete-account")).status_code == 405


def test_other_school_cannot_see_or_confirm(personas, login):
    deletion_request = services.account_deletion_request(actor=personas.parent_a)
    client = login(personas.other_admin)
    assert personas.parent_a.full_name not in client.get(reverse(CHANGELIST)).content.decode()
    _confirm(client, deletion_request)
    deletion_request.refresh_from_db()
    assert deletion_request.status == "requested"
    assert get_user_model().objects.get(pk=personas.parent_a.pk).is_active


def test_both_schools_see_a_multi_school_parent_once(personas, login):
    services.account_deletion_request(actor=personas.multi_school_parent)
    for admin in (personas.admin, personas.other_admin):
        changelist = login(admin).get(reverse(CHANGELIST)).context["cl"]
        assert [r.user for r in changelist.result_list] == [personas.multi_school_parent]


@pytest.mark.parametrize("persona", ["teacher_a", "parent_a", "direction"])
def test_wrong_role_has_no_access(personas, login, persona):
    deletion_request = services.account_deletion_request(actor=personas.parent_b)
    client = login(getattr(personas, persona))
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    _confirm(client, deletion_request)
    deletion_request.refresh_from_db()
    assert deletion_request.status == "requested"


def test_a_parent_who_also_works_at_a_school_is_not_erased(personas, purposes, login):
    deletion_request = services.account_deletion_request(actor=personas.parent_a)
    from groups.services import staff_membership_save

    staff_membership_save(school=personas.other_school, user=personas.parent_a, role="teacher")
    response = _confirm(login(personas.admin), deletion_request)
    assert "werkt ook op een school" in response.content.decode()
    personas.parent_a.refresh_from_db()
    assert personas.parent_a.is_active
