"""Middleware of the log-in: the door tablets' short sessions and the second factor.

Shared door tablets: a host's session ends after a short time without use.

A tablet at the door is shared and sometimes left on the table after the coffee morning.
Users whose memberships are door roles only (hosts) get a sliding session of
OMZIEN_DOOR_IDLE_MINUTES: each request they make renews it, and that many minutes without
one log them out. Everybody else keeps Django's SESSION_COOKIE_AGE.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from omzien.accounts import permissions, two_factor

# Renewing means saving the session, a database write; at the door (taps in quick
# succession, SQLite) once a minute is enough: the idle time is then exact to a minute.
RENEW_EVERY_SECONDS = 60
RENEWED_AT = "omzien_door_renewed_at"


def door_roles_only(user) -> bool:
    """Whether all of the user's memberships are roles that only run the door (and there
    is one at least)."""
    if not user.is_authenticated or user.is_superuser:
        return False
    roles = {membership.role for membership in permissions.memberships(user)}
    return bool(roles) and roles <= permissions.DOOR_ONLY_ROLES


def renew_door_session(session, user, now: int | None = None) -> None:
    """Let a door-only user's session expire OMZIEN_DOOR_IDLE_MINUTES from now."""
    if door_roles_only(user):
        session.set_expiry(settings.OMZIEN_DOOR_IDLE_MINUTES * 60)
        session[RENEWED_AT] = int(time.time()) if now is None else now


def start_door_session(sender, request, user, **kwargs):
    """On log-in (the user_logged_in signal): the short session starts at once."""
    session = getattr(request, "session", None)
    if session is not None:
        renew_door_session(session, user)


class DoorIdleSessionMiddleware:
    """After a request of a door-only user, the session expires OMZIEN_DOOR_IDLE_MINUTES
    from now (renewed at most once a minute; logging in starts it, see
    ``start_door_session``). Place it after AuthenticationMiddleware; SessionMiddleware
    then saves the expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        session = request.session
        now = int(time.time())
        renewed = session.get(RENEWED_AT)
        if isinstance(renewed, int) and 0 <= now - renewed < RENEW_EVERY_SECONDS:
            return response
        renew_door_session(session, user, now)
        return response


# What a user who still owes the second step may reach: the step itself and the way out.
TWO_FACTOR_EXEMPT = {
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:logout",
    "set_language",
    # Adding a first passkey is setting up; using one is the step (accounts.passkeys
    # checks who may do either).
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}


def _exempt(request) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        return resolve(request.path_info).view_name in TWO_FACTOR_EXEMPT
    except Resolver404:
        return False


class TwoFactorMiddleware:
    """A logged-in user who owes the second step (`two_factor.step_needed`) reaches no
    page but the code page (they have an app) or the set-up page (their role needs one
    and they have none yet), and logging out. Place it after django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _exempt(request):
            needed = two_factor.step_needed(user)
            if needed is not None:
                return self._send_to(needed, request)
        return self.get_response(request)

    @staticmethod
    def _send_to(needed, request):
        page = (
            "accounts:two_factor_verify"
            if needed == two_factor.VERIFY
            else ("accounts:two_factor_setup")
        )
        response = redirect(page)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
