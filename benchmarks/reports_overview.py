"""How long the attendance overview takes, on the demo data and on a million visits.

    .venv/bin/python benchmarks/reports_overview.py [--visits 1000000] [--runs 7] [--no-write]

Everything happens in a new SQLite database in a temporary folder (removed afterwards),
never in ./var or the database DATABASE_URL names:

1. the Voorst demo (``load_demo``: ~420 people, ~11k visits over a year);
2. then a synthetic region added to the same database: 60 places with 5 weekly
   activities each, 3 years of sessions, and people with habits (an activity or two, on
   a weekly chance, from a start to an end) until about ``--visits`` visits, plus 10%
   anonymous ones; inserted with one executemany per 50,000 rows.

Each case is run once to warm up, then ``--runs`` times; the table gives the median and
the fastest. Baselines measured in the same run: a plain ``COUNT(*)`` of all visits and a
``COUNT(*)`` of the visits the case looks at (same joins and filters, nothing grouped).
The figures are printed and appended to benchmarks/RESULTS.md with the date and machine.
"""

import argparse
import resource
import shutil
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from common import append_results, bench_places, machine, setup_django, timed


def add_big_region(target_visits: int, today: date, seed: int = 7) -> dict:
    """60 places x 5 weekly activities, 3 years, people with habits: ~target visits."""
    import numpy as np
    from django.db import connection, transaction

    from omzien.agenda.models import Session
    from omzien.agenda.recurrence import local_zone
    from omzien.people.models import Person

    rng = np.random.default_rng(seed)
    weeks = 156
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks)
    zone = local_zone()
    with transaction.atomic():
        _region, places, activities = bench_places(60, 5, first_monday)
        sessions = []
        for index, activity in enumerate(activities):
            for week in range(weeks):
                day = first_monday + timedelta(weeks=week, days=index % 5)
                starts = datetime.combine(day, clock(10), tzinfo=zone)
                sessions.append(
                    Session(
                        activity=activity,
                        date=day,
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=2),
                    )
                )
        sessions = Session.objects.bulk_create(sessions, batch_size=5000)
        session_ids = np.array([session.pk for session in sessions], dtype=np.int64).reshape(
            len(activities), weeks
        )

        # Habits: each person comes to 1 or 2 activities at a home place, each on a
        # weekly chance, in a span of weeks. People are invented a thousand at a time
        # until there are enough named visits.
        named_target = int(target_visits * 0.9)
        chunks, named_count, people_count = [], 0, 0
        while named_count < named_target:
            home = rng.integers(0, len(places), 1000)
            first = rng.integers(0, 5, 1000)
            other = (first + rng.integers(1, 5, 1000)) % 5
            two = rng.random(1000) < 0.5
            owners = np.concatenate([np.arange(1000), np.flatnonzero(two)]) + people_count
            habit_activity = np.concatenate([home * 5 + first, (home * 5 + other)[two]])
            chance = rng.uniform(0.2, 0.9, len(owners))
            start_week = rng.integers(0, weeks, len(owners))
            length = rng.integers(4, weeks + 1, len(owners))
            for habit in range(len(owners)):
                span = np.arange(start_week[habit], min(weeks, start_week[habit] + length[habit]))
                came = span[rng.random(len(span)) < chance[habit]]
                chunks.append(
                    np.stack(
                        [
                            session_ids[habit_activity[habit], came],
                            np.full(len(came), owners[habit]),
                        ]
                    )
                )
                named_count += len(came)
            people_count += 1000
        named = np.concatenate(chunks, axis=1)
        people = Person.objects.bulk_create(
            (
                Person(first_name=f"Bench{number}", last_name="Persoon", is_synthetic=True)
                for number in range(people_count)
            ),
            batch_size=5000,
        )
        person_ids = np.array([person.pk for person in people], dtype=np.int64)
        anonymous_count = named_count // 9
        anonymous_sessions = session_ids.ravel()[rng.integers(0, session_ids.size, anonymous_count)]
        recorded = f"{today:%Y-%m-%d} 10:00:00"
        sql = (
            "INSERT INTO attendance_visit (recorded_at, person_id, session_id) VALUES (%s, %s, %s)"
        )
        batch = []
        count = 0
        with connection.cursor() as cursor:
            for session_id, person_index in zip(named[0], named[1], strict=True):
                batch.append((recorded, int(person_ids[person_index]), int(session_id)))
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            batch += [(recorded, None, int(session_id)) for session_id in anonymous_sessions]
            cursor.executemany(sql, batch)
            count += len(batch)
    return {
        "places": places,
        "activities": activities,
        "people": people_count,
        "visits": count,
        "anonymous": anonymous_count,
    }


def cases(label, places, activity, today, runs):
    from omzien.attendance.models import Visit
    from omzien.reports import statistics as stats
    from omzien.reports.charts import KINDS, render_svg

    year_start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    half_year = today - timedelta(days=today.weekday(), weeks=25)

    def overview(scope, grouping, first, activity=None):
        return stats.attendance_overview(
            scope, grouping=grouping, first_day=first, last_day=today, activity=activity
        )

    scope_q = stats._scope(places, None)
    months = stats.period_starts(year_start, today, stats.Grouping.MONTH)
    results = [
        (label, "baseline: COUNT(*) of all visits", timed(lambda: Visit.objects.count(), runs)),
        (
            label,
            "baseline: COUNT(*) of the visits of the 12 months (same joins)",
            timed(
                lambda: Visit.objects.filter(
                    scope_q, session__date__gte=year_start, session__date__lte=today
                ).count(),
                runs,
            ),
        ),
        (
            label,
            "overview, all places, 12 months",
            timed(lambda: overview(places, "month", year_start), runs),
        ),
        (
            label,
            "  of which: visits per period (1 grouped query, TruncMonth)",
            timed(
                lambda: list(
                    Visit.objects.filter(
                        scope_q, session__date__gte=year_start, session__date__lte=today
                    )
                    .annotate(period=stats._trunc(stats.Grouping.MONTH))
                    .values("period")
                    .annotate(visits=stats.Count("pk"), named=stats.Count("person"))
                    .order_by()
                ),
                runs,
            ),
        ),
        (
            label,
            "  of which: first visit per person (1 grouped query)",
            timed(lambda: stats.first_visit_dates(scope_q, year_start, today), runs),
        ),
        (
            label,
            "  of which: unique and returning (1 query of pairs + numpy)",
            timed(lambda: stats._named_visitors(scope_q, months, stats.Grouping.MONTH), runs),
        ),
        (
            label,
            "overview, all places, 26 weeks",
            timed(lambda: overview(places, "week", half_year), runs),
        ),
        (
            label,
            "overview, one place, 12 months",
            timed(lambda: overview([places[0]], "month", year_start), runs),
        ),
        (
            label,
            "overview, one activity, 26 weeks",
            timed(lambda: overview([activity.place], "week", half_year, activity), runs),
        ),
    ]
    for grouping, start, what in (
        ("month", year_start, "12 months"),
        ("week", half_year, "26 weeks"),
    ):
        exact = stats.attendance_overview(
            places,
            grouping=grouping,
            first_day=start,
            last_day=today,
            as_of=today,
            by_activity=True,
        )
        results.append(
            (
                label,
                f"small cells hidden for viewers, all places, {what} with the activities"
                f" ({len(exact.activities)})",
                timed(lambda exact=exact: stats.suppress_small_cells(exact, 5), runs),
            )
        )
    figures = overview(places, "month", year_start)
    results.append(
        (
            label,
            "3 charts rendered as SVG (matplotlib)",
            timed(lambda: [render_svg(kind, figures, "Bezoeken") for kind in KINDS], runs),
        )
    )
    return results


def page_cases(label, runs):
    """The page and a chart as a professional (exact) and as a viewer (small cells hidden:
    the suppression and its check are the difference)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from omzien.accounts.models import Membership, Role

    results = []
    for name, role in (("professional", Role.PROFESSIONAL), ("viewer", Role.VIEWER)):
        user, created = get_user_model().objects.get_or_create(username=f"bench-{name}")
        if created:
            Membership.objects.create(user=user, role=role, place=None)
        client = Client()
        client.force_login(user)

        def get(path, client=client):
            cache.clear()  # a chart reuses the page's figures only within two minutes
            response = client.get(path)
            assert response.status_code == 200, response.status_code

        who = "" if role == Role.PROFESSIONAL else " as a viewer"
        page = f"page GET /overzicht/ (all places, 12 months){who}"
        weeks = f"page GET /overzicht/?per=week (all places, 26 weeks){who}"
        chart = f"chart GET /overzicht/grafiek/bezoeken.svg{who}"
        results += [
            (label, page, timed(lambda get=get: get("/overzicht/"), runs)),
            (label, weeks, timed(lambda get=get: get("/overzicht/?per=week"), runs)),
            (label, chart, timed(lambda get=get: get("/overzicht/grafiek/bezoeken.svg"), runs)),
        ]
    return results


def machine_line() -> str:
    import matplotlib
    import numpy

    return f"{machine()}, numpy {numpy.__version__}, matplotlib {matplotlib.__version__}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=1_000_000, help="0 skips the big data")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="omzien-bench-reports-"))
    try:
        setup_django(folder)
        from django.utils import timezone

        from omzien.agenda.models import Activity
        from omzien.attendance.models import Visit
        from omzien.demo.services import load_demo
        from omzien.places.models import Place
        from omzien.reports.statistics import attendance_overview

        today = timezone.localdate()
        started = time.perf_counter()
        load_demo(today=today)
        demo_visits = Visit.objects.count()
        print(f"demo loaded: {demo_visits} visits in {time.perf_counter() - started:.1f} s")
        demo_places = list(Place.objects.order_by("name"))
        demo_activity = Activity.objects.filter(place=demo_places[0]).order_by("pk").first()
        demo_label = f"demo ({demo_visits:,} visits)"
        results = cases(demo_label, demo_places, demo_activity, today, arguments.runs)
        results += page_cases(demo_label, arguments.runs)

        if arguments.visits:
            started = time.perf_counter()
            big = add_big_region(arguments.visits, today)
            seconds = time.perf_counter() - started
            total = Visit.objects.count()
            print(
                f"big region: {big['visits']:,} visits ({big['anonymous']:,} anonymous), "
                f"{big['people']:,} people, {len(big['places'])} places in {seconds:.1f} s"
            )
            label = f"{total:,} visits, {len(big['places']) + len(demo_places)} places"
            every_place = list(Place.objects.order_by("name"))
            results += cases(label, every_place, big["activities"][0], today, arguments.runs)
            results += page_cases(label, arguments.runs)
            results.append(
                (
                    label,
                    "overview, one demo place, 12 months (in the big database)",
                    timed(
                        lambda: attendance_overview(
                            [demo_places[0]],
                            grouping="month",
                            first_day=today - timedelta(days=365),
                            last_day=today,
                        ),
                        arguments.runs,
                    ),
                )
            )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    lines = [
        f"## Attendance overview queries ({date.today().isoformat()})",
        "",
        f"`benchmarks/reports_overview.py --runs {arguments.runs} --visits {arguments.visits}`"
        f" on SQLite in a temporary folder. {machine_line()}. Peak memory of the run "
        f"(including generating the data): {peak:.0f} MB.",
        "",
        "| data | what | median ms | fastest ms |",
        "|---|---|---:|---:|",
    ]
    lines += [
        f"| {label} | {what} | {median:.1f} | {fastest:.1f} |"
        for label, what, (median, fastest) in results
    ]
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    if not arguments.no_write:
        append_results(text)


if __name__ == "__main__":
    main()
