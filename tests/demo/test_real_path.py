"""The demo as a user starts it: `python -m omzien demo` in a fresh data folder.

DATABASE_URL is removed from the environment so the demo always goes into its own SQLite
file, also when the test suite itself runs against PostgreSQL.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from omzien.demo.hosting import VOLUNTEERS_PER_PLACE
from omzien.demo.services import DEMO_LOGINS

TABLES = ["places_place", "agenda_session", "people_person", "attendance_visit", "auth_user"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-data")


def demo_environment() -> dict:
    environment = dict(os.environ)
    for name in ("DATABASE_URL", "OMZIEN_DATA_DIR", "STATIC_ROOT"):
        environment.pop(name, None)
    return environment


def run_demo(data_dir, *extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "omzien", "demo", "--data-dir", str(data_dir), *extra],
        env=demo_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def table_counts(database) -> dict:
    with sqlite3.connect(database) as connection:
        return {
            table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in TABLES
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_demo_no_serve_twice(data_dir):
    first = run_demo(data_dir, "--no-serve")
    assert first.returncode == 0, first.stderr
    database = data_dir / "omzien.sqlite3"
    assert database.exists()
    loaded = table_counts(database)
    assert loaded["attendance_visit"] > 10_000
    # The demo log-ins, and the volunteers who hosted the sessions (no log-in).
    assert loaded["auth_user"] == len(DEMO_LOGINS) + VOLUNTEERS_PER_PLACE * loaded["places_place"]

    second = run_demo(data_dir, "--no-serve")
    assert second.returncode == 0, second.stderr
    with translation.override(settings.LANGUAGE_CODE):
        nothing_new = gettext("The demo network was already there; nothing was added.")
    assert nothing_new in second.stdout
    assert table_counts(database) == loaded


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local test server
        return response.status, response.headers, response.read()


def test_demo_serves_with_gunicorn(data_dir):
    port = free_port()
    log = (data_dir / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "omzien", "demo", "--port", str(port), "--data-dir", str(data_dir)],
        env=demo_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (data_dir / "serve.log").read_text()
            try:
                status, _headers, _body = get(base + "/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, (data_dir / "serve.log").read_text()
                time.sleep(0.3)
        assert status == 200
        status, _headers, body = get(base + "/agenda/")
        assert status == 200
        assert b"Benring" in body or b"Trefpunt" in body
        status, headers, body = get(base + "/static/omzien/omzien.css")
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert body
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
            log.close()
    assert process.returncode is not None
    output = (data_dir / "serve.log").read_text()
    assert "omzien-demo" in output  # the log-ins were printed
    assert "gunicorn" in output.lower()
    # gunicorn and its workers stopped with it: the port is free again.
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as sock:
            try:
                sock.connect(("127.0.0.1", port))
            except ConnectionRefusedError:
                break
        assert time.monotonic() < deadline, "gunicorn still listens after the demo stopped"
        time.sleep(0.2)
