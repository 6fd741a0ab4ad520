"""Group feed posts, their audience, read receipts, comments, reports and attachments.

Media (photos, video) from the media issue attach to a `Post` by foreign key, like
`PostAttachment`; the Friday digest reads posts per week through `publish_at`.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Group, School

TITLE_MAX = 150
BODY_MAX = 10_000
COMMENT_MAX = 1_000
REASON_MAX = 500


class Post(models.Model):
    """A message to the families of one or more groups, or to every group of a school."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="posts", verbose_name=_("school")
    )
    # SET_NULL: erasing a staff account must not erase what the school told its families.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="posts",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    groups = models.ManyToManyField(
        Group, through="PostAudience", related_name="posts", verbose_name=_("groups")
    )
    is_school_wide = models.BooleanField(_("for the whole school"), default=False)
    allow_reactions = models.BooleanField(_("parents may react"), default=True)
    publish_at = models.DateTimeField(_("published at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-publish_at", "-id"]
        indexes = [
            # The feed's keyset: newest first, id breaks ties between equal moments.
            models.Index(
                models.F("publish_at").desc(), models.F("id").desc(), name="messaging_post_keyset"
            ),
            models.Index(
                "school",
                models.F("publish_at").desc(),
                name="messaging_post_school_time",
                condition=Q(is_school_wide=True),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def published(self):
        return self.publish_at <= timezone.now()

    @property
    def hidden(self):
        return self.hidden_at is not None


class PostAudience(models.Model):
    """One group a post is for. Written in bulk, one row per group, never per family."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="audience")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="post_audience")

    class Meta:
        verbose_name = _("post audience")
        verbose_name_plural = _("post audiences")
        constraints = [
            models.UniqueConstraint(fields=["post", "group"], name="messaging_audience_unique"),
        ]
        indexes = [models.Index(fields=["group", "post"], name="messaging_audience_group")]

    def __str__(self):
        return f"{self.post_id} → {self.group_id}"


class PostRead(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_reads"
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="messaging_read_unique"),
        ]

    def __str__(self):
        return f"{self.user_id} read {self.post_id}"


class Comment(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="comments", verbose_name=_("post")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="post_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"], name="messaging_comment_post")]

    def __str__(self):
        return self.body[:50]


class Report(models.Model):
    """A person in the audience flags a post or a comment for the group's staff and direction."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Content hidden")
        DISMISSED = "dismissed", _("Dismissed")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="post_reports",
        verbose_name=_("reported by"),
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.OPEN)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(post__isnull=False, comment__isnull=True)
                    | Q(post__isnull=True, comment__isnull=False)
                ),
                name="messaging_report_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(post__isnull=False),
                name="messaging_report_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="messaging_report_once_per_comment",
            ),
        ]

    def __str__(self):
        return f"{self.get_state_display()}: {self.reason[:40]}"

    @property
    def target_post(self):
        return self.post if self.post_id else self.comment.post


def attachment_key(instance, filename):
    # The stored name is random: a leaked path reveals nothing and cannot be guessed.
    return f"messaging/attachments/{secrets.token_urlsafe(24)}"


class PostAttachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_key, max_length=200)
    display_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.display_name


from .digest.models import *  # noqa: E402, F403 -- digest and newsletter models live in their sub-package
from .kindgesprek.models import *  # noqa: E402, F403 -- kindgesprek models live in their sub-package


class PostMedia(models.Model):
    """A photo or video shown in a post. The item keeps its own audience and consent gate
    (media_sharing): the feed shows it only to those media_sharing says may see it now."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="media_links", verbose_name=_("post")
    )
    item = models.OneToOneField(
        "media_sharing.MediaItem",
        on_delete=models.CASCADE,
        related_name="post_link",
        verbose_name=_("photo or video"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("photo or video in a post")
        verbose_name_plural = _("photos and videos in posts")
        ordering = ["post", "position", "id"]

    def __str__(self):
        return f"{self.item_id} in {self.post_id}"
