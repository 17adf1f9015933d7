"""The pages of proposed activities: public at /plannen/ (the board, proposing, "ik doe
mee") and for staff at /plannen/beheer/ (waiting proposals, deciding, writing one down for
a resident, turning one into an activity).

Public forms: CSRF, a honeypot and an hourly limit per address (``accounts.throttling``,
in the cache: a GET or a refused POST writes no row). Nothing a resident wrote is public
before a coordinator approved it; an id of any other proposal is a 404, like one that does
not exist. The public pages show no contact details, and Django escapes all free text.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts import permissions, throttling
from omzien.accounts.permissions import Capability
from omzien.places.models import Place
from omzien.proposals import queries, services
from omzien.proposals.forms import JoinForm, ProposalForm, RejectForm, StartActivityForm

# --- Public pages --------------------------------------------------------------------------------


def _limited(request, scope: str):
    """The 429 page past the hourly limit of the address, else None."""
    if throttling.over_the_limit(request, scope, settings.OMZIEN_PROPOSAL_FORM_LIMIT):
        return render(request, "proposals/too_many.html", status=429)
    return None


def _context(form, **extra):
    return {
        "form": form,
        "stale_months": settings.OMZIEN_PROPOSAL_STALE_MONTHS,
        "places": Place.objects.active().select_related("village").order_by("name"),
        **extra,
    }


@require_GET
def board(request):
    return render(request, "proposals/board.html", {"proposals": queries.board()})


@require_http_methods(["GET", "POST"])
def propose(request):
    if request.method != "POST":
        return render(request, "proposals/new.html", _context(ProposalForm()))
    if refused := _limited(request, "plan-new"):
        return refused
    form = ProposalForm(request.POST)
    if form.consent_refused:
        return render(request, "proposals/no_consent.html", _context(form))
    if form.is_valid():
        try:
            services.propose(form.idea(), form.contact(), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("plans:thanks")
    return render(request, "proposals/new.html", _context(form), status=400)


@require_GET
def thanks(request):
    return render(request, "proposals/thanks.html")


@require_http_methods(["GET", "POST"])
def detail(request, proposal_id):
    """An approved proposal, and "ik doe mee"."""
    proposal = services.board_proposal(proposal_id)
    extra = {"proposal": proposal, "counts": services.interest_counts(proposal)}
    if request.method != "POST":
        return render(request, "proposals/detail.html", _context(JoinForm(), **extra))
    if refused := _limited(request, "plan-join"):
        return refused
    form = JoinForm(request.POST)
    if form.consent_refused:
        return render(request, "proposals/no_consent.html", _context(form, **extra))
    if form.is_valid():
        try:
            services.join(proposal, form.contact(), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("plans:joined", proposal_id=proposal.pk)
    return render(request, "proposals/detail.html", _context(form, **extra), status=400)


@require_GET
def joined(request, proposal_id):
    proposal = services.board_proposal(proposal_id)
    return render(
        request,
        "proposals/joined.html",
        {"proposal": proposal, "counts": services.interest_counts(proposal)},
    )


# --- Staff ---------------------------------------------------------------------------------


proposals_staff_only = permissions.capability_required(Capability.PROPOSALS)


@proposals_staff_only
@require_GET
def manage(request):
    closed = request.GET.get("afgesloten") == "1"
    return render(
        request,
        "proposals/manage.html",
        {"proposals": queries.staff_list(request.user, closed=closed), "closed": closed},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record(request):
    """A proposal written down for a resident (at the door, on the phone)."""
    if not permissions.may_record_proposal(request.user):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, staff=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose(form.idea(), form.contact(), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Noted: a coordinator of the nearest meeting place decides about it.")
            )
            if permissions.can(request.user, Capability.PROPOSALS):
                return redirect("proposals:manage")
            return redirect("accounts:start")
    status = 400 if request.method == "POST" else 200
    tabs = permissions.can(request.user, Capability.PROPOSALS)
    return render(request, "proposals/record.html", _context(form, perms_tabs=tabs), status=status)


@login_required
@require_GET
def staff_detail(request, proposal_id):
    proposal = permissions.access_proposal_for_user(request.user, proposal_id)
    return render(
        request, "proposals/staff_detail.html", queries.staff_page(request.user, proposal)
    )


def _back(proposal_id):
    return redirect("proposals:detail", proposal_id=proposal_id)


def _act(request, action, *args, **kwargs):
    try:
        return action(*args, acting_user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


@login_required
@require_POST
def approve(request, proposal_id):
    proposal = permissions.access_proposal_for_user(request.user, proposal_id, write=True)
    if _act(request, services.approve, proposal):
        messages.success(request, _("On the board: others can now say “I'm in”."))
    return _back(proposal.pk)


@login_required
@require_POST
def reject(request, proposal_id):
    proposal = permissions.access_proposal_for_user(request.user, proposal_id, write=True)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why, so the proposer can be told."))
        return _back(proposal.pk)
    if _act(request, services.reject, proposal, form.cleaned_data["reason"]):
        messages.success(request, _("Rejected. Their contact details have been forgotten."))
    return _back(proposal.pk)


@login_required
@require_http_methods(["GET", "POST"])
def start_activity(request, proposal_id):
    """One step from a proposal on the board to an activity; the answer is the call list,
    shown once (the contact details are forgotten as the proposal closes)."""
    write = request.method == "POST"
    proposal = permissions.access_proposal_for_user(request.user, proposal_id, write=write)
    places = services.activity_places(request.user).order_by("name")
    form = StartActivityForm(request.POST or None, places=places, proposal=proposal)
    if write and form.is_valid():
        data = form.cleaned_data
        started = _act(
            request,
            services.start_activity,
            proposal,
            place=data["place"],
            title=data["title"],
            description=data["description"],
            category=data["category"],
            first_date=data["first_date"],
            start_time=data["start_time"],
            weekly=data["weekly"],
        )
        if started is not None:
            return render(
                request, "proposals/started.html", {"proposal": proposal, "started": started}
            )
    return render(
        request,
        "proposals/start_activity.html",
        {"proposal": proposal, "form": form},
        status=400 if write else 200,
    )
