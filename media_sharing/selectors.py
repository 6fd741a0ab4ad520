"""Who may see which photo or video: the one access decision for every view, API endpoint,
download and e-mail link.

An item is visible to a person when
- its audience is theirs: a group item to the group's guardians (receiving communication),
  its staff and the school's direction and administration; a child item (kindgesprek) to
  that child's guardians and the staff of the child's group; AND
- every child tagged in it allows the item's consent purpose NOW (asked at every request).
Guardians see published, processed items only. Staff of the audience group also see drafts,
and see consent-blocked items marked hidden, so they know why families no longer see them.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups import selectors as audience
from groups.models import Child, Group
from privacy import selectors as privacy

from .models import MediaItem, MediaTag


def _guardian_q(user) -> Q:
    children = audience.children_of_guardian(user).values("id")
    groups = audience.children_of_guardian(user).values("group_id")
    # The application's clock, not the database's NOW(): the two must never disagree about
    # whether a scheduled post is out yet (and tests freeze only the application's).
    return Q(published_at__lte=timezone.now(), state=MediaItem.State.READY) & (
        Q(group_id__in=groups) | Q(child_id__in=children)
    )


def _staff_q(user) -> Q:
    staffed = audience.staffed_groups(user).values("id")
    return Q(group_id__in=staffed) | Q(child__group_id__in=staffed)


def _leadership_q(user) -> Q:
    # Direction and administration see the school's group photos once shared, not the
    # children's private threads and not drafts.
    return Q(
        published_at__lte=timezone.now(),
        group__isnull=False,
        school_id__in=audience.led_schools(user).values("id"),
    )


def _blocked_children(candidates: QuerySet) -> dict[str, set[int]]:
    """{purpose code: ids of tagged children who do not allow it now}: one query for the
    tags, then the consent ledger (two queries) per purpose in use; none without tags."""
    rows = set(
        MediaTag.objects.filter(item__in=candidates.values("id"))
        .order_by()
        .values_list("child_id", "child__school_id", "item__purpose_code")
        .distinct()
    )
    tagged = defaultdict(dict)
    for child_id, school_id, code in rows:
        tagged[code][child_id] = Child(pk=child_id, school_id=school_id)
    return {
        code: set(children) - privacy.children_allowed(children.values(), code)
        for code, children in sorted(tagged.items())
    }


def _hidden_expression(blocked: dict[str, set[int]]):
    if not any(blocked.values()):
        return Value(False, output_field=BooleanField())
    condition = Q()
    for code, child_ids in blocked.items():
        if child_ids:
            condition |= Q(item__purpose_code=code, child_id__in=child_ids)
    return Exists(MediaTag.objects.filter(condition, item_id=OuterRef("pk")))


def visible_media(user, *, among: Q | None = None) -> QuerySet[MediaItem]:
    """Items the user may open, each annotated with `consent_hidden` (True only for staff,
    who still see a withdrawn photo, marked). Newest first. `among` narrows the items
    looked at first (one album, one page of posts), which keeps the consent check small."""
    if not (user and user.is_authenticated and user.is_active):
        return MediaItem.objects.none()
    staff_q = _staff_q(user)
    candidates = MediaItem.objects.filter(_guardian_q(user) | staff_q | _leadership_q(user))
    if among is not None:
        candidates = candidates.filter(among)
    blocked = _blocked_children(candidates)
    items = candidates.annotate(consent_hidden=_hidden_expression(blocked))
    # Only the group's own staff keep seeing a consent-blocked item (marked hidden).
    return (
        items.filter(Q(consent_hidden=False) | staff_q)
        .select_related("group", "school", "child")
        .order_by("-created_at", "-id")
    )


def access_media(user, item_id) -> MediaItem:
    """The item if the user may see it now; 404 for missing and not-yours alike. Staff get
    consent-blocked items too (check `consent_hidden`)."""
    try:
        return visible_media(user).get(pk=item_id)
    except (MediaItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def group_album(user, group) -> QuerySet[MediaItem]:
    """The group's photos and videos the user may see, newest first."""
    return visible_media(user, among=Q(group=group)).prefetch_related("tags__child")


@dataclass(frozen=True)
class Album:
    group: Group
    #: First names of the user's own children in the group (empty for staff).
    children: list = field(default_factory=list)


@dataclass(frozen=True)
class AlbumIndex:
    families: list  # the groups of the user's children, labelled with their names
    groups: list  # the groups the user works in or leads

    @property
    def is_empty(self):
        return not (self.families or self.groups)


def album_index(user) -> AlbumIndex:
    """The albums the user may open, by groups' own access rules: their children's groups
    (not those of a child whose communication they do not receive), the groups they work
    in and, for direction and administration, their school's groups of the newest school
    year. Two queries, whatever the number of children and groups."""
    by_group = {}
    for child in (
        audience.children_of_guardian(user)
        .select_related("group__school")
        .order_by("first_name", "last_name", "id")
    ):
        album = by_group.setdefault(child.group_id, Album(group=child.group))
        album.children.append(child.first_name)
    newest = (
        Group.objects.filter(school=OuterRef("school"))
        .order_by("-school_year")
        .values("school_year")[:1]
    )
    worked = (
        Group.objects.filter(
            Q(id__in=audience.staffed_groups(user).values("id"))
            | Q(
                school_id__in=audience.led_schools(user).values("id"),
                school_year=Subquery(newest),
            )
        )
        .select_related("school")
        .order_by("school__name", "-school_year", "grade", "name")
    )
    return AlbumIndex(
        families=list(by_group.values()),
        groups=[Album(group=group) for group in worked if group.pk not in by_group],
    )


def is_item_staff(user, item: MediaItem) -> bool:
    return audience.is_group_staff(user, item.group if item.group_id else item.child.group)


def editable_media(user, item_id) -> MediaItem:
    """An item whose tags the user may change: staff of its audience group."""
    item = access_media(user, item_id)
    if not is_item_staff(user, item):
        raise Http404
    return item


def tag_choices(group) -> list[tuple[Child, bool]]:
    """The group's children, each with whether they may be in shared photos at all (the
    "no photos" marker staff see while tagging). Two queries."""
    children = list(group.children.order_by("first_name", "last_name"))
    blocked = privacy.no_photo_children(children)
    return [(child, child.pk not in blocked) for child in children]


def draft_media(user) -> QuerySet[MediaItem]:
    """The user's own not yet published group photos and videos, in groups they still work
    in: what they can add to a post."""
    return (
        MediaItem.objects.filter(
            uploaded_by=user,
            published_at__isnull=True,
            group_id__in=audience.staffed_groups(user).values("id"),
        )
        .exclude(state=MediaItem.State.REJECTED)
        .select_related("group")
        .order_by("-created_at", "-id")
    )


def draft_totals(user, group) -> tuple[int, int]:
    """(number, bytes) of the user's drafts in the group: what is already waiting for the
    next post or publication there. One query."""
    totals = (
        draft_media(user)
        .filter(group=group)
        .order_by()
        .aggregate(count=Count("id"), size=Coalesce(Sum("size"), 0))
    )
    return totals["count"], totals["size"]


def gate_errors(item: MediaItem, children: list) -> list[str]:
    """Why this photo may not be shared with these children tagged (empty: it may)."""
    errors = []
    allowed = privacy.children_allowed(children, item.purpose_code) if children else set()
    blocked = sorted((c for c in children if c.pk not in allowed), key=lambda c: c.full_name)
    if blocked:
        errors.append(
            ngettext(
                "No consent to show %(names)s in shared photos. Remove the photo, or untag "
                "the child if they are not in it.",
                "No consent to show %(names)s in shared photos. Remove the photo, or untag "
                "the children who are not in it.",
                len(blocked),
            )
            % {"names": ", ".join(c.full_name for c in blocked)}
        )
    if item.group_id and len(children) == 1 and not item.school.allow_portrait_photos:
        errors.append(_("This school shares group photos only, no portraits of one child."))
    if item.group_id and not children and not item.confirmed_no_recognisable_children:
        errors.append(
            _("Tag the children in this photo, or confirm that no child can be recognised.")
        )
    return errors
