from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaSharingConfig(AppConfig):
    name = "media_sharing"
    verbose_name = _("Media sharing")

    def ready(self):
        from privacy import hooks

        from . import checks, services, signals  # noqa: F401 -- registers checks and receivers

        hooks.register_export("media", services.export_for_user)
        hooks.register_erasure(services.erase_uploads_of)
        hooks.register_retention("media", services.purge_before)
