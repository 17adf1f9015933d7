"""Reading attendance at the door: today's sessions, search, who is present, history.

Every function takes the scope it may show from the caller: the places a user may host,
or ``people``, the people whose names the user may see at the session
(`accounts.permissions.door_people_for_user`, which writes the audit row).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value

from omzien.agenda.models import Session
from omzien.agenda.queries import attach_closures, closures_by_place
from omzien.agenda.services import ensure_sessions
from omzien.attendance.models import Visit
from omzien.people.models import Person

# Someone whose previous visit at the place lies further back than this is welcomed back.
WELCOME_BACK_AFTER = timedelta(weeks=4)
# The check-in screen shows at most this many search results: type more to narrow down.
SEARCH_LIMIT = 20


def sessions_of_day(places, day: date) -> list[Session]:
    """The sessions at the places on a day (materialised first: the door needs rows to
    check in to), with how many are in and each one's ``closure``."""
    ensure_sessions(day, day)
    sessions = list(
        Session.objects.public()
        .filter(activity__place__in=places, date=day)
        .with_details()
        .annotate(present=Count("visits"))
    )
    place_ids = {session.activity.place_id for session in sessions}
    attach_closures(sessions, closures_by_place(place_ids, day, day))
    return sessions


def search_people(session: Session, people, query: str) -> tuple[list[Person], bool]:
    """Up to SEARCH_LIMIT of the people matching the typed text, and whether there were
    more. Each person carries ``is_checked_in`` for this session.
    """
    found = list(
        people.matching(query)
        .select_related("village")
        .annotate(
            is_checked_in=Exists(Visit.objects.filter(session=session, person=OuterRef("pk")))
        )
        .order_by("first_name", "last_name", "pk")[: SEARCH_LIMIT + 1]
    )
    return found[:SEARCH_LIMIT], len(found) > SEARCH_LIMIT


@dataclass(frozen=True)
class Counts:
    """How many visits a session has: all, anonymous, and last anonymous tap's token."""

    total: int
    anonymous: int
    last_anonymous_token: str | None

    @property
    def named(self) -> int:
        return self.total - self.anonymous


def counts(session: Session) -> Counts:
    figures = session.visits.aggregate(
        total=Count("pk"), anonymous=Count("pk", filter=Q(person__isnull=True))
    )
    last = (
        session.visits.filter(person__isnull=True)
        .order_by("-recorded_at", "-pk")
        .values_list("client_token", flat=True)
        .first()
    )
    return Counts(figures["total"], figures["anonymous"], str(last) if last else None)


@dataclass(frozen=True)
class PresentPerson:
    person: Person
    previous_visit: date | None
    is_new: bool
    is_returning: bool


@dataclass(frozen=True)
class Presence:
    """Who is at a session: named people (with consent) and a number for everyone else."""

    people: list[PresentPerson]
    others: int  # present people without consent to show their name, and anonymous visits
    total: int

    @property
    def newcomers(self) -> list[PresentPerson]:
        return [present for present in self.people if present.is_new]

    @property
    def returning(self) -> list[PresentPerson]:
        return [present for present in self.people if present.is_returning]


def presence(session: Session, people) -> Presence:
    """Who is present, newcomers and people back after a while marked; two queries.

    A newcomer has no visit at this place before this session; someone returning last
    came more than WELCOME_BACK_AFTER before this session's date.
    """
    previous = (
        Visit.objects.filter(
            person=OuterRef("pk"),
            session__activity__place_id=session.activity.place_id,
            session__starts_at__lt=session.starts_at,
        )
        .order_by("-session__starts_at")
        .values("session__date")[:1]
    )
    named = (
        people.filter(visits__session=session)
        .select_related("village")
        .annotate(previous_visit=Subquery(previous))
        .order_by("first_name", "last_name", "pk")
    )
    people = [
        PresentPerson(
            person=person,
            previous_visit=person.previous_visit,
            is_new=person.previous_visit is None,
            is_returning=person.previous_visit is not None
            and session.date - person.previous_visit > WELCOME_BACK_AFTER,
        )
        for person in named
    ]
    # Newcomers first, then those back after a while, so the host sees whom to greet.
    people.sort(key=lambda present: (not present.is_new, not present.is_returning))
    total = session.visits.count()
    return Presence(people=people, others=total - len(people), total=total)


def checked_in_people(session: Session, people) -> list[Person]:
    """The named people checked in to the session, for undoing without searching."""
    return list(
        people.filter(visits__session=session)
        .select_related("village")
        .annotate(is_checked_in=Value(True))
        .order_by("first_name", "last_name", "pk")
    )


def person_history(person: Person, places) -> list[Visit]:
    """The person's visits at the places, newest first."""
    return list(
        Visit.objects.filter(person=person, session__activity__place__in=places)
        .select_related("session__activity__place")
        .order_by("-session__starts_at", "-pk")
    )
