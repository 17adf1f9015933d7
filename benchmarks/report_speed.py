"""How long the impact report takes: the nightly rollup of a year and the reports read from it.

    .venv/bin/python benchmarks/report_speed.py [--database sqlite|postgres]
        [--visits 1000000] [--runs 5] [--year YYYY] [--profile] [--no-write]

The data is the one of benchmarks/reports_overview.py (``add_big_region``): the Voorst
demo plus a synthetic region of 60 places with 5 weekly activities each over 3 years, about
``--visits`` visits in all (66 places). It goes into a new SQLite database in a temporary
folder, or with ``--database postgres`` into a new database on the local server
(postgres://postgres@127.0.0.1:5432, created and dropped here); never ./var or the
database DATABASE_URL names.

Timed, as the median and the fastest of ``--runs`` runs after one to warm up:

(a) the baseline: a ``COUNT(*)`` of the year's visits (the join to the session the rollup
    reads them through);
(b) the rollup of the year, ``make_snapshot``: the cube (every measure module), the
    viewer's hidden cells (protection) and storing the snapshot; and, once, ``omzien
    rollup --year`` in a child process as cron runs it, with its peak memory;
(c) ``build_report`` reading today's snapshot: the yearly region report, by village, by
    place, and per month;
(d) the report page as a viewer and as a professional, and (e) the PDF download, through
    Django's test client, when those URLs exist (``reports:impact``,
    ``reports:impact_pdf``; otherwise "not built yet").

``--profile`` prints the cProfile of one ``build_cube`` (the 25 most expensive calls).
The figures are printed and appended to benchmarks/RESULTS.md with the date and machine.
"""

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import (
    ROOT,
    append_results,
    child_environment,
    commit,
    create_postgres_database,
    drop_postgres_database,
    machine,
    setup_django,
)
from reports_overview import add_big_region

NOT_BUILT = "not built yet"


def timed(function, runs: int) -> tuple[float, float, float]:
    """(median, fastest, median CPU time of this process) in milliseconds of ``runs``
    calls after one to warm up. On a shared machine the wall time includes waiting for a
    core; the CPU time does not (nor, on PostgreSQL, the server's work)."""
    function()
    walls, cpus = [], []
    for _run in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, min(walls) * 1000, statistics.median(cpus) * 1000


def rollup_cases(year: int, today: date, runs: int) -> list:
    from omzien.attendance.models import Visit
    from omzien.reports.snapshots import make_snapshot

    year_visits = Visit.objects.filter(
        session__date__gte=date(year, 1, 1), session__date__lte=date(year, 12, 31)
    )
    return [
        (f"baseline: COUNT(*) of the visits of {year}", timed(year_visits.count, runs)),
        (
            f"rollup of {year}: make_snapshot (cube, protection, storing)",
            timed(lambda: make_snapshot(year, as_of=today), runs),
        ),
    ]


def rollup_parts(year: int, today: date, runs: int) -> list:
    """What the rollup is made of, each part on its own."""
    from omzien.reports import figures, protection
    from omzien.reports.cube import Cube, region_groups
    from omzien.reports.figures import build_cube

    groups = region_groups()
    cube = build_cube(year, as_of=today, groups=groups)
    results = [
        ("  of which: build_cube", timed(lambda: build_cube(year, as_of=today, groups=groups), 1))
    ]
    for module in figures.MODULES:

        def one_module(module=module):
            module.compute(Cube(year=year, groups=groups, as_of=today))

        name = module.__name__.rsplit(".", 1)[-1]
        results.append((f"    of which: {name}.compute", timed(one_module, 1)))
    results.append(
        (
            f"  of which: protection.protect ({len(cube.values):,} cells)",
            timed(lambda: protection.protect(cube, 5), runs),
        )
    )
    return results


def report_cases(year: int, today: date, runs: int) -> list:
    from omzien.reports.audience import Audience
    from omzien.reports.cube import PeriodKind
    from omzien.reports.impact import By, ReportRequest, build_report

    results = []
    for by, kind, what in (
        (By.REGION, PeriodKind.YEAR, "yearly region report"),
        (By.VILLAGE, PeriodKind.YEAR, "by village, the year"),
        (By.PLACE, PeriodKind.YEAR, "by place, the year"),
        (By.PLACE, PeriodKind.MONTH, "by place, per month"),
    ):
        for audience in (Audience.VIEWER, Audience.PROFESSIONAL):
            request = ReportRequest(
                first_day=date(year, 1, 1),
                last_day=date(year, 12, 31),
                by=by,
                period_kind=kind,
                audience=audience,
            )
            cells = len(build_report(request, as_of=today).cells)
            results.append(
                (
                    f"build_report: {what} as a {audience.value} ({cells:,} cells)",
                    timed(lambda request=request: build_report(request, as_of=today), runs),
                )
            )
    return results


def page_cases(year: int, runs: int) -> list:
    """The page and the PDF through the test client, when they exist."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from omzien.accounts.models import Membership, Role

    results = []
    for url_name, what in (("reports:impact", "page"), ("reports:impact_pdf", "PDF")):
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            results.append((f"{what} ({url_name})", NOT_BUILT))
            continue
        for name, role in (("viewer", Role.VIEWER), ("professional", Role.PROFESSIONAL)):
            user, created = get_user_model().objects.get_or_create(username=f"bench-{name}")
            if created:
                Membership.objects.create(user=user, role=role, place=None)
            client = Client()
            client.force_login(user)
            status = client.get(url).status_code

            def get(client=client, url=url):
                client.get(url)

            label = f"{what} GET {url} as a {name}"
            if status != 200:
                results.append((label, f"status {status}"))
            else:
                results.append((label, timed(get, runs)))
    return results


def child_rollup(year: int, data_dir: Path, database_url: str | None) -> tuple:
    """``omzien rollup --year`` as cron runs it: seconds, CPU seconds and the child's peak
    memory (MB)."""
    environment = child_environment(data_dir, database_url)
    environment["PYTHONPATH"] = str(ROOT / "src")  # this checkout's code, not the venv's
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "omzien", "rollup", "--year", str(year)],
        env=environment,
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def profile_cube(year: int, today: date) -> None:
    from omzien.reports.figures import build_cube

    profiler = cProfile.Profile()
    profiler.enable()
    build_cube(year, as_of=today)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--visits", type=int, default=1_000_000, help="0 skips the big data")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int, help="default: this year")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of build_cube")
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    arguments = parser.parse_args()

    load = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="omzien-bench-report-speed-"))
    database_name = f"omzien_bench_report_{os.getpid()}"
    database_url = None
    if arguments.database == "postgres":
        database_url = create_postgres_database(database_name)
    try:
        setup_django(folder, database_url)
        from django.db import connection
        from django.utils import timezone

        from omzien.attendance.models import Visit
        from omzien.demo.services import load_demo
        from omzien.places.models import Place

        today = timezone.localdate()
        year = arguments.year or today.year
        started = time.perf_counter()
        load_demo(today=today)
        seconds = time.perf_counter() - started
        print(f"demo loaded: {Visit.objects.count():,} visits in {seconds:.1f} s")
        if arguments.visits:
            started = time.perf_counter()
            big = add_big_region(arguments.visits, today)
            print(
                f"big region: {big['visits']:,} visits ({big['anonymous']:,} anonymous), "
                f"{big['people']:,} people in {time.perf_counter() - started:.1f} s"
            )
        if connection.vendor == "postgresql":
            # What autovacuum does to a live database: statistics, and the visibility
            # map without which an index-only scan still reads every row's page.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        total = Visit.objects.count()
        in_year = Visit.objects.filter(
            session__date__gte=date(year, 1, 1), session__date__lte=date(year, 12, 31)
        ).count()
        label = f"{total:,} visits ({in_year:,} in {year}), {Place.objects.count()} places"
        print(label)
        if arguments.profile:
            profile_cube(year, today)

        results = rollup_cases(year, today, arguments.runs)
        results += rollup_parts(year, today, arguments.runs)
        results += report_cases(year, today, arguments.runs)
        results += page_cases(year, arguments.runs)
        connection.close()
        child_seconds, child_cpu, child_peak = child_rollup(year, folder, database_url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if database_url:
            from django.db import connections

            connections.close_all()
            drop_postgres_database(database_name)

    engine = "PostgreSQL" if database_url else "SQLite"
    lines = [
        f"## Impact report speed, {engine} ({date.today().isoformat()})",
        "",
        f"`benchmarks/report_speed.py --database {arguments.database} --runs {arguments.runs}"
        f" --visits {arguments.visits}` at commit {commit()}, {engine} "
        f"({'a new database on the local server' if database_url else 'a temporary folder'}). "
        f"{machine()}. Load average when it started: {load:.1f} (the machine is shared). "
        f"Data: {label}.",
        "",
        f"`omzien rollup --year {year}` in a child process (Django start included): "
        f"{child_seconds:.1f} s ({child_cpu:.1f} s CPU), peak memory {child_peak:.0f} MB.",
        "",
        "| what | median ms | fastest ms | CPU ms (median) |",
        "|---|---:|---:|---:|",
    ]
    for what, timing in results:
        if isinstance(timing, str):
            lines.append(f"| {what} | {timing} | | |")
        else:
            median, fastest, cpu = timing
            lines.append(f"| {what} | {median:.1f} | {fastest:.1f} | {cpu:.1f} |")
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    if not arguments.no_write:
        append_results(text)


if __name__ == "__main__":
    main()
