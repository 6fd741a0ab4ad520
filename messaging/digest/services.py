"""Scheduled communication: the tick, the digest run, unsubscribing, the newsletter.

Everything the tick starts is idempotent by data: a mail run is unique per kind and period
key (school + ISO week, school + month), a newsletter leaves "scheduled" with a conditional
UPDATE, reminders are unique per group, person and week. A double tick or a manual rerun
finds what exists and adds nothing.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as accounts_services
from groups import selectors as audience
from groups.models import School, StaffMembership
from mailings import services as mailings
from mailings.models import MailRun

from .. import services as feed
from . import periods, selectors
from .formatting import as_text, sanitize
from .models import NEWSLETTER_BODY_MAX, NEWSLETTER_TITLE_MAX, CadenceReminder, Newsletter

User = get_user_model()
logger = logging.getLogger(__name__)

DIGEST = "digest"
NEWSLETTER = "newsletter"
CADENCE = "cadence"
POST = "post"

# Posts published longer ago than this are not mailed "at once" any more (a tick missed
# for hours, or the first tick after deploying).
INSTANT_LOOKBACK = datetime.timedelta(hours=1)

PDF_MAX_BYTES = 10 * 1024 * 1024


# --- unsubscribe --------------------------------------------------------------------------


def unsubscribe_token(user) -> str:
    # The address is signed too: a link forwarded before an address change stops working.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=selectors.UNSUBSCRIBE_SALT)


def digest_unsubscribe(*, token: str):
    """Switch the digest off for the person the link was made for (no login: one click from
    the mail). Raises signing.BadSignature for tampered or expired links."""
    user = selectors.unsubscribe_user(token)
    if user.digest_enabled:
        accounts_services.user_update_preferences(actor=user, digest_enabled=False)
    return user


# --- the tick -----------------------------------------------------------------------------


def schedule_tick(*, now=None) -> dict[str, list]:
    """Every few minutes: start what each school's policy makes due now, in its time zone."""
    now = now or timezone.now()
    started = {DIGEST: [], NEWSLETTER: [], CADENCE: [], POST: []}
    for school in School.objects.order_by("pk"):
        moment = periods.weekly_moment(school, now, school.digest_weekday, school.digest_time)
        if moment is not None and digest_run_start(school=school, moment=moment):
            started[DIGEST].append(school.pk)
        moment = periods.weekly_moment(
            school, now, school.group_message_weekday, school.reminder_time
        )
        if moment is not None and cadence_run_start(school=school, now=now):
            started[CADENCE].append(school.pk)
    started[POST] = posts_notify_due(now=now)
    for newsletter in Newsletter.objects.filter(
        state=Newsletter.State.SCHEDULED, publish_at__lte=now
    ).select_related("school"):
        try:
            if newsletter_publish(newsletter=newsletter, now=now):
                started[NEWSLETTER].append(newsletter.pk)
        except (ValidationError, OSError):
            # It stays scheduled (the transaction rolled back) and is tried at the next tick;
            # the other schools' work goes on. OSError: its PDF could not be read.
            logger.exception("newsletter %s could not be published", newsletter.pk)
    return started


def digest_run_args(*, school, moment) -> dict:
    """What mailings needs to open this week's digest run of the school."""
    local_day = moment.astimezone(school.tz).date()
    since, until = periods.digest_window(school, moment)
    return {
        "kind": DIGEST,
        "period_key": periods.week_key(school, local_day),
        "school": school,
        "recipient_ids": selectors.digest_recipient_ids(school),
        "payload": {
            "week": periods.iso_week(local_day),
            "since": since.isoformat(),
            "until": until.isoformat(),
        },
    }


def digest_run_start(*, school, moment) -> MailRun | None:
    """Open this week's digest run of the school and send it, once; None when it exists."""
    key = periods.week_key(school, moment.astimezone(school.tz).date())
    if MailRun.objects.filter(kind=DIGEST, period_key=key).exists():
        return None
    return mailings.mail_run_start(**digest_run_args(school=school, moment=moment))


# --- new posts, for parents who want them at once -------------------------------------


def posts_notify_due(*, now) -> list[int]:
    """Posts that became visible since the last ticks, scheduled ones included, mailed to the
    parents who chose "an e-mail at once"; once per post (its run's period key). Newsletters
    are left out: they are mailed to everyone anyway."""
    posts = list(
        selectors.newly_published_posts(since=now - INSTANT_LOOKBACK, until=now).select_related(
            "school"
        )
    )
    done = set(
        MailRun.objects.filter(
            kind=POST, period_key__in=[str(post.pk) for post in posts]
        ).values_list("period_key", flat=True)
    )
    started = []
    for post in posts:
        if str(post.pk) in done:
            continue
        mailings.mail_run_start(
            kind=POST,
            period_key=str(post.pk),
            school=post.school,
            recipient_ids=selectors.instant_post_recipient_ids(post),
            payload={"post": post.pk},
        )
        started.append(post.pk)
    return started


# --- cadence reminders -------------------------------------------------------------------


def cadence_run_start(*, school, now) -> MailRun | None:
    """On the group-message day: remind the staff of each group without a group post this
    week, in the app and by mail. Once per school per week; None when already done."""
    local_day = now.astimezone(school.tz).date()
    key = periods.week_key(school, local_day)
    if MailRun.objects.filter(kind=CADENCE, period_key=key).exists():
        return None
    week = periods.iso_week(local_day)
    pairs = selectors.quiet_group_staff(school, since=periods.week_start(school, now), until=now)
    CadenceReminder.objects.bulk_create(
        [
            CadenceReminder(school=school, group_id=group_id, user_id=user_id, week=week)
            for user_id, group_id in pairs
        ],
        ignore_conflicts=True,
    )
    return mailings.mail_run_start(
        kind=CADENCE,
        period_key=key,
        school=school,
        recipient_ids={user_id for user_id, _group_id in pairs},
        payload={"week": week, "since": periods.week_start(school, now).isoformat()},
    )


# --- the newsletter -----------------------------------------------------------------------


def _clean_newsletter(title, body, attachment):
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the newsletter a title.")
    elif len(title) > NEWSLETTER_TITLE_MAX:
        errors["title"] = _("The title is too long.")
    clean = sanitize(body)
    if not as_text(clean):
        errors["body"] = _("Write the text of the newsletter.")
    elif len(body or "") > NEWSLETTER_BODY_MAX:
        errors["body"] = _("The text is too long.")
    if attachment is not None:
        if attachment.size > PDF_MAX_BYTES:
            errors["attachment"] = _("The PDF is larger than 10 MB.")
        else:
            attachment.seek(0)
            is_pdf = attachment.read(5) == b"%PDF-"
            attachment.seek(0)
            if not is_pdf:
                errors["attachment"] = _("The attachment must be a PDF file.")
    if errors:
        raise ValidationError(errors)
    return title, clean


def _display_name(name: str) -> str:
    # Only the last path component, as a label: it never becomes a storage path.
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "newsletter.pdf"


def _clean_month(school, month: datetime.date, now, *, exclude=None) -> datetime.date:
    month = month.replace(day=1)
    if periods.newsletter_moment(school, month) <= now:
        raise ValidationError(
            {"month": _("This month's newsletter day has passed; choose a later month.")}
        )
    others = Newsletter.objects.filter(school=school, month=month)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"month": _("There is already a newsletter for this month.")})
    return month


def _require_administration(actor, school):
    if not audience.is_school_administration(actor, school):
        raise ValidationError(_("Only the school's administration writes the newsletter."))


@transaction.atomic
def newsletter_create(*, actor, school, title, body, month, attachment=None, now=None):
    now = now or timezone.now()
    _require_administration(actor, school)
    title, clean = _clean_newsletter(title, body, attachment)
    month = _clean_month(school, month, now)
    newsletter = Newsletter(school=school, author=actor, title=title, body=clean, month=month)
    if attachment is not None:
        newsletter.attachment = attachment
        newsletter.attachment_name = _display_name(attachment.name)
    newsletter.save()
    return newsletter


@transaction.atomic
def newsletter_update(
    *, actor, newsletter, title, body, month, attachment=None, remove_attachment=False, now=None
):
    """Change a draft. Scheduled ones go back to draft first; sent ones never change."""
    now = now or timezone.now()
    _require_administration(actor, newsletter.school)
    if not newsletter.editable:
        raise ValidationError(_("Only a draft can be changed. A correction is a new message."))
    title, clean = _clean_newsletter(title, body, attachment)
    month = _clean_month(newsletter.school, month, now, exclude=newsletter)
    newsletter.title, newsletter.body, newsletter.month = title, clean, month
    if attachment is not None:
        newsletter.attachment = attachment
        newsletter.attachment_name = _display_name(attachment.name)
    elif remove_attachment:
        newsletter.attachment = ""
        newsletter.attachment_name = ""
    newsletter.save()
    return newsletter


def newsletter_schedule(*, actor, newsletter, now=None) -> Newsletter:
    """Schedule a draft for its month's newsletter day."""
    now = now or timezone.now()
    _require_administration(actor, newsletter.school)
    moment = periods.newsletter_moment(newsletter.school, newsletter.month)
    if moment <= now:
        raise ValidationError(
            _("This month's newsletter day has passed; choose a later month first.")
        )
    changed = Newsletter.objects.filter(pk=newsletter.pk, state=Newsletter.State.DRAFT).update(
        state=Newsletter.State.SCHEDULED, publish_at=moment
    )
    if not changed:
        raise ValidationError(_("Only a draft can be scheduled."))
    newsletter.refresh_from_db()
    return newsletter


def newsletter_unschedule(*, actor, newsletter) -> Newsletter:
    """Back to draft, for changes, as long as it has not gone out."""
    _require_administration(actor, newsletter.school)
    changed = Newsletter.objects.filter(pk=newsletter.pk, state=Newsletter.State.SCHEDULED).update(
        state=Newsletter.State.DRAFT, publish_at=None
    )
    if not changed:
        raise ValidationError(_("This newsletter has already been sent."))
    newsletter.refresh_from_db()
    return newsletter


def _publisher(newsletter):
    """Who the feed post is from: the author, or another of the school's administration when
    the author has left."""
    school = newsletter.school
    if newsletter.author and audience.is_school_administration(newsletter.author, school):
        return newsletter.author
    return (
        User.objects.filter(
            is_active=True,
            staff_memberships__school=school,
            staff_memberships__role=StaffMembership.Role.ADMINISTRATION,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def newsletter_publish(*, newsletter, now=None) -> bool:
    """Send a scheduled newsletter: once, whoever ticks. The conditional UPDATE decides which
    tick does it; the mail run's unique key (school + month) makes a rerun find the same run.
    It becomes a school-wide post in every group's feed and a mail to every parent who
    receives communication."""
    now = now or timezone.now()
    changed = Newsletter.objects.filter(pk=newsletter.pk, state=Newsletter.State.SCHEDULED).update(
        state=Newsletter.State.SENT, published_at=now
    )
    if not changed:
        return False
    newsletter.refresh_from_db()
    school = newsletter.school
    publisher = _publisher(newsletter)
    if publisher is None:
        raise ValidationError(_("The school has no administration to publish the newsletter."))
    attachments = []
    if newsletter.attachment:
        attachments = [File(newsletter.attachment.open("rb"), name=newsletter.attachment_name)]
    post = feed.post_publish(
        actor=publisher,
        school=school,
        title=newsletter.title,
        body=as_text(newsletter.body),
        school_wide=True,
        allow_reactions=False,
        attachments=attachments,
    )
    Newsletter.objects.filter(pk=newsletter.pk).update(post=post)
    mailings.mail_run_start(
        kind=NEWSLETTER,
        period_key=periods.month_key(school, newsletter.month),
        school=school,
        recipient_ids=selectors.digest_recipient_ids(school),
        payload={"newsletter": newsletter.pk},
    )
    return True
