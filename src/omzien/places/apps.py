from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "omzien.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self):
        from omzien.core.public_cache import connect_public_models

        # The public pages show these: any change refreshes them.
        connect_public_models(
            *(self.get_model(name) for name in ("Region", "Village", "Place", "PlaceClosure"))
        )
