from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "omzien.wellbeing"
    label = "wellbeing"
    verbose_name = _("Wellbeing")

    def ready(self):
        from omzien.wellbeing import receivers  # noqa: F401 - connects the receivers
