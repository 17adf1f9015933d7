"""Who calls: a personal access token (``Authorization: Bearer omz_...``) or nobody.

A token acts as its owner through `accounts.permissions`, like the owner on the pages;
without a token the caller is anonymous and reaches the public endpoints only. The
session cookie of the site is not used here: an API client shows its token every time.
"""

import threading
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from omzien.accounts.throttling import client_ip, count
from omzien.api import services


class Anonymous:
    """The caller without a token (truthy, so ninja lets a public endpoint run)."""

    scope = None
    may_write = False
    owner = AnonymousUser()
    pk = None

    def __bool__(self):
        return True


ANONYMOUS = Anonymous()


class TokenAuth(HttpBearer):
    """A bearer token; a wrong, expired or revoked one is a 401, never anonymous."""

    openapi_description = "A personal access token, made on /api-sleutels/."

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if header is None:
            return None  # no token: the next check (anonymous, for public endpoints)
        parts = header.split(" ", 1)
        if len(parts) != 2 or parts[0].lower() != "bearer":
            raise AuthenticationError
        return self.authenticate(request, parts[1].strip())

    def authenticate(self, request, token):
        found = services.token_for_secret(token)
        if found is None:
            raise AuthenticationError
        return found


def anonymous(request):
    return ANONYMOUS


TOKEN = TokenAuth()
# Public endpoints: a token if one is sent (it must be valid), else anonymous.
PUBLIC = [TOKEN, anonymous]


def user_of(request):
    """The user the request acts as: the token's owner, or anonymous."""
    return request.auth.owner


class WriteRefused(HttpError):
    def __init__(self):
        super().__init__(403, "read-only token")


def require_write(request) -> None:
    """A 403 problem for a read-only token (anonymous never reaches a write endpoint)."""
    if not request.auth.may_write:
        raise WriteRefused


class PerCaller(BaseThrottle):
    """A fixed window per token (or per address without one), counted in the cache like
    the public forms' limit (accounts.throttling): no rows written."""

    def __init__(self):
        # One throttle serves every request: the wait belongs to the request's thread.
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        auth = getattr(request, "auth", None)
        if auth is not None and auth.pk is not None:
            caller, limit = f"token:{auth.pk}", settings.OMZIEN_API_TOKEN_RATE
        else:
            caller, limit = f"ip:{client_ip(request)}", settings.OMZIEN_API_ANONYMOUS_RATE
        window = settings.OMZIEN_API_RATE_WINDOW
        now = time.time()
        start = int(now // window) * window
        if count(f"omzien:api:{caller}:{start}", window + 1) > limit:
            self._local.retry_after = max(1, int(start + window - now) + 1)
            return False
        return True

    def wait(self):
        return getattr(self._local, "retry_after", None)
