"""The limits of one post hold over several uploads: staff upload to the group's album as
drafts and share them together, so an upload counts the uploader's drafts waiting there, and
a post checks the photos and videos chosen for it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from media_sharing import services
from media_sharing.models import MediaItem
from messaging import services as feed_services
from messaging.models import Post

from .conftest import jpeg_bytes, stored_files, upload

MB = 1024 * 1024


@pytest.fixture
def limits(settings):
    """A post of at most 4 files and 1 MB, so the tests stay small."""
    settings.MEDIA_MAX_FILES = 4
    settings.MEDIA_MAX_UPLOAD_BYTES = MB
    return settings


@pytest.fixture
def drafts(personas, make_item):
    """`drafts(n)`: n unpublished photos of the teacher in group 5a."""

    def _drafts(count, **fields):
        return [make_item(published=False, **fields) for _ in range(count)]

    return _drafts


@pytest.fixture
def run(personas, committed):
    def _run(*files, actor=None, **target):
        target = target or {"group": personas.group_a}
        return committed(
            services.media_upload, actor=actor or personas.teacher_a, files=files, **target
        )

    return _run


def photos(count):
    return [upload(f"p{n}.jpg", jpeg_bytes()) for n in range(count)]


def test_an_upload_counts_the_drafts_already_waiting(
    personas, limits, drafts, media_root, no_temp, run
):
    drafts(2)
    with pytest.raises(ValidationError) as error:
        run(*photos(3))
    assert error.value.message_dict == {
        "files": [
            "Dit bericht heeft al 2 foto's en video's klaarstaan; voeg er nog maximaal 2 toe."
        ]
    }
    assert MediaItem.objects.count() == 2
    assert stored_files(media_root) == []
    assert list(no_temp.iterdir()) == []
    # Exactly up to the limit is fine.
    assert len(run(*photos(2)).items) == 2


def test_the_message_for_one_waiting_and_for_a_full_post(personas, limits, drafts, run):
    drafts(1)
    with pytest.raises(ValidationError, match="al 1 foto of video klaarstaan; voeg er nog"):
        run(*photos(4))
    drafts(3)
    with pytest.raises(ValidationError) as error:
        run(*photos(1))
    [message] = error.value.messages
    assert message.startswith("Dit bericht heeft al 4 foto's en video's klaarstaan, het maximum")
    assert MediaItem.objects.count() == 4


def test_the_english_message_says_how_many_more(personas, limits, drafts, run, settings):
    from django.utils import translation

    drafts(2)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        run(*photos(3))
    assert error.value.messages == [
        "This post already has 2 photos and videos waiting; add at most 2 more."
    ]


def test_only_ones_own_drafts_in_that_group_count(personas, limits, drafts, make_item, run):
    p = personas
    drafts(1, uploaded_by=p.assistant_a)  # a colleague's, for their own post
    drafts(1, group=p.group_b)  # another group's
    make_item()  # already shared
    drafts(1, state=MediaItem.State.REJECTED)  # could not be processed: not in a post
    assert len(run(*photos(4)).items) == 4


def test_kindgesprek_photos_are_limited_per_message(personas, limits, drafts, run):
    drafts(4)
    assert len(run(*photos(4), child=personas.child_a).items) == 4
    with pytest.raises(ValidationError, match="maximaal 4 bestanden tegelijk"):
        run(*photos(5), child=personas.child_a)


def test_the_bytes_of_the_drafts_count_too(personas, limits, drafts, media_root, run):
    drafts(1, size=MB - 100)
    result = run(upload("big.jpg", jpeg_bytes()))
    assert result.items == []
    [rejection] = result.rejections
    assert (rejection.name, rejection.reason) == (
        "big.jpg",
        "samen met de 1 foto of video die al klaarstaat voor dit bericht, zijn de bestanden "
        "groter dan 1 MB.",
    )
    assert MediaItem.objects.count() == 1
    assert stored_files(media_root) == []


# --- Through the real URLs --------------------------------------------------------------


def test_the_album_upload_refuses_and_says_how_many_more(
    personas, login, limits, drafts, media_root, no_temp, committed
):
    # Every upload is written to a temporary file, to show none is left behind.
    limits.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    drafts(3)
    response = committed(
        login(personas.teacher_a).post,
        path=reverse("media_sharing:upload", args=[personas.group_a.pk]),
        data={"files": photos(2)},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Dit bericht heeft al 3 foto&#x27;s en video&#x27;s klaarstaan; voeg er nog maximaal 1 toe."
        in html
    )
    assert "maximaal 4 per bericht" in html
    assert MediaItem.objects.count() == 3
    assert stored_files(media_root) == []
    assert list(no_temp.iterdir()) == []


def test_the_api_upload_refuses_with_a_400(personas, login, limits, drafts, media_root, committed):
    drafts(3)
    response = committed(
        login(personas.teacher_a).post,
        path=reverse("api-media-upload"),
        data={"group": personas.group_a.pk, "files": photos(2)},
    )
    assert response.status_code == 400
    assert response.json() == {
        "files": [
            "Dit bericht heeft al 3 foto's en video's klaarstaan; voeg er nog maximaal 1 toe."
        ]
    }
    assert MediaItem.objects.count() == 3
    assert stored_files(media_root) == []


# --- A post with chosen photos and videos -----------------------------------------------


def publish(personas, items):
    return feed_services.post_publish(
        actor=personas.teacher_a,
        school=personas.school,
        title="Het bos",
        body="Foto's van de excursie.",
        group_ids=[personas.group_a.pk],
        media_ids=[item.pk for item in items],
    )


def test_a_post_with_more_photos_than_allowed_is_refused(personas, settings, drafts):
    # Drafts made before a lower limit, or a post to several groups, can add up to more.
    items = drafts(5)
    settings.MEDIA_MAX_FILES = 4
    with pytest.raises(ValidationError) as error:
        publish(personas, items)
    assert error.value.message_dict == {
        "media": ["Een bericht kan maximaal 4 foto's en video's bevatten; u koos er 5."]
    }
    assert not Post.objects.exists()
    assert not MediaItem.objects.filter(published_at__isnull=False).exists()
    assert publish(personas, items[:4]).media_links.count() == 4


def test_a_post_whose_photos_are_too_large_together_is_refused(personas, limits, drafts):
    items = drafts(2, size=MB // 2 + 1)
    with pytest.raises(ValidationError) as error:
        publish(personas, items)
    assert error.value.message_dict == {
        "media": [
            "Samen zijn de gekozen foto's en video's groter dan 1 MB, het maximum voor één bericht."
        ]
    }
    assert not Post.objects.exists()
    assert not MediaItem.objects.filter(published_at__isnull=False).exists()


def test_the_post_form_shows_the_limit_on_the_photos(personas, login, settings, drafts):
    items = drafts(3)
    settings.MEDIA_MAX_FILES = 2
    response = login(personas.teacher_a).post(
        reverse("messaging:post-create"),
        {
            "title": "Het bos",
            "body": "Kijk maar!",
            "groups": [personas.group_a.pk],
            "allow_reactions": "on",
            "media": [item.pk for item in items],
            "action": "publish",
        },
    )
    assert response.status_code == 200
    assert "Een bericht kan maximaal 2 foto&#x27;s en video&#x27;s bevatten; u koos er 3." in (
        response.content.decode()
    )
    assert not Post.objects.exists()
