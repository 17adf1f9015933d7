from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "omzien.signals"
    label = "signals"
    verbose_name = _("Signals")

    def ready(self):
        from omzien.signals import receivers  # noqa: F401 - connects the receivers
