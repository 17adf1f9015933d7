"""How long signal detection takes on a big region: 1M visits and the curve to 10M.

    .venv/bin/python benchmarks/signal_speed.py [--visits 1000000] [--databases sqlite,postgres]
        [--curve 2000000 5000000 10000000] [--curve-databases sqlite] [--runs 5]
        [--curve-runs 3] [--no-write]

A quick run: ``--visits 100000 --curve --databases sqlite --runs 2 --no-write``.

"Signals" is ``omzien.signals.detection.find_signals(as_of)`` end to end, what
``omzien signals --as-of D`` computes: ``loading.load`` (arrays from the database),
``rhythms.compute_rhythms`` (numpy), ``loading.region_p_alive`` (``history.summarise``,
``bgnbd.fit``, ``bgnbd.p_alive``) and the reasons of the candidates.

Each (database, size) runs in a child process of this script on a database of its own:
SQLite in a temporary folder (removed afterwards), PostgreSQL in a fresh database
``omzien_bench_signals`` at postgres://postgres@127.0.0.1:5432 (created and dropped here),
never ./var or what DATABASE_URL names. The child builds a synthetic region, generated
with numpy and inserted in bulk (executemany in batches of 100,000 on SQLite, COPY on
PostgreSQL, which is then VACUUM ANALYZEd as autovacuum would after such a load):

- per 1,000,000 visits 500 places with 3 weekly activities each (Monday to Saturday) and
  50,000 people; bigger sizes scale people and places in proportion (the curve), the
  weeks stay: 26 weeks of history before the lookback window (OMZIEN_SIGNAL_LOOKBACK_WEEKS
  as the settings give it) up to ``as_of``, and 4 weeks of coming sessions after;
- about 1% of the sessions cancelled, 2% of the places closed for two weeks in the
  window, announced absences of 1 to 3 weeks for 2% of the people;
- people with habits: an activity of their home place, half of them a second one (one in
  five at another place), each on a weekly chance from a first week to a last (many stop
  before ``as_of``: the dropouts detection looks for); the chances are scaled so that the
  visits come to about the size asked; 5% of the visits are anonymous;
- follow-up consent for everybody before the history starts; 2% withdraw it in the window.

Each phase is run once to warm up, then ``--runs`` times; the table gives the median and
the fastest. Baselines in the same run: a plain ``COUNT(*)`` of all visits, and a bare
``values_list("person_id", "session_id")`` of all visits in the window. The target
(issue 4) is find_signals under 10 s at 1,000,000 visits on both databases. The tables
are printed and appended to benchmarks/RESULTS.md with the date and machine.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from common import POSTGRES, ROOT, append_results, bench_places, machine

BENCH_DB = "omzien_bench_signals"
AS_OF = date(2026, 11, 1)  # a Sunday: the last week's sessions are all before it
HISTORY_WEEKS = 26  # before the lookback window, for BG/NBD
FUTURE_WEEKS = 4  # sessions after as_of (materialised, never visited yet)
ACTIVITIES_PER_PLACE = 3
PEOPLE_PER_MILLION = 50_000
PLACES_PER_MILLION = 500
ANONYMOUS_SHARE = 0.05
BATCH = 100_000
TARGET_SECONDS = 10
SEED = 4


# --- building the region (child process) ---------------------------------------------


def setup_django(data_dir: Path, database_url: str | None) -> None:
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["OMZIEN_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def insert(table: str, columns: list[str], values: list, ids=None) -> int:
    """Rows into a table in bulk; values are equally long numpy arrays or constants.

    SQLite: executemany per batch of 100,000 rows. PostgreSQL: COPY of text built per
    batch (the psycopg per-row adaptation would cost more than the database's work).
    """
    import numpy as np
    from django.db import connection

    if ids is not None:
        columns = ["id", *columns]
        values = [ids, *values]
    count = len(next(value for value in values if isinstance(value, np.ndarray)))
    with connection.cursor() as cursor:
        for low in range(0, count, BATCH):
            high = min(count, low + BATCH)
            parts = [
                value[low:high].tolist()
                if isinstance(value, np.ndarray)
                else [value] * (high - low)
                for value in values
            ]
            if connection.vendor == "postgresql":
                text = "\n".join(
                    "\t".join(row)
                    for row in zip(*[map(_copy_text, part) for part in parts], strict=True)
                )
                sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    copy.write(text + "\n")
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                    list(zip(*parts, strict=True)),
                )
        if connection.vendor == "postgresql" and ids is not None:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
    return count


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def build_region(visits: int, seed: int = SEED) -> dict:
    """The synthetic region (see the module docstring); returns what was made."""
    import numpy as np
    from django.conf import settings
    from django.db import connection, transaction

    from omzien.places.models import PlaceClosure
    from omzien.signals.models import AnnouncedAbsence

    rng = np.random.default_rng(seed)
    postgres = connection.vendor == "postgresql"
    scale = visits / 1_000_000
    place_count = max(1, round(PLACES_PER_MILLION * scale))
    people = max(10, round(PEOPLE_PER_MILLION * scale))
    lookback = settings.OMZIEN_SIGNAL_LOOKBACK_WEEKS
    weeks = HISTORY_WEEKS + lookback  # weeks with visits, the last ending on AS_OF
    first_monday = AS_OF - timedelta(weeks=weeks, days=-1)
    epoch = date(1970, 1, 1)

    def text_dates(day_numbers):
        return np.asarray(day_numbers, "datetime64[D]").astype(str)

    def stamp(day: date, hour: int) -> str:
        return f"{day:%Y-%m-%d} {hour:02d}:00:00" + ("+00" if postgres else "")

    with transaction.atomic():
        _region, places, activities = bench_places(place_count, ACTIVITIES_PER_PLACE, first_monday)
        activity_ids = np.array([activity.pk for activity in activities], np.int64)
        place_ids = np.array([place.pk for place in places], np.int64)

        # Sessions: activity-major, one per week on the activity's own weekday.
        all_weeks = weeks + FUTURE_WEEKS
        n_act = len(activity_ids)
        weekday = np.arange(n_act) % 6
        session_day = (
            (first_monday - epoch).days + 7 * np.arange(all_weeks)[None, :] + weekday[:, None]
        )
        session_ids = np.arange(1, n_act * all_weeks + 1, dtype=np.int64).reshape(n_act, all_weeks)
        cancelled = (rng.random((n_act, all_weeks)) < 0.01) & (session_day <= (AS_OF - epoch).days)
        dates = text_dates(session_day.ravel())
        insert(
            "agenda_session",
            ["activity_id", "date", "starts_at", "ends_at", "status", "cancel_reason", "note"]
            + ["is_rescheduled", "is_extra"],
            [
                np.repeat(activity_ids, all_weeks),
                dates,
                np.char.add(dates, " 09:00:00+00" if postgres else " 09:00:00"),
                np.char.add(dates, " 11:00:00+00" if postgres else " 11:00:00"),
                np.where(cancelled.ravel(), "cancelled", "scheduled"),
                "",
                "",
                False,
                False,
            ],
            ids=session_ids.ravel(),
        )

        # Closures: 2% of the places, two weeks inside the lookback window.
        window_first = weeks - lookback
        closed = rng.choice(place_count, max(1, place_count // 50), replace=False)
        closure_week = rng.integers(window_first, weeks - 2, closed.size)
        closure_first = (first_monday - epoch).days + 7 * closure_week
        PlaceClosure.objects.bulk_create(
            PlaceClosure(
                place_id=int(place_ids[place]),
                first_day=epoch + timedelta(days=int(first)),
                last_day=epoch + timedelta(days=int(first) + 13),
                reason="verbouwing",
            )
            for place, first in zip(closed, closure_first, strict=True)
        )
        place_closed = np.zeros((place_count, all_weeks), bool)
        place_closed[closed, closure_week] = True
        place_closed[closed, closure_week + 1] = True

        # People, and follow-up consent for all of them; 2% withdraw in the window.
        person_ids = np.arange(1, people + 1, dtype=np.int64)
        insert(
            "people_person",
            ["first_name", "last_name", "search_name", "is_synthetic", "created_at"],
            ["Bench", "Persoon", "bench persoon", True, stamp(first_monday, 8)],
            ids=person_ids,
        )
        withdrawn = rng.choice(people, people // 50, replace=False)
        withdrawn_day = first_monday + timedelta(weeks=window_first)
        consent_person = np.concatenate([person_ids, person_ids[withdrawn]])
        given = np.r_[np.ones(people, bool), np.zeros(withdrawn.size, bool)]
        recorded = np.where(
            given,
            stamp(first_monday - timedelta(days=30), 12),
            stamp(withdrawn_day + timedelta(days=int(rng.integers(0, 7 * lookback))), 12),
        )
        insert(
            "people_consent",
            ["person_id", "purpose", "given", "recorded_at", "source"],
            [consent_person, "followup", given, recorded, "bench"],
        )

        # Announced absences: 2% of the people, 1 to 3 weeks in the window.
        absent = rng.choice(people, people // 50, replace=False)
        absence_week = rng.integers(window_first, weeks, absent.size)
        absence_weeks = rng.integers(1, 4, absent.size)
        AnnouncedAbsence.objects.bulk_create(
            (
                AnnouncedAbsence(
                    person_id=int(person_ids[person]),
                    first_day=first_monday + timedelta(weeks=int(week)),
                    last_day=first_monday + timedelta(weeks=int(week + length), days=-1),
                    note="vakantie",
                )
                for person, week, length in zip(absent, absence_week, absence_weeks, strict=True)
            ),
            batch_size=5000,
        )
        person_absent = np.zeros((people, all_weeks), bool)
        for person, week, length in zip(absent, absence_week, absence_weeks, strict=True):
            person_absent[person, week : week + length] = True

        # Habits: (person, activity, chance, first week, last week + 1).
        home = rng.integers(0, place_count, people)
        first_act = home * ACTIVITIES_PER_PLACE + rng.integers(0, ACTIVITIES_PER_PLACE, people)
        two = rng.random(people) < 0.5
        elsewhere = rng.random(people) < 0.2
        other_place = np.where(elsewhere, rng.integers(0, place_count, people), home)
        other_act = (
            other_place * ACTIVITIES_PER_PLACE
            + (first_act % ACTIVITIES_PER_PLACE + rng.integers(1, ACTIVITIES_PER_PLACE, people))
            % ACTIVITIES_PER_PLACE
        )
        owner = np.r_[np.arange(people), np.flatnonzero(two)]
        habit_act = np.r_[first_act, other_act[two]]
        start = rng.integers(-20, weeks, owner.size)
        end = np.minimum(weeks, start + rng.integers(8, 150, owner.size))
        start = np.maximum(start, 0)
        end = np.maximum(end, start + 1)
        chance = rng.uniform(0.2, 0.9, owner.size)
        named_target = visits * (1 - ANONYMOUS_SHARE)
        chance = np.minimum(0.95, chance * named_target / np.sum(chance * (end - start)))

        visit_person, visit_session = [], []
        week_range = np.arange(weeks)
        for low in range(0, owner.size, 20_000):
            rows = slice(low, low + 20_000)
            came = (
                (week_range >= start[rows, None])
                & (week_range < end[rows, None])
                & (rng.random((len(owner[rows]), weeks)) < chance[rows, None])
            )
            habit, week = np.nonzero(came)
            habit += low
            act = habit_act[habit]
            keep = (
                ~cancelled[act, week]
                & ~place_closed[act // ACTIVITIES_PER_PLACE, week]
                & ~person_absent[owner[habit], week]
            )
            visit_person.append(person_ids[owner[habit[keep]]])
            visit_session.append(session_ids[act[keep], week[keep]])
        visit_person = np.concatenate(visit_person)
        visit_session = np.concatenate(visit_session)
        held_sessions = session_ids[:, :weeks][~cancelled[:, :weeks]]
        anonymous = rng.choice(held_sessions, int(len(visit_person) * ANONYMOUS_SHARE / 0.95))
        # Inserted in session order, as check-ins arrive.
        visit_person = np.r_[visit_person, np.zeros(anonymous.size, np.int64)]
        visit_session = np.r_[visit_session, anonymous]
        order = np.argsort(visit_session, kind="stable")
        person_column = visit_person[order].astype(object)
        person_column[person_column == 0] = None
        insert(
            "attendance_visit",
            ["person_id", "session_id", "recorded_at"],
            [person_column, visit_session[order], stamp(AS_OF, 10)],
        )
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "places": place_count,
        "activities": n_act,
        "people": people,
        "sessions": int(session_ids.size),
        "visits": int(visit_session.size),
        "anonymous": int(anonymous.size),
        "closures": int(closed.size),
        "absences": int(absent.size),
        "withdrawn": int(withdrawn.size),
        "lookback weeks": lookback,
    }


# --- measuring (child process) --------------------------------------------------------


def timed(function, runs: int) -> tuple[float, float]:
    function()  # warm up: imports, the database's caches
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def measure(runs: int) -> tuple[list, dict]:
    from omzien.attendance.models import Visit
    from omzien.signals import bgnbd, detection, history, loading, rhythms

    rules = rhythms.Rules.from_settings()
    start = AS_OF - timedelta(weeks=rules.lookback_weeks)
    arrays = loading.load(AS_OF, None, rules)
    rhythm = rhythms.compute_rhythms(arrays, rules)
    gated = rhythm.take(rhythm.gates)
    summary = history.summarise(AS_OF)
    signals = detection.find_signals(AS_OF, rules=rules)
    facts = {
        "visits in window (followup)": int(arrays.visit_person.size),
        "sessions in window": int(arrays.session_ids.size),
        "people in BG/NBD": len(summary),
        "(person, place) rhythms": int(rhythm.person.size),
        "past the gates": int(gated.person.size),
        "signals": len(signals),
    }

    def window_pairs():
        return list(
            Visit.objects.filter(session__date__gte=start, session__date__lte=AS_OF).values_list(
                "person_id", "session_id"
            )
        )

    def fit():
        return bgnbd.fit(summary.frequency, summary.recency, summary.T)

    phases = [
        ("baseline: COUNT(*) of all visits", lambda: Visit.objects.count()),
        ("baseline: values_list (person, session) of the window's visits", window_pairs),
        ("**find_signals, end to end**", lambda: detection.find_signals(AS_OF, rules=rules)),
        ("  load (arrays from the database)", lambda: loading.load(AS_OF, None, rules)),
        ("  rhythms (numpy)", lambda: rhythms.compute_rhythms(arrays, rules)),
        ("  region_p_alive", lambda: loading.region_p_alive(AS_OF, gated.person)),
        ("    of which history.summarise", lambda: history.summarise(AS_OF)),
        ("    of which bgnbd.fit", fit),
        ("  reasons (with_reasons)", lambda: detection.with_reasons(signals, AS_OF)),
    ]
    results = []
    for name, function in phases:
        median, fastest = timed(function, runs)
        results.append((name, median, fastest))
        print(f"  {name.strip('* ')}: median {median:.3f} s, fastest {fastest:.3f} s", flush=True)
    return results, facts


def child(options) -> None:
    folder = Path(tempfile.mkdtemp(prefix="omzien-bench-signals-"))
    try:
        url = f"{POSTGRES}/{BENCH_DB}" if options.child == "postgres" else None
        setup_django(folder, url)
        from django.db import connection

        started = time.perf_counter()
        built = build_region(options.visits)
        built["build seconds"] = round(time.perf_counter() - started, 1)
        print(
            f"{options.child}: {built['visits']:,} visits ({built['anonymous']:,} anonymous), "
            f"{built['people']:,} people, {built['places']} places, {built['sessions']:,} "
            f"sessions, built in {built['build seconds']} s",
            flush=True,
        )
        results, facts = measure(options.runs)
        server = ""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                server = cursor.fetchone()[0].split()[0]
        connection.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(options.output).write_text(
        json.dumps(
            {
                "database": options.child,
                "size": options.visits,
                "built": built,
                "facts": facts,
                "results": results,
                "peak_mb": peak,
                "server": server,
            }
        )
    )


# --- the parent: one child per (database, size), the tables ---------------------------


def postgres_database(action: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        if action == "create":
            connection.execute(f'CREATE DATABASE "{BENCH_DB}"')


def run_child(database: str, size: int, runs: int, work: Path) -> dict:
    output = work / f"{database}-{size}.json"
    if database == "postgres":
        postgres_database("create")
    try:
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                database,
                "--visits",
                str(size),
                "--runs",
                str(runs),
                "--output",
                str(output),
            ],
            check=True,
            cwd=ROOT,
        )
    finally:
        if database == "postgres":
            postgres_database("drop")
    return json.loads(output.read_text())


NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def label(run: dict) -> str:
    name = NAMES[run["database"]]
    return f"{name} {run['server']}".strip()


def tables(runs: list[dict], options) -> str:
    main = [run for run in runs if run["size"] == options.visits]
    lines = [
        "| database | what | median s | fastest s |",
        "|---|---|---:|---:|",
    ]
    for run in main:
        lines += [
            f"| {label(run)} | {name.strip()} | {median:.2f} | {fastest:.2f} |"
            for name, median, fastest in run["results"]
        ]
    lines += ["", "| database | " + " | ".join(label(run) for run in main) + " |"]
    lines.append("|---|" + "---:|" * len(main))
    for key in ["visits", "anonymous", "people", "places", "sessions", "build seconds"]:
        lines.append(f"| {key} | " + " | ".join(f"{run['built'][key]:,}" for run in main) + " |")
    for key in main[0]["facts"] if main else []:
        lines.append(f"| {key} | " + " | ".join(f"{run['facts'][key]:,}" for run in main) + " |")
    lines.append("| peak RSS MB | " + " | ".join(f"{run['peak_mb']:.0f}" for run in main) + " |")

    curve = sorted(runs, key=lambda run: (run["database"] != "sqlite", run["size"]))
    if len({run["size"] for run in runs}) > 1:
        lines += [
            "",
            "Curve (people and places grow with the visits, the weeks stay):",
            "",
            "| database | visits | people | places | find_signals median s | load | rhythms "
            "| region_p_alive | reasons | baseline values_list s | find_signals s per 1M visits |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for run in curve:
            figures = {name.strip("* "): median for name, median, _fastest in run["results"]}
            total = figures["find_signals, end to end"]
            lines.append(
                f"| {label(run)} | {run['built']['visits']:,} | {run['built']['people']:,} | "
                f"{run['built']['places']:,} | {total:.2f} | "
                f"{figures['load (arrays from the database)']:.2f} | "
                f"{figures['rhythms (numpy)']:.2f} | {figures['region_p_alive']:.2f} | "
                f"{figures['reasons (with_reasons)']:.2f} | "
                f"{figures[next(f for f in figures if 'values_list' in f)]:.2f} | "
                f"{total / (run['built']['visits'] / 1e6):.2f} |"
            )
    notes = []
    for run in main:
        total = next(median for name, median, _ in run["results"] if "end to end" in name)
        verdict = "met" if total < TARGET_SECONDS else "NOT met"
        notes.append(
            f"- {label(run)}: find_signals on {run['built']['visits']:,} visits takes "
            f"{total:.1f} s (median of {options.runs}); target under {TARGET_SECONDS} s: "
            f"{verdict}."
        )
    return "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"


def source_state() -> str:
    """The commit measured, and whether the signals code had uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "src/omzien/signals", "src/omzien/config"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout.split()
    except OSError:
        return "unknown"
    dirty = [name for name in changed if name.endswith(".py")]
    return f"commit {commit}" + (
        f" with uncommitted changes in {', '.join(dirty)}" if dirty else ""
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument(
        "--curve",
        type=int,
        nargs="*",
        default=[2_000_000, 5_000_000, 10_000_000],
        help="further sizes for the curve (none: --curve with nothing after it)",
    )
    parser.add_argument("--curve-databases", default="sqlite", help="e.g. sqlite,postgres")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--curve-runs", type=int, default=3, help="runs for the curve sizes")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options)
        return

    load = os.getloadavg()[0]
    started = time.perf_counter()
    code = source_state()
    work = Path(tempfile.mkdtemp(prefix="omzien-bench-signals-"))
    runs = []
    try:
        cases = [(database, options.visits) for database in options.databases.split(",")]
        cases += [
            (database, size)
            for database in options.curve_databases.split(",")
            for size in options.curve or []
        ]
        for database, size in cases:
            count = options.runs if size == options.visits else options.curve_runs
            runs.append(run_child(database, size, count, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    minutes = (time.perf_counter() - started) / 60
    import numpy
    import scipy

    text = (
        f"## Signal detection speed (`find_signals`), {datetime.now():%Y-%m-%d %H:%M}\n\n"
        f"`benchmarks/signal_speed.py --visits {options.visits} --curve "
        f"{' '.join(map(str, options.curve or []))} --curve-databases "
        f"{options.curve_databases} --runs {options.runs} --curve-runs {options.curve_runs} "
        f"--databases {options.databases}`. "
        f"{machine()}, numpy {numpy.__version__}, scipy {scipy.__version__}. Load average "
        f"when it started: {load:.1f} (the machine is shared: compare with the baselines of "
        f"the same run). Whole run {minutes:.0f} min. Code: {code}.\n\n"
        f"Synthetic region as in the script's docstring, as_of {AS_OF}, lookback "
        f"{runs[0]['built']['lookback weeks']} weeks plus {HISTORY_WEEKS} weeks of history. "
        f"Each phase: one warm-up, then the median and the fastest of {options.runs} runs "
        f"({options.curve_runs} for the curve's larger sizes). The phases are timed on "
        f"their own (load, rhythms, region_p_alive on the candidates past the gates, the "
        f"reasons of the signals); "
        f"find_signals is all of them in one call.\n\n" + tables(runs, options)
    )
    print()
    print(text)
    if not options.no_write:
        append_results(text)


if __name__ == "__main__":
    main()
