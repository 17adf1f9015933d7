"""The help pages: public (/hulp/: ask, offer, the notice board) and staff (/hulp/beheer/:
the coordinators' requests, proposals, call list; the door's "Hulp nodig?").

Public forms: CSRF, a honeypot field and a limit per address (`over_the_limit`, in the
cache: an anonymous GET or a refused POST writes no row). Nothing a resident writes is
public until a coordinator put it on the board, and the board shows a first name only
when the asker agreed to keeping their data.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts import permissions, throttling
from omzien.accounts.permissions import Capability
from omzien.helping import queries, services
from omzien.helping import transport as transport_links
from omzien.helping.forms import (
    BoardOfferForm,
    DoorHelpForm,
    FeedbackForm,
    ProposeForm,
    PublicAskForm,
    PublicOfferForm,
    StatusForm,
    TransportForm,
)
from omzien.places.models import Place

# --- Public pages ----------------------------------------------------------------------------


def over_the_limit(request) -> bool:
    return throttling.over_the_limit(request, "help-form", settings.OMZIEN_HELP_FORM_LIMIT)


def _too_many(request):
    return render(request, "helping/too_many.html", status=429)


def _public_context(form):
    return {
        "form": form,
        "retention_months": settings.OMZIEN_HELP_RETENTION_MONTHS,
        "places": Place.objects.active().select_related("village").order_by("name"),
    }


@require_GET
def start(request):
    return render(request, "helping/start.html")


def _public_form(request, form_class, template, save, extra=None):
    """GET: the empty form; POST: checked, limited, saved through ``save(form)``."""
    extra = extra or {}
    if request.method != "POST":
        return render(request, template, {**_public_context(form_class()), **extra})
    if over_the_limit(request):
        return _too_many(request)
    form = form_class(request.POST)
    if form.consent_refused:
        # Without consent nothing is kept: say how else to get help.
        return render(request, "helping/no_consent.html", {**_public_context(form), **extra})
    if form.is_valid():
        try:
            save(form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(reverse("help:thanks"))
    return render(request, template, {**_public_context(form), **extra}, status=400)


@require_http_methods(["GET", "POST"])
def ask(request):
    def save(form):
        data = form.cleaned_data
        services.ask(
            form.details(),
            acting_user=request.user,
            urgency=data["urgency"],
            for_someone_else=data["for_someone_else"],
            asked_by_name=data["asked_by_name"],
        )

    return _public_form(request, PublicAskForm, "helping/ask.html", save)


@require_http_methods(["GET", "POST"])
def offer(request):
    def save(form):
        data = form.cleaned_data
        services.offer(
            form.details(),
            acting_user=request.user,
            villages=data["villages"],
            max_km=data["max_km"],
            max_per_month=data["max_per_month"],
            has_car=data["has_car"],
        )

    return _public_form(request, PublicOfferForm, "helping/offer.html", save)


@require_http_methods(["GET", "POST"])
def transport(request):
    """ "Ik wil mee maar heb geen vervoer": a lift to an activity, asked like any request.
    The destination comes from the link (query string), which the form posts back to."""
    prefill = transport_links.from_query(request.GET)

    def save(form):
        data = form.cleaned_data
        services.ask_for_transport(
            form.details(),
            prefill.matching(data["place"], data["wanted_on"]),
            acting_user=request.user,
            note=data["description"],
        )

    initial = {"place": prefill.place, "wanted_on": prefill.day}
    return _public_form(
        request,
        lambda *args: TransportForm(*args, initial=initial),
        "helping/transport.html",
        save,
        {"destination": prefill},
    )


@require_GET
def thanks(request):
    return render(request, "helping/thanks.html")


@require_GET
def board(request):
    return render(request, "helping/board.html", {"requests": queries.board_requests()})


@require_http_methods(["GET", "POST"])
def board_offer(request, help_request_id):
    """ "Ik help graag": an offer for one request on the board; it reaches the coordinator."""
    help_request = queries.board_request(help_request_id)

    def save(form):
        services.offer(
            form.details(help_request.categories),
            acting_user=request.user,
            for_request=help_request,
        )

    return _public_form(
        request, BoardOfferForm, "helping/board_offer.html", save, {"request_": help_request}
    )


# --- Staff: the coordinators' pages ------------------------------------------------------------


help_staff_only = permissions.capability_required(Capability.HELP)


@help_staff_only
@require_GET
def manage(request):
    """The open requests of the user's places, with their state and how long they wait."""
    requests = queries.coordinator_list(request.user, closed=request.GET.get("afgesloten") == "1")
    return render(
        request,
        "helping/manage.html",
        {"requests": requests, "closed": request.GET.get("afgesloten") == "1"},
    )


@login_required
@require_GET
def request_detail(request, help_request_id):
    """A request with how to reach the asker (audit-logged), its history, proposals and
    suggestions, and what the coordinator can do next."""
    help_request = permissions.access_help_request_for_user(request.user, help_request_id)
    return render(request, "helping/request.html", queries.request_page(request.user, help_request))


def _back(help_request_id):
    return redirect("helping:request", help_request_id=help_request_id)


def _act(request, action, *args, **kwargs):
    try:
        action(*args, acting_user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    return True


@login_required
@require_POST
def propose(request, help_request_id):
    help_request = permissions.access_help_request_for_user(
        request.user, help_request_id, write=True
    )
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a helper."))
        return _back(help_request.pk)
    help_offer = permissions.one_of(
        permissions.help_offers(request.user).active(), form.cleaned_data["offer"]
    )
    suggestion = queries.suggestion_for(request.user, help_request, help_offer)
    if _act(
        request,
        services.propose,
        help_request,
        help_offer,
        score=suggestion.score if suggestion else 0.0,
        distance_km=suggestion.distance_km if suggestion else None,
        reasons=suggestion.reasons if suggestion else (),
    ):
        messages.success(request, _("Helper proposed. Call them, then confirm when both agree."))
    return _back(help_request.pk)


@login_required
@require_POST
def confirm(request, match_id):
    match = permissions.access_help_match_for_user(request.user, match_id, write=True)
    if _act(request, services.confirm, match):
        messages.success(
            request,
            _(
                "Connected. Whoever has an e-mail address got the other's details; "
                "call the others (see the call list)."
            ),
        )
    return _back(match.request_id)


@login_required
@require_POST
def decline(request, match_id):
    match = permissions.access_help_match_for_user(request.user, match_id, write=True)
    if _act(request, services.decline, match, note=request.POST.get("note", "")[:300]):
        messages.success(request, _("Proposal declined."))
    return _back(match.request_id)


@login_required
@require_GET
def helper_view(request, match_id):
    """What the helper is told before both agreed: what, where and a first name only."""
    match = permissions.access_help_match_for_user(request.user, match_id)
    return render(request, "helping/helper_view.html", {"match": match, "request_": match.request})


@login_required
@require_http_methods(["GET", "POST"])
def change_status(request, help_request_id):
    """Done, cancelled or no match: a GET asks to confirm, the POST does it."""
    write = request.method == "POST"
    help_request = permissions.access_help_request_for_user(
        request.user, help_request_id, write=write
    )
    form = StatusForm(request.POST or request.GET)
    if not form.is_valid():
        return _back(help_request.pk)
    action = form.cleaned_data["action"]
    if not write:
        return render(
            request, "helping/confirm_status.html", {"request_": help_request, "action": action}
        )
    do = {
        StatusForm.COMPLETE: services.complete,
        StatusForm.CANCEL: services.cancel,
        StatusForm.NO_MATCH: services.no_match,
    }[action]
    if _act(request, do, help_request, note=form.cleaned_data["note"]):
        messages.success(request, _("Saved."))
    return _back(help_request.pk)


@login_required
@require_POST
def board_toggle(request, help_request_id):
    help_request = permissions.access_help_request_for_user(
        request.user, help_request_id, write=True
    )
    on_board = request.POST.get("on_board") == "1"
    if _act(request, services.set_on_board, help_request, on_board):
        messages.success(
            request, _("On the notice board.") if on_board else _("Taken off the notice board.")
        )
    return _back(help_request.pk)


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, help_request_id):
    """ "Hoe ging het?", by the coordinator or a host of the place (often at the door)."""
    help_request = permissions.access_help_request_at_door_for_user(request.user, help_request_id)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _act(
            request,
            services.record_feedback,
            help_request,
            data["side"],
            data["answer"],
            note=data["note"],
        ):
            messages.success(request, _("Thank you, the answer has been saved."))
            if permissions.help_requests(request.user).filter(pk=help_request.pk).exists():
                return _back(help_request.pk)
            if help_request.person_id:
                return redirect("attendance:person", person_id=help_request.person_id)
            return redirect("attendance:door")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "helping/feedback.html", {"request_": help_request, "form": form}, status=status
    )


@help_staff_only
@require_GET
def call_list(request):
    """Who to call: proposals to put to helpers (what, where, a first name) and connected
    pairs to put in touch. HTML to print, or a PDF (``?pdf=1``)."""
    context = queries.call_list(request.user)
    if request.GET.get("pdf") != "1":
        return render(request, "helping/call_list.html", context)
    try:
        import weasyprint  # slow to import, and needs Pango: only here
    except (ImportError, OSError):
        return render(request, "helping/call_list_print.html", context)
    html = render_to_string("helping/call_list_print.html", context, request)
    pdf = weasyprint.HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="bellijst.pdf"'
    return response


@help_staff_only
@require_GET
def offers(request):
    return render(request, "helping/offers.html", {"offers": queries.offer_list(request.user)})


@login_required
@require_POST
def offer_toggle(request, offer_id):
    """Pause an offer (the helper stops for a while) or start it again."""
    help_offer = permissions.access_help_offer_for_user(request.user, offer_id, write=True)
    active = request.POST.get("active") == "1"
    services.set_offer_active(help_offer, active, acting_user=request.user)
    messages.success(request, _("The helper can be asked again.") if active else _("Paused."))
    return redirect("helping:offers")


# --- On someone's behalf: at the door, from a signal ---------------------------------------------


def _door_form(request, person_id, *, offering: bool):
    write = request.method == "POST"
    person = permissions.access_person_for_user(
        request.user, person_id, write=write, reading="help at the door"
    )
    place = services.door_place(request.user, person)
    form = DoorHelpForm(request.POST or None, offering=offering)
    if write and form.is_valid():
        details = form.details(person, place)
        try:
            if offering:
                services.offer(details, acting_user=request.user, person=person, place=place)
            else:
                services.ask(
                    details,
                    acting_user=request.user,
                    person=person,
                    place=place,
                    urgency=form.cleaned_data["urgency"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Noted: the coordinator will get in touch about it.")
                if not offering
                else _(
                    "Noted: thank you! The coordinator will get in touch when someone needs them."
                ),
            )
            return redirect("attendance:person", person_id=person.pk)
    return render(
        request,
        "helping/door_form.html",
        {"person": person, "form": form, "offering": offering, "place": place},
        status=400 if write else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def door_ask(request, person_id):
    return _door_form(request, person_id, offering=False)


@login_required
@require_http_methods(["GET", "POST"])
def door_offer(request, person_id):
    return _door_form(request, person_id, offering=True)


@login_required
@require_http_methods(["GET", "POST"])
def from_signal(request, pk):
    """One step from a signal's follow-up ("needs help") to a request for that person."""
    write = request.method == "POST"
    signal = permissions.access_signal_for_user(request.user, pk, write=write)
    form = DoorHelpForm(request.POST or None)
    if write and form.is_valid():
        try:
            help_request = services.ask(
                form.details(signal.person, signal.place),
                acting_user=request.user,
                signal=signal,
                urgency=form.cleaned_data["urgency"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The help request has been noted."))
            if permissions.help_requests(request.user).filter(pk=help_request.pk).exists():
                return _back(help_request.pk)
            return redirect("signals:detail", pk=signal.pk)
    return render(
        request,
        "helping/door_form.html",
        {"person": signal.person, "form": form, "offering": False, "signal": signal},
        status=400 if write else 200,
    )
