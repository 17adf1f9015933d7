from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "omzien.agenda"
    label = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from omzien.core.public_cache import connect_public_models

        # The public pages show these: any change refreshes them.
        connect_public_models(self.get_model("Activity"), self.get_model("Session"))
