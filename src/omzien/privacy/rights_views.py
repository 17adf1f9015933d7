"""The privacy-rights pages (AVG): find a person, their page with inzage (PDF, JSON), the
one-time link to their own questionnaire answers, rectification, restriction and erasure
on request; the administrator's audit log.

Thin: who may is `accounts.permissions` (``privacy_rights_people``, ``audit_events_for_user``),
the writes and the audit rows are `privacy.services`. Plain forms, no JavaScript; the
destructive action has its confirmation page.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.core.qr import qr_svg
from omzien.core.spreadsheets import csv_writer
from omzien.privacy import services
from omzien.privacy.access_pdf import render_pdf
from omzien.privacy.rights_forms import AuditFilterForm, FindPersonForm, RectifyForm
from omzien.wellbeing import services as wellbeing

AUDIT_PAGE_SIZE = 50
FOUND_AT_MOST = 30


def _person(request, person_id, *, write=False, reading="privacy rights"):
    return permissions.access_privacy_person_for_user(
        request.user, person_id, write=write, reading=reading
    )


@permissions.capability_required(Capability.FOLLOW_UP)
@require_GET
def find_person(request):
    """Find the person who asks, by name, among the people of the user's places."""
    form = FindPersonForm(request.GET or None)
    found = []
    if form.is_valid() and form.cleaned_data["q"]:
        people = permissions.privacy_rights_people_for_user(
            request.user, reading="privacy rights search"
        )
        found = people.matching(form.cleaned_data["q"]).select_related("village")[:FOUND_AT_MOST]
    return render(request, "privacy/rights/find.html", {"form": form, "found": found})


@login_required
@require_GET
def person(request, person_id):
    found = _person(request, person_id)
    has_own_answers = wellbeing.has_own_answers(found, acting_user=request.user)
    return render(
        request,
        "privacy/rights/person.html",
        {"person": found, "has_own_answers": has_own_answers},
    )


@login_required
@require_GET
def access_pdf(request, person_id):
    found = _person(request, person_id, write=True)
    inzage = services.produce_access_request(found, acting_user=request.user, output="pdf")
    response = HttpResponse(render_pdf(inzage), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="inzage-{found.pk}.pdf"'
    return response


@login_required
@require_GET
def access_json(request, person_id):
    found = _person(request, person_id, write=True)
    inzage = services.produce_access_request(found, acting_user=request.user, output="json")
    response = JsonResponse(
        inzage.as_json(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="inzage-{found.pk}.json"'
    return response


@login_required
@require_POST
def own_answers_link(request, person_id):
    """A one-time link for the person to see their own questionnaire answers on their own
    phone: shown here once (address, QR code, a slip to print), to hand over unopened."""
    found = _person(request, person_id, write=True)
    try:
        signed = wellbeing.make_own_answers_link(found, acting_user=request.user)
    except wellbeing.Refused as error:
        messages.info(request, str(error))
        return redirect("privacy_rights:person", person_id=found.pk)
    address = request.build_absolute_uri(
        reverse("wellbeing_link:own_answers", kwargs={"signed": signed})
    )
    context = {
        "person": found,
        "address": address,
        "qr": qr_svg(address, title=_("QR code of the link to one's own answers")),
        "valid_until": timezone.localtime() + wellbeing.own_answers_max_age(),
    }
    return render(request, "privacy/rights/own_answers_link.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rectify(request, person_id):
    found = _person(request, person_id, write=request.method == "POST")
    initial = {
        "first_name": found.first_name,
        "last_name": found.last_name,
        "village": found.village,
    }
    form = RectifyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectify_person(found, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The corrections are saved."))
            return redirect("privacy_rights:person", person_id=found.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "privacy/rights/rectify.html", {"person": found, "form": form}, status=status
    )


@login_required
@require_POST
def restrict(request, person_id):
    found = _person(request, person_id, write=True)
    services.restrict_person(found, acting_user=request.user)
    messages.success(request, _("Restricted: no signals and no help matching for this person."))
    return redirect("privacy_rights:person", person_id=found.pk)


@login_required
@require_POST
def lift(request, person_id):
    found = _person(request, person_id, write=True)
    services.lift_restriction(found, acting_user=request.user)
    messages.success(request, _("The restriction is lifted."))
    return redirect("privacy_rights:person", person_id=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def erase(request, person_id):
    """Confirm (GET) and erase (POST)."""
    if request.method == "GET":
        found = _person(request, person_id, reading="erasure confirmation")
        try:
            services.check_may_erase_on_request(found, request.user)
        except permissions.PermissionDenied as refusal:
            return render(
                request, "privacy/rights/erase.html", {"person": found, "refusal": refusal}
            )
        return render(request, "privacy/rights/erase.html", {"person": found})
    found = _person(request, person_id, write=True)
    forgotten = services.erase_person_on_request(found, acting_user=request.user)
    messages.success(
        request,
        ngettext(
            "Erased. %(count)d visit stays as an anonymous count.",
            "Erased. %(count)d visits stay as anonymous counts.",
            forgotten["visits"],
        )
        % {"count": forgotten["visits"]},
    )
    return redirect("privacy_rights:people")


AUDIT_COLUMNS = ("at", "user", "action", "subject", "person_id", "detail")


@permissions.capability_required(Capability.MANAGE_REGION)
@require_GET
def audit_log(request):
    """Who looked at or changed whose data: filtered, paged, or as CSV (``?export=csv``)."""
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "privacy/rights/audit_log.html", {"form": form}, status=400)
    exporting = request.GET.get("export") == "csv"
    criteria = form.cleaned_data if form.is_bound else {}
    detail = ", ".join(f"{key}={value}" for key, value in criteria.items() if value)
    events = permissions.audit_events_for_user(
        request.user,
        reading="audit log export" if exporting else "audit log",
        detail=detail,
    ).select_related("user")
    if form.is_bound:
        events = form.filter(events)
    if exporting:
        return _audit_csv(events)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "privacy/rights/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _audit_csv(events) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(AUDIT_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            [
                event.at,
                event.user.get_username() if event.user else "",
                event.action,
                event.subject,
                event.person_id,
                event.detail,
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="auditlog.csv"'
    return response
