"""Reads for the digest, the newsletter and the cadence reminders."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import NotificationMode
from groups import selectors as audience
from groups.models import Group, Guardianship, StaffMembership

from ..kindgesprek.models import Message, MessageRead, Side
from ..models import Post, PostAudience, PostRead
from . import periods
from .models import CadenceReminder, Newsletter

User = get_user_model()

UNSUBSCRIBE_SALT = "messaging.digest.unsubscribe"
# Long enough for a digest read late; a link from last term no longer works.
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 60


def unsubscribe_user(token: str):
    """The person a one-click unsubscribe link was made for. Raises signing.BadSignature
    (SignatureExpired is one) for tampered, foreign and expired links, and for people who
    no longer exist or are deactivated."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    try:
        return User.objects.get(pk=data["u"], email=data["e"], is_active=True)
    except (User.DoesNotExist, KeyError, TypeError) as error:
        raise signing.BadSignature("no such person") from error


def digest_recipient_ids(school) -> list[int]:
    """Every active guardian who receives communication about a child of the school; the
    builder later skips those who switched the digest off, so the run shows them."""
    return list(
        Guardianship.objects.filter(
            child__school=school, receives_communication=True, guardian__is_active=True
        )
        .values_list("guardian_id", flat=True)
        .distinct()
    )


def _unread_kindgesprek(now):
    """For a Guardianship row: unread staff messages in that child's kindgesprekken."""
    unread = (
        Message.objects.filter(
            thread__child=OuterRef("child_id"), author_side=Side.STAFF, sent_at__lte=now
        )
        .filter(
            ~Exists(
                MessageRead.objects.filter(
                    message=OuterRef("pk"), user_id=OuterRef(OuterRef("guardian_id"))
                )
            )
        )
        .order_by()
        .values("thread__child")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def _group_posts(since, until):
    """For a Group row: a published, not hidden group post between the two moments."""
    return Exists(
        PostAudience.objects.filter(
            group=OuterRef("pk"),
            post__is_school_wide=False,
            post__hidden_at__isnull=True,
            post__publish_at__gte=since,
            post__publish_at__lte=until,
        )
    )


def quiet_group_staff(school, *, since, until) -> list[tuple[int, int]]:
    """(staff user id, group id) for the school's current groups that had no group post
    between the two moments. School-wide posts do not count: the rule is about the group's
    own weekly message."""
    newest = Group.objects.filter(school=school).order_by("-school_year").values("school_year")[:1]
    quiet = Group.objects.filter(school=school, school_year=Subquery(newest)).exclude(
        _group_posts(since, until)
    )
    return list(
        StaffMembership.objects.filter(
            school=school,
            role__in=StaffMembership.GROUP_ROLES,
            user__is_active=True,
            groups__in=quiet,
        )
        .values_list("user_id", "groups")
        .distinct()
    )


def _open_reminders(now):
    """Reminders whose group has had no group post since the reminder was made."""
    posted = PostAudience.objects.filter(
        group=OuterRef("group_id"),
        post__is_school_wide=False,
        post__hidden_at__isnull=True,
        post__publish_at__gte=OuterRef("created_at"),
        post__publish_at__lte=now,
    )
    return CadenceReminder.objects.exclude(Exists(posted)).select_related("group")


def open_cadence_reminders(user, *, now) -> list[CadenceReminder]:
    """This week's open reminders of a staff member, at each of their schools' own week."""
    memberships = StaffMembership.objects.filter(
        user=user, role__in=StaffMembership.GROUP_ROLES, user__is_active=True
    ).select_related("school")
    weeks = [
        Q(school_id=m.school_id, week=periods.iso_week(now.astimezone(m.school.tz).date()))
        for m in memberships
    ]
    if not weeks:
        return []
    condition = weeks.pop()
    for week in weeks:
        condition |= week
    return list(
        _open_reminders(now).filter(condition, user=user).order_by("group__grade", "group__name")
    )


def cadence_batch(school, week, user_ids, *, now) -> dict[int, list]:
    """Per staff member: the groups of their open reminders of that week (one query)."""
    groups = {pk: [] for pk in user_ids}
    for reminder in _open_reminders(now).filter(school=school, week=week, user_id__in=user_ids):
        groups[reminder.user_id].append(reminder.group)
    return groups


def newly_published_posts(*, since, until) -> QuerySet[Post]:
    """Visible posts published between the two moments that are not newsletters."""
    return Post.objects.filter(
        publish_at__gt=since, publish_at__lte=until, hidden_at__isnull=True, newsletter__isnull=True
    ).order_by("publish_at", "pk")


def instant_post_recipient_ids(post) -> list[int]:
    """Active guardians of a child in the post's groups (school-wide posts have every current
    group as audience) who receive communication and want new posts at once."""
    return list(
        Guardianship.objects.filter(
            child__group__post_audience__post=post,
            receives_communication=True,
            guardian__is_active=True,
            guardian__post_notifications=NotificationMode.INSTANT,
        )
        .values_list("guardian_id", flat=True)
        .distinct()
    )


def newsletters_for(user) -> QuerySet[Newsletter]:
    """Newsletters of the schools the user administers."""
    return Newsletter.objects.filter(school__in=audience.administered_schools(user)).select_related(
        "school", "author"
    )


def access_newsletter(user, newsletter_id) -> Newsletter:
    """A newsletter of a school the user administers; 404 for missing and not-yours alike."""
    try:
        return newsletters_for(user).get(pk=newsletter_id)
    except (Newsletter.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


EXCERPT_CHARS = 200


@dataclass
class DigestItem:
    """A post in a parent's digest: who it is about, and whether they read it already."""

    post: Post
    groups: list
    children: list
    unread: bool
    url: str = ""

    @property
    def excerpt(self):
        text = " ".join(self.post.body.split())
        return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


@dataclass
class Digest:
    """One parent's digest at one school: their children there, what is new, what is unread."""

    children: list = field(default_factory=list)
    items: list = field(default_factory=list)
    unread_messages: int = 0

    @property
    def is_empty(self):
        return not self.items and not self.unread_messages


def _week_posts(school, group_ids, *, since, until):
    """Published, not hidden posts of the week for these groups, and the school's school-wide
    posts; with the groups (among these) each is for. Two queries, whatever the number."""
    posts = list(
        Post.objects.filter(
            publish_at__gte=since, publish_at__lt=until, hidden_at__isnull=True, school=school
        )
        .filter(
            Q(is_school_wide=True)
            | Q(Exists(PostAudience.objects.filter(post=OuterRef("pk"), group_id__in=group_ids)))
        )
        .only("id", "title", "body", "publish_at", "is_school_wide", "school_id")
        .order_by("-publish_at", "-id")
    )
    audience = {}
    for post_id, group_id in PostAudience.objects.filter(
        post_id__in=[post.pk for post in posts], group_id__in=group_ids
    ).values_list("post_id", "group_id"):
        audience.setdefault(post_id, set()).add(group_id)
    return posts, audience


def digest_batch(school, user_ids, *, since, until) -> dict[int, Digest]:
    """The digests of a batch of parents, in four queries whatever the number of parents,
    children and posts: guardianships (with unread kindgesprek counts), posts, their
    audience, and the parents' read receipts."""
    digests = {pk: Digest() for pk in user_ids}
    # The children they receive communication about, with each child's unread kindgesprek
    # messages counted in the same query.
    guardianships = (
        Guardianship.objects.filter(
            guardian_id__in=user_ids, receives_communication=True, child__school=school
        )
        .select_related("child__group")
        .annotate(unread=_unread_kindgesprek(until))
        .order_by("child__first_name", "child__last_name")
    )
    for guardianship in guardianships:
        digest = digests[guardianship.guardian_id]
        digest.children.append(guardianship.child)
        digest.unread_messages += guardianship.unread
    group_ids = {child.group_id for d in digests.values() for child in d.children}
    posts, audience = _week_posts(school, group_ids, since=since, until=until)
    if not posts:
        return digests
    read = set(
        PostRead.objects.filter(
            user_id__in=user_ids, post_id__in=[post.pk for post in posts]
        ).values_list("user_id", "post_id")
    )
    for pk, digest in digests.items():
        if not digest.children:
            continue
        mine = {child.group_id for child in digest.children}
        for post in posts:
            groups = audience.get(post.pk, set()) & mine
            if not (post.is_school_wide or groups):
                continue
            children = [c for c in digest.children if post.is_school_wide or c.group_id in groups]
            digest.items.append(
                DigestItem(
                    post=post,
                    groups=sorted({c.group.name for c in children if c.group_id in groups}),
                    children=[c.first_name for c in children],
                    unread=(pk, post.pk) not in read,
                )
            )
        # Unread first; within each, newest first (the posts' order, kept by a stable sort).
        digest.items.sort(key=lambda item: not item.unread)
    return digests
