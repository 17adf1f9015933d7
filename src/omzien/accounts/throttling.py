"""Throttling: log-ins with django-axes, and the public forms' hourly limit per address.

Failed log-ins on ``/inloggen/`` and ``/beheer/login/`` are counted per combination of
account name and address (settings ``AXES_*``, from ``OMZIEN_LOGIN_*``) in a cache, not
in the database: an anonymous request never writes a row. After the limit the account is
locked for that address until the cool-off has passed; another account at the same
meeting place (the same address) goes on working. django-axes logs every failed log-in
at WARNING (logger ``axes``), with the account name and address.
"""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or behind OMZIEN_PROXY_COUNT reverse proxies
    the address the outermost of ours saw (X-Forwarded-For, counted from the right, so a
    client cannot choose it by sending a header of its own)."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.OMZIEN_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return address


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response: a page in the site's style, 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def count(key: str, timeout: int, *, in_cache=None) -> int:
    """Add one to the counter ``key`` (started with ``timeout`` seconds to live) and give
    its new value. In the cache (``in_cache``, the default cache if None): no rows."""
    in_cache = cache if in_cache is None else in_cache
    in_cache.add(key, 0, timeout=timeout)
    try:
        return in_cache.incr(key)
    except ValueError:  # expired between add and incr
        in_cache.set(key, 1, timeout=timeout)
        return 1


def over_the_limit(request, scope: str, limit: int) -> bool:
    """Count a public form's submission (``scope``: which forms) for the visitor's address;
    True past ``limit`` an hour. Counted in the cache: a refused POST writes no row."""
    return count(f"omzien:{scope}:{client_ip(request)}", 3600) > limit
