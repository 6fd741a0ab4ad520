"""Consent in Django admin, through the real admin URLs, scoped per school."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from privacy import selectors
from privacy.models import ConsentEvent, ConsentPurposeText
from tests.factories import ChildFactory

EVENTS = "admin:privacy_consentevent_changelist"


def _overview(group):
    return reverse("admin:privacy_consent_overview", args=[group.pk])


def _no_photos(group):
    return reverse("admin:privacy_consent_no_photos", args=[group.pk])


def _record(child):
    return reverse("admin:privacy_consent_record", args=[child.pk])


def _remind(group):
    return reverse("admin:privacy_consent_remind", args=[group.pk])


def _paper(purposes, guardian, **extra):
    return {
        "purpose": purposes["group"].pk,
        "decision": "granted",
        "on_behalf_of": guardian.pk,
        "source": "paper",
        "reason": "Papieren formulier van 3 september",
        **extra,
    }


def test_overview_highlights_not_asked(personas, purposes, login, decide):
    decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    client = login(personas.admin)
    content = client.get(_overview(personas.group_a)).content.decode()
    assert 'class="state-granted">Toestemming' in content
    assert 'class="state-not_asked">Niet gevraagd' in content
    assert escape(personas.child_a2.full_name) in content
    assert escape(personas.child_b.full_name) not in content
    index = client.get(reverse("admin:privacy_consent_overview_index")).content.decode()
    assert escape(str(personas.group_a)) in index
    assert escape(str(personas.group_x)) not in index


def test_overview_query_count_is_fixed(personas, purposes, login, django_assert_num_queries):
    client = login(personas.admin)
    client.get(_overview(personas.group_a))  # warm up: seeds, content types
    # The admin's navigation costs a fixed number of queries of its own; the overview adds
    # a fixed number on top, however many children the group has.
    with CaptureQueriesContext(connection) as small:
        client.get(_overview(personas.group_a))
    for _ in range(20):
        ChildFactory(group=personas.group_a)
    with django_assert_num_queries(len(small)):
        client.get(_overview(personas.group_a))


def test_no_photo_list_prints_and_downloads(personas, purposes, login, decide):
    decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    client = login(personas.admin)
    content = client.get(_no_photos(personas.group_a)).content.decode()
    assert escape(personas.child_a2.full_name) in content
    assert escape(personas.child_a.full_name) not in content
    assert "Afdrukken" in content
    csv_response = client.get(_no_photos(personas.group_a), {"format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    body = csv_response.content.decode()
    assert personas.child_a2.first_name in body
    assert personas.child_a.first_name not in body


def test_paper_decision_is_appended(personas, purposes, login):
    client = login(personas.admin)
    response = client.post(
        _record(personas.child_a2), _paper(purposes, personas.multi_school_parent)
    )
    assert response.status_code == 302
    event = ConsentEvent.objects.get()
    assert (event.decided_by, event.on_behalf_of, event.source) == (
        personas.admin,
        personas.multi_school_parent,
        "paper",
    )
    assert event.reason == "Papieren formulier van 3 september"
    assert selectors.child_may_be_shown(personas.child_a2, "group")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": "  "}, "reason", "Geef een reden"),
        ({"on_behalf_of": "guardian-of-other"}, "on_behalf_of", "Kies een van de ouders"),
        ({"decision": ""}, "decision", "Kies voor toestemming geven of weigeren."),
    ],
)
def test_paper_decision_needs_guardian_and_reason(
    personas, purposes, login, change, field, message
):
    if change.get("on_behalf_of") == "guardian-of-other":
        change["on_behalf_of"] = personas.parent_b.pk
    client = login(personas.admin)
    response = client.post(_record(personas.child_a), _paper(purposes, personas.parent_a, **change))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not ConsentEvent.objects.exists()


def test_record_form_offers_only_the_childs_guardians(personas, purposes, login):
    form = login(personas.admin).get(_record(personas.child_a)).context["form"]
    guardians = set(form.fields["on_behalf_of"].queryset)
    assert guardians == {personas.parent_a, personas.separated_parent_a, personas.blocked_parent_a}
    assert {p.school for p in form.fields["purpose"].queryset} == {personas.school}


def test_reminder_goes_to_guardians_who_have_not_decided(
    personas, purposes, login, decide, django_capture_on_commit_callbacks
):
    for purpose in purposes.values():
        decide(personas.parent_a, personas.child_a, purpose, "granted")
    client = login(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_remind(personas.group_a), follow=True)
    assert "2 ouder(s)" in response.content.decode()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == [personas.multi_school_parent.email, personas.separated_parent_a.email]
    assert "http://testserver/privacy/" in mail.outbox[0].body
    assert "foto" in mail.outbox[0].subject


def test_reminder_is_post_only(personas, login):
    assert login(personas.admin).get(_remind(personas.group_a)).status_code == 405
    assert mail.outbox == []


def test_history_is_read_only_and_scoped(personas, purposes, login, decide):
    event = decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    client = login(personas.admin)
    listing = client.get(reverse(EVENTS), {"child__id__exact": personas.child_a.pk})
    assert listing.status_code == 200
    assert escape(personas.child_a.full_name) in listing.content.decode()
    change = client.get(reverse("admin:privacy_consentevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:privacy_consentevent_add")).status_code == 403
    delete = reverse("admin:privacy_consentevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ConsentEvent.objects.filter(pk=event.pk).exists()


def test_other_school_admin_sees_nothing(personas, purposes, login, decide):
    event = decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    client = login(personas.other_admin)
    assert client.get(_overview(personas.group_a)).status_code == 404
    assert client.get(_no_photos(personas.group_a)).status_code == 404
    assert client.get(_record(personas.child_a)).status_code == 404
    assert client.post(_remind(personas.group_a)).status_code == 404
    response = client.post(_record(personas.child_a), _paper(purposes, personas.parent_a))
    assert response.status_code == 404
    assert escape(personas.child_a.full_name) not in client.get(reverse(EVENTS)).content.decode()
    change = client.get(reverse("admin:privacy_consentevent_change", args=[event.pk]))
    assert change.status_code == 302  # Django admin's answer for a missing object
    assert ConsentEvent.objects.count() == 1
    assert mail.outbox == []


def test_missing_group_and_child_are_404(personas, login):
    client = login(personas.admin)
    assert client.get(reverse("admin:privacy_consent_overview", args=[999999])).status_code == 404
    assert client.get(reverse("admin:privacy_consent_record", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["teacher_a", "parent_a", "direction"])
def test_wrong_role_is_sent_to_admin_login(personas, purposes, login, persona):
    client = login(getattr(personas, persona))
    for url in (_overview(personas.group_a), _no_photos(personas.group_a), reverse(EVENTS)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
    client.post(_record(personas.child_a), _paper(purposes, personas.parent_a))
    assert not ConsentEvent.objects.exists()


def test_new_text_version_is_added_not_overwritten(personas, purposes, login):
    purpose = purposes["group"]
    client = login(personas.admin)
    url = reverse("admin:privacy_consentpurpose_change", args=[purpose.pk])
    original = purpose.texts.get()
    page = client.get(url)
    assert page.status_code == 200
    assert "Nieuwe tekstversie" in page.content.decode()
    data = {"name": purpose.name, "ordering": purpose.ordering}
    for prefix, total, initial in (("texts", 1, 1), ("texts-2", 1, 0)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(total),
                f"{prefix}-INITIAL_FORMS": str(initial),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(
        {
            "texts-0-id": original.pk,
            "texts-0-purpose": purpose.pk,
            "texts-2-0-purpose": purpose.pk,
            "texts-2-0-text": "Nieuwe tekst voor ouders.",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    texts = list(ConsentPurposeText.objects.filter(purpose=purpose).order_by("version"))
    assert [(t.version, t.text) for t in texts] == [
        (1, original.text),
        (2, "Nieuwe tekst voor ouders."),
    ]


def test_purposes_admin_is_scoped(personas, purposes, login):
    content = (
        login(personas.other_admin)
        .get(reverse("admin:privacy_consentpurpose_changelist"))
        .content.decode()
    )
    assert "Beta school" in content
    assert "Alpha school" not in content


def test_second_reminder_the_same_day_sends_nothing_again(
    personas, purposes, login, django_capture_on_commit_callbacks
):
    client = login(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_remind(personas.group_a), follow=True)
    first = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_remind(personas.group_a), follow=True)
    assert first > 0
    assert len(mail.outbox) == first
    assert "0 ouder(s)" in response.content.decode()
