"""Retention: old newsletters (with their PDFs) and reminders go with the school's old posts."""

import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from messaging.digest import services
from messaging.digest.models import CadenceReminder, Newsletter
from privacy import services as privacy

THEN = datetime.datetime(2024, 3, 4, 10, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
PDF = b"%PDF-1.4\n%%EOF\n"


def _newsletter(personas, title, month):
    return services.newsletter_create(
        actor=personas.admin,
        school=personas.school,
        title=title,
        body="Tekst",
        month=month,
        attachment=SimpleUploadedFile("brief.pdf", PDF, content_type="application/pdf"),
    )


def test_retention_removes_old_newsletters_and_reminders(
    personas, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    personas.school.retention_months = 24
    personas.school.save()
    with time_machine.travel(THEN, tick=False):
        old = _newsletter(personas, "Oude nieuwsbrief", datetime.date(2024, 4, 1))
        CadenceReminder.objects.create(
            school=personas.school, group=personas.group_a, user=personas.teacher_a, week="2024-W10"
        )
    old_file = tmp_path / old.attachment.name
    assert old_file.exists()
    with time_machine.travel(NOW, tick=False):
        recent = _newsletter(personas, "Nieuwe nieuwsbrief", datetime.date(2026, 12, 1))
        with django_capture_on_commit_callbacks(execute=True):
            privacy.retention_run()
    assert list(Newsletter.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not CadenceReminder.objects.exists()
    assert not old_file.exists()
    assert (tmp_path / recent.attachment.name).exists()
