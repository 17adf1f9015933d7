from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "omzien.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from omzien.accounts.middleware import start_door_session

        user_logged_in.connect(start_door_session, dispatch_uid="omzien-door-session")
