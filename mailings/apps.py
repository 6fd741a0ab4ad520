from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    """Bulk e-mail that is sent exactly once: digests, newsletters, reminders.

    Its own app because every later feature sends through it; it sits right after `groups`
    in the layers (it knows schools and users, nothing of posts or consent).
    """

    name = "mailings"
    verbose_name = _("Mailings")

    def ready(self):
        # Builders register themselves on import; the worker needs them without a request.
        from . import services  # noqa: F401 -- imported for its registrations
