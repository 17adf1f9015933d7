"""Test helpers for the two-factor log-in: a session that passed the second step, and the
code an authenticator app would show."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts import permissions, two_factor

plain_force_login = Client.force_login


def app_code(device: TOTPDevice) -> str:
    """The code the user's phone shows now (time_machine moves "now")."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def key_code(key_hex: str) -> str:
    """The code of a secret being set up."""
    return f"{TOTP(bytes.fromhex(key_hex)).token():06d}"


def mark_verified(client, user) -> None:
    """Let the client's session count as having used the user's app (created if the user
    has none), as after the code page."""
    device = two_factor.app_device(user) or TOTPDevice.objects.create(
        user=user, name="test app", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def verified_force_login(self, user, backend=None):
    """``Client.force_login`` for the tests: a user whose log-in needs the second step
    gets a session that passed it, so tests of other pages meet the page, not the set-up.
    The tests of the second step itself log in through the form (or `plain_force_login`)."""
    plain_force_login(self, user, backend)
    permissions.forget_cached_memberships(user)
    if permissions.may_use_two_factor(user) and (
        permissions.two_factor_required(user) or two_factor.has_second_factor(user)
    ):
        mark_verified(self, user)
    permissions.forget_cached_memberships(user)


def log_in_through_the_form(client, username, password="omzien-test"):
    """Log in at /inloggen/ as a user does: the password, and for a user whose role needs
    it the code of their app (one is made for a user who has none)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    if permissions.two_factor_required(user) and not two_factor.has_second_factor(user):
        TOTPDevice.objects.create(user=user, name="test app", confirmed=True)
    response = client.post("/inloggen/", {"username": username, "password": password})
    if response.status_code == 302 and response.url.startswith("/inloggen/code/"):
        response = client.post(response.url, {"code": app_code(two_factor.app_device(user))})
    return response
