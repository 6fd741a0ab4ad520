import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from messaging import services


@pytest.fixture
def post_for(personas):
    """Publish a post as a persona through the real service."""

    def _post(author=None, groups=None, **kwargs):
        author = author or personas.teacher_a
        kwargs.setdefault("title", "Excursie naar het bos")
        kwargs.setdefault("body", "We gaan vrijdag naar het bos.")
        return services.post_publish(
            actor=author,
            school=kwargs.pop("school", personas.school),
            group_ids=[g.pk for g in (groups if groups is not None else [personas.group_a])],
            **kwargs,
        )

    return _post


def pdf_upload(name="brief.pdf", size=None):
    content = b"%PDF-1.4\n%test\n" + (b"0" * (size or 100))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_upload(name="rooster.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/msword")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
