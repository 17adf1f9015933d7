"""The upload page for coordinators: check a visit file, see every problem, then import.

Only users who manage places (coordinators, administrators) get the page, and only rows
of the places they manage are accepted. A file that was checked without problems is kept
under a token of that user (``visitfiles.services``: the page's only write path), so
"Import" needs no second upload; it is deleted after the import, or after a day.
"""

from functools import wraps

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.visitfiles import example, services
from omzien.visitfiles.forms import VisitFileForm, too_large_message
from omzien.visitfiles.importing import max_upload_bytes

SESSION_KEY = "visitfiles_pending"
SHOWN_PROBLEMS = 500


def managers_only(view):
    """Log in first; then only users who manage at least one place (403 for others); the
    view gets their places."""

    @permissions.capability_required(
        Capability.MANAGE_PLACE, gettext_lazy("Only coordinators can import visit files.")
    )
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        places = list(
            permissions.places_for_user(request.user, Capability.MANAGE_PLACE).order_by("name")
        )
        return view(request, places, *args, **kwargs)

    return wrapper


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


def _close_uploads(request) -> None:
    """Close Django's own copies of the upload (a temporary file for large ones) now."""
    for _name, files in request.FILES.lists():
        for file in files:
            file.close()


@require_http_methods(["GET", "POST"])
@managers_only
def upload(request, places):
    if request.method == "GET":
        return _page(request, places, VisitFileForm())
    # Refuse a body far over the limit before Django reads it into a temporary file.
    if int(request.META.get("CONTENT_LENGTH") or 0) > max_upload_bytes() + 1024 * 1024:
        return _page(request, places, VisitFileForm(), status=413, message=too_large_message())
    try:
        form = VisitFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return _page(request, places, form, status=400)
        result, pending = services.check_upload(
            form.cleaned_data["file"],
            acting_user=request.user,
            dry_run=form.cleaned_data["check_only"],
        )
    finally:
        _close_uploads(request)
    token = None
    if pending is not None:
        token = pending.token
        request.session[SESSION_KEY] = {"token": token, "name": pending.name}
    else:
        request.session.pop(SESSION_KEY, None)
    status = 200 if result.ok else 400
    return _page(request, places, VisitFileForm(), result=result, token=token, status=status)


@require_POST
@managers_only
def confirm(request, places):
    """Import the file that was checked a moment ago (its token is in the session)."""
    pending = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    result = None
    if token and token == pending.get("token"):
        request.session.pop(SESSION_KEY, None)
        result = services.confirm_upload(token, acting_user=request.user, name=pending.get("name"))
    if result is None:
        message = _("This check has expired. Upload the file again, please.")
        return _page(request, places, VisitFileForm(), status=400, message=message)
    status = 200 if result.ok else 400
    return _page(request, places, VisitFileForm(), result=result, status=status)


def _template(places, kind: str) -> HttpResponse:
    row = example.example_row([place.pk for place in places], timezone.localdate())
    if kind == "csv":
        content, content_type = example.example_csv(row), "text/csv; charset=utf-8"
    else:
        content = example.example_xlsx(row)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bezoeken-voorbeeld.{kind}"'
    return response


@require_GET
@managers_only
def template_csv(request, places):
    """The template as CSV for Dutch Excel: the Dutch column names and one example row."""
    return _template(places, "csv")


@require_GET
@managers_only
def template_xlsx(request, places):
    """The template as an Excel workbook: the Dutch column names and one example row."""
    return _template(places, "xlsx")
