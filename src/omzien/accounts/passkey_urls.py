"""The passkey views (passkeys.py) under the names django-otp-webauthn's template tags
reverse (namespace ``otp_webauthn``), mounted at /account/passkey/."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from omzien.accounts import passkeys

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/",
        passkeys.BeginRegistration.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        passkeys.CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        passkeys.BeginAuthentication.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        passkeys.CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    # The package's status messages for its script; Omzien's djangojs.po (LOCALE_PATHS)
    # goes over the package's Dutch, which says "je".
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
