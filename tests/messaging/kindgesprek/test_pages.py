"""The kindgesprek pages through their real URLs: allowed, outsider (404), wrong role."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from messaging.kindgesprek import selectors
from messaging.kindgesprek.models import Message, MessageRead, StaffAvailability, Thread
from tests.factories import ChildFactory, GuardianshipFactory

from .conftest import MONDAY_EVENING, MONDAY_MORNING, THAT_MONDAY, at

pytestmark = pytest.mark.clock(THAT_MONDAY)


@pytest.fixture
def thread(personas, send, frozen):
    with frozen(MONDAY_MORNING):
        return send(personas.parent_a, personas.child_a, "Daan is moe vandaag.").thread


def _png():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, format="PNG")
    return out.getvalue()


# --- Index -------------------------------------------------------------------------------


def test_parent_list_shows_one_entry_per_child(personas, login, thread):
    response = login(personas.multi_school_parent).get(reverse("kindgesprek:index"))
    assert response.status_code == 200
    assert response.context["children"][0].child == personas.child_a2
    assert "Gesprek over Mila" in response.text
    assert "Gesprek over Daan" not in response.text


def test_staff_inbox_shows_their_groups_threads(personas, login, thread, frozen):
    with frozen(MONDAY_MORNING):
        response = login(personas.teacher_a).get(reverse("kindgesprek:index"))
    rows = response.context["inbox"]
    assert [row.thread for row in rows] == [thread]
    assert rows[0].needs_reply
    assert rows[0].unread == 1
    assert "Wacht op antwoord" in response.text


def test_staff_inbox_filters_and_sorts(personas, login, send, frozen):
    with frozen(at(2026, 11, 23, 9)):
        older = send(personas.parent_a, personas.child_a, "Eerst").thread
    with frozen(at(2026, 11, 23, 10)):
        newer = send(personas.teacher_a, personas.child_a2, "Daarna").thread
    client = login(personas.teacher_a)
    with frozen(at(2026, 11, 23, 11)):
        rows = client.get(reverse("kindgesprek:index")).context["inbox"]
        assert [row.thread for row in rows] == [newer, older]
        rows = client.get(reverse("kindgesprek:index"), {"needs_reply": "1"}).context["inbox"]
        assert [row.thread for row in rows] == [older]
        other = client.get(reverse("kindgesprek:index"), {"group": personas.group_b.pk})
        # A group that is not theirs is ignored, not revealed.
        assert [row.thread for row in other.context["inbox"]] == [newer, older]


def test_other_groups_staff_and_admins_see_no_threads(personas, login, thread):
    for person in (personas.admin, personas.direction, personas.outsider, personas.parent_b):
        response = login(person).get(reverse("kindgesprek:index"))
        assert response.status_code == 200
        assert response.context["inbox"] == []
        assert "Daan" not in response.text


def test_anonymous_is_sent_to_login(db, client):
    response = client.get(reverse("kindgesprek:index"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _many_threads(personas, count, frozen):
    """count children in group A, each with a guardian (parent_a) and a message."""
    with frozen(MONDAY_MORNING):
        for number in range(count):
            child = ChildFactory(group=personas.group_a, first_name=f"Kind{number}")
            GuardianshipFactory(guardian=personas.parent_a, child=child)
            thread = Thread.objects.create(child=child, school_year=2026)
            message = Message.objects.create(
                thread=thread, author=personas.teacher_a, author_side="staff", body="Hoi"
            )
            Message.objects.create(
                thread=thread, author=personas.parent_a, author_side="parent", body="Dag"
            )
            MessageRead.objects.create(message=message, user=personas.parent_a)


@pytest.mark.parametrize("count", [1, 100])
def test_staff_inbox_query_count_is_constant(
    personas, login, frozen, count, django_assert_num_queries
):
    _many_threads(personas, count, frozen)
    client = login(personas.teacher_a)
    with frozen(MONDAY_MORNING), django_assert_num_queries(6):
        response = client.get(reverse("kindgesprek:index"))
    assert len(response.context["inbox"]) == count


@pytest.mark.parametrize("count", [1, 100])
def test_parent_list_query_count_is_constant(
    personas, login, frozen, count, django_assert_num_queries
):
    _many_threads(personas, count, frozen)
    client = login(personas.parent_a)
    with frozen(MONDAY_MORNING), django_assert_num_queries(5):
        response = client.get(reverse("kindgesprek:index"))
    assert len(response.context["children"]) == count + 1


@pytest.mark.parametrize("count", [1, 100])
def test_navigation_unread_count_costs_one_query(
    personas, frozen, count, django_assert_max_num_queries
):
    _many_threads(personas, count, frozen)
    with frozen(MONDAY_MORNING), django_assert_max_num_queries(1):
        unread = selectors.unread_count(personas.parent_a)
    assert unread == 0
    with frozen(MONDAY_MORNING), django_assert_max_num_queries(1):
        assert selectors.unread_count(personas.teacher_a) == count


def test_navigation_shows_the_unread_count(personas, login, thread, frozen):
    with frozen(MONDAY_MORNING):
        response = login(personas.teacher_a).get(reverse("home"))
    assert 'Kindgesprek <span class="kg-badge">1 ongelezen</span>' in response.text


# --- Thread page --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["parent_a", "separated_parent_a", "teacher_a", "assistant_a"])
def test_participants_open_the_thread(personas, login, thread, who, frozen):
    with frozen(MONDAY_MORNING):
        response = login(getattr(personas, who)).get(
            reverse("kindgesprek:thread", args=[thread.pk])
        )
    assert response.status_code == 200
    assert "Daan is moe vandaag." in response.text


@pytest.mark.parametrize(
    "who", ["blocked_parent_a", "parent_b", "direction", "admin", "other_admin", "outsider"]
)
def test_others_get_404_on_the_thread(personas, login, thread, who):
    client = login(getattr(personas, who))
    url = reverse("kindgesprek:thread", args=[thread.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Binnengedrongen"}).status_code == 404
    assert Message.objects.count() == 1


def test_missing_thread_is_404(personas, login):
    assert (
        login(personas.parent_a).get(reverse("kindgesprek:thread", args=[9999])).status_code == 404
    )


def test_opening_marks_read_and_shows_the_receipt(personas, login, thread, frozen, client):
    with frozen(MONDAY_MORNING):
        login(personas.teacher_a).get(reverse("kindgesprek:thread", args=[thread.pk]))
        client.logout()
        response = login(personas.parent_a).get(reverse("kindgesprek:thread", args=[thread.pk]))
    assert "Gelezen door Anna Teacher" in response.text


def test_parent_sees_the_availability_notice_before_sending(personas, login, thread, frozen):
    with frozen(MONDAY_EVENING):
        response = login(personas.parent_a).get(reverse("kindgesprek:thread", args=[thread.pk]))
    assert "Anna Teacher leest berichten op dinsdag vanaf 08:00." in response.text
    assert "Dringend? Bel de administratie: +31 20 555 0000" in response.text


def test_no_notice_within_hours(personas, login, thread, frozen):
    with frozen(MONDAY_MORNING):
        response = login(personas.parent_a).get(reverse("kindgesprek:thread", args=[thread.pk]))
    assert "leest berichten op" not in response.text


def test_parent_replies_with_a_photo(personas, login, thread, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("tekening.png", _png(), content_type="image/png")
    with frozen(MONDAY_MORNING):
        response = login(personas.separated_parent_a).post(
            reverse("kindgesprek:thread", args=[thread.pk]),
            {"body": "Een tekening voor juf", "attachments": [upload]},
        )
    assert response.status_code == 302
    message = thread.messages.latest("id")
    assert message.author == personas.separated_parent_a
    assert message.attachments.get().content_type == "image/png"


def test_empty_post_shows_the_error_and_saves_nothing(personas, login, thread, frozen):
    with frozen(MONDAY_MORNING):
        response = login(personas.parent_a).post(
            reverse("kindgesprek:thread", args=[thread.pk]), {"body": "  "}
        )
    assert response.status_code == 200
    assert "Schrijf een bericht voordat u verstuurt." in response.text
    assert Message.objects.count() == 1


def test_staff_get_the_send_later_offer_in_the_evening(personas, login, thread, frozen):
    client = login(personas.teacher_a)
    url = reverse("kindgesprek:thread", args=[thread.pk])
    with frozen(MONDAY_EVENING):
        page = client.get(url)
        assert "Versturen op dinsdag om 08:00" in page.text
        response = client.post(
            url, {"body": "Morgen bespreken we het.", "send_at": at(2026, 11, 24, 8).isoformat()}
        )
    assert response.status_code == 302
    assert thread.messages.latest("id").sent_at == at(2026, 11, 24, 8)


# --- Child page ---------------------------------------------------------------------------


def test_staff_start_a_conversation_from_the_child_page(personas, login, frozen):
    client = login(personas.teacher_a)
    url = reverse("kindgesprek:child", args=[personas.child_a2.pk])
    with frozen(MONDAY_MORNING):
        assert client.get(url).status_code == 200
        response = client.post(url, {"body": "Mila hielp vandaag een klasgenoot."})
    thread = Thread.objects.get(child=personas.child_a2)
    assert response["Location"] == reverse("kindgesprek:thread", args=[thread.pk])
    with frozen(MONDAY_MORNING):
        assert client.get(url)["Location"] == response["Location"]


@pytest.mark.parametrize(
    ("who", "child"),
    [
        ("blocked_parent_a", "child_a"),
        ("parent_b", "child_a"),
        ("teacher_a", "child_b"),
        ("admin", "child_a"),
        ("outsider", "child_a"),
    ],
)
def test_child_page_is_404_for_children_not_yours(personas, login, who, child):
    client = login(getattr(personas, who))
    url = reverse("kindgesprek:child", args=[getattr(personas, child).pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Hallo"}).status_code == 404
    assert not Message.objects.exists()


# --- Attachments --------------------------------------------------------------------------


def test_attachment_is_served_only_to_participants(
    personas, login, frozen, send, settings, tmp_path, client
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("foto.png", _png(), content_type="image/png")
    with frozen(MONDAY_MORNING):
        message = send(personas.teacher_a, personas.child_a, "Kijk!", attachments=[upload])
    url = reverse("kindgesprek:attachment", args=[message.attachments.get().key])
    with frozen(MONDAY_MORNING):
        response = login(personas.separated_parent_a).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
        for person in (personas.blocked_parent_a, personas.parent_b, personas.admin):
            client.logout()
            assert login(person).get(url).status_code == 404
        assert (
            login(personas.parent_a)
            .get(reverse("kindgesprek:attachment", args=["not-a-key"]))
            .status_code
            == 404
        )


# --- Coach and reading hours --------------------------------------------------------------


def test_coach_page_for_staff(personas, login, send, frozen):
    with frozen(at(2026, 11, 13, 10)):
        send(personas.teacher_a, personas.child_a2, "Vorige week")
    with frozen(MONDAY_MORNING):
        send(personas.assistant_a, personas.child_a, "Vandaag")
        send(personas.parent_a, personas.child_a, "Dank!")
        response = login(personas.teacher_a).get(reverse("kindgesprek:coach"))
    rows = {row.child: row for row in response.context["rows"]}
    assert rows[personas.child_a].last_personal == MONDAY_MORNING
    assert not rows[personas.child_a].overdue
    assert rows[personas.child_a2].last_personal == at(2026, 11, 13, 10)
    assert rows[personas.child_a2].overdue
    assert personas.child_b not in rows
    assert "1 kind kreeg de afgelopen 7 dagen geen persoonlijk bericht." in response.text


def test_coach_can_be_turned_off_by_the_school(personas, login):
    personas.school.personal_message_coach = False
    personas.school.save()
    response = login(personas.teacher_a).get(reverse("kindgesprek:coach"))
    assert response.context["rows"] == []
    assert "Uw school gebruikt dit overzicht niet." in response.text


@pytest.mark.parametrize("who", ["parent_a", "admin", "direction", "outsider"])
def test_coach_and_hours_are_404_for_non_group_staff(personas, login, who):
    client = login(getattr(personas, who))
    assert client.get(reverse("kindgesprek:coach")).status_code == 404
    assert client.get(reverse("kindgesprek:availability")).status_code == 404
    assert client.post(reverse("kindgesprek:availability"), {}).status_code == 404


def test_staff_edit_their_reading_hours(personas, login):
    client = login(personas.assistant_a)
    url = reverse("kindgesprek:availability")
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="08:00"' in page.text
    data = {f"start_{day}": "" for day in range(1, 8)} | {f"end_{day}": "" for day in range(1, 8)}
    data |= {"start_3": "08:30", "end_3": "12:00"}
    response = client.post(url, data)
    assert response.status_code == 302
    hours = selectors.staff_hours(personas.assistant_a, personas.school)
    assert [day for day, span in hours.items() if span] == [3]


def test_bad_reading_hours_show_an_error_and_save_nothing(personas, login):
    response = login(personas.teacher_a).post(
        reverse("kindgesprek:availability"), {"start_1": "12:00", "end_1": "09:00"}
    )
    assert response.status_code == 200
    assert "De eindtijd moet na de begintijd liggen." in response.text
    assert not StaffAvailability.objects.exists()


@pytest.mark.parametrize("count", [1, 40])
def test_thread_page_query_count_is_constant(
    personas, login, send, frozen, count, django_assert_num_queries, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with frozen(MONDAY_MORNING):
        for number in range(count):
            upload = SimpleUploadedFile(f"{number}.png", _png(), content_type="image/png")
            message = send(
                personas.teacher_a, personas.child_a, f"Bericht {number}", attachments=[upload]
            )
            MessageRead.objects.create(message=message, user=personas.separated_parent_a)
    client = login(personas.parent_a)
    url = reverse("kindgesprek:thread", args=[message.thread.pk])
    with frozen(MONDAY_MORNING), django_assert_num_queries(15):
        response = client.get(url)
    assert len(response.context["page"].messages) == count


def test_times_are_shown_in_the_schools_time_zone(personas, login, thread, frozen):
    personas.school.time_zone = "Europe/London"
    personas.school.save()
    with frozen(MONDAY_EVENING):
        response = login(personas.parent_a).get(reverse("kindgesprek:thread", args=[thread.pk]))
    assert "Anna Teacher leest berichten op dinsdag vanaf 08:00." in response.text
    # Written at 10:00 in Amsterdam, which is 09:00 in London.
    assert "maandag 23 november, 09:00" in response.text
