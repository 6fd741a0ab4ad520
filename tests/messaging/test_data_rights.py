"""The feed's and the kindgesprek's part in export, erasure and retention (issue 7)."""

import datetime
import io

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from messaging import services
from messaging.kindgesprek import services as kindgesprek
from messaging.kindgesprek.models import Attachment, Message
from messaging.models import Post
from privacy import export
from privacy import services as privacy

THEN = datetime.datetime(2024, 3, 4, 10, 0, tzinfo=datetime.UTC)  # a Monday, within staff hours
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


def _post(personas, title, group):
    return services.post_publish(
        actor=personas.teacher_a,
        school=personas.school,
        title=title,
        body="Tekst",
        group_ids=[group.pk],
    )


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("weekend.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_export_holds_own_childrens_messages_and_posts_only(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        _post(personas, "Uitje naar het bos", personas.group_a)
        kindgesprek.message_send(actor=personas.parent_a, child=personas.child_a, body="Voor Daan")
        kindgesprek.message_send(
            actor=personas.multi_school_parent, child=personas.child_a2, body="Voor Mila"
        )
        section = export.collect(personas.parent_a)["more"]["messaging"]
        other_parent = export.collect(personas.parent_b)["more"]["messaging"]
    assert [p["title"] for p in section["group_posts_received"]] == ["Uitje naar het bos"]
    assert [m["text"] for m in section["kindgesprek_messages"]] == ["Voor Daan"]
    assert section["kindgesprek_messages"][0]["from"] == "you"
    assert "Voor Mila" not in str(section)
    assert other_parent["kindgesprek_messages"] == []
    assert other_parent["group_posts_received"] == []


def test_erasure_removes_the_parents_files_and_keeps_the_message(
    personas, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        message = kindgesprek.message_send(
            actor=personas.parent_a,
            child=personas.child_a,
            body="Weekendfoto",
            attachments=[_photo()],
        )
    stored = message.attachments.get().file
    assert stored.storage.exists(stored.name)
    from messaging import data_rights

    with django_capture_on_commit_callbacks(execute=True):
        data_rights.erase_uploads_of(personas.parent_a)
    assert not stored.storage.exists(stored.name)
    assert not Attachment.objects.exists()
    assert Message.objects.get().body == "Weekendfoto"


def test_retention_deletes_old_content_and_keeps_recent(
    personas, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    personas.school.retention_months = 24
    personas.school.save()
    with time_machine.travel(THEN, tick=False):
        _post(personas, "Oud bericht", personas.group_a)
        kindgesprek.message_send(actor=personas.parent_a, child=personas.child_a, body="Oud")
    with time_machine.travel(NOW, tick=False):
        _post(personas, "Nieuw bericht", personas.group_a)
        kindgesprek.message_send(actor=personas.parent_a, child=personas.child_a, body="Nieuw")
        with django_capture_on_commit_callbacks(execute=True):
            totals = privacy.retention_run()
    assert totals["messaging"] == 2
    assert list(Post.objects.values_list("title", flat=True)) == ["Nieuw bericht"]
    assert list(Message.objects.values_list("body", flat=True)) == ["Nieuw"]
