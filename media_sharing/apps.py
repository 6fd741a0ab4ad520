from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaSharingConfig(AppConfig):
    name = "media_sharing"
    verbose_name = _("Media sharing")

    def ready(self):
        from . import checks, signals  # noqa: F401 -- registers checks and receivers
