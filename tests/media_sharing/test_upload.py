"""The upload pipeline: checked by content, re-encoded without metadata, variants later."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from media_sharing import services
from media_sharing.models import MediaItem

from .conftest import bomb_png, jpeg_bytes, png_bytes, stored_files, upload


@pytest.fixture
def run(personas, committed):
    def _run(*files):
        return committed(
            services.media_upload, actor=personas.teacher_a, group=personas.group_a, files=files
        )

    return _run


@pytest.fixture
def rejected_only(run, media_root, no_temp):
    def _rejected_only(name, data):
        result = run(upload(name, data))
        assert result.items == []
        assert MediaItem.objects.count() == 0
        assert stored_files(media_root) == []
        assert list(no_temp.iterdir()) == []
        [rejection] = result.rejections
        return rejection

    return _rejected_only


def test_jpeg_is_stored_under_a_random_key_and_gets_variants(personas, media_root, run):
    result = run(upload("Holiday.JPG", jpeg_bytes(size=(2400, 1800))))
    [item] = result.items
    item.refresh_from_db()
    # Celery runs eagerly in tests: the variants were made after commit, by the task.
    assert item.state == MediaItem.State.READY
    assert item.kind == MediaItem.Kind.PHOTO
    assert "Holiday" not in item.original
    assert item.original.startswith("media/")
    assert item.original.endswith(".jpg")
    assert len({item.original, item.display, item.thumbnail}) == 3
    with Image.open(media_root / item.display) as display:
        assert display.size == (2048, 1536)  # at most DISPLAY_MAX on the long side
    with Image.open(media_root / item.thumbnail) as thumb:
        assert max(thumb.size) == services.THUMBNAIL_SIZE


@pytest.mark.parametrize(
    ("original", "display"),
    [
        ((4000, 3000), (2000, 1500)),  # a phone photo: the decoder's half size, as it is
        ((3024, 4032), (1512, 2016)),  # upright, 4032 wide sensors
        ((6000, 4000), (1500, 1000)),  # a quarter still has 1280 on the long side
        ((2400, 1800), (2048, 1536)),  # no reduction by half fits: at most 2048
        ((1000, 800), (1000, 800)),  # small photos keep their size
    ],
)
def test_display_sizes_follow_the_decoders_own_scaling(original, display):
    data = jpeg_bytes(size=original)
    for use_draft in (True, False):
        rendered, thumbnail, extension = services.variants_render(data, use_draft=use_draft)
        with Image.open(io.BytesIO(rendered)) as image:
            assert image.size == display
        with Image.open(io.BytesIO(thumbnail)) as image:
            assert max(image.size) == min(services.THUMBNAIL_SIZE, max(display))
        assert extension == "jpg"


def test_the_item_is_processing_until_the_task_ran(personas, settings, monkeypatch, run):
    scheduled = []
    monkeypatch.setattr(services, "_schedule_variants", scheduled.extend)
    [item] = run(upload("a.jpg", jpeg_bytes())).items
    item.refresh_from_db()
    assert item.state == MediaItem.State.PROCESSING
    assert item.display == ""
    services.media_make_variants(item_id=item.pk)
    services.media_make_variants(item_id=item.pk)  # a retry changes nothing
    item.refresh_from_db()
    assert item.state == MediaItem.State.READY
    assert scheduled == [item.pk]


def test_gps_and_orientation_are_gone_and_the_photo_is_upright(personas, media_root, run):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F] = "SpyCam"
    exif[0xA431] = "SERIAL-123"  # camera serial number
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (4.0, 53.0, 0.0)})
    raw = jpeg_bytes(size=(80, 40), exif=exif.tobytes())
    with Image.open(io.BytesIO(raw)) as check:
        assert check.getexif().get_ifd(0x8825)  # the test file really carries GPS
    [item] = run(upload("gps.jpg", raw)).items
    stored = (media_root / item.original).read_bytes()
    assert b"Exif" not in stored
    assert b"SpyCam" not in stored
    assert b"SERIAL-123" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert image.size == (40, 80)  # upright: width and height swapped
        assert (item.width, item.height) == (40, 80)


def test_png_with_html_appended_is_stored_without_it(personas, media_root, run):
    data = png_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    [item] = run(upload("drawing.png", data)).items
    stored = (media_root / item.original).read_bytes()
    assert b"<html" not in stored
    assert b"script" not in stored
    assert item.content_type == "image/jpeg"


def test_transparent_png_becomes_webp(personas, media_root, run):
    data = png_bytes(mode="RGBA", color=(10, 20, 30, 0))
    [item] = run(upload("logo.png", data)).items
    assert item.content_type == "image/webp"
    with Image.open(media_root / item.original) as image:
        assert image.format == "WEBP"


def tiff_bytes():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="TIFF")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(tiff_bytes(), id="tiff"),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', id="svg"
        ),
        pytest.param(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", id="pdf"),
        pytest.param(b"<!doctype html><html><script>alert(1)</script></html>", id="html"),
    ],
)
def test_a_jpg_that_is_something_else_is_refused(
    personas, media_root, no_temp, data, rejected_only
):
    rejection = rejected_only("x.jpg", data)
    assert rejection.name == "x.jpg"
    assert "geen leesbare foto" in rejection.reason


def test_a_small_file_declaring_a_huge_image_fails_fast(
    personas, media_root, no_temp, rejected_only
):
    data = bomb_png()
    assert len(data) <= 25 * 1024
    rejection = rejected_only("bomb.png", data)
    assert rejection.name == "bomb.png"
    assert "meer dan 40 megapixel" in rejection.reason


def test_pillows_own_bomb_guard_gives_the_same_message(
    personas, media_root, no_temp, settings, rejected_only
):
    # Even if our own check were bypassed, Pillow's warning counts as a refusal.
    settings.MEDIA_MAX_PIXELS = 10**12
    rejection = rejected_only("bomb.png", bomb_png())
    assert "megapixel" in rejection.reason


def test_a_truncated_jpeg_is_refused(personas, media_root, no_temp, rejected_only):
    data = jpeg_bytes(size=(400, 300))
    rejection = rejected_only("half.jpg", data[: len(data) // 2])
    assert rejection.name == "half.jpg"
    assert "geen leesbare foto" in rejection.reason


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\windows\\evil.jpg", "evil.jpg"),
        ("<script>alert(1)</script>.jpg", "script>.jpg"),
        ("<img src=x onerror=alert(1)>.jpg", "<img src=x onerror=alert(1)>.jpg"),
    ],
)
def test_hostile_file_names_are_never_used_for_storage(
    personas, media_root, no_temp, name, shown, rejected_only, run
):
    [item] = run(upload(name, jpeg_bytes())).items
    assert item.original.startswith("media/")
    assert ".." not in item.original
    assert "script" not in item.original
    for path in stored_files(media_root):
        assert path.is_relative_to(media_root / "media")
    MediaItem.objects.all().delete()
    for path in stored_files(media_root):
        path.unlink()
    rejection = rejected_only(name, b"not an image")
    assert rejection.name == shown


def test_twenty_one_files_when_twenty_are_allowed(personas, media_root, no_temp, run):
    files = [upload(f"p{i}.jpg", jpeg_bytes()) for i in range(21)]
    with pytest.raises(ValidationError) as error:
        run(*files)
    assert "maximaal 20 bestanden" in str(error.value)
    assert MediaItem.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_file_over_the_byte_limit(personas, media_root, no_temp, settings, rejected_only):
    settings.MEDIA_MAX_PHOTO_BYTES = 1024 * 1024
    big = jpeg_bytes(size=(1600, 1600), quality=100)
    big += b"\x00" * (settings.MEDIA_MAX_PHOTO_BYTES + 1 - len(big))
    rejection = rejected_only("big.jpg", big)
    assert rejection.reason == "het bestand is groter dan 1 MB."


def test_the_rest_of_the_post_is_kept_and_the_post_limit_holds(personas, media_root, settings, run):
    small = jpeg_bytes()
    settings.MEDIA_MAX_UPLOAD_BYTES = 2 * len(small) + 10
    result = run(
        upload("one.jpg", small),
        upload("bad.jpg", b"<html>"),
        upload("two.jpg", small),
        upload("three.jpg", small),
    )
    assert len(result.items) == 2
    assert [(r.name, r.reason) for r in result.rejections] == [
        ("bad.jpg", "dit is geen leesbare foto (JPEG, PNG of WebP)."),
        ("three.jpg", "samen zijn de bestanden groter dan 0 MB."),
    ]
    assert len(stored_files(media_root)) == 2 * 3  # originals, display sizes, thumbnails


def test_videos_are_recognised_by_content_and_stored_as_uploaded(
    personas, media_root, settings, run
):
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    webm = b"\x1a\x45\xdf\xa3" + b"\x00" * 100
    mov = b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 100
    result = run(upload("a.mp4", mp4), upload("b.bin", webm), upload("c.mov", mov))
    assert [i.content_type for i in result.items] == ["video/mp4", "video/webm", "video/quicktime"]
    assert all(i.state == MediaItem.State.READY and i.kind == "video" for i in result.items)
    assert (media_root / result.items[0].original).read_bytes() == mp4
    settings.MEDIA_MAX_VIDEO_BYTES = 50
    [rejection] = run(upload("long.mp4", mp4)).rejections
    assert rejection.reason == "het bestand is groter dan 0 MB."


def test_only_staff_of_the_group_upload_to_it(personas):
    for person in (personas.parent_a, personas.outsider, personas.admin):
        with pytest.raises(PermissionDenied):
            services.media_upload(
                actor=person, group=personas.group_a, files=[upload("a.jpg", jpeg_bytes())]
            )
    with pytest.raises(PermissionDenied):
        services.media_upload(
            actor=personas.teacher_a, group=personas.group_b, files=[upload("a.jpg", jpeg_bytes())]
        )


def test_parents_add_photos_to_their_own_childs_kindgesprek(personas):
    result = services.media_upload(
        actor=personas.parent_a, child=personas.child_a, files=[upload("w.jpg", jpeg_bytes())]
    )
    assert result.items[0].child == personas.child_a
    with pytest.raises(PermissionDenied):
        services.media_upload(
            actor=personas.parent_b, child=personas.child_a, files=[upload("w.jpg", jpeg_bytes())]
        )
