from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "omzien.proposals"
    label = "proposals"
    verbose_name = _("Proposed activities")

    def ready(self):
        # The nightly retention step registers itself on import.
        from omzien.proposals import retention  # noqa: F401
