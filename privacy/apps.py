from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # The consent reminder's mail builder registers itself with mailings on import.
        from . import services  # noqa: F401 -- imported for its registrations
