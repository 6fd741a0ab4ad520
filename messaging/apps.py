from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        # Privacy cannot import messaging; messaging offers its part of export, erasure and
        # retention itself.
        from privacy import hooks

        from . import data_rights

        hooks.register_export("messaging", data_rights.export_for_user)
        hooks.register_erasure(data_rights.erase_uploads_of)
        hooks.register_retention("messaging", data_rights.purge_before)

        # The digest's and newsletter's mail builders register with mailings on import; the
        # worker needs them without a request.
        from .digest import mail  # noqa: F401 -- imported for its registrations
