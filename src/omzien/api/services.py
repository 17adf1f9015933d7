"""Making, revoking and checking personal access tokens.

Writes take the acting user, as everywhere: a user makes and revokes their own tokens
only (`NotFound` for anyone else's, the same answer as for a token that does not exist).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.api.models import AccessToken
from omzien.audit.models import AuditEvent
from omzien.audit.services import record

# What a token looks like: "omz_<prefix>_<secret>". The prefix finds the row; only the
# hash of the whole string is kept.
TOKEN_START = "omz_"  # noqa: S105  # nosec B105  # a marker, not a secret
PREFIX_LENGTH = 8
# The choices of the form; a longer-lived token is a risk nobody needs for a door app.
EXPIRY_DAYS = (30, 90, 365)
# How often "last used" is written at most: not on every request (a door app taps often).
LAST_USED_EVERY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def may_have_tokens(user) -> bool:
    """Who may make tokens: every active user (a token grants only what their roles do)."""
    return permissions.is_active_user(user)


def tokens_of(user):
    return AccessToken.objects.filter(owner=user.pk)


@transaction.atomic
def create_token(*, name: str, scope: str, days: int, acting_user) -> tuple[AccessToken, str]:
    """A new token of the acting user, and its secret (shown once, never stored)."""
    if not may_have_tokens(acting_user):
        raise permissions.NotFound
    if scope not in AccessToken.Scope.values:
        raise ValidationError(_("Choose read only, or read and write."))
    if days not in EXPIRY_DAYS:
        raise ValidationError(_("Choose how long the token stays valid from the list."))
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name, so you know later what it is for."))
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = AccessToken.objects.create(
        owner=acting_user,
        name=name[:100],
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    record(acting_user, AuditEvent.Action.CREATE, "API token", detail=f"{token.prefix}")
    return token, secret


def access_own_token(user, token_id) -> AccessToken:
    return permissions.one_of(tokens_of(user), token_id)


@transaction.atomic
def revoke_token(token: AccessToken, *, acting_user) -> bool:
    """Revoke one of the acting user's tokens; False when it was revoked already."""
    token = access_own_token(acting_user, token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(acting_user, AuditEvent.Action.CHANGE, "API token", detail=f"{token.prefix} revoked")
    return True


def token_for_secret(secret: str) -> AccessToken | None:
    """The usable token with this secret, or None (unknown, wrong, expired, revoked).
    Reads only, apart from `note_use`."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or f"{parts[0]}_" != TOKEN_START or len(parts[1]) != PREFIX_LENGTH:
        return None
    token = AccessToken.objects.select_related("owner").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
        return None
    if not token.is_usable():
        return None
    note_use(token)
    return token


def note_use(token: AccessToken, now=None) -> None:
    """Write "last used", at most once a minute per token (one UPDATE that does nothing
    when another request of the same minute wrote it already)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    AccessToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - LAST_USED_EVERY).update(
        last_used_at=now
    )
    token.last_used_at = now
