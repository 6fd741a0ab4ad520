"""Private media on S3-compatible storage, against moto's S3 server on loopback: files are
stored under random keys in a private bucket and reached only through short-lived signed
URLs handed out after the access check."""

import urllib.error
import urllib.parse
import urllib.request

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from media_sharing import services

from .conftest import jpeg_bytes, upload

BUCKET = "schoolbrug-media"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture
def s3(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1", **CREDENTIALS)
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "eu-west-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "default_acl": "private",
                "querystring_auth": True,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        }
    }
    settings.MEDIA_SIGNED_URL_SECONDS = 60
    yield endpoint, client
    # moto keeps its buckets per process, not per server: forget them for the next test.
    reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310 -- loopback moto
    urllib.request.urlopen(reset, timeout=10).close()  # noqa: S310 -- loopback moto
    server.stop()


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 -- loopback moto
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, b"", {}


def test_photos_live_in_the_private_bucket_and_are_served_by_signed_url(
    personas, login, committed, all_consent, s3
):
    endpoint, client = s3
    p = personas
    [item] = committed(
        services.media_upload,
        actor=p.teacher_a,
        group=p.group_a,
        files=[upload("../../Holiday.jpg", jpeg_bytes(size=(1800, 900)))],
    ).items
    item.refresh_from_db()
    assert item.state == "ready"
    keys = {entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {item.original, item.display, item.thumbnail}
    assert not any("Holiday" in key for key in keys)
    services.media_tags_set(actor=p.teacher_a, item=item, child_ids=[p.child_a.pk, p.child_a2.pk])
    services.media_publish(actor=p.teacher_a, items=[item])

    # Without a signature the bucket answers 403: nothing is public.
    assert fetch(f"{endpoint}/{BUCKET}/{item.display}")[0] == 403

    response = login(p.parent_a).get(reverse("media_sharing:file", args=[item.pk, "display"]))
    assert response.status_code == 302
    assert "Set-Cookie" not in response.headers
    signed = response["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["60"]
    status, body, headers = fetch(signed)
    assert status == 200
    assert body == client.get_object(Bucket=BUCKET, Key=item.display)["Body"].read()
    assert headers["Content-Type"] == "image/jpeg"
    # S3 answers with these headers; moto ignores the overrides, so check they are signed in.
    assert query["response-content-disposition"] == [f'inline; filename="photo-{item.pk}.jpg"']
    assert query["response-content-type"] == ["image/jpeg"]

    # Outsiders never get a signed URL at all.
    outsider = login(p.parent_b).get(reverse("media_sharing:file", args=[item.pk, "display"]))
    assert outsider.status_code == 404
