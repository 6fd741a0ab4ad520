from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo schools' content. Rightmost of all apps: it writes through every other
    app's services, and nothing imports it."""

    name = "demo"
    verbose_name = _("Demo data")
