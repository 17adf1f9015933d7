from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitingConfig(AppConfig):
    name = "omzien.visiting"
    label = "visiting"
    verbose_name = _("Visits between places")

    def ready(self):
        from omzien.core.public_cache import connect_public_models
        from omzien.visiting import (
            place_page,  # noqa: F401  (registers the place page's section)
            retention,  # noqa: F401  (registers the nightly step)
        )

        # The calendar of open days and the place pages show invitations (and their
        # invited places: written in the same transaction, so the bump after the commit
        # covers them).
        connect_public_models(self.get_model("Invitation"))
