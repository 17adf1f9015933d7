"""Synthetic residents and visits with a known truth, deterministic from a seed.

The demo uses this to fill a year of history; later capabilities (absence signals,
attendance reports) use it as a test bed, because the result says what is true about
every invented person: how they were meant to come (their profile), to which activities,
from when, and (for people who stop coming) on which date they stopped.

Patterns it makes:

- weekly regulars who come to one or two activities with a high probability each week,
  now and then missing a week or a few (illness, a trip), and sometimes visiting a
  second place;
- monthly regulars (the monthly meal, or a weekly activity about once a month);
- occasional visitors who drop in now and then at a few activities;
- newcomers who start somewhere in the middle of the period and then come regularly;
- dropouts: regulars who stop coming on a date (no visits on or after it);
- anonymous visits (people who were not checked in by name);
- fewer visits in the school holidays, fewest in summer;
- a handful of cancelled sessions (with a reason, and no visits).
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import DateTimeField, ExpressionWrapper, OuterRef, Subquery, Value
from django.utils import timezone

from omzien.accounts.permissions import SYSTEM
from omzien.agenda import services
from omzien.agenda.models import Activity, Session
from omzien.agenda.recurrence import local_zone
from omzien.attendance.models import Visit
from omzien.demo.network import visitor_weights
from omzien.people.models import Consent, Person, Purpose
from omzien.places.models import Region, Village

FIRST_NAMES = [
    # Older residents of the Veluwe villages, and some younger and newer neighbours.
    "Aaltje", "Albert", "Annie", "Ans", "Anton", "Bep", "Bert", "Berend", "Bernard", "Betsie",
    "Carla", "Cor", "Corrie", "Diny", "Dirk", "Els", "Evert", "Fatima", "Fenna", "Frans",
    "Gerard", "Gerda", "Gerrit", "Gert", "Geert", "Greet", "Hanneke", "Harm", "Harry", "Hendrik",
    "Henk", "Hennie", "Herman", "Ina", "Jan", "Janneke", "Jannie", "Jo", "Johan", "Joke",
    "Karin", "Klaas", "Lies", "Lucas", "Marietje", "Marja", "Martha", "Mehmet", "Mien", "Nel",
    "Noortje", "Piet", "Reint", "Ria", "Riek", "Rik", "Sanne", "Sien", "Theo", "Thea",
    "Tonnie", "Truus", "Wil", "Willem", "Wilma", "Wim", "Yusuf", "Zwaan",
]  # fmt: skip

LAST_NAMES = [
    "Bakker", "Beltman", "Berends", "Bosch", "Bouwmeester", "Brinkman", "Bruggink",
    "van Dijk", "Dijkman", "Gerritsen", "ten Have", "Haverkamp", "Hendriksen", "Hermsen",
    "Hofman", "Horstink", "Hulshof", "Jansen", "Jolink", "Kamphuis", "Kleinjan", "Klomp",
    "Koers", "Kok", "Lammers", "Lubbers", "Meijer", "Mulder", "Nijenhuis", "Oolman",
    "Pelgrom", "Peters", "Rouwenhorst", "Ruiterkamp", "Scholten", "Smit", "Stegeman",
    "Timmer", "van der Veen", "Veldhuis", "Visser", "de Vries", "Vos", "Wesselink",
    "Wijnbergen", "Wolters", "Yilmaz", "Zweers",
]  # fmt: skip

CANCEL_REASONS = [
    "De vrijwilligers zijn ziek; volgende week gewoon weer.",
    "De zaal is in gebruik als stemlokaal.",
    "Storing aan de verwarming.",
    "De gastvrouw is verhinderd en er is geen vervanging.",
    "Gesloten vanwege een begrafenis in het dorp.",
]
WEATHER_REASON = "Code oranje: gladheid. Blijf veilig thuis."

# School holidays (month, day) to (month, day), roughly those of the Veluwe, and how
# much of the usual attendance is left in them.
HOLIDAYS = [
    ((2, 15), (2, 23), 0.85),  # spring holiday
    ((4, 26), (5, 4), 0.85),  # May holiday
    ((7, 12), (8, 24), 0.5),  # summer
    ((10, 18), (10, 26), 0.85),  # autumn holiday
    ((12, 20), (12, 31), 0.7),  # Christmas
    ((1, 1), (1, 4), 0.7),
]


class Profile(StrEnum):
    WEEKLY_REGULAR = "weekly_regular"
    MONTHLY_REGULAR = "monthly_regular"
    OCCASIONAL = "occasional"
    NEWCOMER = "newcomer"
    DROPOUT = "dropout"


# How the invented people are spread over the profiles.
PROFILE_SHARES = {
    Profile.WEEKLY_REGULAR: 0.30,
    Profile.MONTHLY_REGULAR: 0.13,
    Profile.OCCASIONAL: 0.32,
    Profile.NEWCOMER: 0.15,
    Profile.DROPOUT: 0.10,
}


@dataclass(frozen=True)
class PersonTruth:
    """What is true about one invented person (the generator's intention)."""

    ref: str
    profile: Profile
    home_place: str  # place slug
    village: str  # village slug
    # "place-slug/activity-slug" to the chance of coming to one session of it.
    activities: dict[str, float]
    active_from: date  # no visits before this date
    dropout_date: date | None  # no visits on or after this date
    consents: frozenset[str]  # purposes whose latest answer is yes
    first_visit: date | None = None
    last_visit: date | None = None
    visit_count: int = 0
    # ISO (year, week) of the weeks they were ill or away, and so came to nothing.
    away_weeks: frozenset[tuple[int, int]] = frozenset()


@dataclass
class GenerationResult:
    seed: int
    start: date
    end: date
    people: dict[str, PersonTruth] = field(default_factory=dict)
    visit_count: int = 0
    anonymous_visit_count: int = 0
    sessions_created: int = 0
    # (place slug, activity slug, date, reason) of the sessions the generator cancelled.
    cancelled: list[tuple[str, str, date, str]] = field(default_factory=list)

    def refs(self, profile: Profile) -> list[str]:
        return sorted(ref for ref, truth in self.people.items() if truth.profile == profile)

    @property
    def person_count(self) -> int:
        return len(self.people)

    def summary(self) -> dict:
        return {
            "people": self.person_count,
            "visits": self.visit_count,
            "anonymous_visits": self.anonymous_visit_count,
            "cancelled_sessions": len(self.cancelled),
            "profiles": {profile.value: len(self.refs(profile)) for profile in Profile},
        }


def holiday_factor(day: date) -> float:
    for (m1, d1), (m2, d2), factor in HOLIDAYS:
        if date(day.year, m1, d1) <= day <= date(day.year, m2, d2):
            return factor
    return 1.0


def _frequency(activity: Activity) -> str:
    rule = activity.rrule
    if "FREQ=MONTHLY" in rule:
        return "monthly"
    if "INTERVAL=2" in rule:
        return "fortnightly"
    return "weekly"


def _distance_km(a, b) -> float:
    lat1, lon1, lat2, lon2 = map(float, (a.latitude, a.longitude, b.latitude, b.longitude))
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371 * math.hypot(x, y)


def _key(activity: Activity) -> str:
    return f"{activity.place.slug}/{activity.slug}"


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


class _Plan:
    """Everything the generator decides about a person before walking the calendar."""

    def __init__(self, ref, profile, home, village, first_name, last_name):
        self.ref = ref
        self.profile = profile
        self.home = home
        self.village = village
        self.first_name = first_name
        self.last_name = last_name
        self.activities: dict[str, float] = {}
        self.active_from: date | None = None
        self.dropout_date: date | None = None
        self.absent_weeks: set[tuple[int, int]] = set()
        self.visit_days: list[date] = []
        self.first_start: datetime | None = None


def generate_visits(
    region: Region,
    start: date,
    end: date,
    seed: int = 2026,
    people: int = 420,
    ref_prefix: str = "demo-",
    cancellations: int = 8,
) -> GenerationResult:
    """Invent people, consents and visits for the region's sessions from start to end.

    Sessions of the period are created first (materialise_sessions). Everything that is
    random comes from ``random.Random(seed)``, walked in a fixed order, so the same
    network, dates and seed give the same people and visits.
    """
    rng = random.Random(seed)  # noqa: S311 - invented demo data, not security  # nosec B311  # demo data
    result = GenerationResult(seed=seed, start=start, end=end)
    activities = list(
        Activity.objects.filter(place__village__region=region, is_active=True)
        .select_related("place__village")
        .order_by("place__slug", "slug")
    )
    result.sessions_created = services.materialise_sessions(start, end, activities=activities)
    sessions = list(
        Session.objects.filter(activity__in=activities, date__gte=start, date__lte=end)
        .scheduled()
        .select_related("activity__place")
        .order_by("date", "starts_at", "activity__place__slug", "activity__slug")
    )
    sessions = _cancel_some(rng, sessions, cancellations, result)

    places = sorted({activity.place for activity in activities}, key=lambda place: place.slug)
    villages = list(Village.objects.filter(region=region).order_by("slug"))
    place_weights = {place.slug: visitor_weights().get(place.slug, 1.0) for place in places}
    by_place: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_place[activity.place.slug].append(activity)
    village_weights = {
        place.slug: {
            village.slug: 1 / (1.5 + _distance_km(place, village)) ** 2 for village in villages
        }
        for place in places
    }
    village_by_slug = {village.slug: village for village in villages}

    plans = [
        _plan_person(rng, index, ref_prefix, start, end, place_weights, by_place, village_weights)
        for index in range(1, people + 1)
    ]

    # Who may come to which activity, for walking the sessions.
    followers: dict[str, list[tuple[_Plan, float]]] = defaultdict(list)
    for plan in plans:
        for key, probability in plan.activities.items():
            followers[key].append((plan, probability))

    visits = []
    anonymous = 0
    for session in sessions:
        activity = session.activity
        day = session.date
        factor = holiday_factor(day)
        week = day.isocalendar()[:2]
        present = []
        for plan, probability in followers.get(_key(activity), ()):
            if day < plan.active_from or (plan.dropout_date and day >= plan.dropout_date):
                continue
            if week in plan.absent_weeks:
                continue
            if rng.random() < probability * factor:
                present.append(plan)
        if activity.signup_required:
            extra = rng.choices([0, 1, 2], weights=[70, 22, 8])[0]
        else:
            extra = rng.choices([0, 1, 2, 3, 4], weights=[30, 30, 22, 12, 6])[0]
        extra = sum(rng.random() < factor for _ in range(extra))
        if activity.capacity and len(present) + extra > activity.capacity:
            rng.shuffle(present)
            present = present[: activity.capacity]
            extra = max(0, activity.capacity - len(present))
        for plan in present:
            plan.visit_days.append(day)
            if plan.first_start is None:
                plan.first_start = session.starts_at
            visits.append((session, plan))
        anonymous += extra
        visits += [(session, None)] * extra

    # Write: people, consents, visits.
    persons = Person.objects.bulk_create(
        [
            Person(
                ref=plan.ref,
                first_name=plan.first_name,
                last_name=plan.last_name,
                village=village_by_slug[plan.village],
                is_synthetic=True,
            )
            for plan in plans
        ],
        batch_size=500,
    )
    person_by_ref = {person.ref: person for person in persons}
    if any(person.pk is None for person in persons):  # databases without RETURNING
        person_by_ref = {
            person.ref: person
            for person in Person.objects.filter(ref__in=[plan.ref for plan in plans])
        }
    written_from = timezone.now()
    Visit.objects.bulk_create(
        [
            Visit(session=session, person=person_by_ref[plan.ref] if plan else None)
            for session, plan in visits
        ],
        batch_size=1000,
    )
    consents, truths = _consents(rng, plans, person_by_ref)
    Consent.objects.bulk_create(consents, batch_size=1000)
    _backdate(
        region,
        start,
        end,
        written_from,
        [person_by_ref[plan.ref].pk for plan in plans if plan.visit_days],
    )

    result.people = truths
    result.visit_count = len(visits)
    result.anonymous_visit_count = anonymous
    return result


def _cancel_some(rng, sessions, count, result) -> list[Session]:
    """Cancel a winter day everywhere (weather) and a few single sessions."""
    if not sessions:
        return sessions
    cancelled = set()
    winter_days = sorted(
        {s.date for s in sessions if s.date.month in (1, 2) and s.date.weekday() < 5}
    )
    if winter_days and count:
        weather_day = rng.choice(winter_days)
        for session in sessions:
            if session.date == weather_day:
                cancelled.add(session.pk)
                services.cancel_session(session, WEATHER_REASON, acting_user=SYSTEM)
                result.cancelled.append(
                    (
                        session.activity.place.slug,
                        session.activity.slug,
                        session.date,
                        WEATHER_REASON,
                    )
                )
    others = [session for session in sessions if session.pk not in cancelled]
    for session in rng.sample(others, min(count, len(others))):
        reason = rng.choice(CANCEL_REASONS)
        cancelled.add(session.pk)
        services.cancel_session(session, reason, acting_user=SYSTEM)
        result.cancelled.append(
            (session.activity.place.slug, session.activity.slug, session.date, reason)
        )
    result.cancelled.sort()
    return [session for session in sessions if session.pk not in cancelled]


def _plan_person(rng, index, ref_prefix, start, end, place_weights, by_place, village_weights):
    profile = _weighted(rng, PROFILE_SHARES)
    home = _weighted(rng, place_weights)
    village = _weighted(rng, village_weights[home])
    plan = _Plan(
        ref=f"{ref_prefix}{index:04d}",
        profile=profile,
        home=home,
        village=village,
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
    )
    days = (end - start).days
    plan.active_from = start
    home_activities = by_place[home]
    regular = [a for a in home_activities if _frequency(a) != "monthly"] or home_activities
    monthly = [a for a in home_activities if _frequency(a) == "monthly"]

    if profile in (Profile.WEEKLY_REGULAR, Profile.NEWCOMER, Profile.DROPOUT):
        if profile != Profile.NEWCOMER:  # regulars from the start: offers that already ran
            regular = [a for a in regular if a.first_date <= start] or regular
        base = rng.uniform(0.68, 0.92)
        count = 1 if len(regular) == 1 else rng.choices([1, 2], weights=[55, 45])[0]
        for number, activity in enumerate(rng.sample(regular, count)):
            probability = base if number == 0 else base * rng.uniform(0.6, 1.0)
            plan.activities[_key(activity)] = round(probability, 3)
        if monthly and rng.random() < 0.3:
            plan.activities[_key(rng.choice(monthly))] = round(rng.uniform(0.6, 0.9), 3)
        if rng.random() < 0.15:  # also goes to a place in another village now and then
            other = rng.choice([slug for slug in by_place if slug != home] or [home])
            plan.activities.setdefault(_key(rng.choice(by_place[other])), 0.3)
        if profile == Profile.NEWCOMER:
            plan.active_from = start + timedelta(
                days=rng.randint(days // 4, max(days // 4, days - 56))
            )
        if profile == Profile.DROPOUT:
            plan.dropout_date = start + timedelta(
                days=rng.randint(min(112, days // 3), max(min(112, days // 3), days - 42))
            )
        weeks = (end - start).days // 7 + 1
        week = 0
        while week < weeks:  # now and then ill or away for one to three weeks
            if rng.random() < 0.03:
                for offset in range(rng.randint(1, 3)):
                    plan.absent_weeks.add(
                        (start + timedelta(weeks=week + offset)).isocalendar()[:2]
                    )
                week += 3
            week += 1
    elif profile == Profile.MONTHLY_REGULAR:
        if monthly:
            plan.activities[_key(rng.choice(monthly))] = round(rng.uniform(0.75, 0.95), 3)
        else:
            activity = rng.choice(regular)
            weekly_share = 0.5 if _frequency(activity) == "fortnightly" else 0.25
            plan.activities[_key(activity)] = round(weekly_share * rng.uniform(0.8, 1.1), 3)
    else:  # occasional
        pool = list(home_activities) + [
            activity for slug, items in by_place.items() if slug != home for activity in items
        ]
        chosen = rng.sample(home_activities, min(len(home_activities), rng.randint(1, 3)))
        if rng.random() < 0.4:
            chosen.append(rng.choice(pool))
        for activity in chosen:
            plan.activities.setdefault(_key(activity), round(rng.uniform(0.04, 0.12), 3))
    return plan


def _consents(rng, plans, person_by_ref):
    """Consents at each person's first visit; a few withdraw follow-up later."""
    consents = []
    truths = {}
    zone = local_zone()
    for plan in plans:
        person = person_by_ref[plan.ref]
        given_at = plan.first_start or datetime.combine(plan.active_from, time(10), tzinfo=zone)
        answers = {
            Purpose.NAMES: rng.random() < 0.88,
            Purpose.QUESTIONNAIRES: rng.random() < 0.3,
        }
        answers[Purpose.FOLLOWUP] = rng.random() < (0.72 if answers[Purpose.NAMES] else 0.2)
        final = {purpose for purpose, given in answers.items() if given}
        for purpose, given in answers.items():
            if given or purpose == Purpose.NAMES:  # refusing names is written down too
                consents.append(
                    Consent(
                        person=person,
                        purpose=purpose,
                        given=given,
                        recorded_at=given_at,
                        source="demo",
                    )
                )
        if answers[Purpose.FOLLOWUP] and plan.visit_days and rng.random() < 0.04:
            withdrawn = given_at + timedelta(days=rng.randint(30, 120))
            consents.append(
                Consent(
                    person=person,
                    purpose=Purpose.FOLLOWUP,
                    given=False,
                    recorded_at=withdrawn,
                    source="demo",
                )
            )
            final.discard(Purpose.FOLLOWUP)
        truths[plan.ref] = PersonTruth(
            ref=plan.ref,
            profile=plan.profile,
            home_place=plan.home,
            village=plan.village,
            activities=dict(plan.activities),
            active_from=plan.active_from,
            dropout_date=plan.dropout_date,
            consents=frozenset(str(purpose) for purpose in final),
            first_visit=min(plan.visit_days) if plan.visit_days else None,
            last_visit=max(plan.visit_days) if plan.visit_days else None,
            visit_count=len(plan.visit_days),
            away_weeks=frozenset(plan.absent_weeks),
        )
    return consents, truths


def _backdate(region, start, end, written_from, person_ids):
    """Give the new visits and people the time of the session instead of 'now'."""
    session_start = Session.objects.filter(pk=OuterRef("session_id")).values("starts_at")[:1]
    Visit.objects.filter(
        session__activity__place__village__region=region,
        session__date__gte=start,
        session__date__lte=end,
        recorded_at__gte=written_from,
    ).update(
        recorded_at=ExpressionWrapper(
            Subquery(session_start) + Value(timedelta(minutes=10)), output_field=DateTimeField()
        )
    )
    first_visit = (
        Visit.objects.filter(person=OuterRef("pk"))
        .order_by("recorded_at")
        .values("recorded_at")[:1]
    )
    for offset in range(0, len(person_ids), 500):
        Person.objects.filter(pk__in=person_ids[offset : offset + 500]).update(
            created_at=Subquery(first_visit)
        )
