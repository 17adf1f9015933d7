from django.urls import path

from omzien.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/code/", views.verify_code, name="two_factor_verify"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("start/", views.start, name="start"),
    path("account/tweestaps/", views.overview, name="two_factor"),
    path("account/tweestaps/instellen/", views.set_up, name="two_factor_setup"),
    path("account/tweestaps/passkey/verwijderen/", views.remove_passkey, name="passkey_remove"),
    path("account/tweestaps/herstelcodes/", views.recovery_codes, name="recovery_codes"),
    path("account/tweestaps/herstellen/<int:user_id>/", views.reset, name="two_factor_reset"),
]
