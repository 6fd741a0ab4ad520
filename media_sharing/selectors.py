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

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404

from groups import selectors as audience
from groups.models import Child
from privacy import selectors as privacy

from .models import MediaItem, MediaTag


def _guardian_q(user) -> Q:
    children = audience.children_of_guardian(user).values("id")
    groups = audience.children_of_guardian(user).values("group_id")
    return Q(published_at__isnull=False, state=MediaItem.State.READY) & (
        Q(group_id__in=groups) | Q(child_id__in=children)
    )


def _staff_q(user) -> Q:
    staffed = audience.staffed_groups(user).values("id")
    return Q(group_id__in=staffed) | Q(child__group_id__in=staffed)


def _leadership_q(user) -> Q:
    # Direction and administration see the school's group photos once shared, not the
    # children's private threads and not drafts.
    return Q(
        published_at__isnull=False,
        group__isnull=False,
        school_id__in=audience.led_schools(user).values("id"),
    )


def _blocked_children(candidates: QuerySet) -> dict[str, set[int]]:
    """{purpose code: ids of tagged children who do not allow it now}, in a fixed number of
    queries: the tagged children, the purposes in use, then the consent ledger per purpose."""
    tagged = list(
        Child.objects.filter(media_tags__item__in=candidates.values("id"))
        .distinct()
        .only("id", "school_id")
    )
    if not tagged:
        return {}
    codes = set(
        MediaItem.objects.filter(id__in=candidates.values("id"), tags__isnull=False)
        .order_by()
        .values_list("purpose_code", flat=True)
        .distinct()
    )
    every = {c.pk for c in tagged}
    return {code: every - privacy.children_allowed(tagged, code) for code in sorted(codes)}


def _hidden_expression(blocked: dict[str, set[int]]):
    if not any(blocked.values()):
        return Value(False, output_field=BooleanField())
    condition = Q()
    for code, child_ids in blocked.items():
        if child_ids:
            condition |= Q(item__purpose_code=code, child_id__in=child_ids)
    return Exists(MediaTag.objects.filter(condition, item_id=OuterRef("pk")))


def visible_media(user) -> QuerySet[MediaItem]:
    """Items the user may open, each annotated with `consent_hidden` (True only for staff,
    who still see a withdrawn photo, marked). Newest first."""
    if not (user and user.is_authenticated and user.is_active):
        return MediaItem.objects.none()
    staff_q = _staff_q(user)
    candidates = MediaItem.objects.filter(_guardian_q(user) | staff_q | _leadership_q(user))
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
    return visible_media(user).filter(group=group).prefetch_related("tags__child")


def editable_media(user, item_id) -> MediaItem:
    """An item whose tags the user may change: staff of its audience group."""
    item = access_media(user, item_id)
    if not audience.is_group_staff(user, item.group if item.group_id else item.child.group):
        raise Http404
    return item


def tag_choices(group) -> list[tuple[Child, bool]]:
    """The group's children, each with whether they may be in shared photos at all (the
    "no photos" marker staff see while tagging). Two queries."""
    children = list(group.children.order_by("first_name", "last_name"))
    blocked = privacy.no_photo_children(children)
    return [(child, child.pk not in blocked) for child in children]


def tags_by_item(items) -> dict[int, list[Child]]:
    result = defaultdict(list)
    for tag in MediaTag.objects.filter(item__in=items).select_related("child"):
        result[tag.item_id].append(tag.child)
    return result
