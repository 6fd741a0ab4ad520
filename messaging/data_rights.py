"""The feed's and the kindgesprek's part in privacy's export, erasure and retention.

Registered with privacy.hooks in MessagingConfig.ready(); privacy cannot import messaging
(the layers point one way), so messaging offers these itself.
"""

from django.db import transaction

from groups import selectors as audience

from . import selectors
from .kindgesprek import selectors as kindgesprek_selectors
from .kindgesprek.models import Attachment, Message, Thread
from .models import CadenceReminder, Comment, Newsletter, Post, PostAttachment


def _delete_files_after_commit(names, storage):
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def export_for_user(user) -> dict:
    """Posts the person received, what they wrote, and their children's kindgesprekken."""
    posts = selectors.visible_posts(user).order_by("publish_at").select_related("school")
    comments = Comment.objects.filter(author=user).select_related("post").order_by("created_at")
    threads = kindgesprek_selectors.visible_threads(user).filter(
        child__in=audience.children_of_guardian(user)
    )
    messages = (
        Message.objects.filter(thread__in=threads)
        .select_related("thread__child", "author")
        .order_by("sent_at")
    )
    return {
        "group_posts_received": [
            {
                "school": post.school.name,
                "title": post.title,
                "text": post.body,
                "published_at": post.publish_at.isoformat(),
            }
            for post in posts
        ],
        "comments_written": [
            {"post": comment.post.title, "text": comment.body, "at": comment.created_at.isoformat()}
            for comment in comments
        ],
        "kindgesprek_messages": [
            {
                "child": message.thread.child.first_name,
                "school_year": message.thread.school_year,
                # Staff are named (they write in their role); other parents are not.
                "from": "you"
                if message.author_id == user.pk
                else (message.author.full_name if message.author_side == "staff" else "guardian"),
                "text": message.body,
                "sent_at": message.sent_at.isoformat(),
            }
            for message in messages
        ],
    }


def erase_uploads_of(user) -> None:
    """A deleted parent's own files go; their messages stay, shown as the emptied account."""
    attachments = Attachment.objects.filter(message__author=user)
    if attachments.exists():
        storage = attachments.first().file.storage
        _delete_files_after_commit(list(attachments.values_list("file", flat=True)), storage)
        attachments.delete()


def purge_before(*, school, cutoff) -> int:
    """Group posts and kindgesprek messages of the school from before the retention cutoff."""
    posts = Post.objects.filter(school=school, publish_at__lt=cutoff)
    post_files = PostAttachment.objects.filter(post__in=posts)
    messages = Message.objects.filter(thread__child__school=school, sent_at__lt=cutoff)
    message_files = Attachment.objects.filter(message__in=messages)
    for files in (post_files, message_files):
        if files.exists():
            _delete_files_after_commit(
                list(files.values_list("file", flat=True)), files.first().file.storage
            )
    # delete() counts cascaded rows too; the caller wants posts and messages.
    count = posts.count() + messages.count()
    posts.delete()
    messages.delete()
    Thread.objects.filter(
        child__school=school, created_at__lt=cutoff, messages__isnull=True
    ).delete()
    # Newsletters went out as posts (purged above); their drafts and PDFs go with them. A
    # scheduled one is still to be sent and stays.
    newsletters = Newsletter.objects.filter(school=school, created_at__lt=cutoff).exclude(
        state=Newsletter.State.SCHEDULED
    )
    pdfs = list(newsletters.exclude(attachment="").values_list("attachment", flat=True))
    _delete_files_after_commit(pdfs, Newsletter._meta.get_field("attachment").storage)
    newsletters.delete()
    CadenceReminder.objects.filter(school=school, created_at__lt=cutoff).delete()
    return count
