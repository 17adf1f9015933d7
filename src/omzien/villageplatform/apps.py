from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagePlatformConfig(AppConfig):
    name = "omzien.villageplatform"
    label = "villageplatform"
    verbose_name = _("Village platform")
