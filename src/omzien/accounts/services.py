"""Changes to a user's two-factor log-in: set up an app, add or remove a passkey, new
recovery codes, a reset."""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from omzien.accounts import permissions, two_factor
from omzien.accounts.permissions import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record

SUBJECT = "two-factor log-in"


class WrongCode(ValueError):
    """The code does not belong to the secret being set up."""


class LastSecondFactor(ValueError):
    """The passkey is the last second factor of a user whose role needs one."""


def _replace_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = two_factor.new_recovery_codes()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def set_up_app(*, acting_user, key_hex: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """The acting user's new authenticator app, confirmed by its first code, and a fresh
    set of recovery codes (to show once). An app set up before is replaced."""
    if not permissions.may_use_two_factor(acting_user):
        raise permissions.NotFound
    if not two_factor.key_matches(key_hex, two_factor.normalise(code)):
        raise WrongCode
    TOTPDevice.objects.filter(user=acting_user).delete()
    device = TOTPDevice.objects.create(
        user=acting_user, name="authenticator app", key=key_hex, confirmed=True
    )
    # The confirming code is used: it cannot log in a second time.
    two_factor.totp_matches(device, two_factor.normalise(code))
    codes = _replace_recovery_codes(acting_user)
    record(acting_user, AuditEvent.Action.CREATE, SUBJECT, detail="authenticator app set up")
    return device, codes


@transaction.atomic
def regenerate_recovery_codes(*, acting_user) -> list[str]:
    """New recovery codes for the acting user; the old ones stop working."""
    if not two_factor.has_second_factor(acting_user):
        raise permissions.NotFound
    codes = _replace_recovery_codes(acting_user)
    record(acting_user, AuditEvent.Action.CHANGE, SUBJECT, detail="new recovery codes")
    return codes


@transaction.atomic
def add_passkey(*, acting_user, register):
    """The acting user's new passkey or security key: ``register()`` checks the browser's
    answer and stores the credential (django-otp-webauthn's helper), here in one
    transaction with the audit row."""
    if not permissions.may_use_two_factor(acting_user):
        raise permissions.NotFound
    device = register()
    record(acting_user, AuditEvent.Action.CREATE, SUBJECT, detail="passkey added")
    return device


def own_passkey(user, passkey_id) -> WebAuthnCredential:
    """One of the user's own passkeys; another user's looks like one that does not exist."""
    pk = permissions.primary_key(passkey_id)
    device = two_factor.passkeys(user).filter(pk=pk).first() if pk else None
    if device is None:
        raise permissions.NotFound
    return device


def may_remove_passkey(user, device) -> bool:
    """Whether removing it leaves the user a second factor, or their role needs none."""
    if not permissions.two_factor_required(user):
        return True
    others = two_factor.passkeys(user).exclude(pk=device.pk).exists()
    return others or two_factor.app_device(user) is not None


@transaction.atomic
def remove_passkey(*, acting_user, passkey_id) -> None:
    """Remove one of the acting user's passkeys. Professionals and administrators keep a
    working second step: their last one is not removed (`LastSecondFactor`). When a user
    whose role needs none removes their last one, the recovery codes go too: two-factor
    log-in is then off."""
    device = own_passkey(acting_user, passkey_id)
    if not may_remove_passkey(acting_user, device):
        raise LastSecondFactor
    device.delete()
    if not two_factor.has_second_factor(acting_user):
        StaticDevice.objects.filter(user=acting_user).delete()
    record(acting_user, AuditEvent.Action.DELETE, SUBJECT, detail="passkey removed")


@transaction.atomic
def reset_two_factor(user, *, acting_user) -> int:
    """An administrator removes the user's app, passkeys and recovery codes (a lost
    phone or key): the user sets up a new second step at the next log-in. Returns how
    many devices were removed."""
    permissions.require(acting_user, Capability.MANAGE_REGION)
    removed, _per_model = TOTPDevice.objects.filter(user=user).delete()
    keys = WebAuthnCredential.objects.filter(user=user).count()
    WebAuthnCredential.objects.filter(user=user).delete()  # their attestations go too
    recovery, _per_model = StaticDevice.objects.filter(user=user).delete()
    record(
        acting_user,
        AuditEvent.Action.DELETE,
        SUBJECT,
        detail=f"reset for {user.get_username()} ({keys} passkeys)",
    )
    return removed + keys + recovery
