from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitfilesConfig(AppConfig):
    name = "omzien.visitfiles"
    label = "visitfiles"
    verbose_name = _("Visit files (import and export)")
