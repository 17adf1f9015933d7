from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "omzien.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # The forget steps register themselves on import (privacy.steps).
        from omzien.privacy import steps  # noqa: F401
