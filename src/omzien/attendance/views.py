"""The door: today's sessions, the check-in screen, who is here, badges, a person's visits.

Views stay thin: access comes from `accounts.permissions` (which writes the audit row
for every look at names), reads from `queries`, writes from `services`. A session or
person outside the user's places answers 404, the same as one that does not exist. Taps
answer JSON when the check-in screen's script asks for it (``Accept: application/json``)
and redirect back to the screen for plain form posts.
"""

import uuid
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.agenda.models import Session
from omzien.attendance import queries, services
from omzien.attendance.forms import (
    AnonymousTapForm,
    NewVisitorForm,
    PersonTapForm,
    SessionHostForm,
)
from omzien.people.models import Person, Purpose

# A sheet of 3 × 7 labels of 70 × 42.3 mm on A4.
BADGES_PER_SHEET = 21
BADGES_CSS = "attendance/badges.css"


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def door_login_required(view):
    """Log-in required; the check-in screen's script gets 401 JSON instead of a redirect."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if wants_json(request):
                message = _("You are logged out. Log in again; your taps are kept.")
                return JsonResponse({"ok": False, "error": message}, status=401)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def door_action(view):
    """A tap: POST only, logged in, and a clear answer (JSON or a page) when refused."""

    @require_POST
    @door_login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _refuse(request, 404, _("This session or person cannot be found here."))

    return wrapper


def _refuse(request, status: int, message: str, session: Session | None = None):
    """Nothing was changed: say why, in JSON for the script or as a page."""
    if wants_json(request):
        return JsonResponse({"ok": False, "error": message}, status=status)
    return render(
        request, "attendance/refused.html", {"message": message, "session": session}, status=status
    )


def _screen_url(session: Session, query: str = "") -> str:
    url = reverse("attendance:check_in", args=[session.pk])
    return f"{url}?{urlencode({'q': query})}" if query else url


def _answer(request, session: Session, message: str, query: str = "", **data):
    """The tap was saved: the new figures for the script, or back to the screen."""
    if wants_json(request):
        figures = queries.counts(session)
        return JsonResponse(
            {
                "ok": True,
                "message": message,
                "present": figures.total,
                "anonymous": figures.anonymous,
                "last_token": figures.last_anonymous_token,
                **data,
            }
        )
    messages.success(request, message)
    return redirect(_screen_url(session, query))


@require_GET
@door_login_required
def door(request):
    if not permissions.can(request.user, Capability.DOOR):
        raise PermissionDenied
    places = permissions.places_for_user(request.user, Capability.DOOR)
    today = timezone.localdate()
    sessions = queries.sessions_of_day(places, today)
    return render(request, "attendance/door.html", {"sessions": sessions, "today": today})


def _screen_context(session: Session, people, query: str) -> dict:
    results, more = queries.search_people(session, people, query) if query else ([], False)
    return {
        "session": session,
        "query": query,
        "results": results,
        "more_results": more,
    }


@require_GET
@door_login_required
def check_in_screen(request, session_id):
    session = permissions.access_session_for_user(request.user, session_id)
    people = permissions.door_people_for_user(request.user, session, reading="check-in screen")
    query = request.GET.get("q", "").strip()[:100]
    figures = queries.counts(session)
    checked_in = queries.checked_in_people(session, people)
    expected = queries.expected_people(session, people)
    context = {
        **_screen_context(session, people, query),
        "expected": expected,
        "expected_waiting": sum(not person.is_checked_in for person in expected),
        "checked_in": checked_in,
        "unnamed_present": figures.named - len(checked_in),
        "counts": figures,
        "anonymous_token": uuid.uuid4(),
        "today": timezone.localdate(),
        # "Wie weet hoe het met Jan gaat?": answered with one tap (signals.views.door_answer)
        "first_contacts": (
            permissions.door_signals_for_user(
                request.user, session, reading="first contact at the door"
            )
            if session.takes_place
            else []
        ),
        # The signal a host just answered at this door: "Ongedaan maken" beside the
        # thank-you (signals.views.door_undo checks who and how long ago).
        "undo_signal": permissions.primary_key(request.GET.get("beantwoord")),
    }
    return render(request, "attendance/check_in.html", context)


@require_GET
@door_login_required
def search(request, session_id):
    """The search results alone, for the type-ahead of the check-in screen."""
    session = permissions.access_session_for_user(request.user, session_id)
    people = permissions.door_people_for_user(request.user, session, reading="door search")
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "attendance/_results.html", _screen_context(session, people, query))


def _tapped_person(request, session: Session) -> tuple[Person | None, str]:
    form = PersonTapForm(request.POST)
    if not form.is_valid():
        return None, ""
    person = permissions.one_of(
        permissions.door_people(request.user, session).select_related("village"),
        form.cleaned_data["person"],
    )
    return person, form.cleaned_data["q"]


@door_action
def tap_check_in(request, session_id):
    session = permissions.access_session_for_user(request.user, session_id)
    person, _query = _tapped_person(request, session)
    if person is None:
        return _refuse(request, 400, _("This tap could not be read; nothing was saved."), session)
    try:
        _visit, created = services.check_in(session, person, acting_user=request.user)
    except ValidationError as error:
        return _refuse(request, 400, " ".join(error.messages), session)
    message = _("%(name)s is checked in.") % {"name": person}
    # Back to an empty search: the next visitor is someone else.
    return _answer(request, session, message, person=person.pk, checked_in=True, created=created)


@door_action
def tap_undo(request, session_id):
    session = permissions.access_session_for_user(request.user, session_id)
    person, query = _tapped_person(request, session)
    if person is None:
        return _refuse(request, 400, _("This tap could not be read; nothing was saved."), session)
    removed = services.undo_check_in(session, person, acting_user=request.user)
    message = _("%(name)s is no longer checked in.") % {"name": person}
    return _answer(
        request, session, message, query, person=person.pk, checked_in=False, removed=removed
    )


@door_action
def tap_add_anonymous(request, session_id):
    session = permissions.access_session_for_user(request.user, session_id)
    form = AnonymousTapForm(request.POST)
    if not form.is_valid() or form.cleaned_data["token"] is None:
        return _refuse(request, 400, _("This tap could not be read; nothing was saved."), session)
    try:
        _visit, created = services.add_anonymous(
            session, acting_user=request.user, token=form.cleaned_data["token"]
        )
    except ValidationError as error:
        return _refuse(request, 400, " ".join(error.messages), session)
    return _answer(request, session, _("One visitor without a name counted."), created=created)


@door_action
def tap_remove_anonymous(request, session_id):
    session = permissions.access_session_for_user(request.user, session_id)
    form = AnonymousTapForm(request.POST)
    if not form.is_valid():
        return _refuse(request, 400, _("This tap could not be read; nothing was saved."), session)
    removed = services.remove_anonymous(
        session, acting_user=request.user, token=form.cleaned_data["token"]
    )
    message = (
        _("One visitor without a name taken off the count.")
        if removed
        else _("There was no visitor without a name to take off.")
    )
    return _answer(request, session, message, removed=removed)


# The name of the "Nee, nieuwe bezoeker" button: register although someone resembles them.
REGISTER_ANYWAY = "_new_visitor"


def _similar_door_people(request, session: Session, form: NewVisitorForm) -> list[Person]:
    """People the host may see who may be this newcomer (the look is audit-logged)."""
    people = permissions.door_people_for_user(request.user, session, reading="duplicate check")
    return queries.similar_people(
        session,
        people,
        first_name=form.cleaned_data["first_name"],
        last_name=form.cleaned_data["last_name"],
        village=form.cleaned_data["village"],
        token=form.cleaned_data["token"],
    )


@require_http_methods(["GET", "POST"])
@door_login_required
def register(request, session_id):
    """A new visitor: first name, village and consent, then checked in at once.

    When the name (and village) resemble someone the host may see, the page first asks
    "Is dit ...?": a tap on that person checks them in instead, and the button
    "Nee, nieuwe bezoeker" sends the same form again, to register anyway.
    """
    session = permissions.access_session_for_user(request.user, session_id)
    place = session.activity.place
    status = 200
    similar = []  # people who may be this newcomer, asked about before registering
    if request.method == "POST":
        form = NewVisitorForm(request.POST, place=place)
        if form.is_valid() and REGISTER_ANYWAY not in request.POST:
            similar = _similar_door_people(request, session, form)
        if form.is_valid() and not similar:
            try:
                person, _visit = services.register_and_check_in(
                    session,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    village=form.cleaned_data["village"],
                    consents=form.consents(),
                    token=form.cleaned_data["token"],
                    acting_user=request.user,
                    **form.followup_contact(),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("%(name)s is registered and checked in. Welcome!") % {"name": person},
                )
                return redirect(_screen_url(session))
        status = 200 if similar else 400  # "Is dit ...?" asks first; nothing is saved
    else:
        form = NewVisitorForm(place=place, initial={"first_name": request.GET.get("naam", "")})
    return render(
        request,
        "attendance/register.html",
        {
            "session": session,
            "form": form,
            "similar": similar,
            "register_anyway": REGISTER_ANYWAY,
            "anonymous_token": uuid.uuid4(),
            "retention_years": settings.OMZIEN_RETENTION_YEARS,
        },
        status=status,
    )


@require_GET
@door_login_required
def presence(request, session_id):
    session = permissions.access_session_for_user(request.user, session_id)
    people = permissions.door_people_for_user(request.user, session, reading="presence list")
    return render(
        request,
        "attendance/presence.html",
        {
            "session": session,
            "presence": queries.presence(session, people),
            "may_manage_hosts": permissions.can(
                request.user, Capability.MANAGE_PLACE, session.activity.place_id
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@door_login_required
def session_hosts(request, session_id):
    """Who hosted the session (the report's volunteers): a coordinator adds and removes
    them; whoever checks someone in becomes a host by themselves."""
    session = permissions.access_session_for_user(request.user, session_id, write=True)
    status = 200
    if request.method == "POST":
        form = SessionHostForm(request.POST, users=services.host_choices(session))
        if form.is_valid():
            user = form.cleaned_data["user"]
            try:
                if form.cleaned_data["action"] == SessionHostForm.ADD:
                    services.add_host(session, user, acting_user=request.user)
                    message = _("%(name)s hosted this session.")
                else:
                    services.remove_host(session, user, acting_user=request.user)
                    message = _("%(name)s is no longer a host of this session.")
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                name = user.get_full_name() or user.username
                messages.success(request, message % {"name": name})
                return redirect("attendance:hosts", session.pk)
        status = 400
    else:
        form = SessionHostForm(users=services.host_choices(session))
    hosts = session.hosts.select_related("user").order_by("user__first_name", "user__username")
    hosting = {host.user_id for host in hosts}
    return render(
        request,
        "attendance/hosts.html",
        {
            "session": session,
            "form": form,
            "hosts": hosts,
            "others": [user for user in services.possible_hosts(session) if user.pk not in hosting],
        },
        status=status,
    )


@require_GET
@door_login_required
def badges(request, session_id):
    """One A4 sheet of name labels per 21 present people with a name, as PDF.

    Without WeasyPrint (a machine without Pango) the same page comes as HTML to print.
    """
    session = permissions.access_session_for_user(request.user, session_id)
    people = permissions.door_people_for_user(request.user, session, reading="name badges")
    people = sorted(
        (present.person for present in queries.presence(session, people).people),
        key=lambda person: (person.first_name.casefold(), person.last_name.casefold()),
    )
    sheets = [
        people[start : start + BADGES_PER_SHEET]
        for start in range(0, len(people), BADGES_PER_SHEET)
    ]
    context = {"session": session, "sheets": sheets or [[]]}
    try:
        import weasyprint  # slow to import, and needs Pango: only here
    except (ImportError, OSError):
        return render(request, "attendance/badges.html", {**context, "pdf": False})
    html = render_to_string("attendance/badges.html", {**context, "pdf": True}, request)
    stylesheet = weasyprint.CSS(
        filename=finders.find(BADGES_CSS) or staticfiles_storage.path(BADGES_CSS)
    )
    pdf = weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="naambordjes-{session.date}.pdf"'
    return response


@require_GET
@door_login_required
def person_history(request, person_id):
    """A person's visits at the places the user hosts; every look is in the audit log."""
    places = permissions.places_for_user(request.user, Capability.DOOR)
    person = permissions.access_person_for_user(request.user, person_id, reading="person history")
    visits = queries.person_history(person, places)
    try:  # the session the host came from, for the way back; any other value: none
        back_to = permissions.access_session_for_user(request.user, request.GET.get("terug"))
    except permissions.NotFound:
        back_to = None
    return render(
        request,
        "attendance/person.html",
        {
            "person": person,
            "visits": visits,
            "followup": person.has_consent(Purpose.FOLLOWUP),
            "back_to": back_to,
            # Links only: the pages behind them check again, and this page shows no
            # contact details (it is a door page).
            "may_merge": permissions.mergeable_people(request.user).filter(pk=person.pk).exists(),
            "may_reach": permissions.may_reach_person(request.user, person),
        },
    )
