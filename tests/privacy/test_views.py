"""The parents' privacy page and the staff's "no photos" marks, through the real URLs."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from groups.services import staff_membership_save
from privacy import selectors, services
from privacy.models import ConsentEvent
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory


def _page(child):
    return reverse("privacy-child", args=[child.pk])


def _decide_url(child):
    return reverse("privacy-decide", args=[child.pk])


def test_guardian_sees_every_purpose_with_text_and_state(personas, purposes, login):
    response = login(personas.parent_a).get(_page(personas.child_a))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Privacy van Daan" in content
    for purpose in purposes.values():
        assert escape(purpose.name) in content
    assert escape(purposes["group"].texts.get().text) in content
    assert "Niet gevraagd (telt als geweigerd)" in content
    assert "Nog geen keuzes gemaakt." in content


def test_guardian_grants_and_withdraws_with_one_click(personas, purposes, login):
    client = login(personas.parent_a)
    purpose = purposes["group"]
    response = client.post(
        _decide_url(personas.child_a), {"purpose": purpose.pk, "decision": "granted"}
    )
    assert response.status_code == 302
    assert selectors.child_may_be_shown(personas.child_a, "group")
    page = client.get(_page(personas.child_a)).content.decode()
    assert "Toestemming intrekken" in page
    assert "U gaf toestemming voor" in page

    client.post(_decide_url(personas.child_a), {"purpose": purpose.pk, "decision": "refused"})
    assert not selectors.child_may_be_shown(personas.child_a, "group")
    events = ConsentEvent.objects.filter(child=personas.child_a).order_by("created_at", "pk")
    assert [e.decision for e in events] == ["granted", "refused"]
    assert all(e.decided_by == personas.parent_a and e.source == "app" for e in events)
    assert all(e.text_version == 1 for e in events)


def test_double_click_records_once(personas, purposes, login):
    client = login(personas.parent_a)
    data = {"purpose": purposes["group"].pk, "decision": "granted"}
    client.post(_decide_url(personas.child_a), data)
    client.post(_decide_url(personas.child_a), data)
    assert ConsentEvent.objects.count() == 1


def test_guardians_see_each_others_decisions_and_the_refusal_wins(
    personas, purposes, login, decide
):
    decide(personas.separated_parent_a, personas.child_a, purposes["website"], "refused")
    decide(personas.parent_a, personas.child_a, purposes["website"], "granted")
    content = login(personas.parent_a).get(_page(personas.child_a)).content.decode()
    assert "Tom Separated: Geweigerd" in content
    assert "Sanne Parent: Toestemming" in content
    assert "dus telt de weigering" in content
    assert "door Tom Separated" in content


def test_history_names_paper_decisions(personas, purposes, login):
    services.consent_record(
        actor=personas.admin,
        child=personas.child_a,
        purpose=purposes["guide"],
        decision="granted",
        on_behalf_of=personas.parent_a,
        reason="formulier 3 september",
    )
    content = login(personas.separated_parent_a).get(_page(personas.child_a)).content.decode()
    assert "vastgelegd door de administratie voor Sanne Parent" in content
    assert "formulier 3 september" in content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"purpose": "", "decision": "granted"}, "Kies een van de doelen van de school."),
        ({}, "Kies voor toestemming geven of weigeren."),
        ({"purpose": "999999", "decision": "granted"}, "Kies een van de doelen van de school."),
        ({"decision": "maybe"}, "Kies voor toestemming geven of weigeren."),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(personas, purposes, login, data, message):
    data.setdefault("purpose", purposes["group"].pk)
    client = login(personas.parent_a)
    response = client.post(_decide_url(personas.child_a), data, follow=True)
    assert message in response.content.decode()
    assert "Uw keuze is niet opgeslagen." in response.content.decode()
    assert not ConsentEvent.objects.exists()


def test_purpose_of_another_school_is_refused(personas, purposes, login):
    foreign = personas.other_school.consent_purposes.get(code="group")
    client = login(personas.parent_a)
    response = client.post(
        _decide_url(personas.child_a), {"purpose": foreign.pk, "decision": "granted"}, follow=True
    )
    assert "Kies een van de doelen van de school." in response.content.decode()
    assert not ConsentEvent.objects.exists()


@pytest.mark.parametrize(
    "persona", ["outsider", "parent_b", "blocked_parent_a", "other_admin", "multi_school_parent"]
)
def test_outsiders_get_404(personas, purposes, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(_page(personas.child_a)).status_code == 404
    response = client.post(
        _decide_url(personas.child_a), {"purpose": purposes["group"].pk, "decision": "granted"}
    )
    assert response.status_code == 404
    assert not ConsentEvent.objects.exists()


def test_missing_child_is_404(personas, login):
    assert login(personas.parent_a).get(reverse("privacy-child", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["teacher_a", "assistant_a", "direction", "admin"])
def test_staff_cannot_decide(personas, purposes, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(_page(personas.child_a)).status_code == 404
    response = client.post(
        _decide_url(personas.child_a), {"purpose": purposes["group"].pk, "decision": "granted"}
    )
    assert response.status_code == 404
    assert not ConsentEvent.objects.exists()


def test_decide_is_post_only(personas, login):
    assert login(personas.parent_a).get(_decide_url(personas.child_a)).status_code == 405


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(_page(personas.child_a))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("extra_events", [0, 30])
def test_child_page_query_count_is_fixed(
    personas, purposes, login, decide, django_assert_num_queries, extra_events
):
    for i in range(extra_events):
        decide(
            personas.parent_a, personas.child_a, purposes["group"], ("granted", "refused")[i % 2]
        )
    client = login(personas.parent_a)
    with django_assert_num_queries(7):
        response = client.get(_page(personas.child_a))
    assert response.status_code == 200


def test_index_lists_own_children_only(personas, purposes, login):
    content = login(personas.multi_school_parent).get(reverse("privacy-index")).content.decode()
    assert reverse("privacy-child", args=[personas.child_a2.pk]) in content
    assert reverse("privacy-child", args=[personas.child_x.pk]) in content
    assert reverse("privacy-child", args=[personas.child_a.pk]) not in content


def test_teacher_sees_no_photo_marks_of_own_group(personas, purposes, login, decide):
    decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    content = login(personas.teacher_a).get(reverse("privacy-index")).content.decode()
    assert "Foto's in Groep 5a" in content
    assert content.count("Geen foto's") == 1  # Mila: nobody decided yet
    assert escape(personas.child_b.full_name) not in content


def test_index_without_children_or_groups(personas, login):
    content = login(personas.outsider).get(reverse("privacy-index")).content.decode()
    assert "Er valt hier voor uw account niets te kiezen." in content


@pytest.mark.parametrize("size", [2, 20])
def test_index_query_count_is_fixed(personas, purposes, login, django_assert_num_queries, size):
    # A teacher of group B who is also a parent in group A: both sections are filled.
    teacher = UserFactory()
    staff_membership_save(
        school=personas.school, user=teacher, role="teacher", groups=[personas.group_b]
    )
    for _ in range(size):
        GuardianshipFactory(guardian=teacher, child=ChildFactory(group=personas.group_a))
        ChildFactory(group=personas.group_b)
    client = login(teacher)
    with django_assert_num_queries(9):
        response = client.get(reverse("privacy-index"))
    assert response.status_code == 200
