"""Writes for shared media: upload (check, re-encode, store), variants, tags, publishing.

Photos are recognised by their content, never by their name: Pillow may only try the
JPEG, PNG and WebP decoders (HEIC too when a HEIF plugin happens to be installed), the
pixel count is checked before decoding, and every accepted photo is decoded, turned upright
and re-encoded from its pixels alone, so no EXIF, GPS, XMP or appended bytes survive.
"""

import io
import math
import unicodedata
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from groups import selectors as audience
from groups.models import Child, Group
from privacy import selectors as privacy

from . import selectors
from .models import MediaItem, MediaTag, storage_name

# The display variant's long side: between these, chosen by display_size().
DISPLAY_MIN = 1280
DISPLAY_MAX = 2048
THUMBNAIL_SIZE = 400

# Pillow's own guard warns above MAX_IMAGE_PIXELS and refuses above twice that; ours is
# lower, and the warning is turned into a refusal below.
Image.MAX_IMAGE_PIXELS = settings.MEDIA_MAX_PIXELS

Image.init()
#: Decoders Pillow may try on an upload; nothing else (no TIFF, PDF, SVG, PSD...).
PHOTO_FORMATS = ["JPEG", "PNG", "WEBP"] + (["HEIF"] if "HEIF" in Image.OPEN else [])
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
}
MB = 1024 * 1024


@dataclass
class Rejection:
    name: str
    reason: str

    def __str__(self):
        return _("%(name)s: %(reason)s") % {"name": self.name, "reason": self.reason}


@dataclass
class UploadResult:
    items: list = field(default_factory=list)
    rejections: list = field(default_factory=list)


class _Rejected(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def display_name(raw) -> str:
    """The uploader's file name, only for messages: the last path part, no control
    characters, at most 80 characters. It is never used to store anything."""
    name = str(raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:80] or _("(unnamed file)")


def _sniff_video(head: bytes) -> str | None:
    """The video type from the first bytes: ISO media (MP4, QuickTime) or Matroska/WebM."""
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "video/quicktime" if brand == b"qt  " else "video/mp4"
    return None


def _clean_photo(data: bytes) -> tuple[bytes, str, int, int]:
    """Decode, turn upright, re-encode without metadata. Returns (bytes, type, w, h)."""
    max_pixels = settings.MEDIA_MAX_PIXELS
    too_large = _("the photo has more than %(mp)s megapixels.") % {"mp": max_pixels // 1_000_000}
    unreadable = _("this is not a readable photo (JPEG, PNG or WebP).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as probe:
                # The header is read, the pixels are not: refuse bombs before decoding.
                if probe.width * probe.height > max_pixels:
                    raise _Rejected(too_large)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
                    upright.mode == "P" and "transparency" in upright.info
                )
                pixels = upright.convert("RGBA" if has_alpha else "RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _Rejected(too_large) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _Rejected(unreadable) from None
    # A fresh image from the pixels alone: no EXIF, ICC, XMP, text chunks or trailing data.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="WEBP", quality=90, method=4)
        content_type = "image/webp"
    else:
        clean.save(out, format="JPEG", quality=88, optimize=True)
        content_type = "image/jpeg"
    return out.getvalue(), content_type, clean.width, clean.height


def _check_file(upload, *, remaining: int, waiting: int = 0):
    """(kind, content_type, payload, width, height); raise _Rejected with the reason.
    `remaining` is what is left of the post's byte limit, after `waiting` drafts."""
    size = upload.size or 0
    head = upload.read(16)
    upload.seek(0)
    video_type = _sniff_video(head)
    limit = settings.MEDIA_MAX_VIDEO_BYTES if video_type else settings.MEDIA_MAX_PHOTO_BYTES
    if size > limit:
        raise _Rejected(_("the file is larger than %(mb)s MB.") % {"mb": limit // MB})
    if size > remaining:
        mb = settings.MEDIA_MAX_UPLOAD_BYTES // MB
        if waiting:
            raise _Rejected(
                ngettext(
                    "together with the %(count)s photo or video waiting for this post, the "
                    "files are larger than %(mb)s MB.",
                    "together with the %(count)s photos and videos waiting for this post, the "
                    "files are larger than %(mb)s MB.",
                    waiting,
                )
                % {"count": waiting, "mb": mb}
            )
        raise _Rejected(_("together the files are larger than %(mb)s MB.") % {"mb": mb})
    if video_type:
        return MediaItem.Kind.VIDEO, video_type, upload, None, None
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _Rejected(_("the file is larger than %(mb)s MB.") % {"mb": limit // MB})
    payload, content_type, width, height = _clean_photo(data)
    return MediaItem.Kind.PHOTO, content_type, payload, width, height


def _audience_for_upload(actor, *, group, child) -> tuple[Group | None, Child | None]:
    """Staff upload to their own group; staff and the child's guardians to a child."""
    if (group is None) == (child is None):
        raise ValueError("Give exactly one of group or child.")
    if group is not None:
        if not audience.is_group_staff(actor, group):
            raise PermissionDenied
        return group, None
    is_guardian = audience.children_of_guardian(actor).filter(pk=child.pk).exists()
    if not (is_guardian or audience.is_group_staff(actor, child.group)):
        raise PermissionDenied
    return None, child


def _check_file_count(count: int, *, waiting: int) -> None:
    """Refuse the whole request when it would take the post over MEDIA_MAX_FILES."""
    max_files = settings.MEDIA_MAX_FILES
    if waiting + count <= max_files:
        return
    if not waiting:
        message = ngettext(
            "Add at most %(max)s file at once; you chose %(count)s.",
            "Add at most %(max)s files at once; you chose %(count)s.",
            max_files,
        ) % {"max": max_files, "count": count}
    elif waiting < max_files:
        message = ngettext(
            "This post already has %(count)s photo or video waiting; add at most %(more)s more.",
            "This post already has %(count)s photos and videos waiting; add at most %(more)s more.",
            waiting,
        ) % {"count": waiting, "more": max_files - waiting}
    else:
        message = ngettext(
            "This post already has %(count)s photo or video waiting, as many as a post can "
            "hold. Publish it or put it in a post before adding more.",
            "This post already has %(count)s photos and videos waiting, as many as a post can "
            "hold. Publish them or put them in a post before adding more.",
            waiting,
        ) % {"count": waiting}
    raise ValidationError({"files": message})


def media_post_limits_check(items) -> None:
    """A post (or one publication in the album) holds at most MEDIA_MAX_FILES photos and
    videos of at most MEDIA_MAX_UPLOAD_BYTES together; raise ValidationError otherwise."""
    items = list(items)
    max_files, max_bytes = settings.MEDIA_MAX_FILES, settings.MEDIA_MAX_UPLOAD_BYTES
    errors = []
    if len(items) > max_files:
        errors.append(
            ngettext(
                "A post can hold at most %(max)s photo or video; you chose %(count)s.",
                "A post can hold at most %(max)s photos and videos; you chose %(count)s.",
                max_files,
            )
            % {"max": max_files, "count": len(items)}
        )
    if sum(item.size for item in items) > max_bytes:
        errors.append(
            _(
                "Together the chosen photos and videos are larger than %(mb)s MB, the most a "
                "post can hold."
            )
            % {"mb": max_bytes // MB}
        )
    if errors:
        raise ValidationError(errors)


def media_upload(*, actor, files, group=None, child=None, purpose_code=privacy.PHOTO_PURPOSE):
    """Check and store uploaded files for a group or for one child's kindgesprek.

    Each file is accepted or rejected on its own (the rest is kept); a rejected file leaves
    nothing behind. Too many files for the post (counting the drafts waiting in the group)
    refuse the whole request before any file is read. Accepted items start as "processing":
    their display and thumbnail variants are made by a Celery task after commit, never in
    the request."""
    group, child = _audience_for_upload(actor, group=group, child=child)
    files = list(files)
    if not files:
        raise ValidationError({"files": _("Choose at least one photo or video.")})
    # A group upload adds to the uploader's drafts there, which go out together in one post
    # (or one publication in the album): the post's limits count them too. A kindgesprek
    # upload belongs to one message and is limited per request.
    waiting, waiting_bytes = (0, 0) if group is None else selectors.draft_totals(actor, group)
    _check_file_count(len(files), waiting=waiting)
    school = (group or child).school
    result = UploadResult()
    remaining = settings.MEDIA_MAX_UPLOAD_BYTES - waiting_bytes
    stored = []
    try:
        for upload in files:
            name = display_name(getattr(upload, "name", ""))
            try:
                kind, content_type, payload, width, height = _check_file(
                    upload, remaining=remaining, waiting=waiting
                )
            except _Rejected as rejected:
                result.rejections.append(Rejection(name=name, reason=rejected.reason))
                continue
            if isinstance(payload, bytes):
                payload = ContentFile(payload)
            saved = default_storage.save(storage_name(EXTENSIONS[content_type]), payload)
            stored.append(saved)
            remaining -= upload.size
            result.items.append(
                MediaItem(
                    school=school,
                    uploaded_by=actor,
                    kind=kind,
                    group=group,
                    child=child,
                    purpose_code=purpose_code,
                    original=saved,
                    content_type=content_type,
                    size=payload.size,
                    width=width,
                    height=height,
                    # Videos are stored as uploaded; no converter makes a poster frame here.
                    state=(
                        MediaItem.State.READY
                        if kind == MediaItem.Kind.VIDEO
                        else MediaItem.State.PROCESSING
                    ),
                )
            )
        with transaction.atomic():
            result.items = MediaItem.objects.bulk_create(result.items)
            photo_ids = [item.pk for item in result.items if item.is_photo]
            transaction.on_commit(lambda: _schedule_variants(photo_ids))
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return result


def _schedule_variants(item_ids):
    from .tasks import make_variants  # tasks import this module

    for item_id in item_ids:
        make_variants.delay(item_id)


def _encoded(image: Image.Image) -> bytes:
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, format="WEBP", quality=82, method=4)
    else:
        image.save(out, format="JPEG", quality=82)
    return out.getvalue()


def _decoder_scale(width: int, height: int) -> int:
    """The largest reduction a JPEG decoder makes while decoding (1/2, 1/4, 1/8) that keeps
    DISPLAY_MIN on the long side; 1 for none."""
    scale = 1
    for candidate in (2, 4, 8):
        if max(width, height) / candidate >= DISPLAY_MIN:
            scale = candidate
    return scale


def display_size(width: int, height: int) -> tuple[int, int]:
    """The display variant's size: the decoder's reduction (see _decoder_scale), unless that
    is still above DISPLAY_MAX; then DISPLAY_MAX on the long side."""
    scale = _decoder_scale(width, height)
    # The decoder rounds up, as here.
    size = (math.ceil(width / scale), math.ceil(height / scale))
    if max(size) > DISPLAY_MAX:
        factor = DISPLAY_MAX / max(size)
        size = (max(1, round(size[0] * factor)), max(1, round(size[1] * factor)))
    return size


def variants_render(data: bytes, *, use_draft: bool = True) -> tuple[bytes, bytes, str]:
    """(display, thumbnail, extension) of a stored, already cleaned original.

    For JPEG, `draft` lets the decoder scale by 1/2, 1/4 or 1/8 while decoding, which is
    what keeps a 12-megapixel photo fast and small in memory (bench/media_variants.py). The
    display size is chosen so that this scaling is usually the whole reduction: a phone
    photo (4000x3000) is decoded straight to its display size (2000x1500), with no
    resampling pass after it. `use_draft=False` makes the same sizes from a full decode."""
    with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
        target = display_size(*image.size)
        if use_draft and image.format == "JPEG":
            # Draft picks the largest reduction that keeps the size asked for: ask for the
            # rounded-down size, as the decoder's own rounding up may not divide evenly.
            scale = _decoder_scale(*image.size)
            image.draft("RGB", (image.width // scale, image.height // scale))
        image.load()
        if image.size != target:
            # Resized in place: no second full-size copy of the pixels.
            image.thumbnail(target, Image.Resampling.LANCZOS, reducing_gap=2.0)
        width, height = image.size
        scale = min(1, THUMBNAIL_SIZE / max(width, height))
        # Box-reduce by an integer factor first, then LANCZOS over the last 2x: the same look
        # at a third of the cost of LANCZOS over the whole step. Everything happens inside
        # `with`, as closing the image frees its pixels: no copies.
        thumbnail = image.resize(
            (max(1, round(width * scale)), max(1, round(height * scale))),
            Image.Resampling.LANCZOS,
            reducing_gap=2.0,
        )
        extension = "webp" if image.mode == "RGBA" else "jpg"
        return _encoded(image), _encoded(thumbnail), extension


def media_make_variants(*, item_id: int) -> None:
    """Make the display and thumbnail of a photo. Idempotent: a ready photo is left alone."""
    item = MediaItem.objects.filter(pk=item_id, kind=MediaItem.Kind.PHOTO).first()
    if item is None or item.state != MediaItem.State.PROCESSING:
        return
    with default_storage.open(item.original, "rb") as original:
        data = original.read()
    try:
        display, thumbnail, extension = variants_render(data)
    except (OSError, ValueError, Image.DecompressionBombError):
        MediaItem.objects.filter(pk=item.pk).update(state=MediaItem.State.REJECTED)
        return
    display_file = default_storage.save(storage_name(extension), ContentFile(display))
    thumbnail_name = default_storage.save(storage_name(extension), ContentFile(thumbnail))
    updated = MediaItem.objects.filter(pk=item.pk, state=MediaItem.State.PROCESSING).update(
        display=display_file, thumbnail=thumbnail_name, state=MediaItem.State.READY
    )
    if not updated:
        # Another run finished first; keep its files, drop ours.
        default_storage.delete(display_file)
        default_storage.delete(thumbnail_name)


# --- Tags and the consent gate ------------------------------------------------------------


def _require_item_staff(actor, item: MediaItem) -> None:
    group = item.group or item.child.group
    if not audience.is_group_staff(actor, group):
        raise PermissionDenied


def media_tags_set(
    *, actor, item: MediaItem, child_ids, confirmed_no_recognisable_children: bool = False
) -> MediaItem:
    """Replace a photo's tags with children of its audience group. A published photo stays
    published only if the new tags pass the gate."""
    _require_item_staff(actor, item)
    group_id = item.group_id or item.child.group_id
    child_ids = {int(pk) for pk in child_ids}
    children = list(Child.objects.filter(pk__in=child_ids, group_id=group_id))
    if len(children) != len(child_ids):
        raise ValidationError({"children": _("Tag only children of this group.")})
    item.confirmed_no_recognisable_children = bool(confirmed_no_recognisable_children) and (
        not children
    )
    if item.published_at is not None:
        errors = selectors.gate_errors(item, children)
        if errors:
            raise ValidationError({"children": errors})
    with transaction.atomic():
        item.save(update_fields=["confirmed_no_recognisable_children"])
        MediaTag.objects.filter(item=item).exclude(child_id__in=child_ids).delete()
        existing = set(MediaTag.objects.filter(item=item).values_list("child_id", flat=True))
        MediaTag.objects.bulk_create(
            [MediaTag(item=item, child=c) for c in children if c.pk not in existing]
        )
    return item


def _require_publisher(actor, item: MediaItem) -> None:
    """Staff of the audience group publish; a guardian publishes their own upload to their
    child's kindgesprek (the weekend photo)."""
    if (
        item.child_id
        and item.uploaded_by_id == actor.pk
        and audience.children_of_guardian(actor).filter(pk=item.child_id).exists()
    ):
        return
    _require_item_staff(actor, item)


def media_publish(*, actor, items, at=None) -> list[MediaItem]:
    """Share photos and videos with their audience, now or from `at` (a scheduled post).
    All or nothing: any photo that fails the gate stops the whole publication, with a
    message per photo."""
    items = list(items)
    for item in items:
        _require_publisher(actor, item)
    errors = []
    for position, item in enumerate(items, start=1):
        if item.state == MediaItem.State.REJECTED:
            errors.append(_("Photo %(n)s could not be processed; remove it.") % {"n": position})
            continue
        children = [tag.child for tag in item.tags.select_related("child")]
        for message in selectors.gate_errors(item, children):
            errors.append(_("Photo %(n)s: %(message)s") % {"n": position, "message": message})
    if errors:
        raise ValidationError({"items": errors})
    moment = at or timezone.now()
    MediaItem.objects.filter(pk__in=[i.pk for i in items], published_at__isnull=True).update(
        published_at=moment
    )
    for item in items:
        item.published_at = item.published_at or moment
    return items


def media_delete(*, actor, item: MediaItem) -> None:
    """Remove a photo or video and, after commit, its files: its uploader, the staff of its
    group, or the school's administration."""
    if item.uploaded_by_id != actor.pk and not audience.is_school_administration(
        actor, item.school
    ):
        _require_item_staff(actor, item)
    names = item.stored_names()
    with transaction.atomic():
        item.delete()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


# --- After a consent withdrawal -----------------------------------------------------------


def consent_withdrawal_schedule(*, child_id: int, purpose_code: str) -> None:
    """Called after a refusal is committed to the consent ledger."""
    from .tasks import notify_hidden_media  # tasks import this module

    notify_hidden_media.delay(child_id, purpose_code)


def notify_hidden_media(*, child_id: int, purpose_code: str) -> int:
    """Tell the staff of each group whose shared photos a withdrawal now hides. Returns the
    number of e-mails sent. The e-mail links to the album; it never embeds a photo."""
    # The shared photos first: most refusals (a registration form, a child never in a
    # photo) hide nothing, and then the ledger need not be asked at all.
    hidden = list(
        MediaItem.objects.filter(
            tags__child_id=child_id, purpose_code=purpose_code, published_at__isnull=False
        )
        .exclude(group__isnull=True)
        .values_list("group_id", flat=True)
    )
    if not hidden:
        return 0
    child = Child.objects.select_related("school").filter(pk=child_id).first()
    if child is None or privacy.child_may_be_shown(child, purpose_code):
        return 0
    per_group = {}
    for group_id in hidden:
        per_group[group_id] = per_group.get(group_id, 0) + 1
    sent = 0
    for group in Group.objects.filter(pk__in=per_group).select_related("school"):
        url = settings.SITE_URL.rstrip("/") + reverse("media_sharing:album", args=[group.pk])
        for person in audience.staff_of_group(group).distinct():
            with translation.override(person.preferred_language):
                context = {
                    "recipient": person,
                    "group": group,
                    "count": per_group[group.pk],
                    "url": url,
                }
                subject = _("Photos of %(group)s are hidden from families") % {"group": group.name}
                text = render_to_string("media_sharing/email/hidden.txt", context)
            send_mail(subject, text, None, [person.email])
            sent += 1
    return sent


# --- Privacy: export, erasure, retention (registered with privacy.hooks) -------------------


def _delete_with_files(items) -> int:
    names = [name for item in items for name in item.stored_names()]
    count = len(items)
    MediaItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return count


def export_for_user(user) -> list[dict]:
    """What the person uploaded: when, to which audience, and its state. No file contents
    and nothing about who is tagged in it (other children)."""
    return [
        {
            "id": item.pk,
            "kind": item.kind,
            "audience": item.group.name if item.group_id else item.child.first_name,
            "uploaded_at": item.created_at.isoformat(),
            "published_at": item.published_at.isoformat() if item.published_at else None,
        }
        for item in MediaItem.objects.filter(uploaded_by=user)
        .select_related("group", "child")
        .order_by("created_at", "pk")
    ]


def erase_uploads_of(user) -> None:
    """Remove the person's uploads (files after commit), except group photos already shared
    by the school, which stay as the school's posts do."""
    items = list(
        MediaItem.objects.filter(uploaded_by=user).exclude(
            group__isnull=False, published_at__isnull=False
        )
    )
    _delete_with_files(items)


def purge_before(school, cutoff) -> int:
    """The school's photos and videos uploaded before `cutoff` (its retention period)."""
    return _delete_with_files(list(MediaItem.objects.filter(school=school, created_at__lt=cutoff)))
