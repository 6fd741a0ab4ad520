"""Reads of the consent ledger. The state of a consent is derived, never stored:

- each guardian's latest decision in the school year counts (guardians see each other's);
- no decision at all means "not asked", which counts as refused (silence is not consent);
- where guardians disagree, the refusal wins;
- a new school year starts as "not asked" again.

Other apps ask `child_may_be_shown` for one child and `children_allowed` for many.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups import selectors as group_selectors
from groups.models import Child, Group, Guardianship, School, school_year_for

from .models import (
    AccountDeletionRequest,
    ConsentEvent,
    ConsentPurpose,
    ConsentPurposeText,
    DataExport,
)

#: The purpose every shared photo needs: the closed group environment of the app itself.
PHOTO_PURPOSE = "group"

GRANTED = ConsentEvent.Decision.GRANTED.value
REFUSED = ConsentEvent.Decision.REFUSED.value
NOT_ASKED = "not_asked"
STATE_LABELS = {
    GRANTED: _("Granted"),
    REFUSED: _("Refused"),
    NOT_ASKED: _("Not asked (counts as refused)"),
}


def school_year_at(school: School, at: datetime.datetime | None = None) -> int:
    """The school year at a moment, by the school's own calendar date."""
    at = at or timezone.now()
    return school_year_for(timezone.localtime(at, school.tz).date())


def _combine(decisions) -> str:
    """One state out of the guardians' latest decisions: any refusal wins."""
    decisions = set(decisions)
    if REFUSED in decisions:
        return REFUSED
    if GRANTED in decisions:
        return GRANTED
    return NOT_ASKED


def _counting_events(events: QuerySet) -> QuerySet:
    """Events whose guardian is (still) a guardian of the child; a former guardian's old
    decision no longer speaks for the child."""
    return events.annotate(guardian_key=Coalesce("on_behalf_of_id", "decided_by_id")).filter(
        Exists(
            Guardianship.objects.filter(
                child_id=OuterRef("child_id"), guardian_id=OuterRef("guardian_key")
            )
        )
    )


def _latest_per_guardian(rows):
    """{(child_id, purpose_id): {guardian_id: decision}} from rows in ledger order."""
    latest = defaultdict(dict)
    for child_id, purpose_id, guardian_id, decision in rows:
        latest[child_id, purpose_id][guardian_id] = decision
    return latest


def consent_states(children, purposes, at=None) -> dict:
    """{(child_id, purpose_id): state} for every pair, in two queries at most.

    All children must be of the purposes' school (purposes are per school)."""
    children, purposes = list(children), list(purposes)
    if not children or not purposes:
        return {}
    school = School.objects.get(pk=purposes[0].school_id)
    events = ConsentEvent.objects.filter(
        child_id__in=[c.pk for c in children],
        purpose_id__in=[p.pk for p in purposes],
        school_year=school_year_at(school, at),
    )
    if at is not None:
        events = events.filter(created_at__lte=at)
    rows = (
        _counting_events(events)
        .order_by("created_at", "pk")
        .values_list("child_id", "purpose_id", "guardian_key", "decision")
    )
    latest = _latest_per_guardian(rows)
    return {
        (c.pk, p.pk): _combine(latest.get((c.pk, p.pk), {}).values())
        for c in children
        for p in purposes
    }


def children_allowed(children, purpose_code: str, at=None) -> set[int]:
    """Ids of the children who may be shown for the purpose at `at` (default now).

    Two queries whatever the number of children, of one school or several."""
    children = list(children)
    if not children:
        return set()
    schools = School.objects.in_bulk({c.school_id for c in children})
    per_school = Q()
    for school in schools.values():
        per_school |= Q(purpose__school_id=school.pk, school_year=school_year_at(school, at))
    events = ConsentEvent.objects.filter(
        per_school, child_id__in=[c.pk for c in children], purpose__code=purpose_code
    )
    if at is not None:
        events = events.filter(created_at__lte=at)
    rows = (
        _counting_events(events)
        .order_by("created_at", "pk")
        .values_list("child_id", "purpose_id", "guardian_key", "decision")
    )
    return {
        child_id
        for (child_id, _purpose_id), decisions in _latest_per_guardian(rows).items()
        if _combine(decisions.values()) == GRANTED
    }


def child_may_be_shown(child: Child, purpose_code: str, at=None) -> bool:
    """May this child be shown for this purpose now (or at `at`)?"""
    return child.pk in children_allowed([child], purpose_code, at=at)


def no_photo_children(children, at=None) -> set[int]:
    """Ids of the children staff must keep out of every photo: no consent (yet) for the
    closed group environment, which every other photo purpose builds on."""
    children = list(children)
    return {c.pk for c in children} - children_allowed(children, PHOTO_PURPOSE, at=at)


# --- Purposes -------------------------------------------------------------------------------


def purposes_of_school(school: School) -> list[ConsentPurpose]:
    """The school's purposes, each with `current_text` (its newest version), in one query."""
    newest = ConsentPurposeText.objects.filter(purpose=OuterRef("pk")).order_by("-version")
    return list(
        ConsentPurpose.objects.filter(school=school)
        .annotate(
            current_text=Subquery(newest.values("text")[:1]),
            current_version=Subquery(newest.values("version")[:1]),
        )
        .order_by("ordering", "pk")
    )


# --- The parents' privacy page --------------------------------------------------------------


def access_guardian_child(user, child_id) -> Child:
    """One of the user's own children; 404 for everyone else, staff included, because only
    guardians decide about consent."""
    try:
        return group_selectors.children_of_guardian(user).get(pk=child_id)
    except (Child.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class PurposeRow:
    purpose: ConsentPurpose
    state: str
    my_decision: str
    #: The latest event of each guardian this school year.
    guardian_decisions: list = field(default_factory=list)

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def guardians_disagree(self):
        return len({event.decision for event in self.guardian_decisions}) > 1


@dataclass
class ChildConsent:
    child: Child
    school_year: int
    rows: list
    history: list

    @property
    def school_year_label(self):
        return f"{self.school_year}–{self.school_year + 1}"


def child_consent(child: Child, viewer) -> ChildConsent:
    """What a guardian sees about one child: each purpose with the combined state, their own
    and the other guardians' decisions this school year, and the full history."""
    school_year = school_year_at(child.school)
    purposes = purposes_of_school(child.school)
    guardian_ids = set(
        Guardianship.objects.filter(child=child).values_list("guardian_id", flat=True)
    )
    history = list(
        ConsentEvent.objects.filter(child=child)
        .select_related("purpose", "decided_by", "on_behalf_of")
        .order_by("-created_at", "-pk")
    )
    latest = defaultdict(dict)
    for event in reversed(history):
        if event.school_year == school_year and event.guardian_id in guardian_ids:
            latest[event.purpose_id][event.guardian_id] = event
    rows = []
    for purpose in purposes:
        decisions = latest.get(purpose.pk, {})
        mine = decisions.get(viewer.pk)
        rows.append(
            PurposeRow(
                purpose=purpose,
                state=_combine(e.decision for e in decisions.values()),
                my_decision=mine.decision if mine else NOT_ASKED,
                guardian_decisions=list(decisions.values()),
            )
        )
    return ChildConsent(child=child, school_year=school_year, rows=rows, history=history)


# --- Administration -------------------------------------------------------------------------


def admin_groups(user) -> QuerySet[Group]:
    """Groups whose consent the user administers (superusers: all)."""
    groups = Group.objects.select_related("school").order_by(
        "school__name", "-school_year", "grade", "name"
    )
    if user.is_active and user.is_superuser:
        return groups
    return groups.filter(school__in=group_selectors.administered_schools(user))


def access_admin_group(user, group_id) -> Group:
    try:
        return admin_groups(user).get(pk=group_id)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def admin_children(user) -> QuerySet[Child]:
    children = Child.objects.select_related("school", "group")
    if user.is_active and user.is_superuser:
        return children
    return children.filter(school__in=group_selectors.administered_schools(user))


def access_admin_child(user, child_id) -> Child:
    try:
        return admin_children(user).get(pk=child_id)
    except (Child.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class GroupOverview:
    group: Group
    purposes: list
    rows: list  # (child, [state per purpose])

    @property
    def no_photo(self):
        """Children who may not be photographed at all."""
        index = next((i for i, p in enumerate(self.purposes) if p.code == PHOTO_PURPOSE), None)
        if index is None:
            return [child for child, _states in self.rows]
        return [child for child, states in self.rows if states[index] != GRANTED]


def group_consent_overview(group: Group) -> GroupOverview:
    """Children by purposes of a group in a fixed number of queries."""
    purposes = purposes_of_school(group.school)
    children = list(group.children.order_by("first_name", "last_name"))
    states = consent_states(children, purposes)
    rows = [(c, [states[c.pk, p.pk] for p in purposes]) for c in children]
    return GroupOverview(group=group, purposes=purposes, rows=rows)


def guardians_without_decision(group: Group) -> QuerySet:
    """Guardians (receiving communication) of the group's children who have not yet decided
    on every purpose this school year, in three queries."""
    school_year = school_year_at(group.school)
    purpose_count = ConsentPurpose.objects.filter(school=group.school).count()
    decided = defaultdict(set)
    for child_id, guardian_id, purpose_id in (
        ConsentEvent.objects.filter(child__group=group, school_year=school_year)
        .annotate(guardian_key=Coalesce("on_behalf_of_id", "decided_by_id"))
        .values_list("child_id", "guardian_key", "purpose_id")
    ):
        decided[child_id, guardian_id].add(purpose_id)
    links = Guardianship.objects.filter(
        child__group=group, receives_communication=True, guardian__is_active=True
    ).values_list("child_id", "guardian_id")
    pending = {g for c, g in links if len(decided[c, g]) < purpose_count}
    return get_user_model().objects.filter(pk__in=pending).order_by("full_name")


# --- Staff ----------------------------------------------------------------------------------


@dataclass
class StaffGroupMarks:
    group: Group
    children: list  # (child, may_be_photographed)


def staff_photo_marks(user) -> list[StaffGroupMarks]:
    """For teachers and assistants: each of their groups' children with a "no photos" mark.
    Three queries whatever the number of groups and children."""
    groups = list(
        group_selectors.staffed_groups(user)
        .prefetch_related("children")
        .order_by("school__name", "grade", "name")
    )
    children = [child for group in groups for child in group.children.all()]
    blocked = no_photo_children(children)
    return [
        StaffGroupMarks(
            group=group,
            children=[
                (child, child.pk not in blocked)
                for child in sorted(group.children.all(), key=lambda c: c.full_name)
            ],
        )
        for group in groups
    ]


def latest_data_export(user) -> DataExport | None:
    return DataExport.objects.filter(user=user).order_by("-created_at", "-pk").first()


def open_deletion_request(user) -> AccountDeletionRequest | None:
    return AccountDeletionRequest.objects.filter(
        user=user, status=AccountDeletionRequest.Status.REQUESTED
    ).first()
