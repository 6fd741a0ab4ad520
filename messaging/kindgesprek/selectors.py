"""Reads for the kindgesprek. Every page, API call, download and e-mail asks here who may see
a thread: the child's guardians who receive communication, and the staff of the child's
current group (for the current group's school year only)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from groups import selectors as audience
from groups.models import Child, Group, Guardianship, School, StaffMembership
from media_sharing import selectors as media_selectors

from .models import (
    Attachment,
    Message,
    MessageMedia,
    MessageRead,
    Side,
    StaffAvailability,
    Thread,
)

COACH_DAYS = 7


def _guardian_child_ids(user):
    return audience.guardian_child_ids(user)


def _staffed_group_ids(user):
    return audience.staffed_group_ids(user)


def _as_guardian(user):
    return Q(child_id__in=_guardian_child_ids(user))


def _as_staff(user):
    # Only the current group's staff, and only the thread of that group's school year: a
    # child's former teachers lose access when the child changes group.
    return Q(
        child__group_id__in=_staffed_group_ids(user), school_year=F("child__group__school_year")
    )


def visible_threads(user) -> QuerySet[Thread]:
    if not (user and user.is_authenticated and user.is_active):
        return Thread.objects.none()
    return Thread.objects.filter(_as_guardian(user) | _as_staff(user)).select_related(
        "child__group__school"
    )


def access_thread(user, thread_id) -> Thread:
    """The thread if the user takes part in it; 404 for missing and not-yours alike."""
    try:
        return visible_threads(user).get(pk=thread_id)
    except (Thread.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def side_of(user, child) -> str | None:
    """Which side of the child's kindgesprek the user writes on, or None for outsiders."""
    if audience.children_of_guardian(user).filter(pk=child.pk).exists():
        return Side.PARENT
    if audience.is_group_staff(user, child.group):
        return Side.STAFF
    return None


def writable_child(user, child_id) -> Child:
    """A child whose kindgesprek the user may write in; 404 otherwise (also for admins who
    may see the child but are not part of the conversation)."""
    try:
        return (
            Child.objects.filter(
                Q(id__in=_guardian_child_ids(user)) | Q(group_id__in=_staffed_group_ids(user))
            )
            .select_related("group__school", "school")
            .get(pk=child_id)
        )
    except (Child.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_messages(user, thread, *, now=None) -> QuerySet[Message]:
    """Messages of a thread the user may read: sent ones, plus their own side's scheduled
    ones (staff see what a colleague queued for the morning)."""
    now = now or timezone.now()
    side = _side_in_thread(user, thread)
    return thread.messages.filter(Q(sent_at__lte=now) | Q(author_side=side))


def _side_in_thread(user, thread):
    child_ids = {row["child_id"] for row in _guardian_child_ids(user)}
    return Side.PARENT if thread.child_id in child_ids else Side.STAFF


@dataclass(frozen=True)
class ThreadPage:
    thread: Thread
    side: str
    messages: list


def _visible_media_by_message(user, message_ids) -> dict[int, list]:
    """{message id: its photos the user may see now}; no query without photos, otherwise
    media_sharing's fixed consent check."""
    if not message_ids:
        return {}
    result = defaultdict(list)
    items = media_selectors.visible_media(
        user, among=Q(message_link__message_id__in=message_ids)
    ).annotate(link_message=F("message_link__message_id"))
    for item in items.order_by("link_message", "id"):
        result[item.link_message].append(item)
    return result


def _with_media_flag(messages: QuerySet[Message]) -> QuerySet[Message]:
    # An Exists inside the messages query: threads without photos cost no media query.
    return messages.annotate(has_media=Exists(MessageMedia.objects.filter(message=OuterRef("pk"))))


def media_attach(user, messages) -> list:
    """Set `message.media` on each message: its photos the user may see now (media_sharing's
    consent check, a fixed number of queries). Messages without the `has_media` flag are
    looked up as if they had photos."""
    messages = list(messages)
    media = _visible_media_by_message(
        user, [m.pk for m in messages if getattr(m, "has_media", True)]
    )
    for message in messages:
        message.media = media.get(message.pk, [])
    return messages


def api_messages(user, thread, *, now=None) -> QuerySet[Message]:
    """visible_messages with what the API shows of each: author, attachments and the flag
    media_attach needs; attach the photos per page with media_attach."""
    return (
        _with_media_flag(visible_messages(user, thread, now=now))
        .select_related("author")
        .prefetch_related("attachments")
    )


def thread_messages(user, thread, *, now=None) -> ThreadPage:
    """The thread's messages with attachments and read receipts, in four queries whatever the
    number of messages. A receipt names the people on the other side who read the message;
    colleagues and co-parents reading along are not receipts."""
    now = now or timezone.now()
    side = _side_in_thread(user, thread)
    guardian_ids = set(
        Guardianship.objects.filter(child_id=thread.child_id).values_list("guardian_id", flat=True)
    )
    messages = media_attach(
        user,
        _with_media_flag(thread.messages.filter(Q(sent_at__lte=now) | Q(author_side=side)))
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "reads", queryset=MessageRead.objects.select_related("user").order_by("read_at")
            ),
            "attachments",
        ),
    )
    for message in messages:
        by_parent = message.author_side == Side.PARENT
        message.read_by = [
            read for read in message.reads.all() if (read.user_id in guardian_ids) != by_parent
        ]
    return ThreadPage(thread=thread, side=side, messages=messages)


def _unread_for(user, *, now):
    """Messages from the other side that the user has not read."""
    return (
        Message.objects.filter(sent_at__lte=now)
        .exclude(author=user)
        .filter(~Exists(MessageRead.objects.filter(message=OuterRef("pk"), user=user)))
    )


#: Badge counts are cached this long at most: what no write announces (a scheduled message
#: coming due, a changed guardianship or group) shows within this time.
UNREAD_CACHE_SECONDS = 30
_UNREAD_GENERATION = "kindgesprek:unread:generation"


def unread_changed() -> None:
    """Forget every cached badge count: called after a message is written or read. One
    counter for everyone keeps the writers simple; counts are cheap to make again."""
    try:
        cache.incr(_UNREAD_GENERATION)
    except ValueError:
        cache.add(_UNREAD_GENERATION, 1, timeout=None)


def unread_count(user, *, now=None) -> int:
    """Unread messages over all the user's kindgesprekken, in one query; the navigation's
    badge (now=None) is cached, as it is on every page (see UNREAD_CACHE_SECONDS)."""
    if not (user and user.is_authenticated and user.is_active):
        return 0
    if now is not None:
        return _unread_count(user, now=now)
    key = f"kindgesprek:unread:{cache.get(_UNREAD_GENERATION, 0)}:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = _unread_count(user, now=timezone.now())
        cache.set(key, count, timeout=UNREAD_CACHE_SECONDS)
    return count


def _unread_count(user, *, now) -> int:
    # The threads' rules (_as_guardian, _as_staff) written on the message's own joins:
    # nested thread subqueries took PostgreSQL three times as long to plan.
    return (
        _unread_for(user, now=now)
        .filter(
            Q(author_side=Side.STAFF, thread__child_id__in=_guardian_child_ids(user))
            | Q(
                author_side=Side.PARENT,
                thread__child__group_id__in=_staffed_group_ids(user),
                thread__school_year=F("thread__child__group__school_year"),
            )
        )
        .count()
    )


def _annotate_activity(threads, user, *, side, now):
    other = Side.STAFF if side == Side.PARENT else Side.PARENT
    sent = Message.objects.filter(thread=OuterRef("pk"), sent_at__lte=now)
    last = sent.order_by("-sent_at", "-id")
    unread = (
        _unread_for(user, now=now)
        .filter(thread=OuterRef("pk"), author_side=other)
        .order_by()
        .values("thread")
        .annotate(n=Count("id"))
        .values("n")
    )
    return threads.annotate(
        last_at=Subquery(last.values("sent_at")[:1]),
        last_side=Subquery(last.values("author_side")[:1]),
        unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
    )


@dataclass(frozen=True)
class InboxRow:
    thread: Thread
    last_at: datetime.datetime | None
    unread: int
    needs_reply: bool


def staff_inbox(user, *, group_id=None, needs_reply=False, now=None) -> list[InboxRow]:
    """The staff member's groups' current-year threads, latest activity first."""
    now = now or timezone.now()
    threads = Thread.objects.filter(_as_staff(user)).select_related("child__group__school")
    if group_id is not None:
        threads = threads.filter(child__group_id=group_id)
    threads = _annotate_activity(threads, user, side=Side.STAFF, now=now).filter(
        last_at__isnull=False
    )
    if needs_reply:
        threads = threads.filter(last_side=Side.PARENT)
    threads = threads.order_by(F("last_at").desc(nulls_last=True), "id")
    return [InboxRow(t, t.last_at, t.unread, t.last_side == Side.PARENT) for t in threads]


@dataclass(frozen=True)
class ChildRow:
    child: Child
    thread: Thread | None
    last_at: datetime.datetime | None
    unread: int


def parent_threads(user, *, now=None) -> list[ChildRow]:
    """One row per own child: the current year's thread (if any message exists yet)."""
    now = now or timezone.now()
    children = list(
        audience.children_of_guardian(user)
        .select_related("group__school")
        .order_by("first_name", "last_name")
    )
    threads = _annotate_activity(
        Thread.objects.filter(_as_guardian(user), school_year=F("child__group__school_year")),
        user,
        side=Side.PARENT,
        now=now,
    )
    by_child = {thread.child_id: thread for thread in threads}
    rows = []
    for child in children:
        thread = by_child.get(child.pk)
        rows.append(
            ChildRow(
                child=child,
                thread=thread,
                last_at=thread.last_at if thread else None,
                unread=thread.unread if thread else 0,
            )
        )
    return rows


def staff_groups(user) -> QuerySet[Group]:
    return audience.staffed_groups(user).order_by("grade", "name")


def thread_for(child) -> Thread | None:
    return Thread.objects.filter(child=child, school_year=child.group.school_year).first()


def access_attachment(user, key) -> Attachment:
    """An attachment of a message the user may read; 404 otherwise."""
    attachment = (
        Attachment.objects.filter(key=key, message__thread__in=visible_threads(user))
        .select_related("message__thread")
        .first()
    )
    if attachment is None:
        raise Http404
    message = attachment.message
    if message.sent_at > timezone.now() and message.author_side != _side_in_thread(
        user, message.thread
    ):
        raise Http404
    return attachment


# --- Availability -----------------------------------------------------------------------


def staff_hours(user, school) -> dict[int, tuple[datetime.time, datetime.time] | None]:
    """Reading hours per ISO weekday: the person's own, or the school's on their workdays."""
    return staff_hours_of([user], school)[user.pk]


def staff_hours_of(people, school) -> dict[int, dict]:
    """`staff_hours` for several people at once, in two queries however many there are, so
    a page costs the same whether the first of them happens to be reading right now."""
    ids = [person.pk for person in people]
    own = defaultdict(dict)
    for row in StaffAvailability.objects.filter(user_id__in=ids, school=school):
        own[row.user_id][row.weekday] = (row.start, row.end) if row.start else None
    workdays_of = dict(
        StaffMembership.objects.filter(user_id__in=ids, school=school).values_list(
            "user_id", "workdays"
        )
    )
    hours = {}
    for pk in ids:
        if pk in own:
            hours[pk] = {day: own[pk].get(day) for day in range(1, 8)}
            continue
        workdays = workdays_of.get(pk, school.staff_workdays)
        hours[pk] = {
            day: (school.staff_hours_start, school.staff_hours_end)
            if day in workdays and day in school.staff_workdays
            else None
            for day in range(1, 8)
        }
    return hours


def next_reading_moment(hours, school, now) -> datetime.datetime | None:
    """When someone with these hours reads messages next: now if within hours, else the
    start of their next working period, in the school's time zone. None without hours."""
    tz = school.tz
    local = now.astimezone(tz)
    for offset in range(8):
        day = local.date() + datetime.timedelta(days=offset)
        span = hours.get(day.isoweekday())
        if not span:
            continue
        start = datetime.datetime.combine(day, span[0], tzinfo=tz)
        end = datetime.datetime.combine(day, span[1], tzinfo=tz)
        if offset == 0 and start <= local < end:
            return now
        if local < start:
            return start
    return None


@dataclass(frozen=True)
class Unavailable:
    person: object
    moment: datetime.datetime


@dataclass(frozen=True)
class AvailabilityNotice:
    """What a writer sees before sending: who reads later, and the administration's phone."""

    unavailable: list
    phone: str

    @property
    def show(self):
        return bool(self.unavailable)


def staff_recipients(child):
    return audience.staff_of_group(child.group).order_by("full_name")


def availability_notice(child, *, now=None) -> AvailabilityNotice:
    """Shown to a parent when none of the child's group staff reads messages right now."""
    now = now or timezone.now()
    school = child.group.school
    people = list(staff_recipients(child))
    hours = staff_hours_of(people, school)
    unavailable = []
    for person in people:
        moment = next_reading_moment(hours[person.pk], school, now)
        if moment == now:
            return AvailabilityNotice(unavailable=[], phone=school.administration_phone)
        if moment is not None:
            unavailable.append(Unavailable(person=person, moment=moment.astimezone(school.tz)))
    return AvailabilityNotice(unavailable=unavailable, phone=school.administration_phone)


def send_later_moment(user, child, *, now=None) -> datetime.datetime | None:
    """For staff writing outside their own hours: the next moment of their working hours."""
    now = now or timezone.now()
    school = child.group.school
    moment = next_reading_moment(staff_hours(user, school), school, now)
    if moment is None or moment == now:
        return None
    return moment.astimezone(school.tz)


# --- Coach --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoachRow:
    child: Child
    last_personal: datetime.datetime | None
    overdue: bool


def coach_rows(user, *, now=None) -> list[CoachRow]:
    """Per child of the staff member's groups: the last message from school in the current
    year's kindgesprek, and whether it is older than a week (or there is none)."""
    now = now or timezone.now()
    last = (
        Message.objects.filter(
            thread__child=OuterRef("pk"),
            thread__school_year=OuterRef("group__school_year"),
            author_side=Side.STAFF,
            sent_at__lte=now,
        )
        .order_by()
        .values("thread__child")
        .annotate(last=Max("sent_at"))
        .values("last")
    )
    children = (
        Child.objects.filter(
            group_id__in=_staffed_group_ids(user), group__school__personal_message_coach=True
        )
        .select_related("group__school")
        .annotate(last_personal=Subquery(last))
        .order_by("group__grade", "group__name", "first_name", "last_name")
    )
    since = now - datetime.timedelta(days=COACH_DAYS)
    return [
        CoachRow(
            child=child,
            last_personal=child.last_personal,
            overdue=child.last_personal is None or child.last_personal < since,
        )
        for child in children
    ]


def staff_schools(user):
    """Schools where the user works in groups: where they have reading hours."""
    return School.objects.filter(
        staff__user=user,
        staff__role__in=StaffMembership.GROUP_ROLES,
        staff__user__is_active=True,
    ).order_by("name")


def api_threads(user, *, now=None) -> QuerySet[Thread]:
    """Every thread the user takes part in, with latest activity and their unread count."""
    now = now or timezone.now()
    sent = Message.objects.filter(thread=OuterRef("pk"), sent_at__lte=now)
    unread = (
        _unread_for(user, now=now)
        .filter(thread=OuterRef("pk"))
        .exclude(author_side=OuterRef("my_side"))
        .order_by()
        .values("thread")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        visible_threads(user)
        .annotate(
            my_side=Case(
                When(_as_guardian(user), then=Value(Side.PARENT)),
                default=Value(Side.STAFF),
                output_field=CharField(),
            )
        )
        .annotate(
            last_at=Subquery(sent.order_by("-sent_at", "-id").values("sent_at")[:1]),
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
        )
    )
