from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        # The digest's and newsletter's mail builders register with mailings on import; the
        # worker needs them without a request.
        from .digest import mail  # noqa: F401 -- imported for its registrations
