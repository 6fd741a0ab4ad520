"""The mails of scheduled communication, rendered for mailings' exactly-once sending.

Templates follow a naming convention under messaging/digest/email/: `<kind>_subject.txt`,
`<kind>.txt` and `<kind>.html`. Every mail is rendered in the recipient's language, carries
the school's name as sender name, and links into the app instead of showing photos.
"""

import datetime
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import NotificationMode
from mailings.services import SKIP_NOTHING_NEW, SKIP_OPTED_OUT, register

from ..models import Post
from . import selectors, services
from .formatting import as_html, as_text
from .models import Newsletter

TEMPLATE_DIR = "messaging/digest/email"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def sender(school) -> str:
    return formataddr((school.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def render_mail(kind, *, recipient, school, context, headers=None) -> EmailMultiAlternatives:
    """One mail in the recipient's language, from the templates of `kind`."""
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = {"recipient": recipient, "school": school, **context}
        subject = render_to_string(f"{TEMPLATE_DIR}/{kind}_subject.txt", context)
        text = render_to_string(f"{TEMPLATE_DIR}/{kind}.txt", context)
        html = render_to_string(f"{TEMPLATE_DIR}/{kind}.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), text, sender(school), [recipient.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def unsubscribe_headers(url: str) -> dict[str, str]:
    # RFC 8058: mail programs offer their own "unsubscribe" button and POST to the URL.
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@register(services.NEWSLETTER)
def build_newsletter(run, deliveries):
    newsletter = Newsletter.objects.select_related("school").get(pk=run.payload["newsletter"])
    school = newsletter.school
    context = {
        "newsletter": newsletter,
        "body_html": as_html(newsletter.body),
        "body_text": as_text(newsletter.body),
        "url": absolute(reverse("messaging:post-detail", args=[newsletter.post_id]))
        if newsletter.post_id
        else absolute(reverse("messaging:feed")),
    }
    built = {}
    for delivery in deliveries:
        recipient = delivery.recipient
        if not recipient.is_active:
            built[delivery.pk] = "account deactivated"
            continue
        built[delivery.pk] = render_mail(
            services.NEWSLETTER, recipient=recipient, school=school, context=context
        )
    return built


@register(services.DIGEST)
def build_digest(run, deliveries):
    """The week's digests of a batch of parents (see selectors.digest_batch for the queries)."""
    school = run.school
    since = datetime.datetime.fromisoformat(run.payload["since"])
    until = datetime.datetime.fromisoformat(run.payload["until"])
    wanted = [
        d.recipient_id for d in deliveries if d.recipient.is_active and d.recipient.digest_enabled
    ]
    digests = selectors.digest_batch(school, wanted, since=since, until=until)
    common = {
        "week": run.payload["week"],
        "kindgesprek_url": absolute(reverse("kindgesprek:index")),
        "settings_url": absolute(reverse("preferences")),
    }
    post_urls = {}  # a post is in many parents' digests: reverse its address once
    built = {}
    for delivery in deliveries:
        recipient = delivery.recipient
        if not recipient.is_active:
            built[delivery.pk] = "account deactivated"
            continue
        if not recipient.digest_enabled:
            built[delivery.pk] = SKIP_OPTED_OUT
            continue
        digest = digests[recipient.pk]
        if digest.is_empty:
            built[delivery.pk] = SKIP_NOTHING_NEW
            continue
        for item in digest.items:
            if item.post.pk not in post_urls:
                post_urls[item.post.pk] = absolute(
                    reverse("messaging:post-detail", args=[item.post.pk])
                )
            item.url = post_urls[item.post.pk]
        # The token is signed per person, so its address is built per person.
        url = absolute(reverse("digest:unsubscribe", args=[services.unsubscribe_token(recipient)]))
        built[delivery.pk] = render_mail(
            services.DIGEST,
            recipient=recipient,
            school=school,
            context={**common, "digest": digest, "unsubscribe_url": url},
            headers=unsubscribe_headers(url),
        )
    return built


@register(services.CADENCE)
def build_cadence(run, deliveries):
    """A friendly reminder to staff whose group has no group message yet this week; skipped
    when a colleague posted in the meantime."""
    school = run.school
    groups = selectors.cadence_batch(
        school, run.payload["week"], [d.recipient_id for d in deliveries], now=timezone.now()
    )
    context = {"url": absolute(reverse("messaging:post-create"))}
    built = {}
    for delivery in deliveries:
        recipient = delivery.recipient
        if not recipient.is_active:
            built[delivery.pk] = "account deactivated"
            continue
        mine = sorted(groups.get(recipient.pk, []), key=lambda group: (group.grade, group.name))
        if not mine:
            built[delivery.pk] = "already posted"
            continue
        built[delivery.pk] = render_mail(
            services.CADENCE,
            recipient=recipient,
            school=school,
            context={
                **context,
                "groups": mine,
                "group_names": ", ".join(group.name for group in mine),
            },
        )
    return built


@register(services.POST)
def build_post(run, deliveries):
    """A new post, at once, for parents who asked for that; the text, a link, no photos."""
    post = Post.objects.select_related("school").filter(pk=run.payload["post"]).first()
    if post is None or post.hidden_at is not None:
        return dict.fromkeys((d.pk for d in deliveries), "post removed or hidden")
    context = {
        "post": post,
        "url": absolute(reverse("messaging:post-detail", args=[post.pk])),
        "settings_url": absolute(reverse("preferences")),
    }
    built = {}
    for delivery in deliveries:
        recipient = delivery.recipient
        if not recipient.is_active:
            built[delivery.pk] = "account deactivated"
            continue
        if recipient.post_notifications != NotificationMode.INSTANT:
            built[delivery.pk] = SKIP_OPTED_OUT
            continue
        built[delivery.pk] = render_mail(
            services.POST, recipient=recipient, school=post.school, context=context
        )
    return built
