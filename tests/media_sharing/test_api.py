"""The media API under /api/v1/media/: the same access decisions as the pages."""

import pytest
from django.urls import reverse

from media_sharing.models import MediaItem, MediaTag

from .conftest import jpeg_bytes, upload


def test_list_shows_only_what_the_user_may_see(personas, login, make_item, all_consent):
    mine = make_item(tags=[personas.child_a])
    make_item(group=personas.group_b)
    response = login(personas.parent_a).get(reverse("api-media-list"))
    assert response.status_code == 200
    [row] = response.json()["results"] if "results" in response.json() else response.json()
    assert row["id"] == mine.pk
    assert row["files"]["thumbnail"] == reverse("media_sharing:file", args=[mine.pk, "thumbnail"])
    assert row["consent_hidden"] is False


def test_list_by_group_is_404_for_someone_elses_group(personas, login):
    client = login(personas.parent_b)
    url = reverse("api-media-list") + f"?group={personas.group_a.pk}"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["parent_b", "outsider", "other_admin"])
def test_detail_is_404_for_outsiders(personas, login, make_item, who):
    item = make_item()
    response = login(getattr(personas, who)).get(reverse("api-media-detail", args=[item.pk]))
    assert response.status_code == 404


def test_detail_is_404_for_parents_after_a_withdrawal(
    personas, login, make_item, all_consent, consent
):
    item = make_item(tags=[personas.child_a])
    client = login(personas.parent_a)
    url = reverse("api-media-detail", args=[item.pk])
    assert client.get(url).status_code == 200
    consent(personas.separated_parent_a, personas.child_a, "refused")
    assert client.get(url).status_code == 404
    staff = login(personas.teacher_a).get(url)
    assert staff.json()["consent_hidden"] is True


def test_anonymous_requests_are_refused(client, make_item):
    assert client.get(reverse("api-media-list")).status_code in (401, 403)


def test_a_teacher_uploads_tags_and_publishes(personas, login, consent, committed):
    p = personas
    client = login(p.teacher_a)
    response = committed(
        client.post,
        path=reverse("api-media-upload"),
        data={
            "group": p.group_a.pk,
            "files": [upload("a.jpg", jpeg_bytes()), upload("x.jpg", b"%PDF-1.4")],
        },
    )
    assert response.status_code == 201
    body = response.json()
    [item] = body["items"]
    assert body["rejections"] == [
        {"name": "x.jpg", "reason": "dit is geen leesbare foto (JPEG, PNG of WebP)."}
    ]
    tags = reverse("api-media-tags", args=[item["id"]])
    blocked = client.put(
        tags, {"children": [p.child_a.pk], "publish": True}, content_type="application/json"
    )
    assert blocked.status_code == 400
    assert "Daan" in str(blocked.json())
    assert MediaItem.objects.get().published_at is None
    consent(p.parent_a, p.child_a)
    consent(p.separated_parent_a, p.child_a)
    p.school.allow_portrait_photos = True
    p.school.save()
    done = client.put(
        tags, {"children": [p.child_a.pk], "publish": True}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["published_at"] is not None


@pytest.mark.parametrize("who", ["parent_a", "admin", "outsider"])
def test_wrong_roles_cannot_upload_to_a_group_or_tag(personas, login, make_item, who):
    client = login(getattr(personas, who))
    response = client.post(
        reverse("api-media-upload"),
        {"group": personas.group_a.pk, "files": [upload("a.jpg", jpeg_bytes())]},
    )
    assert response.status_code == 404
    item = make_item()
    response = client.put(
        reverse("api-media-tags", args=[item.pk]),
        {"children": [personas.child_a.pk]},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert MediaItem.objects.count() == 1
    assert not MediaTag.objects.exists()


def test_a_parent_uploads_to_their_childs_kindgesprek(personas, login, committed):
    client = login(personas.parent_a)
    response = committed(
        client.post,
        path=reverse("api-media-upload"),
        data={"child": personas.child_a.pk, "files": [upload("weekend.jpg", jpeg_bytes())]},
    )
    assert response.status_code == 201
    assert MediaItem.objects.get().child == personas.child_a
    other = login(personas.parent_b).post(
        reverse("api-media-upload"),
        {"child": personas.child_a.pk, "files": [upload("w.jpg", jpeg_bytes())]},
    )
    assert other.status_code == 404


def test_the_schema_describes_the_media_endpoints(personas, login):
    schema = login(personas.teacher_a).get(reverse("api-schema")).content.decode()
    assert "/api/v1/media/upload/" in schema
    assert "Upload photos and videos" in schema


@pytest.mark.parametrize("target", [{}, {"group": 1, "child": 1}])
def test_an_upload_names_exactly_one_group_or_child(personas, login, target):
    response = login(personas.teacher_a).post(
        reverse("api-media-upload"), {**target, "files": [upload("a.jpg", jpeg_bytes())]}
    )
    assert response.status_code == 400
    assert response.json()["group"] == [
        "Geef een groep of een kind op, niet allebei en niet geen van beide."
    ]
    assert not MediaItem.objects.exists()


def test_the_schema_describes_uploads_as_files():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    files = schema["components"]["schemas"]["MediaUploadRequest"]["properties"]["files"]
    assert files["items"] == {"type": "string", "format": "binary"}
