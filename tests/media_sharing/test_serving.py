"""Protected serving: every file request checks audience and consent, then streams,
hands over to nginx, or redirects to a short-lived signed S3 URL."""

import pytest
from django.core.checks import Error
from django.urls import reverse

from media_sharing import checks, services

from .conftest import jpeg_bytes, upload

VARIANTS = ["original", "display", "thumbnail", "download"]


@pytest.fixture
def photo(personas, committed, all_consent):
    p = personas
    p.school.allow_photo_download = True
    p.school.save()
    [item] = committed(
        services.media_upload,
        actor=p.teacher_a,
        group=p.group_a,
        files=[upload("class.jpg", jpeg_bytes(size=(2000, 1000)))],
    ).items
    services.media_tags_set(actor=p.teacher_a, item=item, child_ids=[p.child_a.pk, p.child_a2.pk])
    services.media_publish(actor=p.teacher_a, items=[item])
    item.refresh_from_db()
    return item


def url(item, variant):
    return reverse("media_sharing:file", args=[item.pk, variant])


def body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_parent_of_the_group_gets_each_variant(personas, login, photo, media_root, variant):
    client = login(personas.parent_a)
    response = client.get(url(photo, variant))
    assert response.status_code == 200
    name = {"download": photo.original}.get(variant) or getattr(photo, variant)
    assert body(response) == (media_root / name).read_bytes()
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = "attachment" if variant == "download" else "inline"
    assert response["Content-Disposition"] == f'{disposition}; filename="photo-{photo.pk}.jpg"'
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("who", ["parent_b", "outsider", "other_admin", "blocked_parent_a"])
def test_anyone_else_gets_404_like_a_missing_item(personas, login, photo, variant, who):
    client = login(getattr(personas, who))
    assert client.get(url(photo, variant)).status_code == 404
    missing = reverse("media_sharing:file", args=[photo.pk + 1000, variant])
    assert client.get(missing).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, photo):
    response = client.get(url(photo, "display"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_variant_is_404(personas, login, photo):
    assert login(personas.parent_a).get(url(photo, "secret")).status_code == 404


def test_download_only_where_the_school_allows_it(personas, login, photo):
    personas.school.allow_photo_download = False
    personas.school.save()
    client = login(personas.parent_a)
    assert client.get(url(photo, "download")).status_code == 404
    assert client.get(url(photo, "original")).status_code == 404
    assert client.get(url(photo, "display")).status_code == 200
    assert login(personas.teacher_a).get(url(photo, "original")).status_code == 200


def test_after_a_withdrawal_parents_get_404_at_the_next_request(personas, login, photo, consent):
    client = login(personas.parent_a)
    assert client.get(url(photo, "thumbnail")).status_code == 200
    consent(personas.multi_school_parent, personas.child_a2, "refused")
    for variant in VARIANTS:
        assert client.get(url(photo, variant)).status_code == 404
    # Staff of the group still open it (their pages mark it hidden).
    assert login(personas.teacher_a).get(url(photo, "thumbnail")).status_code == 200


def test_accel_mode_hands_the_file_to_nginx(personas, login, photo, settings):
    settings.MEDIA_SERVE_MODE = "accel"
    response = login(personas.parent_a).get(url(photo, "display"))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.display}"
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"


S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": "schoolbrug-media",
        "endpoint_url": "http://127.0.0.1:9",
        "region_name": "eu-west-1",
        "access_key": "test-access",
        "secret_key": "test-secret",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 3600,
        "signature_version": "s3v4",
    },
}


def test_s3_mode_redirects_to_a_short_lived_signed_url(personas, login, photo, settings):
    settings.STORAGES = settings.STORAGES | {"default": S3}
    settings.MEDIA_SIGNED_URL_SECONDS = 60
    response = login(personas.parent_a).get(url(photo, "download"))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"http://127.0.0.1:9/schoolbrug-media/{photo.original}?")
    assert "X-Amz-Signature=" in location
    assert "X-Amz-Expires=60&" in location
    assert "response-content-disposition=attachment" in location
    assert response["Cache-Control"] == "private, no-cache"
    assert "Set-Cookie" not in response.headers


def test_s3_without_signed_urls_refuses_to_start(settings):
    assert checks.media_serving_configuration() == []
    unsigned = {**S3, "OPTIONS": {**S3["OPTIONS"], "querystring_auth": False}}
    settings.STORAGES = settings.STORAGES | {"default": unsigned}
    [error] = checks.media_serving_configuration()
    assert isinstance(error, Error)
    assert error.id == "media_sharing.E002"
    public = {**S3, "OPTIONS": {**S3["OPTIONS"], "custom_domain": "cdn.example.org"}}
    settings.STORAGES = settings.STORAGES | {"default": public}
    assert [e.id for e in checks.media_serving_configuration()] == ["media_sharing.E003"]


def test_an_unknown_serve_mode_refuses_to_start(settings):
    settings.MEDIA_SERVE_MODE = "public"
    assert [e.id for e in checks.media_serving_configuration()] == ["media_sharing.E001"]
