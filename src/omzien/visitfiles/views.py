"""The upload page for coordinators: check a visit file, see every problem, then import.

Only users who manage places (coordinators, administrators) get the page, and only rows
of the places they manage are accepted. A file that was checked without problems is kept
in a private folder under a random token, so "Import" needs no second upload; it is
deleted after the import, or after a day.
"""

import secrets
import time
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.visitfiles.forms import VisitFileForm, too_large_message
from omzien.visitfiles.importing import import_visits, max_upload_bytes

SESSION_KEY = "visitfiles_pending"
KEEP_SECONDS = 24 * 60 * 60
SHOWN_PROBLEMS = 500


def _login_url() -> str:
    try:
        return resolve_url(settings.LOGIN_URL)
    except NoReverseMatch:  # before the site has a log-in page of its own
        return reverse("admin:login")


def managers_only(view):
    """Log in first; then only users who manage at least one place (403 for others)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), _login_url())
        places = list(
            permissions.places_for_user(request.user, Capability.MANAGE_PLACE).order_by("name")
        )
        if not places:
            raise PermissionDenied(_("Only coordinators can import visit files."))
        return view(request, places, *args, **kwargs)

    return wrapper


def upload_folder() -> Path:
    folder = Path(settings.OMZIEN_VISIT_UPLOAD_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _remove_old_uploads(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.*"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _keep(upload) -> Path:
    folder = upload_folder()
    _remove_old_uploads(folder)
    path = folder / f"{secrets.token_urlsafe(24)}{Path(upload.name).suffix.lower()}"
    with path.open("xb") as file:
        path.chmod(0o600)
        for chunk in upload.chunks():
            file.write(chunk)
    return path


def _pending_path(token: str) -> Path | None:
    if not token or "/" in token or token.startswith("."):
        return None
    matches = [p for p in upload_folder().glob(f"{token}.*") if p.suffix in (".csv", ".xlsx")]
    return matches[0] if len(matches) == 1 else None


def _page(request, places, form, result=None, token=None, status=200, message=None):
    return render(
        request,
        "visitfiles/import.html",
        {
            "form": form,
            "places": places,
            "result": result,
            "shown_errors": result.errors[:SHOWN_PROBLEMS] if result else [],
            "hidden_errors": max(0, result.error_count - SHOWN_PROBLEMS) if result else 0,
            "token": token,
            "message": message,
            "max_size": max_upload_bytes(),
        },
        status=status,
    )


def _run(request, places, path: Path, name: str, dry_run: bool):
    return import_visits(
        path,
        dry_run=dry_run,
        user=request.user,
        allowed_places=[place.pk for place in places],
        name=name,
    )


@require_http_methods(["GET", "POST"])
@managers_only
def upload(request, places):
    if request.method == "GET":
        return _page(request, places, VisitFileForm())
    # Refuse a body far over the limit before Django reads it into a temporary file.
    if int(request.META.get("CONTENT_LENGTH") or 0) > max_upload_bytes() + 1024 * 1024:
        return _page(request, places, VisitFileForm(), status=413, message=too_large_message())
    form = VisitFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, places, form, status=400)
    upload = form.cleaned_data["file"]
    dry_run = form.cleaned_data["check_only"]
    path = _keep(upload)
    result = _run(request, places, path, upload.name, dry_run)
    token = None
    if result.ok and dry_run:
        token = path.name.split(".", 1)[0]
        request.session[SESSION_KEY] = {"token": token, "name": upload.name}
    else:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
    return _page(request, places, VisitFileForm(), result=result, token=token)


@require_POST
@managers_only
def confirm(request, places):
    """Import the file that was checked a moment ago (its token is in the session)."""
    pending = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    path = _pending_path(token) if token and token == pending.get("token") else None
    if path is None:
        message = _("This check has expired. Upload the file again, please.")
        return _page(request, places, VisitFileForm(), status=400, message=message)
    try:
        result = _run(request, places, path, pending.get("name") or path.name, dry_run=False)
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
    return _page(request, places, VisitFileForm(), result=result)
