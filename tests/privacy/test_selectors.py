"""The consent state is derived from the ledger; silence is refusal; the refusal wins."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from groups.models import Guardianship
from privacy import selectors, services
from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory


def _utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_no_decision_is_not_asked_and_not_shown(personas, purposes):
    assert not selectors.child_may_be_shown(personas.child_a, "group")
    states = selectors.consent_states([personas.child_a], [purposes["group"]])
    assert states == {(personas.child_a.pk, purposes["group"].pk): selectors.NOT_ASKED}


def test_one_guardian_grants(personas, purposes, decide):
    decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    assert selectors.child_may_be_shown(personas.child_a, "group")
    assert not selectors.child_may_be_shown(personas.child_a, "website")
    assert not selectors.child_may_be_shown(personas.child_a2, "group")


def test_disagreeing_guardians_refusal_wins(personas, purposes, decide):
    decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    decide(personas.separated_parent_a, personas.child_a, purposes["group"], "refused")
    assert not selectors.child_may_be_shown(personas.child_a, "group")
    decide(personas.separated_parent_a, personas.child_a, purposes["group"], "granted")
    assert selectors.child_may_be_shown(personas.child_a, "group")


def test_withdrawal_counts_from_that_moment(personas, purposes, decide):
    with time_machine.travel(_utc(2026, 9, 1, 10), tick=False):
        decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    with time_machine.travel(_utc(2026, 11, 2, 10), tick=False):
        decide(personas.parent_a, personas.child_a, purposes["group"], "refused")
        assert not selectors.child_may_be_shown(personas.child_a, "group")
        assert selectors.child_may_be_shown(personas.child_a, "group", at=_utc(2026, 10, 1, 10))


def test_decision_before_dst_end_still_counts_after_it(personas, purposes, decide):
    # 25 October 2026, 02:30 happens twice in Amsterdam; the ledger stores aware UTC moments.
    with time_machine.travel(_utc(2026, 10, 25, 0, 30), tick=False):
        decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    with time_machine.travel(_utc(2026, 10, 25, 1, 30), tick=False):
        assert selectors.child_may_be_shown(personas.child_a, "group")
        assert timezone.localtime(timezone.now(), personas.school.tz).hour == 2


def test_new_school_year_starts_as_not_asked(personas, purposes, decide):
    # 31 July 23:30 in Amsterdam (summer time, UTC+2) is still the old school year.
    with time_machine.travel(_utc(2027, 7, 31, 21, 30), tick=False):
        event = decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
        assert event.school_year == 2026
        assert selectors.child_may_be_shown(personas.child_a, "group")
    # 1 August 00:30 in Amsterdam is still 31 July in UTC, but the school's year has turned.
    with time_machine.travel(_utc(2027, 7, 31, 22, 30), tick=False):
        assert selectors.school_year_at(personas.school) == 2027
        assert not selectors.child_may_be_shown(personas.child_a, "group")


def test_paper_decision_counts_as_the_named_guardians(personas, purposes):
    services.consent_record(
        actor=personas.admin,
        child=personas.child_a,
        purpose=purposes["group"],
        decision="granted",
        on_behalf_of=personas.parent_a,
        reason="Paper form at registration",
    )
    assert selectors.child_may_be_shown(personas.child_a, "group")


def test_former_guardians_decision_no_longer_counts(personas, purposes, decide):
    decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    decide(personas.separated_parent_a, personas.child_a, purposes["group"], "refused")
    Guardianship.objects.filter(guardian=personas.separated_parent_a).delete()
    assert selectors.child_may_be_shown(personas.child_a, "group")


def test_children_allowed_spans_schools(personas, purposes, decide):
    other = {p.code: p for p in personas.other_school.consent_purposes.all()}
    decide(personas.multi_school_parent, personas.child_a2, purposes["social"], "granted")
    decide(personas.multi_school_parent, personas.child_x, other["social"], "granted")
    children = [personas.child_a, personas.child_a2, personas.child_x]
    assert selectors.children_allowed(children, "social") == {
        personas.child_a2.pk,
        personas.child_x.pk,
    }
    assert selectors.children_allowed([], "social") == set()


def _class_of(size, school, grant):
    group = GroupFactory(school=school)
    children = []
    for _ in range(size):
        child = ChildFactory(group=group)
        guardian = GuardianshipFactory(child=child).guardian
        if grant:
            services.consent_record(
                actor=guardian,
                child=child,
                purpose=school.consent_purposes.get(code="group"),
                decision="granted",
            )
        children.append(child)
    return children


@pytest.mark.parametrize("size", [1, 25])
def test_children_allowed_query_count_is_fixed(personas, purposes, django_assert_num_queries, size):
    children = _class_of(size, personas.school, grant=True)
    with django_assert_num_queries(2):
        allowed = selectors.children_allowed(children, "group")
    assert allowed == {c.pk for c in children}


@pytest.mark.parametrize("size", [1, 25])
def test_group_overview_query_count_is_fixed(personas, purposes, django_assert_num_queries, size):
    children = _class_of(size, personas.school, grant=False)
    group = children[0].group
    with django_assert_num_queries(4):
        overview = selectors.group_consent_overview(group)
    assert len(overview.rows) == size
    assert overview.no_photo == sorted(children, key=lambda c: (c.first_name, c.last_name))


def test_no_photo_marker(personas, purposes, decide):
    decide(personas.parent_a, personas.child_a, purposes["group"], "granted")
    children = [personas.child_a, personas.child_a2]
    assert selectors.no_photo_children(children) == {personas.child_a2.pk}


def test_guardians_without_decision(personas, purposes, decide):
    for purpose in purposes.values():
        decide(personas.parent_a, personas.child_a, purpose, "refused")
    decide(personas.separated_parent_a, personas.child_a, purposes["group"], "granted")
    pending = set(selectors.guardians_without_decision(personas.group_a))
    # The blocked guardian receives nothing, so no reminder either.
    assert pending == {personas.separated_parent_a, personas.multi_school_parent}
