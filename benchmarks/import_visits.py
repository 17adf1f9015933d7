"""Benchmark: `omzien import_visits` of 100k, 300k and 1,000,000 visit rows.

Run from the repository: ``.venv/bin/python benchmarks/import_visits.py``. Everything
happens in a temporary folder (removed afterwards): a SQLite database per run with the
Voorst demo network (places and activities, no visits), CSV files of valid rows, and the
import as a user runs it: ``python -m omzien import_visits FILE`` in a subprocess with
``OMZIEN_DATA_DIR`` set to that folder. With PostgreSQL reachable at
postgres://postgres@127.0.0.1:5432 the same is done once more in a throwaway database
``omzien_bench`` (created and dropped here).

The rows: a fixed population of people (so what grows with the file is only the number
of rows), each session of the demo's activities over the last 15 months visited by a
random sample of them, in date order, with a consent column. Peak memory is the maximum
resident set size of the import process (``os.wait4`` gives each child's own rusage).
The baseline is reading and splitting the same file with the csv module; the import is
quoted as a multiple of it. The table is printed and appended to benchmarks/RESULTS.md.
"""

import argparse
import csv
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from common import POSTGRES, ROOT, append_results, child_environment, machine

BENCH_DB = "omzien_bench"
PEOPLE = 20_000
SIZES = (100_000, 300_000, 1_000_000)
SEED = 2026
TARGET_SECONDS = 60


def run_measured(command: list[str], environment: dict) -> tuple[float, int, str, str]:
    """Wall time, peak RSS in bytes, stdout and stderr of one child process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, env=environment, stdout=out, stderr=err, cwd=ROOT)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-3000:]}")
    return elapsed, usage.ru_maxrss * 1024, stdout, stderr


def omzien(*args) -> list[str]:
    return [sys.executable, "-m", "omzien", *args]


SETUP_NETWORK = """
import django
django.setup()
from django.utils import timezone
from omzien.demo.network import create_network
create_network(timezone.localdate())
"""

ROWS_SPEC = """
import django, json, sys
django.setup()
from django.utils import timezone
from omzien.agenda.models import Activity
from omzien.places.models import Village
today = timezone.localdate()
sessions = []
for activity in Activity.objects.select_related("place").order_by("pk"):
    for start in activity.occurrences(activity.first_date, today):
        sessions.append((start.date().isoformat(), activity.place.name, activity.title))
villages = sorted(Village.objects.values_list("name", flat=True))
from omzien.demo.synthetic import FIRST_NAMES, LAST_NAMES
json.dump(
    {"sessions": sessions, "villages": villages, "first": FIRST_NAMES, "last": LAST_NAMES},
    sys.stdout,
)
"""


def prepare_database(data_dir: Path, database_url: str | None) -> None:
    environment = child_environment(data_dir, database_url)
    subprocess.run(omzien("migrate", "-v", "0"), env=environment, check=True, cwd=ROOT)
    subprocess.run([sys.executable, "-c", SETUP_NETWORK], env=environment, check=True, cwd=ROOT)


def network_spec(data_dir: Path) -> dict:
    import json

    output = subprocess.run(
        [sys.executable, "-c", ROWS_SPEC],
        env=child_environment(data_dir),
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output)


def write_rows(path: Path, rows: int, spec: dict) -> None:
    """rows valid visit rows over the network's sessions, from a fixed population."""
    rng = random.Random(SEED)
    consents = ["names", "names;followup", "names;followup;questionnaires", "", "names"]
    people = [
        (
            f"bench-{number:06d}",
            rng.choice(spec["first"]),
            rng.choice(spec["last"]),
            rng.choice(spec["villages"]),
            rng.choice(consents),
        )
        for number in range(PEOPLE)
    ]
    sessions = sorted(spec["sessions"])
    per_session, extra = divmod(rows, len(sessions))
    if per_session + 1 > PEOPLE:
        raise SystemExit("more rows per session than people")
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["person_ref", "first_name", "last_name", "village", "place", "activity", "date"]
            + ["consent"]
        )
        for index, (day, place, activity) in enumerate(sessions):
            count = per_session + (1 if index < extra else 0)
            for person in rng.sample(range(PEOPLE), count):
                ref, first, last, village, consent = people[person]
                writer.writerow([ref, first, last, village, place, activity, day, consent])


def parse_baseline(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = sum(1 for _row in csv.reader(file))
    assert rows > 1
    return time.perf_counter() - started


def postgres_available() -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def recreate_postgres_database() -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return f"{POSTGRES}/{BENCH_DB}"


def drop_postgres_database() -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


COUNT = """
import django
django.setup()
from omzien.attendance.models import Visit
print(Visit.objects.count())
"""


def visits_in(data_dir: Path, database_url: str | None) -> int:
    output = subprocess.run(
        [sys.executable, "-c", COUNT],
        env=child_environment(data_dir, database_url),
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return int(output.strip())


def fresh_database(work: Path, template: Path, database: str, label: str):
    """A data folder (and for PostgreSQL a new omzien_bench) with the network, no visits."""
    data_dir = work / f"data-{label}"
    shutil.rmtree(data_dir, ignore_errors=True)
    if database == "sqlite":
        shutil.copytree(template, data_dir)
        return data_dir, None
    data_dir.mkdir()
    database_url = recreate_postgres_database()
    prepare_database(data_dir, database_url)
    return data_dir, database_url


@dataclass
class Measurement:
    database: str
    operation: str
    rows: int
    file_mb: float
    baseline: float  # seconds to read and split the file with the csv module
    seconds: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # bytes
    visits_after: int = 0


def measure(work, template, database, size, csv_path, baseline, runs, extra) -> list:
    """Import runs into fresh databases; for the largest file also the same file again
    and an export of the result."""
    megabytes = csv_path.stat().st_size / 1e6
    first = Measurement(database, "import", size, megabytes, baseline)
    more = []
    for run in range(runs):
        data_dir, url = fresh_database(work, template, database, f"{database}-{size}-{run}")
        environment = child_environment(data_dir, url)
        seconds, peak, _out, _err = run_measured(
            omzien("import_visits", str(csv_path)), environment
        )
        first.seconds.append(seconds)
        first.peaks.append(peak)
        first.visits_after = visits_in(data_dir, url)
        print(
            f"{database} {size:>9,} rows, run {run + 1}: {seconds:6.1f} s, "
            f"{peak / 2**20:5.0f} MB, {first.visits_after:,} visits",
            flush=True,
        )
        if extra and run == 0:
            again = Measurement(database, "import the same file again", size, megabytes, baseline)
            seconds, peak, _out, _err = run_measured(
                omzien("import_visits", str(csv_path)), environment
            )
            again.seconds.append(seconds)
            again.peaks.append(peak)
            again.visits_after = visits_in(data_dir, url)
            exported = Measurement(database, "export_visits (CSV)", size, megabytes, baseline)
            seconds, peak, _out, _err = run_measured(
                omzien("export_visits", str(work / "export.csv")), environment
            )
            exported.seconds.append(seconds)
            exported.peaks.append(peak)
            exported.visits_after = again.visits_after
            (work / "export.csv").unlink()
            more += [again, exported]
        shutil.rmtree(data_dir, ignore_errors=True)
    return [first, *more]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=3, help="SQLite runs per size below 1M rows")
    parser.add_argument("--runs-large", type=int, default=1, help="SQLite runs at 1M rows")
    parser.add_argument(
        "--databases", nargs="*", default=["sqlite", "postgresql"], help="sqlite, postgresql"
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    options = parser.parse_args()

    load = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="omzien-bench-"))
    databases = [name for name in options.databases if name != "postgresql"]
    if "postgresql" in options.databases:
        if postgres_available():
            databases.append("postgresql")
        else:
            print(f"PostgreSQL at {POSTGRES} cannot be reached: SQLite only")
    results = []
    try:
        template = work / "template"
        prepare_database(template, None)
        spec = network_spec(template)
        print(f"network: {len(spec['sessions'])} sessions, {PEOPLE:,} people", flush=True)
        for size in options.sizes:
            csv_path = work / f"visits-{size}.csv"
            write_rows(csv_path, size, spec)
            baseline = statistics.median(parse_baseline(csv_path) for _ in range(3))
            runs = options.runs if size < 1_000_000 else options.runs_large
            for database in databases:
                results += measure(
                    work,
                    template,
                    database,
                    size,
                    csv_path,
                    baseline,
                    runs if database == "sqlite" else 1,
                    extra=size == max(options.sizes),
                )
            csv_path.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if "postgresql" in databases:
            drop_postgres_database()

    results.sort(key=lambda m: (m.operation != "import", m.database != "sqlite", m.rows))
    table = format_table(results)
    print()
    print(table)
    if not options.no_record:
        record(table, options, load)


def format_table(results: list[Measurement]) -> str:
    lines = [
        "| database | what | rows | file MB | median s | runs | × csv parse | rows/s "
        "| peak RSS MB | visits in database after |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        seconds = statistics.median(m.seconds)
        lines.append(
            f"| {m.database} | {m.operation} | {m.rows:,} | {m.file_mb:.0f} | {seconds:.1f} | "
            f"{len(m.seconds)} | {seconds / m.baseline:.0f} | {m.rows / seconds:,.0f} | "
            f"{max(m.peaks) / 2**20:.0f} | {m.visits_after:,} |"
        )
    return "\n".join(lines)


def versions() -> str:
    import sqlite3

    import django

    text = f"Python {platform.python_version()}, Django {django.get_version()}, "
    text += f"SQLite {sqlite3.sqlite_version}"
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3) as connection:
            server = connection.execute("SHOW server_version").fetchone()[0]
        text += f", PostgreSQL {server.split()[0]} (psycopg {psycopg.__version__})"
    except Exception:  # noqa: BLE001 - only for the record
        pass
    return text


def record(table: str, options, load: float) -> None:
    now = datetime.now().astimezone()
    text = (
        f"\n## Import of visit files (`import_visits`), {now:%Y-%m-%d}\n\n"
        f"`benchmarks/import_visits.py --sizes {' '.join(map(str, options.sizes))} "
        f"--runs {options.runs} --runs-large {options.runs_large}`. {machine()}; "
        f"{versions()}. Load average when it started: {load:.1f}.\n\n"
        f"Each import is `python -m omzien import_visits FILE` in a subprocess on a fresh "
        f"database holding the Voorst demo network (no visits): wall time including Python "
        f"and Django start-up, and that process's peak resident memory (`os.wait4`). The "
        f"files hold valid rows for {PEOPLE:,} people over the network's sessions of the "
        f"last 15 months (all sessions are new and created as past sessions). "
        f"'× csv parse' compares with only reading and splitting the same file with the csv "
        f"module. Target: under {TARGET_SECONDS} s for 1,000,000 rows, memory flat in the "
        f"file size.\n\n"
        f"{table}\n"
    )
    append_results(text)


if __name__ == "__main__":
    main()
