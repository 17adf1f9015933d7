"""What every benchmark shares: where results go, the machine line, child environments.

The scripts run as `.venv/bin/python benchmarks/<name>.py`, so this folder is on the
import path and `import common` works.
"""

import os
import platform
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def machine() -> str:
    """CPU, cores, memory and the versions that matter, for the line above a table."""
    import django

    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {len(os.sched_getaffinity(0))} cores, {memory:.0f} GB RAM; "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def commit() -> str:
    """The commit the benchmark ran on, with "+ changes" when the work tree differs."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    name = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{name} + changes" if git("status", "--porcelain", "--", "src") else name


def child_environment(data_dir: Path, database_url: str | None = None) -> dict:
    """The environment for an `omzien` child process on its own data folder and database."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "OMZIEN_DATA_DIR", "STATIC_ROOT"}
    }
    environment["OMZIEN_DATA_DIR"] = str(data_dir)
    environment["DJANGO_SETTINGS_MODULE"] = "omzien.config.settings"
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def append_results(text: str) -> None:
    """Append a section to RESULTS.md (never rewrite what earlier runs recorded)."""
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n")
    separator = "" if RESULTS.read_text().endswith("\n\n") else "\n"
    with RESULTS.open("a", encoding="utf-8") as results_file:
        results_file.write(separator + text.rstrip("\n") + "\n")
    print(f"appended to {RESULTS.relative_to(ROOT)}")


def bench_places(place_count: int, activities_per_place: int, first_date):
    """A synthetic region "Bench" with places of weekly activities, for the scale runs.

    Returns (region, places, activities); call it inside a transaction. The caller adds
    sessions, people and visits in bulk.
    """
    from datetime import time

    from omzien.agenda.models import Activity
    from omzien.places.models import Place, Region, Village

    region = Region.objects.create(name="Bench", slug="bench", has_synthetic_data=True)
    village = Village.objects.create(
        region=region, name="Benchdorp", slug="benchdorp", latitude=52.2, longitude=6.1
    )
    places = Place.objects.bulk_create(
        (
            Place(
                village=village,
                name=f"Bench plek {number:02d}",
                slug=f"bench-plek-{number:02d}",
                street="Dorpsstraat 1",
                postcode="7391 AA",
                town="Benchdorp",
                latitude=52.2,
                longitude=6.1,
            )
            for number in range(place_count)
        ),
        batch_size=1000,
    )
    activities = Activity.objects.bulk_create(
        (
            Activity(
                place=place,
                title=f"Activiteit {number}",
                slug=f"activiteit-{number}",
                rrule="FREQ=WEEKLY",
                first_date=first_date,
                start_time=time(10),
            )
            for place in places
            for number in range(activities_per_place)
        ),
        batch_size=1000,
    )
    return region, places, activities


def setup_django(data_dir: Path, database_url: str | None = None) -> None:
    """Django on a data folder of its own and a migrated database: a new SQLite file in the
    folder, or ``database_url`` (never the DATABASE_URL of the environment)."""
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["OMZIEN_DATA_DIR"] = str(data_dir)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(function, runs: int) -> tuple[float, float]:
    """(median, fastest) in milliseconds of ``runs`` calls after one to warm up."""
    function()  # warm up: caches, first import of matplotlib and numpy
    times = []
    for _run in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def create_postgres_database(name: str) -> str:
    """A new, empty PostgreSQL database on the local server; returns its URL."""
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
