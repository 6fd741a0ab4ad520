"""media_sharing's part in the privacy export, erasure and retention."""

import datetime

from django.utils import timezone

from media_sharing.models import MediaItem
from privacy import hooks

from .conftest import jpeg_bytes, stored_files, upload


def test_export_lists_own_uploads_without_tags(personas, make_item):
    mine = make_item(child=personas.child_a, uploaded_by=personas.parent_a)
    make_item(tags=[personas.child_a2])
    [row] = hooks.export_sections(personas.parent_a)["media"]
    assert row["id"] == mine.pk
    assert row["audience"] == "Daan"
    assert "tags" not in row


def test_erasure_removes_own_uploads_and_files_but_keeps_shared_group_photos(
    personas, committed, media_root, make_item
):
    from media_sharing import services

    p = personas
    committed(
        services.media_upload,
        actor=p.parent_a,
        child=p.child_a,
        files=[upload("weekend.jpg", jpeg_bytes())],
    )
    shared = make_item(uploaded_by=p.teacher_a)
    assert len(stored_files(media_root)) == 3
    committed(hooks.erase, user=p.parent_a)
    assert stored_files(media_root) == []
    committed(hooks.erase, user=p.teacher_a)
    assert list(MediaItem.objects.all()) == [shared]


def test_retention_purges_the_schools_old_media_only(personas, make_item):
    old = make_item()
    old.created_at = timezone.now() - datetime.timedelta(days=800)
    old.save()
    recent = make_item()
    other_school = make_item(group=personas.group_x)
    other_school.created_at = old.created_at
    other_school.save()
    purge = hooks.retention_purgers()["media"]
    assert purge(personas.school, timezone.now() - datetime.timedelta(days=730)) == 1
    assert set(MediaItem.objects.all()) == {recent, other_school}
