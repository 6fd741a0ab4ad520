"""Photos and videos shared with a group (feed, album) or with one child's kindgesprek.

Who may see an item is decided in selectors.py only: the audience (a group, or one child's
guardians plus that child's group staff) AND the current consent of every tagged child.
Files are stored under random keys; the uploader's file name is never kept.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Child, Group, School


def new_storage_key() -> str:
    return secrets.token_urlsafe(24)


def storage_name(extension: str) -> str:
    """A fresh, non-guessable storage name; each variant gets its own."""
    key = new_storage_key()
    return f"media/{key[:2]}/{key}.{extension}"


class MediaItem(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        VIDEO = "video", _("Video")

    class State(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        REJECTED = "rejected", _("Rejected")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="media_items", verbose_name=_("school")
    )
    # SET_NULL: erasing a staff account must not erase what the school shared.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="media_items",
        verbose_name=_("uploaded by"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    # The audience: exactly one of a group (feed, album) or a child (kindgesprek).
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="media_items",
        verbose_name=_("group"),
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="media_items",
        verbose_name=_("child"),
    )
    purpose_code = models.SlugField(_("consent purpose"), max_length=32, default="group")
    original = models.CharField(_("stored original"), max_length=200, unique=True)
    display = models.CharField(_("stored display size"), max_length=200, blank=True)
    thumbnail = models.CharField(_("stored thumbnail"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=32)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State, default=State.PROCESSING, db_index=True
    )
    confirmed_no_recognisable_children = models.BooleanField(
        _("no recognisable children"), default=False
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("photo or video")
        verbose_name_plural = _("photos and videos")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                "group", models.F("created_at").desc(), models.F("id").desc(), name="media_album"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(group__isnull=False, child__isnull=True)
                    | Q(group__isnull=True, child__isnull=False)
                ),
                name="media_item_one_audience",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_photo(self):
        return self.kind == self.Kind.PHOTO

    @property
    def is_ready(self):
        return self.state == self.State.READY

    @property
    def audience_group_id(self):
        return self.group_id if self.group_id else self.child.group_id

    def stored_names(self) -> list[str]:
        return [name for name in (self.original, self.display, self.thumbnail) if name]


class MediaTag(models.Model):
    """A child staff recognised in a photo; the photo needs that child's consent."""

    item = models.ForeignKey(
        MediaItem, on_delete=models.CASCADE, related_name="tags", verbose_name=_("photo")
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="media_tags", verbose_name=_("child")
    )

    class Meta:
        verbose_name = _("tagged child")
        verbose_name_plural = _("tagged children")
        constraints = [
            models.UniqueConstraint(fields=["item", "child"], name="media_tag_once"),
        ]

    def __str__(self):
        return f"{self.child} in {self.item_id}"
