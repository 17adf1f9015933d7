"""The shapes of the API's answers (what the OpenAPI schema documents)."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict] | None = None


class VillageOut(Schema):
    id: int
    slug: str
    name: str
    latitude: float | None
    longitude: float | None


class PlaceOut(Schema):
    id: int
    slug: str
    name: str
    village: str
    street: str
    town: str
    description: str
    opening_hours: str
    wheelchair_accessible: bool
    hearing_loop: bool
    phone: str
    email: str
    website: str
    latitude: float | None
    longitude: float | None


class ActivityOut(Schema):
    id: int
    slug: str
    title: str
    place: str
    category: str
    description: str
    schedule: str
    first_date: date
    last_date: date | None
    signup_required: bool


class SessionOut(Schema):
    id: int | None  # None: a date the rule gives that has no row (nothing recorded yet)
    activity: int
    title: str
    place: str
    village: str
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
    closed: bool
    note: str


class SessionPage(Schema):
    first_day: date
    last_day: date
    page: int
    pages: int
    count: int
    items: list[SessionOut]


class AgendaDay(Schema):
    day: date
    sessions: list[SessionOut]


class AgendaOut(Schema):
    week: str
    first_day: date
    last_day: date
    days: list[AgendaDay]


class MeOut(Schema):
    username: str
    scope: str
    expires_at: datetime
    capabilities: list[str]


class DoorSessionOut(Schema):
    id: int
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    takes_place: bool
    present: int


class DoorPersonOut(Schema):
    id: int
    name: str
    checked_in: bool


class CheckInIn(Schema):
    person: int


class AnonymousIn(Schema):
    token: str | None = None


class CountsOut(Schema):
    session: int
    present: int
    anonymous: int
    changed: bool  # whether this call changed anything (a repeat changes nothing)


class SignalOut(Schema):
    id: int
    person: str
    place: str
    kind: str
    status: str
    raised_on: date
    last_seen: date | None
    reason: str
    # "first_contact": still asked at the door; "follow_up": a coordinator's, since
    # follow_up_since (docs/signals.md, "First contact at the door").
    stage: Literal["first_contact", "follow_up"]
    follow_up_since: date | None


class PeriodOut(Schema):
    start: date
    end: date
    visits: int | None
    named_visits: int | None
    anonymous_visits: int | None
    unique_visitors: int | None
    new_visitors: int | None
    returning_visitors: int | None  # None while the four weeks after are not complete
    returning_complete: bool


class OverviewOut(Schema):
    grouping: str
    first_day: date
    last_day: date
    as_of: date
    places: list[str]
    periods: list[PeriodOut]
    totals: PeriodOut


class ReportOut(Schema):
    """The impact report as ``omzien report --format json`` prints it."""

    model_config = {"extra": "allow"}

    audience: str
    min_cell: int | None
    cells: list[dict]
