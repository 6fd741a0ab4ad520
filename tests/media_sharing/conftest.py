import io
import struct
import tempfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from privacy import services as privacy_services
from privacy.models import ConsentPurpose


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files written by these tests land in a temporary folder, never in the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def no_temp(monkeypatch, tmp_path):
    """Point Python's temp folder at an empty one, to prove nothing is left there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), exif=None, quality=90):
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format="JPEG", quality=quality, **kwargs)
    return out.getvalue()


def png_bytes(size=(40, 30), mode="RGB", color=(10, 120, 200)):
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format="PNG")
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width=20000, height=10000, payload=24 * 1024) -> bytes:
    """A small PNG whose header declares a huge image (the pixels are mostly missing)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (payload * 40), 9)[:payload]
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def purposes(personas):
    privacy_services.consent_purposes_ensure(personas.school)
    privacy_services.consent_purposes_ensure(personas.other_school)
    return {p.code: p for p in ConsentPurpose.objects.filter(school=personas.school)}


@pytest.fixture
def consent(personas, purposes):
    """consent(guardian, child, decision) records a guardian's own decision on "group"."""

    def _consent(guardian, child, decision="granted", code="group"):
        purpose = ConsentPurpose.objects.get(school=child.school, code=code)
        return privacy_services.consent_record(
            actor=guardian, child=child, purpose=purpose, decision=decision
        )

    return _consent


@pytest.fixture
def all_consent(personas, consent):
    """Every guardian of the Alpha children grants the group purpose."""
    p = personas
    for guardian, child in [
        (p.parent_a, p.child_a),
        (p.separated_parent_a, p.child_a),
        (p.multi_school_parent, p.child_a2),
        (p.parent_b, p.child_b),
    ]:
        consent(guardian, child)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a call and then its after-commit work (the variants task), as a real commit would."""

    def _committed(function, /, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return _committed


@pytest.fixture
def make_item(personas):
    """A published, processed photo row (files are not needed to test who may see it)."""
    from django.utils import timezone

    from media_sharing.models import MediaItem, MediaTag, new_storage_key

    def _make_item(group=None, child=None, tags=(), published=True, **fields):
        if group is None and child is None:
            group = personas.group_a
        school = (group or child).school
        defaults = {
            "uploaded_by": personas.teacher_a,
            "state": MediaItem.State.READY,
            "confirmed_no_recognisable_children": not tags,
            "size": 100,
        }
        item = MediaItem.objects.create(
            school=school,
            kind=MediaItem.Kind.PHOTO,
            group=group,
            child=child,
            original=f"media/{new_storage_key()}.jpg",
            display=f"media/{new_storage_key()}.jpg",
            thumbnail=f"media/{new_storage_key()}.jpg",
            content_type="image/jpeg",
            published_at=timezone.now() if published else None,
            **(defaults | fields),
        )
        MediaTag.objects.bulk_create([MediaTag(item=item, child=c) for c in tags])
        return item

    return _make_item
