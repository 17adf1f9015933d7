"""Reading attendance at the door: today's sessions, who is expected, search, who is
present, history.

Every function takes the scope it may show from the caller: the places a user may host,
or ``people``, the people whose names the user may see at the session
(`accounts.permissions.door_people_for_user`, which writes the audit row).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter

from django.db.models import (
    Case,
    Count,
    Exists,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)

from omzien.agenda.models import Session
from omzien.agenda.queries import attach_closures, closures_by_place
from omzien.agenda.services import ensure_sessions
from omzien.attendance.models import Visit
from omzien.people import matching
from omzien.people.models import Person

# Someone whose previous visit at the place lies further back than this is welcomed back.
WELCOME_BACK_AFTER = timedelta(weeks=4)
# The check-in screen shows at most this many search results: type more to narrow down.
SEARCH_LIMIT = 20
# Who is expected: from this many of the activity's latest held sessions, each one
# counting RECENCY_WEIGHT times the one after it; a share of at least EXPECTED_MIN_SHARE
# of the weighted sessions, at most EXPECTED_LIMIT buttons.
RECENT_SESSIONS = 8
RECENCY_WEIGHT = 0.8
EXPECTED_MIN_SHARE = 0.2
EXPECTED_LIMIT = 24


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


def _checked_in_here(session: Session) -> Exists:
    return Exists(Visit.objects.filter(session=session, person=OuterRef("pk")))


def search_people(session: Session, people, query: str) -> tuple[list[Person], bool]:
    """Up to SEARCH_LIMIT of the people matching the typed text, and whether there were
    more. Each person carries ``is_checked_in`` for this session.

    The matching is `people.matching.search` (prefix and exact matches first, then
    typing errors) over the names of all of ``people``, in Python, so SQLite and
    PostgreSQL answer alike: one query for the names, one for the people shown.
    """
    if not matching.words(query):
        return [], False
    names = people.values_list("pk", "search_name")
    matches = matching.search(query, names, name=itemgetter(1))
    shown = [match.item[0] for match in matches[:SEARCH_LIMIT]]
    found = (
        people.filter(pk__in=shown)
        .select_related("village")
        .annotate(is_checked_in=_checked_in_here(session))
        .in_bulk()
    )
    return [found[pk] for pk in shown if pk in found], len(matches) > SEARCH_LIMIT


def recent_held_sessions(session: Session, count: int = RECENT_SESSIONS) -> list[int]:
    """The ids of the activity's latest sessions before this one that were held (not
    cancelled, and someone was checked in: a door not used that day tells nothing)."""
    return list(
        Session.objects.filter(activity_id=session.activity_id, starts_at__lt=session.starts_at)
        .exclude(status=Session.Status.CANCELLED)
        .filter(Exists(Visit.objects.filter(session=OuterRef("pk"))))
        .order_by("-starts_at")
        .values_list("pk", flat=True)[:count]
    )


def expected_people(session: Session, people, limit: int = EXPECTED_LIMIT) -> list[Person]:
    """The people who usually come to this session's activity, most likely first.

    How likely: the share of the activity's RECENT_SESSIONS latest held sessions
    (`recent_held_sessions`) the person came to, each session weighted RECENCY_WEIGHT
    times the one after it (the latest counts 1, the one before 0.8, then 0.64, ...),
    so someone who came the last four weeks comes before someone who came often long
    ago. From EXPECTED_MIN_SHARE up; ties alphabetically. Each person carries
    ``expected_share`` (0-1) and ``is_checked_in``.

    At most ``limit`` people who are not checked in yet, and besides them the expected
    people who are already in (the screen hides them, and shows them again when their
    check-in is undone). Two queries, however many people.
    """
    held = recent_held_sessions(session)
    if not held:
        return []
    weights = {pk: RECENCY_WEIGHT**age for age, pk in enumerate(held)}
    weighted = Sum(
        Case(
            *(When(visits__session_id=pk, then=Value(weight)) for pk, weight in weights.items()),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    candidates = (
        people.filter(visits__session_id__in=held)
        .annotate(weight=weighted)
        .filter(weight__gte=EXPECTED_MIN_SHARE * sum(weights.values()))
        .annotate(is_checked_in=_checked_in_here(session))
        .select_related("village")
        .order_by("-weight", "first_name", "last_name", "pk")
    )
    expected, waiting = [], 0
    for person in candidates:
        person.expected_share = person.weight / sum(weights.values())
        if person.is_checked_in:
            expected.append(person)
        elif waiting < limit:
            expected.append(person)
            waiting += 1
    return expected


# "Is dit ...?" names at most this many people.
SIMILAR_LIMIT = 5


def similar_people(
    session: Session, people, *, first_name: str, last_name: str, village, token=None
) -> list[Person]:
    """Up to SIMILAR_LIMIT of ``people`` who may be the newcomer with this name and village
    (`people.matching.similar_people`), most alike first, each with ``is_checked_in``.

    Nobody when the registration form with this ``token`` registered its newcomer
    already: a form sent again registers nobody new and has nothing to ask. Two or three
    queries.
    """
    if token is not None and Person.objects.filter(registration_token=token).exists():
        return []
    candidates = people.only("pk", "first_name", "last_name", "village_id")
    matches = matching.similar_people(candidates, first_name, last_name, village)
    shown = [match.item.pk for match in matches[:SIMILAR_LIMIT]]
    found = (
        people.filter(pk__in=shown)
        .select_related("village")
        .annotate(is_checked_in=_checked_in_here(session))
        .in_bulk()
    )
    return [found[pk] for pk in shown if pk in found]


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
