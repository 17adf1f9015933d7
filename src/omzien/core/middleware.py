from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control

# The URL namespaces whose pages show personal data (or lead to it): the door, the
# attendance overview, signals, visit files, duplicate visitors (privacy), help's staff
# pages (helping; the public help pages are ``help``), questionnaires (wellbeing, its
# personal link), logging in and the admin. A URL in a new namespace with personal data
# belongs here too.
PRIVATE_NAMESPACES = frozenset(
    {
        "attendance",
        "reports",
        "signals",
        "visitfiles",
        "privacy",
        "accounts",
        "admin",
        "planning",
        "helping",
        "visiting",
        "wellbeing",
        "wellbeing_link",
        "api_tokens",
    }
)


class ChosenLanguageMiddleware:
    """Dutch unless the visitor chose another language with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a tablet at a
    Dutch meeting place set to English should still show Dutch unless someone chose.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreForPersonalDataMiddleware:
    """``Cache-Control: no-store, private`` on every response that may hold personal data.

    The rule is kept simple so no page is forgotten: every response to a logged-in user
    (the header names them, door tablets are shared), and every response of the staff
    URLs (PRIVATE_NAMESPACES), logged in or not. Public pages for anonymous visitors are
    left alone, so they can be cached. Place it after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._private(request):
            if "no-store" in response.get("Cache-Control", ""):
                patch_cache_control(response, private=True)  # e.g. Django's never_cache
            else:
                # Nothing may be kept, however long another part of the site allowed.
                response["Cache-Control"] = "no-store, private"
            if "Expires" in response:
                del response["Expires"]
        return response

    @staticmethod
    def _private(request) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is not None and PRIVATE_NAMESPACES.intersection(match.namespaces):
            return True
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False  # no session, so nobody is logged in: no need to look it up
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated
