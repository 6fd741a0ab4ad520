"""Refuse to start with a configuration that would hand out media without a check."""

from django.conf import settings
from django.core.checks import Error, register

from .serving import uses_s3


@register()
def media_serving_configuration(app_configs=None, **kwargs):
    errors = []
    if settings.MEDIA_SERVE_MODE not in ("stream", "accel"):
        errors.append(
            Error(
                "MEDIA_SERVE_MODE must be 'stream' or 'accel'.",
                id="media_sharing.E001",
            )
        )
    if uses_s3():
        options = settings.STORAGES["default"].get("OPTIONS", {})
        signed = options.get("querystring_auth", getattr(settings, "AWS_QUERYSTRING_AUTH", True))
        if not signed:
            errors.append(
                Error(
                    "S3 media storage without querystring_auth would produce unsigned, "
                    "permanent URLs to children's photos.",
                    hint="Set querystring_auth to True in STORAGES['default']['OPTIONS'].",
                    id="media_sharing.E002",
                )
            )
        if options.get("custom_domain", getattr(settings, "AWS_S3_CUSTOM_DOMAIN", None)):
            errors.append(
                Error(
                    "S3 media storage with a custom domain produces unsigned URLs.",
                    hint="Remove custom_domain for the private media storage.",
                    id="media_sharing.E003",
                )
            )
        if options.get("default_acl", getattr(settings, "AWS_DEFAULT_ACL", None)) not in (
            None,
            "private",
        ):
            errors.append(
                Error(
                    "S3 media storage must keep objects private (default_acl 'private').",
                    id="media_sharing.E004",
                )
            )
    return errors
