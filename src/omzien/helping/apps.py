from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpingConfig(AppConfig):
    name = "omzien.helping"
    label = "helping"
    verbose_name = _("Help")

    def ready(self):
        from omzien.helping import receivers  # noqa: F401 - connects the receivers
