"""Errors as RFC 9457 problem details (``application/problem+json``), in the request's
language: Dutch unless Accept-Language (or the site's language cookie) asks for English.
"""

import json
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PROBLEM_TYPE = "application/problem+json"

# The title of each status; the detail says what went wrong this time.
TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Not authenticated"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    422: gettext_lazy("Invalid input"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}


def api_language(request) -> str:
    """The language of an API answer: the site's cookie if set, else Accept-Language
    (an API client has no language switch), else Dutch."""
    supported = {code for code, _name in settings.LANGUAGES}
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in supported:
        return chosen
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in supported:
            return code
    return settings.LANGUAGE_CODE


def problem_type(status: int) -> str:
    return f"/api/v1/docs/problems#{status}"


def problem(status: int, detail: str, *, errors=None, headers=None) -> HttpResponse:
    body = {
        "type": problem_type(status),
        "title": str(TITLES.get(status, TITLES[400])),
        "status": status,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def default_detail(status: int) -> str:
    return {
        400: _("The request could not be read."),
        401: _("Send a valid personal access token: Authorization: Bearer <token>."),
        403: _("Your token may not do this."),
        404: _("This does not exist, or is not within your reach."),
        405: _("This method is not allowed here."),
        422: _("The input is not valid."),
        429: _("Too many requests; try again later."),
    }.get(status, _("Something went wrong."))


def in_api_language(view):
    """Every API URL: answer in the request's language, turn Django's plain answers
    (405 from ninja's router) into problems, and keep token answers out of caches."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(api_language(request)):
            request.LANGUAGE_CODE = translation.get_language()
            try:
                response = view(request, *args, **kwargs)
            except Http404:  # ninja's root /api/v1/ raises it
                response = problem(404, default_detail(404))
            if response.status_code == 405 and response.get("Content-Type") != PROBLEM_TYPE:
                allowed = response.get("Allow", "")
                response = problem(405, default_detail(405), headers={"Allow": allowed})
            response["Content-Language"] = translation.get_language()
        if "Authorization" in request.headers:
            response["Cache-Control"] = "no-store, private"
        return response

    return wrapper


def not_found(request, rest=""):
    """Any other address under /api/v1/: a 404 problem, not the site's page."""
    with translation.override(api_language(request)):
        return problem(404, default_detail(404))
