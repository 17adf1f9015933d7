"""The public pages' cache: what anonymous visitors get, kept in Django's cache framework.

A public page or feed is the same for every anonymous visitor on one day in one
language, so ``public_page`` keeps its rendering under a key of the site's address, the
path, the page's own query parameters (canonical: fixed order, one value each, unknown
parameters dropped), the language, today's date and the *content generation*.

Whatever changes what the public pages show (regions, villages, places, closures,
activities, sessions) calls ``content_changed``: the apps of those models connect it to
``post_save`` and ``post_delete``, and their querysets (``PublicContentQuerySet``) call it
for bulk writes, which send no signals. It gives the generation a new value, at once and
again after the transaction commits (a visitor who rendered the page in between read the
old rows), so the next visitor gets a fresh rendering; old keys expire.

A page that says what is still to come (an activity's coming sessions) changes by the
clock too: its view calls ``changes_at(request, moment)``, and its rendering is kept only
until then, with an ETag and Last-Modified of its own.

Logged-in users see their menu and a log-out form: their pages are rendered fresh and
never cached. Cached answers carry an ETag and Last-Modified, answer a conditional GET
with 304, and say ``Cache-Control: no-cache`` so browsers and phones ask again (cheaply)
instead of guessing how long a page stays right.
"""

import hashlib
import math
import secrets
import time
from calendar import timegm
from datetime import date, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.http import HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

GENERATION_KEY = "omzien:public:generation"
# Headers of a view's answer that belong to the page and are kept with it.
KEPT_HEADERS = ("Content-Disposition",)


def _new_generation() -> str:
    """When it started (for Last-Modified) and a random part, so no two are the same."""
    return f"{time.time_ns()}.{secrets.token_hex(4)}"


def generation() -> str:
    """The current content generation."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A cache that lost the key (culled, restarted): start a new generation, once.
        cache.add(GENERATION_KEY, _new_generation(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value if value is not None else _new_generation()


def bump_generation() -> None:
    cache.set(GENERATION_KEY, _new_generation(), timeout=None)


def _bump_after_commit() -> None:
    bump_generation()


def content_changed(sender=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Public content changed: a new generation now, and once more after the commit."""
    bump_generation()
    connection = connections[using]
    # Once per transaction is enough (bulk loads save thousands of rows in one).
    pending = (callback for _savepoints, callback, _robust in connection.run_on_commit)
    if connection.in_atomic_block and _bump_after_commit not in pending:
        transaction.on_commit(_bump_after_commit, using=using)


def connect_public_models(*models_: type[models.Model]) -> None:
    """Bump the generation whenever a row of these models is saved or deleted."""
    for model in models_:
        uid = f"public-content-{model._meta.label}"
        models.signals.post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        models.signals.post_delete.connect(content_changed, sender=model, dispatch_uid=uid)


class PublicContentQuerySet(models.QuerySet):
    """A queryset whose bulk writes, which send no signals, still bump the generation."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_changed(using=self.db)
        return created

    def bulk_update(self, objs, *args, **kwargs):
        updated = super().bulk_update(objs, *args, **kwargs)
        if updated:
            content_changed(using=self.db)
        return updated

    def update(self, **kwargs):
        updated = super().update(**kwargs)
        if updated:
            content_changed(using=self.db)
        return updated


CHANGES_AT = "_omzien_public_changes_at"


def changes_at(request, moment: datetime | None) -> None:
    """The page being rendered changes by itself at ``moment`` (e.g. a listed session
    ends then): a cached rendering must not outlive it. The earliest moment counts."""
    if moment is None:
        return
    earlier = getattr(request, CHANGES_AT, None)
    setattr(request, CHANGES_AT, moment if earlier is None else min(earlier, moment))


def _keep_for(request, timeout: int) -> int:
    """How many seconds to keep the rendering: at most until the page changes by itself."""
    moment = getattr(request, CHANGES_AT, None)
    if moment is None:
        return timeout
    return max(1, min(timeout, math.ceil((moment - timezone.now()).total_seconds())))


def canonical_query(query: QueryDict, params: tuple[str, ...], aliases: dict) -> QueryDict:
    """The page's own parameters in a fixed order, one value each; nothing else.

    ``aliases`` maps another accepted name to a parameter ("village" -> "dorp"); the
    parameter's own name wins when both are given, as in the page's form.
    """
    names = {name: [name] for name in params}
    for alias, name in aliases.items():
        names[name].append(alias)
    canonical = QueryDict(mutable=True)
    for name in params:
        given = next((other for other in names[name] if other in query), None)
        if given is not None and query[given]:
            canonical[name] = query[given]
    canonical._mutable = False
    return canonical


def _page_key(request, current_generation: str, today: date) -> str:
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        request.META["QUERY_STRING"],
        translation.get_language() or "",
        today.isoformat(),
        current_generation,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"omzien:public:page:{digest}"


# The generation this process saw last: a guess that lets one cache round trip fetch
# both the current generation and the page (Redis: one MGET), never trusted unchecked.
_last_seen_generation: str | None = None


def _lookup(request, today: date) -> tuple[str, str, dict | None]:
    """The current generation, the page's key under it, and the stored page or None."""
    global _last_seen_generation
    guess = _last_seen_generation
    if guess is not None:
        guessed_key = _page_key(request, guess, today)
        found = cache.get_many([GENERATION_KEY, guessed_key])
        if found.get(GENERATION_KEY) == guess:
            return guess, guessed_key, found.get(guessed_key)
    current = _last_seen_generation = generation()
    key = _page_key(request, current, today)
    return current, key, cache.get(key)


def _last_modified(current_generation: str, today: date) -> int:
    """The later of the last change and the start of today (pages say what is today)."""
    changed = int(current_generation.partition(".")[0]) // 1_000_000_000
    midnight = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    return max(changed, timegm(midnight.utctimetuple()))


def public_page(params: tuple[str, ...] = (), aliases: dict | None = None):
    """Cache a public GET view's rendering for anonymous visitors (see the module).

    ``params`` are the query parameters the page reads (``aliases``: other names for
    them). For anonymous visitors the view sees only those, in canonical form, so its
    rendering depends on nothing that is not in the key.
    """
    aliases = aliases or {}

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            timeout = settings.OMZIEN_PUBLIC_CACHE_SECONDS
            if (
                timeout <= 0
                or request.method not in ("GET", "HEAD")
                or request.user.is_authenticated
            ):
                return view(request, *args, **kwargs)
            request.GET = canonical_query(request.GET, params, aliases)
            request.META["QUERY_STRING"] = request.GET.urlencode()
            today = timezone.localdate()
            current, key, stored = _lookup(request, today)
            if stored is None:
                response = view(request, *args, **kwargs)
                if (
                    response.status_code != 200
                    or response.streaming
                    or response.cookies
                    # A page that carries a CSRF token is one visitor's: never shared.
                    or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                ):
                    return response
                kept = ("Content-Type", *KEPT_HEADERS)
                stored = {
                    "content": response.content,
                    "headers": {name: response[name] for name in kept if name in response},
                }
                if getattr(request, CHANGES_AT, None) is not None:
                    # Another rendering may follow under this key: tell them apart.
                    stored["rendered_at"] = int(time.time())
                cache.set(key, stored, _keep_for(request, timeout))
            response = HttpResponse(stored["content"])
            for name, value in stored["headers"].items():
                response.headers[name] = value
            # The key (and for a page that changes by the clock, when it was rendered)
            # names this rendering: the same key, the same page.
            rendered_at = stored.get("rendered_at")
            digest = key.rsplit(":", 1)[1]
            if rendered_at is not None:
                digest = hashlib.sha256(f"{digest}:{rendered_at}".encode()).hexdigest()
            etag = quote_etag(digest[:32])
            last_modified = max(_last_modified(current, today), rendered_at or 0)
            response.headers["ETag"] = etag
            response.headers["Last-Modified"] = http_date(last_modified)
            patch_cache_control(response, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
            # 304 Not Modified when the visitor has this rendering already.
            return get_conditional_response(request, etag, last_modified, response)

        return wrapper

    return decorator
