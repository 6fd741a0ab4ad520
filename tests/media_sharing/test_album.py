"""The album page and the staff actions on it, through the real URLs."""

import pytest
from django.urls import reverse

from media_sharing.models import MediaItem, MediaTag

from .conftest import jpeg_bytes, upload

NOTICE = "blijven binnen de omgeving van de school"


def album_url(group):
    return reverse("media_sharing:album", args=[group.pk])


def test_a_parent_sees_the_groups_photos_with_the_notice(personas, login, make_item, all_consent):
    personas.school.allow_photo_download = False
    personas.school.save()
    item = make_item(tags=[personas.child_a, personas.child_a2])
    other = make_item(group=personas.group_b)
    response = login(personas.parent_a).get(album_url(personas.group_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("media_sharing:file", args=[item.pk, "thumbnail"]) in html
    assert reverse("media_sharing:file", args=[other.pk, "thumbnail"]) not in html
    assert NOTICE in html
    assert "Downloaden voor eigen gebruik" not in html
    assert "data-media-upload" not in html
    assert "Kinderen op deze foto" not in html


def test_download_link_only_where_the_school_allows_it(personas, login, make_item):
    personas.school.allow_photo_download = True
    personas.school.save()
    item = make_item()
    html = login(personas.parent_a).get(album_url(personas.group_a)).content.decode()
    assert reverse("media_sharing:file", args=[item.pk, "download"]) in html


@pytest.mark.parametrize("who", ["parent_b", "outsider", "other_admin", "blocked_parent_a"])
def test_someone_elses_album_is_404_like_a_missing_one(personas, login, who):
    client = login(getattr(personas, who))
    assert client.get(album_url(personas.group_a)).status_code == 404
    assert client.get(reverse("media_sharing:album", args=[99999])).status_code == 404


def test_staff_see_the_no_photos_marker_and_withdrawn_photos_marked(
    personas, login, make_item, consent
):
    p = personas
    consent(p.parent_a, p.child_a)
    make_item(tags=[p.child_a2])  # Mila has no consent: hidden for families
    html = login(p.teacher_a).get(album_url(p.group_a)).content.decode()
    assert "Verborgen: toestemming ingetrokken" in html
    assert html.count("geen foto's</span>") == 1
    assert "data-media-upload" in html
    assert "Verborgen" not in login(p.parent_a).get(album_url(p.group_a)).content.decode()


def test_the_album_pages_newest_first(personas, login, make_item):
    items = [make_item() for _ in range(30)]
    client = login(personas.parent_a)
    first = client.get(album_url(personas.group_a)).content.decode()
    assert f'id="media-{items[-1].pk}"' in first
    assert f'id="media-{items[0].pk}"' not in first
    second = client.get(album_url(personas.group_a) + "?page=2").content.decode()
    assert f'id="media-{items[0].pk}"' in second


@pytest.mark.parametrize("who", ["parent_a", "teacher_a"])
def test_the_album_takes_a_fixed_number_of_queries(
    personas, login, make_item, all_consent, django_assert_num_queries, who
):
    p = personas
    client = login(getattr(p, who))
    make_item(tags=[p.child_a, p.child_a2])
    client.get(album_url(p.group_a))  # the session and the navigation's badge are warm

    def count(expected):
        with django_assert_num_queries(expected):
            response = client.get(album_url(p.group_a))
        assert response.status_code == 200
        return response.content.decode().count('class="media-card')

    expected = {"parent_a": 10, "teacher_a": 13}[who]
    assert count(expected) == 1
    for _ in range(30):
        make_item(tags=[p.child_a, p.child_a2])
        make_item()
    assert count(expected) == 24


# --- Staff actions -----------------------------------------------------------------------


def test_a_teacher_uploads_and_is_told_which_files_were_refused(
    personas, login, django_capture_on_commit_callbacks
):
    client = login(personas.teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("media_sharing:upload", args=[personas.group_a.pk]),
            {
                "files": [
                    upload("good.jpg", jpeg_bytes()),
                    upload("<img src=x onerror=alert(1)>.jpg", b"<html>"),
                ]
            },
            follow=True,
        )
    html = response.content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;.jpg: dit is geen leesbare foto" in html
    assert "<img src=x" not in html
    [item] = MediaItem.objects.all()
    assert item.state == MediaItem.State.READY
    assert item.published_at is None


@pytest.mark.parametrize("who", ["parent_a", "outsider", "admin", "direction"])
def test_only_the_groups_staff_upload_tag_publish_and_remove(personas, login, make_item, who):
    item = make_item(published=False)
    client = login(getattr(personas, who))
    group = personas.group_a.pk
    assert (
        client.post(
            reverse("media_sharing:upload", args=[group]), {"files": [upload("a.jpg", b"x")]}
        ).status_code
        == 404
    )
    assert client.post(reverse("media_sharing:publish", args=[group])).status_code == 404
    tags = reverse("media_sharing:tags", args=[item.pk])
    assert client.post(tags, {"children": [personas.child_a.pk]}).status_code == 404
    assert client.post(reverse("media_sharing:delete", args=[item.pk])).status_code == 404
    assert MediaItem.objects.count() == 1
    assert not MediaTag.objects.exists()
    item.refresh_from_db()
    assert item.published_at is None


def test_a_teacher_tags_is_blocked_untags_and_publishes(personas, login, make_item, consent):
    p = personas
    consent(p.parent_a, p.child_a)
    consent(p.separated_parent_a, p.child_a)
    item = make_item(published=False, tags=())
    client = login(p.teacher_a)
    tagged = client.post(
        reverse("media_sharing:tags", args=[item.pk]),
        {"children": [p.child_a.pk, p.child_a2.pk]},
        follow=True,
    )
    # Told at once, while tagging, not only when publishing.
    assert "Geen toestemming om Mila" in tagged.content.decode()
    response = client.post(reverse("media_sharing:publish", args=[p.group_a.pk]), follow=True)
    assert "Geen toestemming om Mila" in response.content.decode()
    item.refresh_from_db()
    assert item.published_at is None
    client.post(reverse("media_sharing:tags", args=[item.pk]), {"children": [p.child_a.pk]})
    response = client.post(reverse("media_sharing:publish", args=[p.group_a.pk]), follow=True)
    assert "Gepubliceerd voor de gezinnen van deze groep." in response.content.decode()
    item.refresh_from_db()
    assert item.published_at is not None


def test_a_teacher_removes_a_photo(personas, login, make_item):
    item = make_item()
    response = login(personas.teacher_a).post(reverse("media_sharing:delete", args=[item.pk]))
    assert response.status_code == 302
    assert not MediaItem.objects.exists()


def test_get_is_not_allowed_on_actions(personas, login):
    client = login(personas.teacher_a)
    assert (
        client.get(reverse("media_sharing:publish", args=[personas.group_a.pk])).status_code == 405
    )


def test_the_upload_script_gets_the_albums_address(personas, login):
    response = login(personas.teacher_a).post(
        reverse("media_sharing:upload", args=[personas.group_a.pk]),
        {"files": [upload("a.jpg", jpeg_bytes())]},
        headers={"X-Media-Upload": "1"},
    )
    assert response.json() == {
        "redirect": reverse("media_sharing:album", args=[personas.group_a.pk])
    }


def test_publishing_in_the_album_shares_only_ones_own_drafts(personas, login, make_item):
    mine = make_item(published=False)
    colleagues = make_item(published=False, uploaded_by=personas.assistant_a)
    login(personas.teacher_a).post(reverse("media_sharing:publish", args=[personas.group_a.pk]))
    mine.refresh_from_db()
    colleagues.refresh_from_db()
    assert mine.published_at is not None
    assert colleagues.published_at is None
