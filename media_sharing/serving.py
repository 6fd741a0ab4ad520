"""Sending a stored file after the access check: Django streams it (development), nginx
sends it (X-Accel-Redirect), or the browser fetches it from S3 with a short-lived signed URL.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect

S3_BACKENDS = {"storages.backends.s3.S3Storage", "storages.backends.s3boto3.S3Boto3Storage"}


def uses_s3() -> bool:
    return settings.STORAGES["default"]["BACKEND"] in S3_BACKENDS


def _disposition(filename: str, attachment: bool) -> str:
    # The name is ours ("photo-12.jpg"), never the uploader's, so it needs no escaping.
    return f'{"attachment" if attachment else "inline"}; filename="{filename}"'


def file_response(name: str, *, content_type: str, filename: str, attachment: bool):
    disposition = _disposition(filename, attachment)
    if uses_s3():
        url = default_storage.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition,
                "ResponseCacheControl": "private, no-cache",
            },
            expire=settings.MEDIA_SIGNED_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
    elif settings.MEDIA_SERVE_MODE == "accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX + name
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Content-Disposition"] = disposition
    # Checked again at every request, so a withdrawn consent takes effect at once: the
    # browser may keep a copy only for this person and must ask us before reusing it.
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
