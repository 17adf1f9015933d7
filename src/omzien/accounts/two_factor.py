"""Two-factor log-in: an authenticator app's code (TOTP) after the password.

Who needs it is the access layer's rule (`permissions.two_factor_required`: professionals
and administrators; `permissions.may_use_two_factor`: everyone but door-only hosts, whose
shared tablet keeps its one-step log-in). The devices are django-otp's: a confirmed
``TOTPDevice`` (the app), django-otp-webauthn's ``WebAuthnCredential`` (a passkey or
security key, see passkeys.py) and a ``StaticDevice`` whose tokens are the recovery codes.
An app or a passkey is a second factor; recovery codes only stand in for one.

The log-in in two steps: a right password does not log in a user who has an app; the
session remembers who passed it (`start_second_step`, for `PENDING_SECONDS`) and the code
page (`views.verify_code`) logs in with a right code. A wrong code is counted in the
log-in attempts' cache per account (`OMZIEN_OTP_FAILURE_LIMIT` in the cool-off of the
password throttle), never in the database: django-otp's own `verify_token` would write a
row for each wrong code, so `totp_matches` checks the code the same way without that.
"""

import logging
import secrets
import time
from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from omzien.accounts import permissions
from omzien.accounts.throttling import client_ip, count
from omzien.core import qr as core_qr

logger = logging.getLogger("omzien.two_factor")

PENDING_USER = "omzien_2fa_user"
PENDING_BACKEND = "omzien_2fa_backend"
PENDING_SINCE = "omzien_2fa_since"
PENDING_NEXT = "omzien_2fa_next"
# The time between the password and the code: enough to find the phone.
PENDING_SECONDS = 5 * 60
# The secret of an app being set up, until its first code confirms it.
SETUP_KEY = "omzien_2fa_setup_key"

RECOVERY_CODE_COUNT = 10
# 8 characters of a 32-letter alphabet (40 bits); no 0/o or 1/l to confuse on paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 8

SETUP, VERIFY = "setup", "verify"


def app_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def passkeys(user):
    """The user's confirmed passkeys and security keys, oldest first."""
    if not getattr(user, "pk", None):
        return WebAuthnCredential.objects.none()
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_passkey(user) -> bool:
    return passkeys(user).exists()


def has_second_factor(user) -> bool:
    """An app or a passkey (recovery codes alone are not one)."""
    return bool(getattr(user, "pk", None)) and (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists() or has_passkey(user)
    )


def asks_second_step(user) -> bool:
    """Whether logging in asks this user for a code after the password (never a door-only
    host: the door tablet logs in in one step)."""
    return permissions.may_use_two_factor(user) and has_second_factor(user)


def is_verified(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def step_needed(user) -> str | None:
    """What an authenticated user must do before any other page: `VERIFY` (enter a code:
    they have an app but this session has not used it), `SETUP` (their role needs a second
    factor and they have none yet), or None."""
    if not user.is_authenticated or is_verified(user):
        return None
    if not permissions.may_use_two_factor(user):
        return None
    if has_second_factor(user):
        return VERIFY
    if permissions.two_factor_required(user):
        return SETUP
    return None


# --- Codes -------------------------------------------------------------------------------


def normalise(code: str) -> str:
    return "".join(str(code or "").split()).replace("-", "").lower()


def totp_matches(device: TOTPDevice, token: str) -> bool:
    """Whether the token is the app's code now (one step either side), not used before.
    django-otp's ``TOTPDevice.verify_token`` without its database throttle; a right code
    is stored as used (``last_t``), so it cannot be used twice."""
    if not (token.isascii() and token.isdigit() and len(token) == device.digits):
        return False
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if not totp.verify(int(token), device.tolerance, device.last_t + 1):
            return False
        device.last_t = totp.t()
        device.drift = totp.drift
        device.set_last_used_timestamp(commit=False)
        device.save()
    return True


def key_matches(key_hex: str, token: str) -> bool:
    """Whether the token is the code of a secret not yet stored (setting up an app)."""
    if not (token.isascii() and token.isdigit() and len(token) == 6):
        return False
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time()
    return totp.verify(int(token), tolerance=1)


def use_recovery_code(user, code: str) -> StaticDevice | None:
    """The recovery device if the code is one of the user's unused recovery codes; the
    code is used up."""
    with transaction.atomic():
        token = (
            StaticToken.objects.select_for_update()
            .filter(device__user=user, device__confirmed=True, token=code)
            .select_related("device")
            .first()
        )
        if token is None:
            return None
        device = token.device
        token.delete()
        device.set_last_used_timestamp()
    logger.warning("Recovery code used by %s", user.get_username())
    return device


def device_for_code(user, code: str):
    """The device the code is right for (the app, or a recovery code: used up), or None."""
    code = normalise(code)
    if not code:
        return None
    if code.isdigit():
        device = app_device(user)
        return device if device is not None and totp_matches(device, code) else None
    return use_recovery_code(user, code)


def new_recovery_codes() -> list[str]:
    return [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def shown(code: str) -> str:
    """A recovery code as printed: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def unused_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Setting up --------------------------------------------------------------------------


def setup_key(session) -> str:
    """The secret of the app being set up in this session (a new one the first time)."""
    key = session.get(SETUP_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = random_hex(20)
        session[SETUP_KEY] = key
    return key


def otpauth_uri(user, key_hex: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=key_hex).config_url


def secret_for_typing(key_hex: str) -> str:
    """The secret in base32, in groups of four, for entering it by hand."""
    text = b32encode(bytes.fromhex(key_hex)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG (made here: no image service sees the secret)."""
    return core_qr.qr_svg(uri, title=_("QR code for an authenticator app"))


# --- The second step of logging in -------------------------------------------------------


def start_second_step(request, user, next_url: str = "") -> None:
    """Remember, in a new session key, who gave the right password a moment ago."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_BACKEND] = getattr(
        user, "backend", settings.AUTHENTICATION_BACKENDS[-1]
    )
    request.session[PENDING_SINCE] = int(time.time())
    request.session[PENDING_NEXT] = next_url


def pending_user(request):
    """The user halfway through logging in (password right, code not yet), or None."""
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE)
    if not isinstance(user_id, int) or not isinstance(since, int):
        return None
    if not 0 <= time.time() - since <= PENDING_SECONDS:
        forget_second_step(request)
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        user.backend = request.session.get(PENDING_BACKEND)
    return user


def forget_second_step(request) -> None:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_SINCE, PENDING_NEXT):
        request.session.pop(key, None)


# --- Throttling the code -----------------------------------------------------------------


def attempts_cache():
    """The cache of the log-in attempts (a file cache shared by the workers)."""
    return caches[settings.AXES_CACHE]


def _failures_key(user) -> str:
    return f"omzien:otp-failures:{user.pk}"


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def too_many_failures(user) -> bool:
    return (attempts_cache().get(_failures_key(user)) or 0) >= settings.OMZIEN_OTP_FAILURE_LIMIT


def count_failure(user, request) -> None:
    failures = count(_failures_key(user), cool_off_seconds(), in_cache=attempts_cache())
    logger.warning(
        "Wrong two-factor code for %s from %s (%d)",
        user.get_username(),
        client_ip(request),
        failures,
    )


def forget_failures(user) -> None:
    attempts_cache().delete(_failures_key(user))
