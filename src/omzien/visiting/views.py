"""The pages of visits between places: public at /open-dagen/ (the calendar of open days,
an invitation, the iCal feed: no personal data, cached for anonymous visitors) and for
staff at /bezoeken/ (sent and received invitations, inviting, cancelling, answering, and
afterwards how it went and what we want to try). Writes go through ``visiting.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.core.public_cache import public_page
from omzien.visiting import ical, queries, services
from omzien.visiting.forms import AnswerForm, InvitationForm, ReportForm, WishForm

# --- Public pages -------------------------------------------------------------------------


@public_page()
def open_days(request):
    today = timezone.localdate()
    return render(
        request,
        "visiting/open_days.html",
        {"invitations": queries.open_days(today), "today": today, "feed": _feed_links(request)},
    )


@public_page()
def public_detail(request, invitation_id):
    invitation = queries.public_invitation(invitation_id)
    return render(
        request,
        "visiting/public_detail.html",
        {"invitation": invitation, "today": timezone.localdate()},
    )


@public_page()
def feed(request):
    invitations = queries.feed_invitations(timezone.localdate())
    body = ical.build_calendar(invitations, request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="open-dagen.ics"'
    return response


def _feed_links(request) -> dict[str, str]:
    address = request.build_absolute_uri("/open-dagen.ics")
    return {"webcal": "webcal://" + address.split("://", 1)[1], "https": address}


# --- Staff ---------------------------------------------------------------------------------


def _act(request, action, *args, **kwargs):
    """The service's answer, or None after showing its refusal."""
    try:
        return action(*args, acting_user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


def _back(invitation):
    return redirect("visiting:detail", invitation_id=invitation.pk)


@login_required
@require_GET
def invitation_list(request):
    if not permissions.may_see_invitations(request.user):
        raise PermissionDenied(_("Invitations are for the coordinators of meeting places."))
    today = timezone.localdate()
    context = queries.staff_lists(request.user, today)
    context["may_invite"] = services.host_places(request.user).exists()
    return render(request, "visiting/list.html", context)


@permissions.capability_required(Capability.MANAGE_PLACE)
@require_http_methods(["GET", "POST"])
def new(request):
    hosts = services.host_places(request.user)
    form = InvitationForm(request.POST or None, hosts=hosts)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(form.details(), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Invitation sent: it is in the calendar of open days."))
            return _back(invitation)
    status = 400 if request.method == "POST" else 200
    return render(request, "visiting/new.html", {"form": form}, status=status)


@login_required
@require_GET
def detail(request, invitation_id):
    invitation = permissions.access_invitation_for_user(request.user, invitation_id)
    user = request.user
    manages_host = permissions.can(user, Capability.MANAGE_PLACE, invitation.host_id)
    guests = list(invitation.guests.select_related("place__village"))
    over = timezone.now() >= invitation.ends_at
    return render(
        request,
        "visiting/detail.html",
        {
            "invitation": invitation,
            "guests": guests,
            "coming": sum(guest.count or 0 for guest in guests),
            "manages_host": manages_host,
            "my_guests": list(services.guest_places(user, invitation)),
            "over": over,
            "may_answer": not invitation.is_cancelled and invitation.date >= timezone.localdate(),
            "may_cancel": manages_host
            and not invitation.is_cancelled
            and invitation.date >= timezone.localdate(),
        },
    )


def _hosted(request, invitation_id):
    """An invitation of a place the user manages (the host's pages), else `NotFound`."""
    invitation = permissions.access_invitation_for_user(request.user, invitation_id, write=True)
    permissions.require(request.user, Capability.MANAGE_PLACE, invitation.host_id)
    return invitation


def _received(request, invitation_id):
    """An invitation to a place the user manages, with those places, else `NotFound`."""
    invitation = permissions.access_invitation_for_user(request.user, invitation_id, write=True)
    places = services.guest_places(request.user, invitation)
    if not places.exists():
        raise permissions.NotFound
    return invitation, places


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, invitation_id):
    """A confirmation page, then the cancellation."""
    invitation = _hosted(request, invitation_id)
    if request.method == "POST":
        if _act(request, services.cancel, invitation):
            messages.success(request, _("The invitation has been cancelled."))
        return _back(invitation)
    return render(request, "visiting/cancel.html", {"invitation": invitation})


def _guest_initial(invitation, places, request, fields):
    """The form's first values: the chosen (or only) place's current answer."""
    chosen = request.GET.get("plek")
    place = next((p for p in places if str(p.pk) == chosen), None) or places.first()
    guest = invitation.guests.filter(place=place).first()
    return {"place": place, **{name: getattr(guest, name) for name in fields}}


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, invitation_id):
    invitation, places = _received(request, invitation_id)
    if request.method == "POST":
        form = AnswerForm(request.POST, places=places)
        if form.is_valid():
            data = form.cleaned_data
            saved = _act(
                request,
                services.answer,
                invitation,
                data["place"],
                count=data["count"],
                names=data["names"],
            )
            if saved:
                messages.success(request, _("Thank you: your answer has been saved."))
                return _back(invitation)
    else:
        form = AnswerForm(
            initial=_guest_initial(invitation, places, request, ["count", "names"]), places=places
        )
    status = 400 if request.method == "POST" else 200
    context = {"invitation": invitation, "form": form}
    return render(request, "visiting/answer.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report(request, invitation_id):
    """The host writes down how it went (after the visit)."""
    invitation = _hosted(request, invitation_id)
    if request.method == "POST":
        form = ReportForm(request.POST)
        saved = form.is_valid() and _act(
            request, services.record_visit, invitation, report=form.cleaned_data["report"]
        )
        if saved:
            messages.success(request, _("Saved: how the visit went."))
            return _back(invitation)
    else:
        form = ReportForm(initial={"report": invitation.report})
    status = 400 if request.method == "POST" else 200
    context = {"invitation": invitation, "form": form, "over": _over(invitation)}
    return render(request, "visiting/report.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def wish(request, invitation_id):
    """A visiting place writes down what it wants to try itself (after the visit)."""
    invitation, places = _received(request, invitation_id)
    if request.method == "POST":
        form = WishForm(request.POST, places=places)
        if form.is_valid():
            data = form.cleaned_data
            saved = _act(
                request,
                services.record_wish,
                invitation,
                data["place"],
                want_to_try=data["want_to_try"],
            )
            if saved:
                messages.success(request, _("Saved: what you want to try yourselves."))
                return _back(invitation)
    else:
        form = WishForm(
            initial=_guest_initial(invitation, places, request, ["want_to_try"]), places=places
        )
    status = 400 if request.method == "POST" else 200
    context = {"invitation": invitation, "form": form, "over": _over(invitation)}
    return render(request, "visiting/wish.html", context, status=status)


def _over(invitation) -> bool:
    return timezone.now() >= invitation.ends_at
