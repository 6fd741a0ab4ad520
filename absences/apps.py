from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbsencesConfig(AppConfig):
    name = "absences"
    verbose_name = _("Absences")

    def ready(self):
        # Privacy cannot import absences; absences offers its part of a data export itself.
        from privacy import hooks

        from . import data_rights

        hooks.register_export("absences", data_rights.export_for_user)
