"""Benchmark: check-in at the door under load, against gunicorn on loopback.

Run from the repository: ``.venv/bin/python benchmarks/checkin_load.py``. For SQLite (a
temporary data folder) and PostgreSQL (a throwaway database ``omzien_bench_door``, when
the server at postgres://postgres@127.0.0.1:5432 answers) it:

1. migrates, and creates one place with today's session, 1,000 people who agreed to
   have their name shown, and a host;
2. starts gunicorn (not runserver), as `omzien demo` and production do;
3. lets 20 clients log in as that host and tap check-ins through the JSON endpoint the
   door screen uses, every person tapped by two clients at about the same moment (two
   hosts at one door), so the unique constraint is exercised all the time;
4. counts afterwards: every person must have exactly one visit, no request may fail.

The baseline, measured in the same run with the same clients: fetching a static file
through WhiteNoise, i.e. what gunicorn and the client cost without Django's work. The
figures are printed and appended to benchmarks/RESULTS.md.
"""

import argparse
import http.client
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from common import POSTGRES, ROOT, append_results, child_environment, machine

BENCH_DB = "omzien_bench_door"
PEOPLE = 1000
PASSWORD = "bench-door-2026"
TARGET_P95_MS = 50

SETUP = f"""
import django
django.setup()
from datetime import time, timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from omzien.accounts.models import Membership, Role
from omzien.agenda.models import Activity
from omzien.agenda.services import materialise_sessions
from omzien.people.models import Consent, Person
from omzien.places.models import Place, Region, Village

today = timezone.localdate()
region = Region.objects.create(name="Bench", slug="bench")
village = Village.objects.create(region=region, name="Twello", slug="twello",
                                 latitude="52.2367", longitude="6.1028")
place = Place.objects.create(village=village, name="Trefpunt", slug="trefpunt",
                             street="Dorpsstraat 1", postcode="7391 AA", town="Twello",
                             latitude="52.2367", longitude="6.1028")
activity = Activity.objects.create(place=place, title="Koffie", slug="koffie",
                                   rrule="FREQ=DAILY", first_date=today - timedelta(days=7),
                                   start_time=time(9))
materialise_sessions(today, today, [activity])
people = Person.objects.bulk_create(
    [Person(first_name=f"Bezoeker{{n}}", village=village, registered_place=place)
     for n in range({PEOPLE})], batch_size=500)
now = timezone.now()
Consent.objects.bulk_create([Consent(person=p, purpose="names", given=True, recorded_at=now)
                             for p in Person.objects.all()], batch_size=500)
host = get_user_model().objects.create_user("bench-host", password="{PASSWORD}")
Membership.objects.create(user=host, role=Role.HOST, place=place)
print(activity.sessions.get().pk, *Person.objects.order_by("pk").values_list("pk", flat=True))
"""

COUNT = """
import django
django.setup()
from django.db.models import Count
from omzien.attendance.models import Visit
named = Visit.objects.filter(person__isnull=False)
per_person = named.values("person").annotate(n=Count("pk"))
print(named.count(), per_person.filter(n__gt=1).count())
"""


def run(args: list[str], environment: dict) -> str:
    result = subprocess.run(
        [sys.executable, *args], env=environment, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One tablet: a keep-alive connection with the host's session and CSRF cookies."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, json=False):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if json:
            headers["Accept"] = "application/json"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content

    def log_in(self) -> None:
        _status, page = self.request("GET", "/inloggen/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _content = self.request(
            "POST",
            "/inloggen/",
            {"username": "bench-host", "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"log-in failed with status {status}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def hammer(
    clients: list[Client],
    work: list[list[tuple[str, str, dict | None]]],
    interval: float | None = None,
) -> dict:
    """Every client runs its list of requests at once; latencies in milliseconds.

    Without an interval each client sends its next request as soon as the previous one
    is answered (saturation). With an interval, client i sends its k-th request at
    start + offset_i + k * interval, and latency counts from that planned moment, so a
    server that falls behind is not flattered (no coordinated omission). Clients i and
    i + n/2 share an offset: their taps on the same person still meet.
    """
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(clients) + 1)

    half = max(1, len(clients) // 2)

    def drive(index: int, client: Client, requests):
        start.wait()
        origin = time.perf_counter() + (interval or 0) * (index % half) / half
        for number, (method, path, body) in enumerate(requests):
            began = time.perf_counter()
            if interval:
                planned = origin + number * interval
                if planned > began:
                    time.sleep(planned - began)
                began = planned
            try:
                status, content = client.request(method, path, body, json=body is not None)
            except OSError as error:
                status, content = 0, str(error).encode()
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(f"{status} {content[:200]!r}")

    threads = [
        threading.Thread(target=drive, args=(index, client, requests))
        for index, (client, requests) in enumerate(zip(clients, work, strict=True))
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
    }


def tap_work(tap: str, people: list[str], n_clients: int) -> list[list]:
    half = n_clients // 2
    per_client = len(people) // half
    return [
        [("POST", tap, {"person": pk}) for pk in people[(i % half) * per_client :][:per_client]]
        for i in range(n_clients)
    ]


def benchmark(
    label: str, database_url: str | None, n_clients: int, workers: int, pace: float
) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="omzien-door-"))
    environment = child_environment(data_dir, database_url)
    server = None
    try:
        run(["-m", "omzien", "migrate", "-v0"], environment)
        run(["-m", "omzien", "collectstatic", "--noinput", "-v0"], environment)
        session_id, *person_ids = run(["-c", SETUP], environment).split()
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "omzien.config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--no-control-socket"],
            env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(port)
        clients = [Client(port) for _ in range(n_clients)]
        for client in clients:
            client.log_in()

        static = [[("GET", "/static/omzien/omzien.css", None)] * 50 for _ in clients]
        baseline = hammer(clients, static)

        # Two hosts tap each person: client i and client i + n/2 get the same people in
        # the same order, so their taps meet at the database. Half the people for the
        # saturation phase, the other half for the paced phase.
        tap = f"/deur/{session_id}/inchecken/"
        middle = len(person_ids) // 2
        saturation = hammer(clients, tap_work(tap, person_ids[:middle], n_clients))
        paced = hammer(clients, tap_work(tap, person_ids[middle:], n_clients), interval=pace)

        named, doubled = map(int, run(["-c", COUNT], environment).split())
        half = n_clients // 2
        expected = 2 * half * (middle // half)
        return {
            "label": label,
            "baseline": baseline,
            "saturation": saturation,
            "paced": paced,
            "expected": expected,
            "named": named,
            "doubled": doubled,
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(data_dir, ignore_errors=True)


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def postgres_reachable() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


def recreate_postgres_database() -> str:
    for statement in (f"DROP DATABASE IF EXISTS {BENCH_DB}", f"CREATE DATABASE {BENCH_DB}"):
        subprocess.run(["psql", f"{POSTGRES}/postgres", "-q", "-c", statement], check=True)
    return f"{POSTGRES}/{BENCH_DB}"


def report(results: list[dict], options) -> str:
    lines = [
        f"## Check-in under load — {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine()}. gunicorn with {options.workers} sync workers on loopback, "
        f"{options.clients} concurrent clients (Python threads in one process, keep-alive), "
        "each person tapped by two clients at the same moment. Saturation: every client "
        "taps again as soon as it has an answer. Paced: every client taps every "
        f"{options.pace:g} s ({options.clients / options.pace:.0f} taps/s in all, far more "
        "than any door), latency from the planned moment of the tap. Median of "
        f"{options.repeats} runs per database; latencies in ms. Baseline: the same clients "
        "fetching a static file through WhiteNoise, saturated, in the same run.",
        "",
        "| database | phase | taps/s | p50 | p95 | p99 | errors | visits (expected) "
        "| doubled | baseline req/s | baseline p95 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for phase in ("saturation", "paced"):
            figures = r[phase]
            lines.append(
                f"| {r['label']} | {phase} | {figures['rps']:.0f} | {figures['p50']:.1f} | "
                f"{figures['p95']:.1f} | {figures['p99']:.1f} | {figures['errors']} | "
                f"{r['named']} ({r['expected']}) | {r['doubled']} | "
                f"{r['baseline']['rps']:.0f} | {r['baseline']['p95']:.1f} |"
            )
    lines.append("")
    for r in results:
        met = r["paced"]["p95"] < TARGET_P95_MS and not r["paced"]["errors"]
        lines.append(
            f"- {r['label']}: paced p95 {r['paced']['p95']:.1f} ms against the target of "
            f"{TARGET_P95_MS} ms: {'met' if met else 'NOT met'}; "
            f"{'no' if r['named'] == r['expected'] and not r['doubled'] else 'SOME'} lost or "
            "doubled visits."
        )
    return "\n".join(lines) + "\n"


def median_figures(runs: list[dict]) -> dict:
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50": statistics.median(r["p50"] for r in runs),
        "p95": statistics.median(r["p95"] for r in runs),
        "p99": statistics.median(r["p99"] for r in runs),
        "errors": sum(len(r["errors"]) for r in runs),
    }


def median_of(runs: list[dict]) -> dict:
    return {
        "label": runs[0]["label"],
        "baseline": median_figures([r["baseline"] for r in runs]),
        "saturation": median_figures([r["saturation"] for r in runs]),
        "paced": median_figures([r["paced"] for r in runs]),
        "expected": runs[0]["expected"],
        "named": min(r["named"] for r in runs),
        "doubled": max(r["doubled"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pace", type=float, default=0.5, help="seconds between taps")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    options = parser.parse_args()

    targets = []
    if options.only != "postgres":
        targets.append(("SQLite (WAL)", lambda: None))
    if options.only != "sqlite":
        if postgres_reachable():
            targets.append(("PostgreSQL 15", recreate_postgres_database))
        else:
            print("PostgreSQL is not reachable at 127.0.0.1:5432; skipping it")

    results = []
    for label, database in targets:
        runs = []
        for attempt in range(1, options.repeats + 1):
            run_result = benchmark(
                label, database(), options.clients, options.workers, options.pace
            )
            saturated, paced = run_result["saturation"], run_result["paced"]
            print(
                f"{label} run {attempt}: saturated {saturated['rps']:.0f}/s "
                f"p95 {saturated['p95']:.1f} ms; paced {paced['rps']:.0f}/s "
                f"p95 {paced['p95']:.1f} ms; {run_result['named']} visits "
                f"(expected {run_result['expected']}), {run_result['doubled']} doubled",
                flush=True,
            )
            for error in (saturated["errors"] + paced["errors"])[:5]:
                print("   ", error)
            runs.append(run_result)
        results.append(median_of(runs))
    text = report(results, options)
    print(text)
    if not options.no_record:
        append_results(text)


if __name__ == "__main__":
    main()
