"""Changes to a user's two-factor log-in: set up an app, new recovery codes, a reset."""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts import permissions, two_factor
from omzien.accounts.permissions import Capability
from omzien.audit.models import AuditEvent
from omzien.audit.services import record

SUBJECT = "two-factor log-in"


class WrongCode(ValueError):
    """The code does not belong to the secret being set up."""


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
def reset_two_factor(user, *, acting_user) -> int:
    """An administrator removes the user's app and recovery codes (a lost phone): the
    user sets up a new app at the next log-in. Returns how many devices were removed."""
    permissions.require(acting_user, Capability.MANAGE_REGION)
    removed, _per_model = TOTPDevice.objects.filter(user=user).delete()
    recovery, _per_model = StaticDevice.objects.filter(user=user).delete()
    record(
        acting_user,
        AuditEvent.Action.DELETE,
        SUBJECT,
        detail=f"reset for {user.get_username()}",
    )
    return removed + recovery
