"""Omzien's one settings module, configured from environment variables.

Without any environment the settings suit the demo: SQLite in ``OMZIEN_DATA_DIR``
(default ``./var``) and a secret key kept in that folder. With ``OMZIEN_ENV=production``
the settings are strict: ``SECRET_KEY`` and ``ALLOWED_HOSTS`` must be given, cookies are
secure and the site expects HTTPS from a reverse proxy.
"""

import importlib.util
import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from omzien.config.env import env_bool, env_float, env_int, env_list

PACKAGE_DIR = Path(__file__).resolve().parent.parent

OMZIEN_ENV = os.environ.get("OMZIEN_ENV", "demo")
if OMZIEN_ENV not in {"demo", "production"}:
    raise ImproperlyConfigured(f"OMZIEN_ENV must be demo or production, not {OMZIEN_ENV!r}")
PRODUCTION = OMZIEN_ENV == "production"

DATA_DIR = Path(os.environ.get("OMZIEN_DATA_DIR", "var")).resolve()


def _demo_secret_key() -> str:
    """A secret kept in the data folder, so demo sessions survive a restart."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be set to at least 32 characters in production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _demo_secret_key()
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

DEBUG = env_bool("DEBUG", False)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A refused form gets the site's Dutch page, not Django's English one.
CSRF_FAILURE_VIEW = "omzien.core.views.csrf_failure"

INSTALLED_APPS = [
    "omzien.core",
    "omzien.accounts",
    "omzien.places",
    "omzien.agenda",
    "omzien.people",
    "omzien.attendance",
    "omzien.audit",
    "omzien.reports",
    "omzien.signals",
    "omzien.helping",
    "omzien.wellbeing",
    "omzien.privacy",
    "omzien.proposals",
    "omzien.visiting",
    "omzien.villageplatform",
    "omzien.visitfiles",
    "omzien.api",
    "omzien.demo",
    "omzien.backups",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Passkeys and security keys (WebAuthn) as a third kind of django-otp device.
    "django_otp_webauthn",
    # django-ninja (the API): its docs page and the Swagger UI files it ships, served
    # from our static files (no CDN).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "omzien.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second step.
    "django_otp.middleware.OTPMiddleware",
    # Professionals and administrators without a verified second step can only set it up
    # or log out (omzien.accounts.two_factor).
    "omzien.accounts.middleware.TwoFactorMiddleware",
    "omzien.accounts.middleware.DoorIdleSessionMiddleware",
    "omzien.core.middleware.NoStoreForPersonalDataMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a lockout into accounts/locked_out.html.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "omzien.config.urls"
WSGI_APPLICATION = "omzien.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "omzien.places.context_processors.region",
                "omzien.accounts.context_processors.staff_menu",
            ],
        },
    },
]


def _database_from_environment() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        try:
            config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        except ValueError as error:
            raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
        config["CONN_HEALTH_CHECKS"] = True
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "omzien.sqlite3",
        "OPTIONS": {
            # WAL lets readers work while a check-in writes; IMMEDIATE takes the write
            # lock at the start of a transaction so concurrent writers wait instead of
            # failing halfway with "database is locked".
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # A file, not memory: threads of the live test server then use connections of
        # their own, so concurrency tests meet SQLite's real locking.
        "TEST": {"NAME": str(DATA_DIR / "test_omzien.sqlite3")},
        # Kept open between requests: opening SQLite and setting the pragmas again on
        # every check-in costs more than the check-in itself.
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": _database_from_environment()}


def _cache_from_environment() -> dict:
    """Django's cache from CACHE_URL; without it a folder in the data folder.

    The default needs nothing installed and is shared by the gunicorn workers of one
    machine; several app servers share Redis (``redis://host:6379/0``).
    """
    url = os.environ.get("CACHE_URL", "").strip()
    scheme, separator, rest = url.partition("://")
    if not url or (scheme == "file" and rest):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": rest if url else str(DATA_DIR / "cache"),
            # Django's default of 300 entries is a few weeks of agenda pages with filters.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    backends = {
        "redis": "redis.RedisCache",
        "rediss": "redis.RedisCache",
        "unix": "redis.RedisCache",
        "locmem": "locmem.LocMemCache",
        "dummy": "dummy.DummyCache",
    }
    if not separator or scheme not in backends:
        raise ImproperlyConfigured(
            "CACHE_URL must start with redis://, rediss://, unix://, file:///, locmem:// or "
            f"dummy://, not {url!r}"
        )
    location = rest if scheme == "locmem" else url
    return {"BACKEND": f"django.core.cache.backends.{backends[scheme]}", "LOCATION": location}


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords (omzien.accounts.passwords): at least OMZIEN_PASSWORD_MIN_LENGTH characters,
# not like the user's name or e-mail, not only digits, and in neither Django's list of
# 20,000 common passwords nor the list of breached passwords shipped with Omzien (offline:
# no web service is asked).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("OMZIEN_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "omzien.accounts.passwords.BreachedPasswordValidator"},
]
# Two-factor log-in (omzien.accounts.two_factor, django-otp): the name authenticator apps
# show, and how many wrong codes one account may enter in OMZIEN_LOGIN_COOLOFF_MINUTES
# before the second step is refused (counted in the "login_attempts" cache, never in the
# database). django-otp's own throttle is off: it writes a row for every wrong code.
OTP_TOTP_ISSUER = os.environ.get("OMZIEN_OTP_ISSUER", "Omzien")
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OMZIEN_OTP_FAILURE_LIMIT = env_int("OMZIEN_OTP_FAILURE_LIMIT", 5)
# django-axes first: it refuses a locked-out account before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
# Door tablets are shared: users who are only hosts are logged out after this many
# minutes without a request (omzien.accounts.middleware); others keep SESSION_COOKIE_AGE.
OMZIEN_DOOR_IDLE_MINUTES = env_int("OMZIEN_DOOR_IDLE_MINUTES", 30)
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"


def _leaflet_static_dir() -> Path:
    """django-leaflet's bundled Leaflet (static/leaflet/: JS, CSS, marker images).

    Its folder, not the app: as an installed app its admin module needs GeoDjango's GDAL,
    which Omzien does not use, and its template tags write inline scripts, which the CSP
    refuses (places/static/places/map.js draws the map). Found without importing it, as
    it reads the settings on import.
    """
    spec = importlib.util.find_spec("leaflet")
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured("django-leaflet is missing: pip install django-leaflet")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


STATICFILES_DIRS = [_leaflet_static_dir()]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names for far-future caching in production; the demo and the tests run
    # without a collected manifest.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    # A municipality's subdomains are its own to secure; set these false for a host
    # name whose siblings still serve plain HTTP (`omzien check --deploy` then warns).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Strict: only our own scripts and styles; JSON-LD data blocks are not executed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Log-in throttling (django-axes, see omzien/accounts/throttling.py) on /inloggen/ and
# /beheer/login/: after OMZIEN_LOGIN_FAILURE_LIMIT wrong passwords for one account from one
# address, that account is locked for that address for OMZIEN_LOGIN_COOLOFF_MINUTES (from
# the last failure; trying again while locked does not extend it). Per account and
# address, so a volunteer who mistypes at a shared tablet does not lock out the other
# hosts behind the same router. The counts live in a cache, never in the database: an
# anonymous request writes no rows. A file cache is shared by all gunicorn workers of the
# server and survives a restart (django-axes warns about it, axes.W001, because it is not
# shared between servers; Omzien runs on one server: with more, point the
# "login_attempts" cache at Memcached or Redis). Failed log-ins are logged at WARNING by
# the logger "axes", with account name and address.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "login_attempts"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("OMZIEN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("OMZIEN_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "omzien.accounts.throttling.locked_out"
AXES_CLIENT_IP_CALLABLE = "omzien.accounts.throttling.client_ip"
AXES_SENSITIVE_PARAMETERS = []  # the log names the account and the address
AXES_ENABLE_ADMIN = False  # its admin pages show database rows, which the cache never has
# How many reverse proxies of ours stand in front of gunicorn (nginx: 1), so the log-in
# throttle sees the visitor's address in X-Forwarded-For; 0 trusts no such header.
OMZIEN_PROXY_COUNT = env_int("OMZIEN_PROXY_COUNT", 1 if PRODUCTION else 0)
# The default cache (CACHE_URL, see _cache_from_environment) keeps the public pages for
# anonymous visitors; log-in attempts have a file cache of their own.
CACHES = {
    "default": _cache_from_environment(),
    "login_attempts": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "login-attempts",
        # Far more than real failures in a cool-off; culling (a random third) would
        # forget counts, so it must not happen in normal use.
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}
SILENCED_SYSTEM_CHECKS = ["axes.W001"]  # one server: see the comment above

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The API (omzien.api, docs/api.md): requests per caller in a window of this many seconds,
# per personal access token and per address for anonymous callers. Counted in the default
# cache: no rows written.
OMZIEN_API_RATE_WINDOW = env_int("OMZIEN_API_RATE_WINDOW", 60)
OMZIEN_API_TOKEN_RATE = env_int("OMZIEN_API_TOKEN_RATE", 120)
OMZIEN_API_ANONYMOUS_RATE = env_int("OMZIEN_API_ANONYMOUS_RATE", 60)

# Sessions of recurring activities exist as rows from this many weeks back to this many
# weeks ahead; the nightly `omzien materialise_sessions` keeps the window rolling.
OMZIEN_SESSION_WINDOW_PAST_WEEKS = env_int("OMZIEN_SESSION_WINDOW_PAST_WEEKS", 2)
OMZIEN_SESSION_WINDOW_WEEKS = env_int("OMZIEN_SESSION_WINDOW_WEEKS", 13)
# How long an anonymous rendering of a public page or feed is kept in the cache (seconds).
# Changes to places, activities, sessions and closures show at once anyway (the cache's
# content generation is bumped); this bounds how stale a page can be after a change that
# bypasses the models. 0 turns the public page cache off.
OMZIEN_PUBLIC_CACHE_SECONDS = env_int("OMZIEN_PUBLIC_CACHE_SECONDS", 600)
# The host name in iCalendar UIDs; it must never change once feeds are subscribed to.
OMZIEN_ICAL_DOMAIN = os.environ.get("OMZIEN_ICAL_DOMAIN", "omzien.nl")
# How long a visitor's name and visits are kept after their last visit, unless they ask
# to be removed sooner; the check-in screen says so when it asks for consent.
OMZIEN_RETENTION_YEARS = env_int("OMZIEN_RETENTION_YEARS", 2)
# A help request's contact details are forgotten this many months after it closed
# (omzien forget_inactive_people, privacy.steps).
OMZIEN_HELP_RETENTION_MONTHS = env_int("OMZIEN_HELP_RETENTION_MONTHS", 12)
# A help request without a helper this many hours after it was asked goes to the
# professionals (omzien escalate_help, helping.notifications).
OMZIEN_HELP_ESCALATE_HOURS = env_int("OMZIEN_HELP_ESCALATE_HOURS", 48)
# The public help forms take at most this many submissions per address per hour (counted
# in the cache, so an anonymous visitor never writes a row); more get a Dutch 429.
OMZIEN_HELP_FORM_LIMIT = env_int("OMZIEN_HELP_FORM_LIMIT", 5)

# Proposed activities (/plannen/): the public forms' limit per address per hour (proposing,
# and "ik doe mee", each counted apart), how many of the nearest meeting places' coordinators
# decide about a proposal, and after how many months an open proposal expires and its
# contact details are forgotten (omzien forget_inactive_people). How many people must join
# before the coordinators hear of it is a setting of the region (Region.proposal_threshold).
OMZIEN_PROPOSAL_FORM_LIMIT = env_int("OMZIEN_PROPOSAL_FORM_LIMIT", 5)
OMZIEN_PROPOSAL_NEAREST_PLACES = env_int("OMZIEN_PROPOSAL_NEAREST_PLACES", 2)
OMZIEN_PROPOSAL_STALE_MONTHS = env_int("OMZIEN_PROPOSAL_STALE_MONTHS", 6)

# Questionnaires (wellbeing): the repeat after the baseline, how long a personal link
# stays valid, how long the one-time link to a person's own answers (their inzage of the
# answers) stays valid, and the smallest group any figure is shown for (also the reports'
# rule).
OMZIEN_QUESTIONNAIRE_REPEAT_MONTHS = env_int("OMZIEN_QUESTIONNAIRE_REPEAT_MONTHS", 6)
OMZIEN_QUESTIONNAIRE_LINK_DAYS = env_int("OMZIEN_QUESTIONNAIRE_LINK_DAYS", 14)
OMZIEN_OWN_ANSWERS_LINK_DAYS = env_int("OMZIEN_OWN_ANSWERS_LINK_DAYS", 7)
OMZIEN_MIN_CELL = env_int("OMZIEN_MIN_CELL", 5)
# The upload page for visit lists: the largest file it takes, and where a checked file
# waits (at most a day) for the coordinator to confirm the import.
OMZIEN_VISIT_FILE_MAX_BYTES = env_int("OMZIEN_VISIT_FILE_MAX_BYTES", 50 * 1024 * 1024)
# An .xlsx is a zip file: how large it may unpack to before anything reads it (upload page
# and `omzien import_visits` alike), so a zip bomb is refused at once. A visit list packs
# 12-17 times; ten times the upload limit takes every .xlsx of up to about a million rows.
OMZIEN_VISIT_FILE_MAX_UNPACKED_BYTES = env_int(
    "OMZIEN_VISIT_FILE_MAX_UNPACKED_BYTES", 10 * OMZIEN_VISIT_FILE_MAX_BYTES
)
OMZIEN_VISIT_UPLOAD_DIR = Path(
    os.environ.get("OMZIEN_VISIT_UPLOAD_DIR", DATA_DIR / "visit-uploads")
)

# Absence signals (omzien.signals.detection): a signal is raised when P(dropped out) is at
# least the threshold and the person's own rhythm gates are passed; signals nobody picked
# up escalate to the professionals after the set days.
OMZIEN_SIGNAL_THRESHOLD = env_float("OMZIEN_SIGNAL_THRESHOLD", 0.2)
# The threshold for a slower rhythm (fortnightly or monthly), whose probability after one
# missed session is lower and, on the quality benchmark, a real dropout more often.
OMZIEN_SIGNAL_SLOW_THRESHOLD = env_float("OMZIEN_SIGNAL_SLOW_THRESHOLD", 0.15)
OMZIEN_SIGNAL_LOOKBACK_WEEKS = env_int("OMZIEN_SIGNAL_LOOKBACK_WEEKS", 52)
OMZIEN_SIGNAL_MIN_VISITS = env_int("OMZIEN_SIGNAL_MIN_VISITS", 3)
OMZIEN_SIGNAL_MIN_DAYS = env_int("OMZIEN_SIGNAL_MIN_DAYS", 21)
OMZIEN_SIGNAL_MIN_MISSED = env_int("OMZIEN_SIGNAL_MIN_MISSED", 1)
OMZIEN_SIGNAL_GAP_FACTOR = env_float("OMZIEN_SIGNAL_GAP_FACTOR", 1.25)
OMZIEN_SIGNAL_ESCALATE_DAYS = env_int("OMZIEN_SIGNAL_ESCALATE_DAYS", 7)
# A new signal is first a question at the door ("Wie weet hoe het met Jan gaat?"); it
# becomes a coordinator's follow-up when a host answers "weet niet", or after the set days
# without an answer (omzien.signals.first_contact). "Ziek" counts as an announced absence
# of the set days.
OMZIEN_FIRST_CONTACT_DAYS = env_int("OMZIEN_FIRST_CONTACT_DAYS", 14)
OMZIEN_FIRST_CONTACT_ILL_DAYS = env_int("OMZIEN_FIRST_CONTACT_ILL_DAYS", 21)
# The probability is calibrated on the region's own closed signals (per kind of rhythm,
# refitted nightly) once a kind has this many that tell whether the person had stopped.
OMZIEN_SIGNAL_CALIBRATION_MIN_LABELS = env_int("OMZIEN_SIGNAL_CALIBRATION_MIN_LABELS", 200)

# Mail (the escalation notice to professionals). The demo prints mails on standard error;
# production sets EMAIL_BACKEND to django.core.mail.backends.smtp.EmailBackend and the
# EMAIL_HOST settings below (see the README's settings list).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "omzien.core.mail.StderrEmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Omzien <omzien@localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    # Django would only say so when the first mail goes out, in the middle of the night.
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
# A stuck mail server must not hold up the nightly run for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# The map of the places (places.map): the tiles behind the markers, a URL template with
# {z}/{x}/{y} in Web Mercator (EPSG:3857); the default is Kadaster's BRT Achtergrondkaart
# through PDOK. Empty: no tiles (offline), the markers are still drawn. The CSP allows
# images from the tile host on the map pages only.
OMZIEN_MAP_TILES = os.environ.get(
    "OMZIEN_MAP_TILES",
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
).strip()
OMZIEN_MAP_ATTRIBUTION = os.environ.get(
    "OMZIEN_MAP_ATTRIBUTION", "© Kadaster, BRT Achtergrondkaart"
).strip()
# Looking up a place's address (places.geocoding): PDOK's Locatieserver v3.1 (its `free`
# and `suggest` endpoints are added to this URL), and how long a coordinator waits for
# it before entering coordinates by hand.
OMZIEN_GEOCODER_URL = os.environ.get(
    "OMZIEN_GEOCODER_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1/"
).strip()
OMZIEN_GEOCODER_TIMEOUT = env_float("OMZIEN_GEOCODER_TIMEOUT", 4.0)

# Where people reach the site: mails link to pages on it (they have no request to ask).
OMZIEN_SITE_URL = os.environ.get("OMZIEN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


# Passkeys and security keys (django-otp-webauthn, omzien.accounts.passkeys): a second step
# beside the authenticator app. A credential belongs to one relying-party id, a domain
# name (never an IP address: browsers refuse those), and answers only on the origins
# listed; changing the id later makes every registered passkey useless. Without
# settings: the host of OMZIEN_SITE_URL (production: else the first ALLOWED_HOSTS name),
# and in the demo, which runs on 127.0.0.1, "localhost" (a secure context over plain
# HTTP) on the site's port. Passwordless log-in is off: a passkey replaces the code,
# never the password.


def _is_domain_name(host: str | None) -> bool:
    if not host or host == "*":
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return True
    return False


def _default_webauthn_rp_id() -> str:
    site_host = urlsplit(OMZIEN_SITE_URL).hostname
    if _is_domain_name(site_host):
        return site_host
    if PRODUCTION:
        names = [host.lstrip(".") for host in ALLOWED_HOSTS if _is_domain_name(host.lstrip("."))]
        if names:
            return names[0]
    return "localhost"


def _default_webauthn_origins(rp_id: str) -> list[str]:
    site = urlsplit(OMZIEN_SITE_URL)
    if site.hostname == rp_id and (site.scheme == "https" or rp_id == "localhost"):
        return [f"{site.scheme}://{site.netloc}"]
    if PRODUCTION or rp_id != "localhost":
        return [f"https://{rp_id}"]
    return [f"http://localhost:{site.port or 8000}"]


OTP_WEBAUTHN_RP_ID = os.environ.get("OMZIEN_WEBAUTHN_RP_ID", "").strip() or (
    _default_webauthn_rp_id()
)
OTP_WEBAUTHN_RP_NAME = os.environ.get("OMZIEN_WEBAUTHN_RP_NAME", "Omzien")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "OMZIEN_WEBAUTHN_ORIGINS", _default_webauthn_origins(OTP_WEBAUTHN_RP_ID)
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
