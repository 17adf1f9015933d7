"""Benchmark: the public pages and feeds under load, against gunicorn on loopback.

    .venv/bin/python benchmarks/public_load.py [--runs 3] [--duration 10]
        [--only sqlite|postgres] [--redis | --no-redis] [--no-record]

For each configuration (SQLite in a temporary data folder with the default cache; a
throwaway PostgreSQL database ``omzien_bench_public`` at postgres://postgres@127.0.0.1:5432
with the default cache, and again with Redis at 127.0.0.1:6379 as ``CACHE_URL`` when it
answers) it:

1. sets up the Voorst demo network with ``omzien demo --no-serve --data-dir TMP``;
2. starts gunicorn with 2 sync workers (as ``omzien demo`` serves it) on the settings
   module ``benchmarks/public_bench_settings.py``: Omzien's settings with one trivial view
   added to its URLs (``public_bench_urls.py``), so the baseline runs with the same
   middleware, database, cache and gunicorn as the pages;
3. checks that every URL answers 200, then lets wrk (50 connections, 2 threads) fetch
   each URL for ``--duration`` seconds, the trivial view first, all URLs in turn, for
   ``--runs`` rounds; a feed that sends an ETag is measured once more with that ETag in
   If-None-Match (what a subscribed phone sends when it polls).

The table gives the median of the rounds per URL: requests/s, the ratio to the trivial
view of the same run, p50 and p99 latency, and errors (non-2xx/3xx answers and socket
errors). The target (issue 8): every public page and feed at least a third of the trivial
view's requests/s, p99 under 100 ms, no errors. The table is printed and appended to
benchmarks/RESULTS.md with the machine and the commit.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

from common import POSTGRES, ROOT, append_results, child_environment, commit, machine

BENCH_DB = "omzien_bench_public"
WORKERS = 2
CONNECTIONS = 50
WRK_THREADS = 2
REDIS = ("127.0.0.1", 6379)
TARGET_SHARE = 1 / 3
TARGET_P99_MS = 100
TRIVIAL = "/bench/trivial/"

# An activity page, a place page and its feed of the demo network, as JSON.
FIND_URLS = """
import json
import django
django.setup()
from django.urls import reverse
from omzien.agenda.models import Activity
activity = (Activity.objects.active().select_related("place")
            .order_by("place__name", "title").first())
place = activity.place
print(json.dumps({
    "activity": activity.get_absolute_url(),
    "place": reverse("places:detail", args=[place.slug]),
    "place_feed": reverse("places:feed", args=[place.slug]),
}))
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


def answers(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if answers(("127.0.0.1", port)):
            return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def postgres_reachable() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


def psql(statement: str) -> None:
    subprocess.run(["psql", f"{POSTGRES}/postgres", "-q", "-c", statement], check=True)


def recreate_postgres_database() -> str:
    psql(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {BENCH_DB}")
    return f"{POSTGRES}/{BENCH_DB}"


def fetch(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, duration: int, headers: dict | None = None) -> dict:
    command = [
        "wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s",
        "--timeout", "10s", "--latency", url,
    ]  # fmt: skip
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        return float(match.group(1)) * _UNITS[match.group(2)]

    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(number) for number in match.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": errors,
    }


def gunicorn(port: int, environment: dict, log: Path) -> subprocess.Popen:
    environment = dict(environment, DJANGO_SETTINGS_MODULE="public_bench_settings")
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "omzien.config.wsgi:application",
         "--pythonpath", str(ROOT / "benchmarks"), "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--no-control-socket"],
        env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("w"),
    )  # fmt: skip


def benchmark(label: str, database_url: str | None, cache_url: str | None, options) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="omzien-public-"))
    environment = child_environment(data_dir, database_url)
    environment.pop("CACHE_URL", None)
    if cache_url:
        environment["CACHE_URL"] = cache_url
    server = None
    try:
        run(["-m", "omzien", "demo", "--no-serve", "--data-dir", str(data_dir)], environment)
        found = json.loads(run(["-c", FIND_URLS], environment))
        pages = [
            ("trivial view (baseline)", TRIVIAL),
            ("home", "/"),
            ("week agenda", "/agenda/"),
            ("activity page", found["activity"]),
            ("network feed", "/agenda.ics"),
            ("places", "/plekken/"),
            ("place page", found["place"]),
            ("place feed", found["place_feed"]),
        ]
        port = free_port()
        server = gunicorn(port, environment, data_dir / "gunicorn.log")
        wait_for(port)
        base = f"http://127.0.0.1:{port}"
        measured = []
        for name, path in pages:
            status, headers = fetch(base + path)
            if status != 200:
                raise SystemExit(f"{label}: {path} answered {status}")
            measured.append((name, path, {}))
            etag = headers.get("ETag")
            if etag and path.endswith(".ics"):
                measured.append((f"{name}, conditional (304)", path, {"If-None-Match": etag}))
        rounds: dict[str, list[dict]] = {name: [] for name, _path, _headers in measured}
        for number in range(1, options.runs + 1):
            for name, path, headers in measured:
                figures = wrk(base + path, options.duration, headers)
                # Requests wrk left queued when it stopped are still served: one more
                # request waits its turn behind them, so the next URL starts on an idle server.
                fetch(base + TRIVIAL)
                rounds[name].append(figures)
                if server.poll() is not None:
                    log = (data_dir / "gunicorn.log").read_text()[-3000:]
                    raise SystemExit(f"{label}: gunicorn stopped:\n{log}")
                print(
                    f"{label} round {number}: {name:<36} {figures['rps']:8.0f}/s "
                    f"p50 {figures['p50']:6.1f} ms p99 {figures['p99']:6.1f} ms "
                    f"errors {figures['errors']}",
                    flush=True,
                )
        return {
            "label": label,
            "pages": [(name, path, median_of(rounds[name])) for name, path, _headers in measured],
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)


def median_of(runs: list[dict]) -> dict:
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50": statistics.median(r["p50"] for r in runs),
        "p99": statistics.median(r["p99"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
    }


def report(results: list[dict], options, load: tuple[float, float, float]) -> str:
    lines = [
        f"## Public pages under load — {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"`benchmarks/public_load.py --runs {options.runs} --duration {options.duration}` "
        f"at commit {commit()}. Machine: {machine()}; load average at the start "
        f"{load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}. The demo network "
        f"(`omzien demo --no-serve`), gunicorn with {WORKERS} sync workers on loopback, wrk "
        f"with {CONNECTIONS} connections and {WRK_THREADS} threads, {options.duration} s per "
        f"URL per round, the median of {options.runs} rounds (errors: the sum). The "
        "baseline is a trivial Django view in the same gunicorn (same settings and "
        "middleware, no query, no template). Target: at least a third of the baseline's "
        f"requests/s, p99 under {TARGET_P99_MS} ms, no errors.",
        "",
        "| configuration | page | URL | req/s | × trivial | p50 ms | p99 ms | errors | target |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        baseline = result["pages"][0][2]["rps"]
        for name, path, figures in result["pages"]:
            share = figures["rps"] / baseline
            met = share >= TARGET_SHARE and figures["p99"] < TARGET_P99_MS and not figures["errors"]
            lines.append(
                f"| {result['label']} | {name} | `{path}` | {figures['rps']:.0f} | "
                f"{share:.2f} | {figures['p50']:.1f} | {figures['p99']:.1f} | "
                f"{figures['errors']} | {'—' if path == TRIVIAL else 'met' if met else 'NOT met'} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds over all URLs")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument(
        "--redis",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also PostgreSQL with Redis as CACHE_URL (default: when 127.0.0.1:6379 answers)",
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    load = os.getloadavg()

    targets = []
    if options.only != "postgres":
        targets.append(("SQLite, default cache", lambda: None, None))
    if options.only != "sqlite":
        if postgres_reachable():
            targets.append(("PostgreSQL, default cache", recreate_postgres_database, None))
            redis = answers(REDIS) if options.redis is None else options.redis
            if redis:
                targets.append(
                    ("PostgreSQL, Redis", recreate_postgres_database, "redis://127.0.0.1:6379/0")
                )
        else:
            print("PostgreSQL is not reachable at 127.0.0.1:5432; skipping it")

    results = []
    try:
        for label, database, cache_url in targets:
            results.append(benchmark(label, database(), cache_url, options))
    finally:
        if any(database is recreate_postgres_database for _l, database, _c in targets):
            psql(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    text = report(results, options, load)
    print(text)
    if not options.no_record:
        append_results(text)


if __name__ == "__main__":
    main()
