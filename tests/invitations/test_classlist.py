"""Class-list import in the admin: upload → preview → confirm, all or nothing."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.models import Child
from invitations import services
from invitations.models import Invitation

from .conftest import BASE_URL

URL = reverse("admin:invitations_import")
HEADER = "voornaam,achternaam,groep,e-mail ouder 1,e-mail ouder 2"


@pytest.fixture(autouse=True)
def _school_year():
    # Groups are looked up in the current school year (2026-2027).
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
        yield


def csv_bytes(*rows, header=HEADER, encoding="utf-8"):
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


GOOD = csv_bytes(
    "Zoë,de Vries,Groep 5a,ouder.zoe@example.org,tweede.zoe@example.org",
    "Liam,Bakker,groep 6B,ouder.liam@example.org,",
)


def _upload(client, content, school, name="klas.csv"):
    return client.post(
        URL, {"school": school.pk, "file": SimpleUploadedFile(name, content, "text/csv")}
    )


def _state():
    return (
        sorted(Child.objects.values_list("first_name", "last_name", "group_id")),
        sorted(Invitation.objects.values_list("email", "token_hash", "state")),
    )


def _confirm(client, preview, capture):
    payload = preview.context["payload"]
    with capture(execute=True):
        return client.post(URL, {"payload": payload}, follow=True)


def test_preview_shows_what_will_happen_and_writes_nothing(personas, login):
    client = login(personas.admin)
    before = _state()
    response = _upload(client, GOOD, personas.school)
    content = response.content.decode()
    assert response.status_code == 200
    assert "2 kinderen worden toegevoegd." in content
    assert "3 uitnodigingen worden verstuurd." in content
    assert "nieuw in Groep 5a" in content
    assert _state() == before
    assert mail.outbox == []


def test_confirm_creates_children_and_invitations(
    personas, login, django_capture_on_commit_callbacks
):
    client = login(personas.admin)
    response = _confirm(
        client, _upload(client, GOOD, personas.school), django_capture_on_commit_callbacks
    )
    assert "2 kinderen toegevoegd, 0 verplaatst, 3 uitnodigingen verstuurd" in (
        response.content.decode()
    )
    zoe = Child.objects.get(first_name="Zoë")
    assert zoe.last_name == "de Vries"
    assert zoe.group == personas.group_a
    assert Child.objects.get(first_name="Liam").group == personas.group_b
    assert sorted(zoe.invitations.values_list("email", flat=True)) == [
        "ouder.zoe@example.org",
        "tweede.zoe@example.org",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ouder.liam@example.org",
        "ouder.zoe@example.org",
        "tweede.zoe@example.org",
    ]
    assert any("Zoë" in m.body for m in mail.outbox)


def test_reimport_changes_nothing(personas, login, django_capture_on_commit_callbacks):
    client = login(personas.admin)
    _confirm(client, _upload(client, GOOD, personas.school), django_capture_on_commit_callbacks)
    before, mails = _state(), len(mail.outbox)
    preview = _upload(client, GOOD, personas.school)
    assert "0 kinderen worden toegevoegd." in preview.content.decode()
    assert "0 uitnodigingen worden verstuurd." in preview.content.decode()
    _confirm(client, preview, django_capture_on_commit_callbacks)
    assert _state() == before
    assert len(mail.outbox) == mails


def test_child_moving_group_is_moved_not_duplicated(
    personas, login, django_capture_on_commit_callbacks
):
    child = personas.child_a
    content = csv_bytes(f"{child.first_name},{child.last_name},Groep 6b,{personas.parent_a.email},")
    client = login(personas.admin)
    preview = _upload(client, content, personas.school)
    assert "verhuist van Groep 5a naar Groep 6b" in preview.content.decode()
    count = Child.objects.count()
    _confirm(client, preview, django_capture_on_commit_callbacks)
    child.refresh_from_db()
    assert child.group == personas.group_b
    assert Child.objects.count() == count
    # parent_a is already this child's guardian: no invitation.
    assert not Invitation.objects.exists()


def test_existing_account_is_invited_in_its_language(
    personas, login, django_capture_on_commit_callbacks
):
    personas.parent_b.preferred_language = "en"
    personas.parent_b.save()
    content = csv_bytes(f"Bo,Visser,Groep 5a,{personas.parent_b.email.upper()},")
    client = login(personas.admin)
    _confirm(client, _upload(client, content, personas.school), django_capture_on_commit_callbacks)
    assert "invites you to follow Bo" in mail.outbox[-1].subject
    assert not personas.parent_b.children.filter(first_name="Bo").exists()


def test_infix_column_is_part_of_the_last_name(personas, login):
    content = csv_bytes(
        "Roos,Berg,van den,Groep 5a,roos@example.org,",
        header="voornaam,achternaam,tussenvoegsel,groep,e-mail ouder 1,e-mail ouder 2",
    )
    preview = _upload(login(personas.admin), content, personas.school)
    assert "Roos van den Berg" in preview.content.decode()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Ada,Jansen,Groep 9z,ada@example.org,", "Onbekende groep “Groep 9z” voor 2026–2027."),
        ("Ada,Jansen,Groep 5a,ada@example,", "“ada@example” is geen geldig e-mailadres."),
        ("Ada,Jansen,Groep 5a,,", "Het e-mailadres van ouder 1 ontbreekt."),
        (",Jansen,Groep 5a,ada@example.org,", "Voornaam en achternaam zijn verplicht."),
        ("Zoë,De Vries,Groep 6b,dubbel@example.org,", "Zoë De Vries staat ook op regel 2."),
    ],
)
def test_row_errors_name_their_line_and_nothing_is_written(personas, login, row, message):
    content = GOOD.decode().rstrip("\n") + "\n" + row + "\n"
    client = login(personas.admin)
    before = _state()
    response = _upload(client, content.encode(), personas.school)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Er is niets geïmporteerd" in html
    assert "<td>4</td>" in html
    assert message in html
    assert "payload" not in response.context
    assert _state() == before


def test_service_refuses_a_file_with_errors(personas):
    content = csv_bytes("Ada,Jansen,Groep 9z,ada@example.org,")
    with pytest.raises(ValidationError) as error:
        services.classlist_import(
            actor=personas.admin, school=personas.school, content=content, base_url=BASE_URL
        )
    assert "Regel 2" in error.value.messages[0]
    assert not Child.objects.filter(first_name="Ada").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "bestand is leeg."),
        (b"\n\n", "Het bestand is leeg."),
        (csv_bytes("Zoë,Bakker,Groep 5a,a@example.org,", encoding="latin-1"), "geen UTF-8"),
        (b"voornaam,achternaam\nZoe,Bakker\n", "ontbreken deze kolommen: groep, e-mail ouder 1"),
        (
            b"voornaam;achternaam;groep;e-mail ouder 1\nZoe;Bakker;Groep 5a;a@example.org\n",
            "puntkomma",
        ),
        (HEADER.encode() + b"\n", "geen kinderen"),
        (b"x" * (5 * 1024 * 1024), "groter dan 1 MB"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "geen UTF-8"),
        (b"voornaam\x00\x00,achternaam", "geen CSV"),
        (HEADER.encode() + b'\n"Zoe,Bakker,Groep 5a,a@example.org\n', "geen geldige CSV"),
    ],
)
def test_bad_files_get_a_clear_error_and_nothing_is_written(personas, login, content, message):
    client = login(personas.admin)
    before = _state()
    response = _upload(client, content, personas.school)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "payload" not in response.context
    assert _state() == before


def test_other_school_admin_cannot_import_into_school(personas, login):
    response = _upload(login(personas.other_admin), GOOD, personas.school)
    assert response.status_code == 200
    assert "payload" not in response.context
    with pytest.raises(PermissionDenied):
        services.classlist_import(
            actor=personas.other_admin, school=personas.school, content=GOOD, base_url=BASE_URL
        )
    assert not Child.objects.filter(first_name="Zoë").exists()


def test_payload_of_another_person_is_refused(personas, login, django_user_model):
    client = login(personas.admin)
    payload = _upload(client, GOOD, personas.school).context["payload"]
    second = django_user_model.objects.create_user("admin2@alpha.example", "x" * 16)
    from groups.services import staff_membership_save

    staff_membership_save(school=personas.school, user=second, role="administration")
    client.force_login(second)
    response = client.post(URL, {"payload": payload}, follow=True)
    assert "De voorvertoning is verlopen" in response.content.decode()
    assert not Child.objects.filter(first_name="Zoë").exists()


def test_tampered_payload_is_refused(personas, login):
    client = login(personas.admin)
    payload = _upload(client, GOOD, personas.school).context["payload"]
    response = client.post(URL, {"payload": payload[:-2] + "xx"}, follow=True)
    assert "De voorvertoning is verlopen" in response.content.decode()
    assert not Child.objects.filter(first_name="Zoë").exists()


@pytest.mark.parametrize("persona", ["teacher_a", "parent_a", "direction"])
def test_wrong_role_cannot_import(personas, login, persona):
    response = _upload(login(getattr(personas, persona)), GOOD, personas.school)
    assert response.status_code == 302
    assert not Child.objects.filter(first_name="Zoë").exists()


def test_expired_invitation_is_sent_again_on_reimport(
    personas, login, django_capture_on_commit_callbacks
):
    client = login(personas.admin)
    _confirm(client, _upload(client, GOOD, personas.school), django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    preview = _upload(client, GOOD, personas.school)
    assert "3 uitnodigingen worden verstuurd." in preview.content.decode()
    _confirm(client, preview, django_capture_on_commit_callbacks)
    assert Invitation.objects.count() == 3
    assert Invitation.objects.open().count() == 3
