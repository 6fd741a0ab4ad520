"""Photos in a kindgesprek through the API (/api/v1/kindgesprek/...): the same pipeline as the
page (checked, re-encoded, all or nothing per message) and the same consent check at every
request."""

import pytest
from django.urls import reverse
from PIL import Image

from media_sharing.models import MediaItem
from messaging.models import Message, MessageMedia, Thread

from .conftest import jpeg_bytes, png_bytes, stored_files, upload

UNREADABLE = "dit is geen leesbare foto (JPEG, PNG of WebP)."


def create_url(child):
    return reverse("api-kindgesprek-message-create", args=[child.pk])


def list_url(thread):
    return reverse("api-kindgesprek-message-list", args=[thread.pk])


def gps_jpeg():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (4.0, 53.0, 0.0)})
    return jpeg_bytes(size=(80, 60), exif=exif.tobytes())


@pytest.fixture
def post(committed):
    """POST a message through the API and run its after-commit work (the variants task)."""

    def _post(client, url, body="Ons weekend!", photos=(), **extra):
        return committed(
            client.post, path=url, data={"body": body, "photos": list(photos), **extra}
        )

    return _post


def photos_of(client, thread):
    response = client.get(list_url(thread))
    assert response.status_code == 200
    return {row["body"]: row["photos"] for row in response.json()["results"]}


def test_a_parent_posts_a_photo_through_the_api(personas, login, media_root, post):
    p = personas
    client = login(p.parent_a)
    response = post(client, create_url(p.child_a), photos=[upload("w.jpg", gps_jpeg())])
    assert response.status_code == 201
    [item] = MediaItem.objects.all()
    assert item.child == p.child_a
    assert item.uploaded_by == p.parent_a
    assert item.state == MediaItem.State.READY
    # Re-encoded from its pixels: the camera and the location are gone.
    stored = (media_root / item.original).read_bytes()
    assert b"Exif" not in stored
    assert b"SpyCam" not in stored
    assert MessageMedia.objects.get().message_id == response.json()["id"]
    # The answer was made while the photo was still being processed, which families do not
    # see; from now on it is listed with the message.
    assert response.json()["photos"] == []
    thread = Thread.objects.get(child=p.child_a)
    [photo] = photos_of(client, thread)["Ons weekend!"]
    assert photo["id"] == item.pk
    assert photo["kind"] == "photo"
    assert photo["state"] == "ready"
    assert photo["child"] == p.child_a.pk
    assert photo["consent_hidden"] is False
    assert photo["files"]["display"] == reverse("media_sharing:file", args=[item.pk, "display"])
    # The other guardian and the staff see it in the thread; the file opens for them.
    for person in (p.parent_a, p.separated_parent_a, p.teacher_a):
        other = login(person)
        [listed] = photos_of(other, thread)["Ons weekend!"]
        assert listed["id"] == item.pk, person
        assert other.get(listed["files"]["thumbnail"]).status_code == 200


def test_staff_post_several_photos_in_the_thread(personas, login, post):
    p = personas
    post(login(p.parent_a), create_url(p.child_a), body="Hallo juf")
    thread = Thread.objects.get()
    response = post(
        login(p.teacher_a),
        list_url(thread),
        body="Kijk eens wat Daan bouwde.",
        photos=[upload("a.jpg", jpeg_bytes()), upload("b.png", png_bytes(), "image/png")],
    )
    assert response.status_code == 201
    assert response.json()["author_side"] == "staff"
    # Staff see their photos at once, still being processed.
    assert [photo["state"] for photo in response.json()["photos"]] == ["processing"] * 2
    assert MediaItem.objects.filter(uploaded_by=p.teacher_a, child=p.child_a).count() == 2
    photos = photos_of(login(p.parent_a), thread)
    assert photos["Hallo juf"] == []
    assert len(photos["Kijk eens wat Daan bouwde."]) == 2


def test_a_file_that_is_not_a_photo_refuses_the_whole_message(personas, login, media_root, post):
    p = personas
    response = post(
        login(p.parent_a),
        create_url(p.child_a),
        photos=[upload("ok.jpg", jpeg_bytes()), upload("x.jpg", b"%PDF-1.4 not a photo")],
    )
    assert response.status_code == 400
    assert response.json() == {"photos": [f"x.jpg: {UNREADABLE}"]}
    assert not MediaItem.objects.exists()
    assert not Message.objects.exists()
    assert not Thread.objects.exists()
    assert stored_files(media_root) == []


def test_too_many_photos_are_named_on_the_photos_field(personas, login, settings, post):
    settings.MEDIA_MAX_FILES = 2
    response = post(
        login(personas.parent_a),
        create_url(personas.child_a),
        photos=[upload(f"{n}.jpg", jpeg_bytes()) for n in range(3)],
    )
    assert response.status_code == 400
    assert response.json() == {"photos": ["Voeg maximaal 2 bestanden tegelijk toe; u koos er 3."]}
    assert not Message.objects.exists()
    assert not MediaItem.objects.exists()


@pytest.mark.parametrize("who", ["parent_b", "blocked_parent_a", "admin", "direction", "outsider"])
def test_outsiders_get_404_and_nothing_is_stored(personas, login, media_root, post, who):
    p = personas
    post(login(p.parent_a), create_url(p.child_a), body="Hallo", photos=[])
    thread = Thread.objects.get()
    client = login(getattr(p, who))
    for url in (create_url(p.child_a), list_url(thread)):
        response = post(client, url, photos=[upload("w.jpg", jpeg_bytes())])
        assert response.status_code == 404, url
    assert client.get(list_url(thread)).status_code == 404
    assert Message.objects.count() == 1
    assert not MediaItem.objects.exists()
    assert stored_files(media_root) == []


def test_the_api_follows_the_pages_consent_rule(personas, login, all_consent, consent, post):
    """As on the thread page: a photo is checked against every child tagged in it, at each
    request. Mila, a classmate, is in the photo; her guardian withdraws: her family-facing
    copy disappears, staff keep it marked. The thread's own child is not tagged (the photo
    only goes to his own family), so his guardian's withdrawal does not hide it."""
    p = personas
    teacher = login(p.teacher_a)
    post(
        teacher, create_url(p.child_a), body="Samen gebouwd", photos=[upload("a.jpg", jpeg_bytes())]
    )
    item = MediaItem.objects.get()
    thread = Thread.objects.get()
    tagged = teacher.put(
        reverse("api-media-tags", args=[item.pk]),
        {"children": [p.child_a2.pk]},
        content_type="application/json",
    )
    assert tagged.status_code == 200
    display = reverse("media_sharing:file", args=[item.pk, "display"])
    page = reverse("kindgesprek:thread", args=[thread.pk])
    parent = login(p.parent_a)
    assert [photo["id"] for photo in photos_of(parent, thread)["Samen gebouwd"]] == [item.pk]
    assert display in parent.get(page).content.decode()

    consent(p.parent_a, p.child_a, "refused")  # the thread's own child: not tagged
    assert [photo["id"] for photo in photos_of(parent, thread)["Samen gebouwd"]] == [item.pk]
    assert display in parent.get(page).content.decode()

    consent(p.multi_school_parent, p.child_a2, "refused")  # the classmate in the photo
    assert photos_of(parent, thread)["Samen gebouwd"] == []
    assert display not in parent.get(page).content.decode()
    assert parent.get(display).status_code == 404
    [staff_copy] = photos_of(login(p.teacher_a), thread)["Samen gebouwd"]
    assert staff_copy["consent_hidden"] is True


@pytest.mark.parametrize("messages", [1, 6])
def test_the_message_list_keeps_a_fixed_query_count(
    personas, login, post, django_assert_num_queries, messages
):
    p = personas
    client = login(p.parent_a)
    for number in range(messages):
        photos = [upload("a.jpg", jpeg_bytes()) for _ in range(1 + number % 3)]
        post(client, create_url(p.child_a), body=f"Bericht {number}", photos=photos)
    post(client, create_url(p.child_a), body="Zonder foto")
    thread = Thread.objects.get()
    url = list_url(thread)
    client.get(url)
    # The same for 1 message with 1 photo as for 6 with 12: the photos are one fixed
    # media_sharing check for the page, whatever their number.
    with django_assert_num_queries(7):
        response = client.get(url)
    rows = response.json()["results"]
    assert len(rows) == messages + 1
    assert sum(len(row["photos"]) for row in rows) == sum(1 + n % 3 for n in range(messages))


def test_the_schema_documents_the_photos(personas, login):
    schema = login(personas.parent_a).get(reverse("api-schema"), {"format": "json"}).json()
    post = schema["paths"]["/api/v1/kindgesprek/children/{child_id}/messages/"]["post"]
    multipart = post["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    request = schema["components"]["schemas"][multipart.rsplit("/", 1)[-1]]
    assert request["properties"]["photos"]["items"]["format"] == "binary"
    assert "re-encoded" in request["properties"]["photos"]["description"]
    assert "`photos`" in post["description"]
    message = schema["components"]["schemas"]["Message"]["properties"]["photos"]
    assert message["items"]["$ref"].endswith("/Media")
    listing = schema["paths"]["/api/v1/kindgesprek/threads/{id}/messages/"]["get"]
    assert "consent" in listing["description"]
