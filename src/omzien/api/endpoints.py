"""The API's endpoints (django-ninja): thin, like the views.

Public endpoints read what the public pages show (agenda.queries); the others act as the
token's owner through `accounts.permissions` (whose ``*_for_user`` functions write the
audit row for every look at personal data) and the apps' services. Nothing here decides
who may do what. No endpoint gives questionnaire data per person.
"""

import logging
import uuid
from datetime import date, timedelta
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Router
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.agenda import queries as agenda
from omzien.agenda.models import Activity, Category
from omzien.agenda.recurrence import week_bounds
from omzien.api import auth, problems, schemas
from omzien.attendance import queries as door_queries
from omzien.attendance import services as attendance
from omzien.people import matching
from omzien.places.models import Place, Village
from omzien.reports.audience import Audience, overview_access
from omzien.reports.forms import ImpactForm, OverviewForm, impact_request
from omzien.reports.impact import build_report
from omzien.reports.services import record_report


class OmzienAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's schema, with the errors documented as what they are: problem details."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[problems.PROBLEM_TYPE] = content.pop("application/json")
        return schema


logger = logging.getLogger("django.request")

api = OmzienAPI(
    title="Omzien API",
    version="1",
    description="Omzien's REST API: see docs/api.md.",
    urls_namespace="api",
    docs=Swagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=auth.PUBLIC,
    throttle=[auth.PerCaller()],
)

# Every answer but the happy one, documented for every operation.
ERRORS = dict.fromkeys({400, 401, 403, 404, 422, 429}, schemas.Problem)
# How many sessions a page of /sessions holds, and the longest range one request reads.
PAGE_SIZE = 100
LONGEST_RANGE_DAYS = 92


# --- Problems ----------------------------------------------------------------------------


@api.exception_handler(HttpError)
def http_error(request, exc):
    status = exc.status_code
    headers = {}
    if isinstance(exc, Throttled) and exc.wait:
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, auth.WriteRefused):
        detail = _("This token may only read; make a read-and-write token to change things.")
    elif isinstance(exc, AuthenticationError):
        detail = problems.default_detail(401)
        headers["WWW-Authenticate"] = "Bearer"
    elif getattr(exc, "detail_message", None):
        detail = exc.detail_message
    else:
        detail = problems.default_detail(status)
    return problems.problem(status, detail, headers=headers)


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc):
    errors = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", ""))}
        for error in exc.errors
    ]
    return problems.problem(422, problems.default_detail(422), errors=errors)


@api.exception_handler(Http404)
def not_found(request, exc):
    """`permissions.NotFound` (out of reach or not there: one answer) and any other 404."""
    return problems.problem(404, problems.default_detail(404))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return problems.problem(403, str(exc) or problems.default_detail(403))


@api.exception_handler(ValidationError)
def refused(request, exc):
    return problems.problem(400, " ".join(exc.messages))


@api.exception_handler(Exception)
def server_error(request, exc):
    """A bug: logged with its traceback as Django logs one, answered as a problem."""
    logger.error("Internal Server Error: %s", request.path, exc_info=exc)
    return problems.problem(500, problems.default_detail(500))


class BadRequest(HttpError):
    def __init__(self, message: str, status: int = 400):
        super().__init__(status, message)
        self.detail_message = message


# --- Public ------------------------------------------------------------------------------

public = Router(tags=["public"])


def _coordinate(value):
    return float(value) if value is not None else None


def _village_out(village: Village) -> dict:
    return {
        "id": village.pk,
        "slug": village.slug,
        "name": village.name,
        "latitude": _coordinate(village.latitude),
        "longitude": _coordinate(village.longitude),
    }


@public.get("/villages", response={200: list[schemas.VillageOut], **ERRORS})
def villages(request):
    """The villages of the region."""
    return [_village_out(village) for village in Village.objects.order_by("name", "pk")]


@public.get("/places", response={200: list[schemas.PlaceOut], **ERRORS})
def places(request):
    """The active meeting places, as the public place pages show them."""
    rows = Place.objects.active().select_related("village").order_by("name", "pk")
    return [
        {
            "id": place.pk,
            "slug": place.slug,
            "name": place.name,
            "village": place.village.slug,
            "street": place.street,
            "town": place.town,
            "description": place.description,
            "opening_hours": place.opening_hours,
            "wheelchair_accessible": place.wheelchair_accessible,
            "hearing_loop": place.hearing_loop,
            "phone": place.phone,
            "email": place.email,
            "website": place.website,
            "latitude": _coordinate(place.latitude),
            "longitude": _coordinate(place.longitude),
        }
        for place in rows
    ]


class Filters:
    """The agenda's filters by slug; an unknown slug is a 400, never an empty list."""

    @staticmethod
    def resolve(village: str | None, place: str | None, category: str | None):
        found_village = found_place = None
        if village:
            found_village = Village.objects.filter(slug=village).first()
            if found_village is None:
                raise BadRequest(_("There is no village '%(slug)s'.") % {"slug": village})
        if place:
            found_place = Place.objects.active().filter(slug=place).first()
            if found_place is None:
                raise BadRequest(_("There is no meeting place '%(slug)s'.") % {"slug": place})
        if category and category not in Category.values:
            raise BadRequest(_("There is no category '%(slug)s'.") % {"slug": category})
        return found_village, found_place, category or None


@public.get("/activities", response={200: list[schemas.ActivityOut], **ERRORS})
def activities(
    request, village: str | None = None, place: str | None = None, category: str | None = None
):
    """The active activities, filtered by village, place (slugs) or category."""
    filters = Filters.resolve(village, place, category)
    rows = agenda.filter_activities(Activity.objects.active(), *filters)
    return [
        {
            "id": activity.pk,
            "slug": activity.slug,
            "title": activity.title,
            "place": activity.place.slug,
            "category": activity.category,
            "description": activity.description,
            "schedule": activity.rule_description,
            "first_date": activity.first_date,
            "last_date": activity.last_date,
            "signup_required": activity.signup_required,
        }
        for activity in rows.select_related("place").order_by("title", "pk")
    ]


def _session_out(session) -> dict:
    activity = session.activity
    return {
        "id": session.pk,
        "activity": activity.pk,
        "title": activity.title,
        "place": activity.place.slug,
        "village": activity.place.village.slug,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "cancelled": session.is_cancelled,
        "closed": session.closure is not None,
        "note": session.note,
    }


def _within_agenda(first_day: date, last_day: date) -> None:
    earliest, latest = agenda.agenda_range(timezone.localdate())
    if first_day > last_day:
        raise BadRequest(_("The first day lies after the last day."))
    if first_day < earliest or last_day > latest:
        raise BadRequest(
            _("The agenda reaches from %(first)s to %(last)s.")
            % {"first": earliest.isoformat(), "last": latest.isoformat()}
        )
    if (last_day - first_day).days >= LONGEST_RANGE_DAYS:
        raise BadRequest(
            _("Ask for at most %(days)d days at a time.") % {"days": LONGEST_RANGE_DAYS}
        )


@public.get("/sessions", response={200: schemas.SessionPage, **ERRORS})
def sessions(
    request,
    first_day: Annotated[date | None, Query(alias="from")] = None,
    last_day: Annotated[date | None, Query(alias="to")] = None,
    village: str | None = None,
    place: str | None = None,
    category: str | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
):
    """The sessions from ``from`` to ``to`` (at most 92 days; default: the coming four
    weeks), as the agenda shows them, a hundred a page."""
    today = timezone.localdate()
    first_day = first_day or today
    last_day = last_day or first_day + timedelta(days=27)
    _within_agenda(first_day, last_day)
    filters = Filters.resolve(village, place, category)
    rows = agenda.filter_activities(Activity.objects.active(), *filters)
    found = agenda.sessions_between(rows, first_day, last_day, today)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    if page > pages:
        raise BadRequest(_("There are %(pages)d pages.") % {"pages": pages}, status=404)
    chunk = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {
        "first_day": first_day,
        "last_day": last_day,
        "page": page,
        "pages": pages,
        "count": len(found),
        "items": [_session_out(session) for session in chunk],
    }


def _monday_of(week: str | None, today: date) -> date:
    if not week:
        return week_bounds(today)[0]
    try:
        year, number = week.upper().split("-W")
        return date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        raise BadRequest(
            _("Give the week as year and week number, e.g. 2026-W09, not '%(week)s'.")
            % {"week": week[:20]}
        ) from None


@public.get("/agenda", response={200: schemas.AgendaOut, **ERRORS})
def agenda_week(
    request,
    week: Annotated[str | None, Query(max_length=20, description="ISO week: 2026-W09")] = None,
    village: str | None = None,
    place: str | None = None,
    category: str | None = None,
):
    """The week agenda as JSON: its days and their sessions (default: this week)."""
    today = timezone.localdate()
    monday = _monday_of(week, today)
    _within_agenda(monday, monday + timedelta(days=6))
    found = agenda.sessions_of_week(monday, *Filters.resolve(village, place, category), today)
    year, number, _day = monday.isocalendar()
    return {
        "week": f"{year}-W{number:02d}",
        "first_day": monday,
        "last_day": monday + timedelta(days=6),
        "days": [
            {"day": day, "sessions": [_session_out(session) for session in day_sessions]}
            for day, day_sessions in agenda.group_by_day(found)
        ],
    }


# --- With a token ------------------------------------------------------------------------

personal = Router(auth=auth.TOKEN, tags=["with a token"])


def _require_capability(user, *capabilities: Capability) -> None:
    if not any(permissions.can(user, capability) for capability in capabilities):
        raise PermissionDenied(_("Your roles do not give access to this."))


@personal.get("/me", response={200: schemas.MeOut, **ERRORS})
def me(request):
    """The token's owner, scope and what their roles allow."""
    user = auth.user_of(request)
    return {
        "username": user.get_username(),
        "scope": request.auth.scope,
        "expires_at": request.auth.expires_at,
        "capabilities": [c.value for c in Capability if permissions.can(user, c)],
    }


@personal.get("/door/sessions", response={200: list[schemas.DoorSessionOut], **ERRORS})
def door_sessions(request):
    """Today's sessions at the places where the owner runs the door."""
    user = auth.user_of(request)
    _require_capability(user, Capability.DOOR)
    places_in_reach = permissions.places_for_user(user, Capability.DOOR)
    found = door_queries.sessions_of_day(places_in_reach, timezone.localdate())
    return [
        {
            "id": session.pk,
            "title": session.activity.title,
            "place": session.activity.place.slug,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "takes_place": session.takes_place,
            "present": session.present,
        }
        for session in found
    ]


@personal.get(
    "/door/sessions/{session_id}/people", response={200: list[schemas.DoorPersonOut], **ERRORS}
)
def door_people(request, session_id: int, q: Annotated[str, Query(max_length=100)] = ""):
    """The people a host may find at the door for the session (names agreed), matching
    ``q``, or those checked in when ``q`` is empty. Audit-logged."""
    user = auth.user_of(request)
    session = permissions.access_session_for_user(user, session_id)
    people = permissions.door_people_for_user(user, session, reading="API door people")
    if matching.words(q):
        found, _more = door_queries.search_people(session, people, q)
    else:
        found = door_queries.checked_in_people(session, people)
    return [
        {"id": person.pk, "name": str(person), "checked_in": bool(person.is_checked_in)}
        for person in found
    ]


def _door_session(request, session_id):
    auth.require_write(request)
    return permissions.access_session_for_user(auth.user_of(request), session_id)


def _counts(session, changed: bool) -> dict:
    figures = door_queries.counts(session)
    return {
        "session": session.pk,
        "present": figures.total,
        "anonymous": figures.anonymous,
        "changed": changed,
    }


@personal.post("/door/sessions/{session_id}/check-ins", response={200: schemas.CountsOut, **ERRORS})
def check_in(request, session_id: int, body: schemas.CheckInIn):
    """Check a person in (safe to repeat: a second call changes nothing)."""
    session = _door_session(request, session_id)
    user = auth.user_of(request)
    person = permissions.one_of(permissions.door_people(user, session), body.person)
    _visit, created = attendance.check_in(session, person, acting_user=user)
    return _counts(session, created)


@personal.delete(
    "/door/sessions/{session_id}/check-ins/{person_id}",
    response={200: schemas.CountsOut, **ERRORS},
)
def undo_check_in(request, session_id: int, person_id: int):
    """Undo a person's check-in."""
    session = _door_session(request, session_id)
    user = auth.user_of(request)
    person = permissions.one_of(permissions.door_people(user, session), person_id)
    removed = attendance.undo_check_in(session, person, acting_user=user)
    return _counts(session, removed)


@personal.post("/door/sessions/{session_id}/anonymous", response={200: schemas.CountsOut, **ERRORS})
def add_anonymous(request, session_id: int, body: schemas.AnonymousIn):
    """Count one visitor without a name; the same ``token`` (a UUID the app makes per
    tap) twice counts once."""
    session = _door_session(request, session_id)
    token = None
    if body.token:
        try:
            token = uuid.UUID(body.token)
        except ValueError:
            raise BadRequest(_("The tap's token is not a UUID.")) from None
    _visit, created = attendance.add_anonymous(
        session, acting_user=auth.user_of(request), token=token
    )
    return _counts(session, created)


@personal.get("/signals", response={200: list[schemas.SignalOut], **ERRORS})
def signals(request):
    """The open signals the owner may follow up (names: audit-logged)."""
    user = auth.user_of(request)
    if not permissions.may_start_follow_up(user):
        raise PermissionDenied(_("Your roles do not give access to this."))
    found = (
        permissions.signals_for_user(user, reading="API signals")
        .active()
        .select_related("person", "place")
        .order_by("-raised_on", "pk")[:500]
    )
    return [
        {
            "id": signal.pk,
            "person": str(signal.person),
            "place": signal.place.slug,
            "kind": signal.kind,
            "status": signal.status,
            "raised_on": signal.raised_on,
            "last_seen": signal.last_seen,
            "reason": signal.reason,
            "stage": "first_contact" if signal.is_first_contact else "follow_up",
            "follow_up_since": signal.follow_up_since,
        }
        for signal in found
    ]


def _count(value):
    """A count, or None for a hidden one (never for this exact audience, but safe)."""
    return value if isinstance(value, int) else None


def _period_out(figures) -> dict:
    return {
        "start": figures.start,
        "end": figures.end,
        "visits": _count(figures.visits),
        "named_visits": _count(figures.named_visits),
        "anonymous_visits": _count(figures.anonymous_visits),
        "unique_visitors": _count(figures.unique_visitors),
        "new_visitors": _count(figures.new_visitors),
        "returning_visitors": _count(figures.returning_visitors),
        "returning_complete": figures.returning_complete,
    }


@personal.get("/figures/overview", response={200: schemas.OverviewOut, **ERRORS})
def figures_overview(
    request,
    plek: Annotated[str | None, Query(max_length=200)] = None,
    per: Annotated[str | None, Query(max_length=10)] = None,
    van: Annotated[str | None, Query(max_length=10)] = None,
    tot: Annotated[str | None, Query(max_length=10)] = None,
):
    """The attendance overview's exact figures (the overview page's choices: ``plek``, a
    place or ``place/activity`` slug; ``per`` week or maand; ``van``, ``tot``), for
    coordinators (their places) and professionals. Viewers read the report instead, as
    on the pages: free date ranges beside it would let hidden figures be subtracted."""
    user = auth.user_of(request)
    access = overview_access(user)
    if access is None or access.audience == Audience.VIEWER:
        raise PermissionDenied(_("Your roles do not give access to this."))
    query = QueryDict(mutable=True)
    for name, value in (("plek", plek), ("per", per), ("van", van), ("tot", tot)):
        if value:
            query[name] = value
    form = OverviewForm(query, access.places, today=timezone.localdate())
    if not form.is_valid():
        messages = [message for errors in form.errors.values() for message in errors]
        raise BadRequest(" ".join(messages))
    figures = form.overview(as_of=timezone.localdate(), suppress_below=access.audience.min_cell)
    return {
        "grouping": str(figures.grouping),
        "first_day": figures.first_day,
        "last_day": figures.last_day,
        "as_of": figures.as_of,
        "places": [place.slug for place in form.cleaned_data["places"]],
        "periods": [_period_out(period) for period in figures.periods],
        "totals": _period_out(figures.totals),
    }


@personal.get("/figures/report", response={200: schemas.ReportOut, **ERRORS})
def figures_report(
    request,
    jaar: Annotated[str | None, Query(max_length=10)] = None,
    per: Annotated[str | None, Query(max_length=10)] = None,
    indeling: Annotated[str | None, Query(max_length=10)] = None,
):
    """The impact report's figures (the report page's choices): exact for coordinators
    (their places) and professionals, with small cells hidden for viewers. Audit-logged."""
    user = auth.user_of(request)
    access = overview_access(user)
    if access is None:
        raise PermissionDenied(_("Your roles do not give access to this."))
    query = QueryDict(mutable=True)
    for name, value in (("jaar", jaar), ("per", per), ("indeling", indeling)):
        if value:
            query[name] = value
    form = ImpactForm(
        query, places=access.places, region_wide=access.region_wide, today=timezone.localdate()
    )
    if not form.is_valid():
        messages = [message for errors in form.errors.values() for message in errors]
        raise BadRequest(" ".join(messages))
    report_request = impact_request(form, access)
    report = build_report(report_request, as_of=timezone.localdate())
    record_report(user, report_request, output="api")
    return report.to_json()


api.add_router("/", public)
api.add_router("/", personal)
