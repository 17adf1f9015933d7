"""Passkeys and security keys (WebAuthn) as a second step beside the authenticator app.

django-otp-webauthn does the WebAuthn work (py_webauthn checks the browser's answers; its
own JavaScript, a static file, talks to the browser's credential API) and stores each
credential as a django-otp device, so a session verified with one is verified as with the
app (`django_otp.login`, `request.user.is_verified()`, TwoFactorMiddleware). Its four
JSON views are taken over here for Omzien's log-in in two steps:

- adding (registration) needs a logged-in user who may use two-factor log-in and, when
  they already have a second factor, a session that used it (the package's own rule);
- logging in with one (authentication) is for the user who gave the right password a
  moment ago (`two_factor.pending_user`), or a logged-in session that owes the step;
  never passwordless (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off), and only the
  user's own credentials are offered and accepted.

The URLs keep the package's names (namespace ``otp_webauthn``): its template tags reverse
them.
"""

import logging
from urllib.parse import urlsplit

import django_otp
from django.conf import settings
from django.contrib.auth import login
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as package_views
from django_otp_webauthn.utils import rewrite_exceptions

from omzien.accounts import permissions, services, two_factor

logger = logging.getLogger("omzien.two_factor")


class NotForThisAccount(exceptions.OTPWebAuthnApiError):
    status_code = 404
    default_detail = _("Passkeys are not used for this account.")
    default_code = "not_for_this_account"


class TooManyAttempts(exceptions.OTPWebAuthnApiError):
    """The code step is refused after too many wrong codes: a passkey does not get round
    it (the code page says the same)."""

    status_code = 429
    default_code = "too_many_attempts"

    def __init__(self):
        minutes = two_factor.cool_off_seconds() // 60
        super().__init__(
            ngettext(
                "The code was wrong too often. Wait %(minutes)s minute and then log in again.",
                "The code was wrong too often. Wait %(minutes)s minutes and then log in again.",
                minutes,
            )
            % {"minutes": minutes}
        )


def relying_party_id() -> str:
    return settings.OTP_WEBAUTHN_RP_ID


def origin_of(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def usable_here(request) -> bool:
    """Whether a passkey can work on this address: the browser only makes and uses
    credentials of the relying-party id on its own domain, and the server accepts only
    the allowed origins (the demo on 127.0.0.1 has none: passkeys work on localhost)."""
    host = urlsplit(origin_of(request)).hostname or ""
    rp_id = relying_party_id()
    on_domain = host == rp_id or host.endswith("." + rp_id)
    return on_domain and origin_of(request) in settings.OTP_WEBAUTHN_ALLOWED_ORIGINS


def where_usable() -> str:
    """The address to use instead, for a page on another one."""
    origins = settings.OTP_WEBAUTHN_ALLOWED_ORIGINS
    return origins[0] if origins else ""


# --- Adding a passkey --------------------------------------------------------------------


class _Registration:
    def user_is_mfa_enrolled(self, user) -> bool:
        # Recovery codes left from an earlier app do not count: only an app or a passkey
        # makes a session that has not used it unfit to add another.
        return two_factor.has_second_factor(user)

    def check_can_register(self):
        if not permissions.may_use_two_factor(self.get_user()):
            raise NotForThisAccount


class BeginRegistration(_Registration, package_views.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_Registration, package_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()
        helper = self.get_helper()
        with rewrite_exceptions(logger=logger):
            device = services.add_passkey(
                acting_user=user,
                register=lambda: helper.register_complete(
                    user=user, state=state, data=self.request.data
                ),
            )
        if not self.request.user.is_verified():
            # The first second factor (the set-up step): this session has just shown it.
            django_otp.login(self.request, device)
        return JsonResponse({"id": device.pk})


# --- Logging in with a passkey -----------------------------------------------------------


class _Authentication:
    def get_user(self):
        """The logged-in user who owes the step, or the one halfway through logging in."""
        if self.request.user.is_authenticated:
            return self.request.user
        return two_factor.pending_user(self.request)

    def check_can_authenticate(self):
        user = self.get_user()
        if user is None:
            raise exceptions.NotAuthenticated
        if not (permissions.may_use_two_factor(user) and two_factor.has_passkey(user)):
            raise NotForThisAccount
        if two_factor.too_many_failures(user):
            raise TooManyAttempts()


class BeginAuthentication(_Authentication, package_views.BeginCredentialAuthenticationView):
    pass


class CompleteAuthentication(_Authentication, package_views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        """As the code page does after a right code: log in the user who gave the password
        (a new session key), and mark the session verified with this passkey."""
        request = self.request
        user = self.get_user()
        self.next_url = request.GET.get("next", "")
        if not request.user.is_authenticated:
            self.next_url = request.session.get(two_factor.PENDING_NEXT, "") or self.next_url
            two_factor.forget_second_step(request)
            login(request, user, backend=user.backend)
        two_factor.forget_failures(user)
        django_otp.login(request, device)

    def get_success_url(self):
        next_url = getattr(self, "next_url", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return next_url
        return resolve_url("accounts:start")
