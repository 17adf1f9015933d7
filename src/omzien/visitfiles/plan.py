"""The import plan: the file's people and sessions against the database.

What an import would create or change, found before anything is written (and found
again inside the writing transaction, on the then locked database): which people are
new, which known ones get a last name or village filled in, which consent answers are
recorded (``PeoplePlan``), which sessions exist, are new or were cancelled
(``ImportPlan.sessions``). Every reason to refuse the file that needs the database is
reported here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.agenda import recurrence
from omzien.attendance.models import Visit
from omzien.people.models import (
    Consent,
    Person,
    generated_pk,
    latest_answers,
    normalise_for_search,
)
from omzien.privacy.retention import retention_cutoff
from omzien.visitfiles.checking import PURPOSES, Problems, State, long_date
from omzien.visitfiles.formats import CONSENT, CONSENT_DATE
from omzien.visitfiles.rows import FilePerson, RowChecker, SessionKey

QUERY_CHUNK = 500  # ids per IN (...) query, well below SQLite's parameter limit


def chunks(items, size=QUERY_CHUNK):
    """Lists of at most ``size`` items, for queries with IN (...)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class PeoplePlan:
    """What the import does to people: who is new, what known people get filled in
    (pk -> field values), which consent answers are recorded."""

    pks: list  # person number to pk; None for people still to be created
    new: list[str] = field(default_factory=list)
    completions: dict[int, dict] = field(default_factory=dict)
    consents: list[tuple[int, str, bool]] = field(default_factory=list)  # number, purpose
    # When the answers of a person (number) were given, from the consent date; people
    # without one are recorded at the time of import.
    consent_times: dict[int, datetime] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """What the file would add: its people (``PeoplePlan``) and, per session number of
    the file, ``[kind, pk]`` as the database says now (kind NEW, OK or CANCELLED from
    ``visitfiles.checking``; None with a problem)."""

    people: PeoplePlan
    sessions: list[list]


def make_plan(rows: RowChecker, state: State, problems: Problems) -> ImportPlan:
    """Compare the file's people and sessions with the database; problems go to problems."""
    people = check_people(rows.people, problems, rows.i_consent is not None, state.today)
    return ImportPlan(people=people, sessions=check_sessions(rows.sessions, state, problems))


def check_people(people: dict[str, FilePerson], problems: Problems, consent_column: bool, today):
    """Compare the file's people with the database: problems, and what to write.

    A new person whose last visit in the file lies beyond the retention period is a
    problem: Omzien would forget them the next night, as it promised them.
    """
    cutoff = retention_cutoff(today)
    plan = PeoplePlan(pks=[None] * len(people))
    generated = {}
    explicit = []
    for ref in people:
        pk = generated_pk(ref)
        if pk is None:
            explicit.append(ref)
        else:
            generated[pk] = ref
    found: dict[str, tuple] = {}
    fields = ("pk", "ref", "first_name", "last_name", "village_id")
    for chunk in chunks(explicit):
        for row in Person.objects.filter(ref__in=chunk).values_list(*fields):
            found[row[1]] = row
    for chunk in chunks(generated):
        for row in Person.objects.filter(pk__in=chunk).values_list(*fields):
            ref = generated[row[0]]
            if not row[1] or row[1] == ref:
                found.setdefault(ref, row)
    add = problems.add
    for ref, person in people.items():
        existing = found.get(ref)
        if existing is None:
            if generated_pk(ref) is not None:
                add(
                    person.row,
                    "person_ref",
                    "unknown_omzien_ref",
                    _(
                        "person_ref %(ref)s has the form Omzien uses for its own numbers, "
                        "but Omzien knows nobody by it; choose another person_ref"
                    )
                    % {"ref": ref},
                )
            elif date.min < person.last_day < cutoff:
                add(
                    person.row,
                    "date",
                    "past_retention",
                    _(
                        "person_ref %(ref)s was last here on %(date)s: longer ago than Omzien "
                        "keeps people (%(years)d years), so their visits cannot be imported"
                    )
                    % {
                        "ref": ref,
                        "date": long_date(person.last_day),
                        "years": settings.OMZIEN_RETENTION_YEARS,
                    },
                )
            else:
                plan.new.append(ref)
            continue
        pk, _ref, first, last, village = existing
        plan.pks[person.index] = pk
        if normalise_for_search(first) != normalise_for_search(person.first_name):
            add(
                person.row,
                "first_name",
                "known_other_first_name",
                _(
                    "person_ref %(ref)s belongs to someone with another first name in "
                    "Omzien; check the person_ref"
                )
                % {"ref": ref},
            )
        elif (
            last
            and person.last_name
            and normalise_for_search(last) != normalise_for_search(person.last_name)
        ):
            add(
                person.row,
                "last_name",
                "known_other_last_name",
                _(
                    "person_ref %(ref)s belongs to someone with another last name in "
                    "Omzien; check the person_ref"
                )
                % {"ref": ref},
            )
        elif village is not None and person.village is not None and village != person.village:
            add(
                person.row,
                "village",
                "known_other_village",
                _(
                    "person_ref %(ref)s lives in another village according to Omzien; "
                    "a move is changed in the management pages, not by an import"
                )
                % {"ref": ref},
            )
        else:
            completion = {}
            if not last and person.last_name:
                completion["last_name"] = person.last_name
            if village is None and person.village is not None:
                completion["village_id"] = person.village
            if completion:
                plan.completions[pk] = completion
    if consent_column:
        check_consents(people, plan, problems, today)
    return plan


def consent_time(day: date) -> datetime:
    """When an answer given on ``day`` is recorded: at noon there (the day is what counts;
    the hour keeps it on that day in every time zone)."""
    return datetime.combine(day, time(12), tzinfo=recurrence.local_zone())


def check_consents(
    people: dict[str, FilePerson], plan: PeoplePlan, problems: Problems, today: date
) -> None:
    """The answers to record, each differing from the person's latest one, and when.

    A consent date before the latest answer Omzien has for a purpose it would change is
    a problem: the latest answer counts, so an older paper form cannot overrule it.
    """
    latest: dict[tuple[int, str], bool] = {}
    latest_at: dict[tuple[int, str], datetime] = {}
    for chunk in chunks(pk for pk in plan.pks if pk is not None):
        latest.update(latest_answers(Consent.objects.filter(person_id__in=chunk)))
        latest_at.update(
            ((person, purpose), at)
            for person, purpose, at in Consent.objects.filter(person_id__in=chunk)
            .values("person_id", "purpose")
            .annotate(at=Max("recorded_at"))
            .values_list("person_id", "purpose", "at")
        )
    for ref, person in people.items():
        pk = plan.pks[person.index]
        day = person.consent_day
        at = consent_time(day) if day is not None and day < today else None
        for purpose in PURPOSES:
            wanted = purpose in person.consent
            current = latest.get((pk, purpose)) if pk is not None else None
            if wanted and current is False:
                problems.add(
                    person.row,
                    CONSENT,
                    "consent_refused",
                    _(
                        "person_ref %(ref)s said no to '%(purpose)s' in Omzien; an import "
                        "cannot change a no into a yes, only the person can (at the door)"
                    )
                    % {"ref": ref, "purpose": purpose},
                )
            elif wanted != bool(current):
                before = latest_at.get((pk, purpose)) if pk is not None else None
                if at is not None and before is not None and at <= before:
                    if day < timezone.localtime(before).date():
                        problems.add(
                            person.row,
                            CONSENT_DATE,
                            "consent_date_before_latest",
                            _(
                                "person_ref %(ref)s answered about '%(purpose)s' in Omzien "
                                "on %(latest)s, after the consent date %(date)s; the latest "
                                "answer counts, so this one cannot be recorded"
                            )
                            % {
                                "ref": ref,
                                "purpose": purpose,
                                "latest": long_date(timezone.localtime(before).date()),
                                "date": long_date(day),
                            },
                        )
                        continue
                    at = before + timedelta(seconds=1)  # the same day: just after it
                plan.consents.append((person.index, purpose, wanted))
                if at is not None:
                    plan.consent_times[person.index] = at


def check_sessions(keys: list[SessionKey], state: State, problems: Problems) -> list[list]:
    """[kind, pk] per session number, as the database says now."""
    sessions = []
    for key in keys:
        kind, value = state.session(key.activity, key.day)
        if kind is None:
            problems.add(key.row, "date", value.code, value.message)
        sessions.append([kind, value])
    return sessions


def check_cancelled(rows, problems: Problems, keys: list[SessionKey], state: State) -> None:
    """Rows on cancelled sessions are fine only when the visit is already recorded.

    rows: (row, session number, session pk, person pk or None).
    """
    by_session = defaultdict(set)
    for _row, _number, session, person in rows:
        if person is not None:
            by_session[session].add(person)
    known = set()
    for session, people in by_session.items():
        for chunk in chunks(people):
            known.update(
                Visit.objects.filter(session_id=session, person_id__in=chunk).values_list(
                    "session_id", "person_id"
                )
            )
    for row, number, session, person in rows:
        if (session, person) not in known:
            key = keys[number]
            problems.add(
                row,
                "date",
                "cancelled",
                _("the session of %(activity)s on %(date)s was cancelled")
                % {
                    "activity": state.directory.activities[key.activity].title,
                    "date": long_date(key.day),
                },
            )
