from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "omzien.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # The forget and merge steps register themselves on import.
        from omzien.privacy import merge_steps, steps  # noqa: F401
