"""Who may see which post, the parent's feed, read receipts and the moderation list.

Audience rules (on top of groups.selectors, which decides who belongs to which group):
- a guardian sees published, not hidden posts for the groups of their children (only the
  children they receive communication about) and school-wide posts of those children's
  schools;
- teachers and assistants see every post of the groups they work in, scheduled and hidden
  ones included, so they can follow up and moderate;
- direction and administration see every post of their school.
"""

import datetime
import functools
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from groups import selectors as group_selectors
from groups.models import Guardianship, StaffMembership
from media_sharing import selectors as media_selectors

from .models import (
    Comment,
    Post,
    PostAttachment,
    PostAudience,
    PostMedia,
    PostRead,
    Report,
)

FEED_PAGE_SIZE = 20
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)


def _probed(rows: QuerySet) -> QuerySet:
    """A per-post subquery (rows with a `post_id`) that PostgreSQL runs as one index probe
    per post it reaches along the feed's index.

    Given only `post_id = post.id`, the planner may turn it into a hashed subplan that first
    reads every matching row: all audience rows of a family's groups, all reads of a person.
    That costs milliseconds, and more with every year of posts, while a feed page reaches
    about 21 posts. A second, redundant comparison with the outer row cannot be hashed, so
    the probe stays per row."""
    return rows.filter(post=OuterRef("pk"), post_id__lte=OuterRef("pk"))


def _for_groups(group_ids) -> Q:
    """The post is for one of these groups: checked per post row along the feed's index,
    instead of first collecting every post id of the groups."""
    return Q(Exists(_probed(PostAudience.objects.filter(group_id__in=group_ids))))


def _guardian_q(group_ids, school_ids) -> Q:
    """Published, not hidden posts for these groups, and school-wide posts of these schools.
    The arguments are id lists or subqueries."""
    return Q(publish_at__lte=timezone.now(), hidden_at__isnull=True) & (
        _for_groups(group_ids) | Q(is_school_wide=True, school_id__in=school_ids)
    )


def _staff_q(group_ids, school_ids) -> Q:
    """Every post of the groups a person works in and of the schools they lead."""
    return _for_groups(group_ids) | Q(school_id__in=school_ids)


def _guardian_q_for(user) -> Q:
    children = group_selectors.children_of_guardian(user)
    return _guardian_q(children.values("group_id"), children.values("school_id"))


def _staff_q_for(user) -> Q:
    return _staff_q(
        group_selectors.staffed_groups(user).values("id"),
        group_selectors.led_schools(user).values("id"),
    )


def visible_posts(user) -> QuerySet[Post]:
    """Every post the user may open. Subqueries only: one query when evaluated."""
    if not (user and user.is_authenticated and user.is_active):
        return Post.objects.none()
    return Post.objects.filter(_guardian_q_for(user) | _staff_q_for(user))


def moderated_posts(user) -> QuerySet[Post]:
    """Posts whose comments and reports the user handles: staff of the post's groups and the
    school's direction and administration."""
    if not (user and user.is_authenticated and user.is_active):
        return Post.objects.none()
    return Post.objects.filter(_staff_q_for(user))


def access_post(user, post_id) -> Post:
    """The post if the user may see it; 404 for missing and not-yours alike."""
    try:
        return visible_posts(user).select_related("school", "author").get(pk=post_id)
    except (Post.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_own_post(user, post_id) -> Post:
    """A post the user wrote and still may see (for editing and deleting)."""
    post = access_post(user, post_id)
    if post.author_id != user.pk:
        raise Http404
    return post


def access_moderated_post(user, post_id) -> Post:
    try:
        return moderated_posts(user).select_related("school", "author").get(pk=post_id)
    except (Post.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_moderate(user, post) -> bool:
    return moderated_posts(user).filter(pk=post.pk).exists()


def access_comment(user, comment_id) -> Comment:
    """A visible comment of a post the user may see (hidden comments only for moderators)."""
    try:
        comment = Comment.objects.select_related("post").get(pk=comment_id)
    except (Comment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_post(user, comment.post_id)
    if comment.hidden_at is not None and not may_moderate(user, comment.post):
        raise Http404
    return comment


def access_attachment(user, attachment_id) -> PostAttachment:
    try:
        attachment = PostAttachment.objects.get(pk=attachment_id)
    except (PostAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_post(user, attachment.post_id)
    return attachment


def postable_groups(user, school=None):
    """Groups the user may post to: those they work in, and every group of a school they
    lead."""
    groups = group_selectors.visible_groups(user).filter(
        Q(id__in=group_selectors.staffed_groups(user).values("id"))
        | Q(school_id__in=group_selectors.led_schools(user).values("id"))
    )
    if school is not None:
        groups = groups.filter(school=school)
    return groups.order_by("school__name", "grade", "name")


def comments_of(user, post) -> list[Comment]:
    comments = post.comments.select_related("author")
    if not may_moderate(user, post):
        comments = comments.filter(hidden_at__isnull=True)
    return list(comments)


def moderators_of(post):
    """Who hears about a report: the teachers and assistants of the post's groups and the
    school's direction."""
    from django.contrib.auth import get_user_model

    Role = StaffMembership.Role
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(
                staff_memberships__groups__post_audience__post=post,
                staff_memberships__role__in=StaffMembership.GROUP_ROLES,
            )
            | Q(staff_memberships__school_id=post.school_id, staff_memberships__role=Role.DIRECTION)
        )
        .distinct()
    )


def open_reports(user) -> QuerySet[Report]:
    posts = moderated_posts(user).values("id")
    return (
        Report.objects.filter(state=Report.State.OPEN)
        .filter(Q(post_id__in=posts) | Q(comment__post_id__in=posts))
        .select_related("post", "comment", "comment__post", "comment__author", "reporter")
        .order_by("created_at", "id")
    )


# --- the feed -----------------------------------------------------------------------------


def encode_cursor(post: Post) -> str:
    return f"{(post.publish_at - EPOCH) // MICROSECOND}.{post.pk}"


def decode_cursor(cursor: str | None):
    if not cursor:
        return None
    try:
        micros, pk = (int(part) for part in cursor.split(".", 1))
        return EPOCH + datetime.timedelta(microseconds=micros), pk
    except (ValueError, OverflowError):
        raise Http404 from None


@dataclass
class FeedLabel:
    """One of the post's groups the viewer is concerned with, and the viewer's children in it
    (none for staff)."""

    group_name: str
    children: list


@dataclass
class FeedItem:
    post: Post
    unread: bool
    labels: list = field(default_factory=list)
    # The post's photos and videos the viewer may see now (consent checked at this request).
    media: list = field(default_factory=list)

    @property
    def fingerprint(self) -> tuple:
        """Everything the feed card shows, as the key of its cached rendering: a changed post,
        comment count, read state, label or photo is a different card, never a stale one."""
        post = self.post
        album = self.media[0].group if self.media else None
        return (
            post.pk,
            post.title,
            post.body,
            post.author_name,
            post.publish_at,
            post.published,
            post.is_school_wide,
            post.school_name,
            post.comment_count,
            post.attachment_count,
            self.unread,
            [(lab.group_name, [kid.first_name for kid in lab.children]) for lab in self.labels],
            [(m.pk, m.kind, m.state, m.consent_hidden, m.created_at) for m in self.media],
            (album.pk, album.name) if album else None,
        )


@dataclass
class FeedPage:
    items: list
    next_cursor: str | None
    children: list
    child: object = None
    can_post: bool = False


class _JSONRows(Aggregate):
    """The aggregated rows' values as one JSON array of arrays, in PostgreSQL and SQLite:
    related rows arrive as a column of the main query instead of in a query of their own."""

    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "JSONB_AGG(JSONB_BUILD_ARRAY(%(expressions)s))"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "JSON_GROUP_ARRAY(JSON_ARRAY(%(expressions)s))"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def _count(queryset):
    counted = queryset.order_by().values("post").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# The feed's per-post columns that do not depend on the reader.
_FEED_SUBQUERIES = {
    "has_media": Exists(PostMedia.objects.filter(post=OuterRef("pk"))),
    "comment_count": _count(Comment.objects.filter(post=OuterRef("pk"), hidden_at__isnull=True)),
    "attachment_count": _count(PostAttachment.objects.filter(post=OuterRef("pk"))),
    # [[group id, name, grade], ...]: every group the post is for.
    "audience_groups": Subquery(
        PostAudience.objects.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(groups=_JSONRows("group_id", "group__name", "group__grade"))
        .values("groups"),
        output_field=JSONField(),
    ),
}
_FEED_JOINED = {"author_name": F("author__full_name"), "school_name": F("school__name")}


@functools.cache
def _feed_columns(using: str) -> dict:
    """The reader-independent columns for the database `using`, with the subqueries compiled
    to SQL once per process: they are the same on every page, and resolving and compiling
    them took longer than the database took to run them (over a millisecond of every page).
    The SQL refers to the outer post as the feed query's own table, "messaging_post"."""
    query = Post.objects.annotate(**_FEED_SUBQUERIES).query
    compiler = query.get_compiler(using=using)
    compiled = {
        # The ORM's own SQL and parameters, never user input.
        name: RawSQL(*compiler.compile(expression), output_field=expression.output_field)  # noqa: S611
        for name, expression in query.annotations.items()
    }
    return compiled | _FEED_JOINED


def feed_page(
    user, *, child_id=None, cursor=None, size=FEED_PAGE_SIZE, with_attachments=False
) -> FeedPage:
    """One page of the user's feed, newest first, keyset-paginated on (publish_at, id).

    Two queries whatever the number of posts, comments or reads: the reader's children and
    staff roles, and the posts (with unread flag, comment and attachment counts, author and
    school names, their audience groups, and whether they carry photos); a page with photos
    adds media_sharing's fixed consent check (four queries), `with_attachments` (the API
    lists them; the page only counts them) one more. Related rows come as columns, not prefetched
    into model managers: the page is the busiest one there is.
    """
    # Only the children's own columns: labels take group names from the audience rows.
    scope = group_selectors.reader_scope(user)
    children, staff_group_ids, led_school_ids = (
        scope.children,
        scope.staff_group_ids,
        scope.led_school_ids,
    )
    child = None
    if child_id is not None:
        child = next((c for c in children if str(c.pk) == str(child_id)), None)
        if child is None:
            raise Http404
        audience = _guardian_q([child.group_id], [child.school_id])
    else:
        # The same rules as visible_posts, with the ids already in hand: a simpler query.
        rules = []
        if children:
            rules.append(
                _guardian_q({kid.group_id for kid in children}, {kid.school_id for kid in children})
            )
        if staff_group_ids or led_school_ids:
            rules.append(_staff_q(staff_group_ids, led_school_ids))
        audience = reduce(operator.or_, rules) if rules else None
    if audience is None:
        return FeedPage(items=[], next_cursor=None, children=children)
    posts = Post.objects.filter(audience, hidden_at__isnull=True)
    position = decode_cursor(cursor)
    if position is not None:
        moment, pk = position
        # The redundant `publish_at <= moment` becomes the index condition: the scan starts at
        # the cursor instead of filtering every newer row (which made deep pages slow).
        posts = posts.filter(
            Q(publish_at__lte=moment), Q(publish_at__lt=moment) | Q(publish_at=moment, id__lt=pk)
        )
    posts = posts.annotate(
        is_read=Exists(_probed(PostRead.objects.filter(user=user))),
        **_feed_columns(posts.db),
    ).order_by("-publish_at", "-id")
    rows = list(posts[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    media_by_post = _visible_media_by_post(user, [post.pk for post in rows if post.has_media])
    if with_attachments:
        prefetch_related_objects(rows, "attachments")
    children_by_group = defaultdict(list)
    for kid in children:
        children_by_group[kid.group_id].append(kid)
    items = []
    for post in rows:
        groups = sorted(post.audience_groups or [], key=lambda group: (group[2], group[1]))
        # For the API's serializer, which reads posts only.
        post.audience_group_ids = [group_id for group_id, _name, _grade in groups]
        post.visible_media = media_by_post.get(post.pk, [])
        items.append(
            FeedItem(
                post=post,
                unread=not post.is_read,
                labels=[
                    FeedLabel(name, children_by_group.get(group_id, []))
                    for group_id, name, _grade in groups
                    if not children or group_id in children_by_group
                ],
                media=post.visible_media,
            )
        )
    return FeedPage(
        items=items,
        next_cursor=encode_cursor(rows[-1]) if has_more else None,
        children=children,
        child=child,
        can_post=bool(staff_group_ids or led_school_ids),
    )


def _visible_media_by_post(user, post_ids) -> dict[int, list]:
    """{post id: [its photos and videos the user may see now]}, in each post's order. No
    query without post ids; otherwise a fixed number (media_sharing's consent check)."""
    if not post_ids:
        return {}
    items = (
        media_selectors.visible_media(user, among=Q(post_link__post_id__in=post_ids))
        .annotate(link_post=F("post_link__post_id"), link_position=F("post_link__position"))
        .order_by("link_post", "link_position", "id")
    )
    result = defaultdict(list)
    for item in items:
        result[item.link_post].append(item)
    return result


def post_media(user, post) -> list:
    """The post's photos and videos the user may see now, in the post's order."""
    return _visible_media_by_post(user, [post.pk]).get(post.pk, [])


# --- read receipts ------------------------------------------------------------------------


@dataclass
class ChildReceipt:
    child: object
    guardians: list  # [(guardian, has_read)]

    @property
    def read(self):
        return any(has_read for _guardian, has_read in self.guardians)


@dataclass
class Receipts:
    read_families: int
    total_families: int
    unread_children: list  # ChildReceipt for each child whose family has not read it


def read_receipts(post) -> Receipts:
    """ "Read by X of Y families": a family is the set of guardians a child has, so siblings
    with the same parents count once. Two queries whatever the audience size."""
    guardianships = (
        Guardianship.objects.filter(
            child__group__post_audience__post=post,
            receives_communication=True,
            guardian__is_active=True,
        )
        .select_related("guardian", "child")
        .order_by("child__first_name", "child__last_name", "child_id", "guardian__full_name")
    )
    readers = set(PostRead.objects.filter(post=post).values_list("user_id", flat=True))
    per_child = {}
    for row in guardianships:
        receipt = per_child.setdefault(row.child_id, ChildReceipt(child=row.child, guardians=[]))
        receipt.guardians.append((row.guardian, row.guardian_id in readers))
    families = {}
    for receipt in per_child.values():
        key = frozenset(guardian.pk for guardian, _read in receipt.guardians)
        families[key] = families.get(key, False) or receipt.read
    return Receipts(
        read_families=sum(families.values()),
        total_families=len(families),
        unread_children=[receipt for receipt in per_child.values() if not receipt.read],
    )


def access_open_report(user, report_id) -> Report:
    try:
        return open_reports(user).get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
