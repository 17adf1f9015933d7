"""Dumping and loading the database: SQLite's online backup API, pg_dump for PostgreSQL.

Both give a consistent snapshot while the site runs: the SQLite copy is one read
transaction (WAL: writers go on), pg_dump reads in one repeatable-read transaction.
Loading is all or nothing: SQLite's backup API replaces the file's pages under a write
lock, and the PostgreSQL dump is loaded by psql in one transaction.
"""

import glob
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump/pg_restore/psql with argument lists, never a shell
import tempfile
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from omzien.backups.archive import BackupError, not_a_backup_message

MIGRATIONS_QUERY = "SELECT app, name FROM django_migrations ORDER BY app, id"


def migrations_by_app(rows) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return applied


# SQLite ---------------------------------------------------------------------------------


def dump_sqlite(target: Path) -> dict[str, list[str]]:
    """Copy the live database into ``target`` and return the copy's applied migrations."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole copy in one step, one read transaction, one moment in time.
        connection.connection.backup(copy, pages=-1)
        return migrations_by_app(copy.execute(MIGRATIONS_QUERY).fetchall())
    except sqlite3.Error as error:
        raise BackupError(
            _("%(what)s failed: %(error)s") % {"what": "SQLite", "error": error}
        ) from None
    finally:
        copy.close()


def check_sqlite(dump: Path) -> None:
    try:
        database = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            result = database.execute("PRAGMA integrity_check").fetchone()
            database.execute(MIGRATIONS_QUERY).fetchone()
        finally:
            database.close()
    except sqlite3.DatabaseError:
        raise BackupError(not_a_backup_message()) from None
    if result != ("ok",):
        raise BackupError(not_a_backup_message())


def load_sqlite(dump: Path) -> None:
    check_sqlite(dump)
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        # One step: every page is replaced under one write lock, or none is.
        source.backup(connection.connection, pages=-1)
    except sqlite3.Error as error:
        raise BackupError(
            _("%(what)s failed: %(error)s") % {"what": "SQLite", "error": error}
        ) from None
    finally:
        source.close()


# PostgreSQL -----------------------------------------------------------------------------


def postgres_program(name: str) -> str:
    """pg_dump, pg_restore or psql: on PATH, else the newest in /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise BackupError(
            _("%(program)s was not found: install the PostgreSQL client programs.")
            % {"program": name}
        )
    return candidates[-1]


def _postgres_environment() -> dict[str, str]:
    """libpq's variables for the database Django uses (in tests: the test database)."""
    settings = connection.settings_dict
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings.get(key):
            environment[variable] = str(settings[key])
    if settings.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = settings["OPTIONS"]["sslmode"]
    return environment


def _run(arguments: list[str], what: str) -> None:
    result = subprocess.run(  # nosec B603  # fixed programs, arguments as a list
        arguments, env=_postgres_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s failed: %(error)s") % {"what": what, "error": result.stderr.strip()}
        )


def dump_postgres(target: Path) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(MIGRATIONS_QUERY)
        applied = migrations_by_app(cursor.fetchall())
    _run(
        [
            postgres_program("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
        ],
        "pg_dump",
    )
    return applied


def check_postgres(dump: Path) -> None:
    result = subprocess.run(  # nosec B603  # fixed program, arguments as a list
        [postgres_program("pg_restore"), "--list", str(dump)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(not_a_backup_message())


def load_postgres(dump: Path) -> None:
    """Replace the public schema with the dump's, in one transaction (psql -1)."""
    check_postgres(dump)
    with tempfile.TemporaryDirectory(prefix="omzien-restore-") as folder:
        script = Path(folder) / "restore.sql"
        _run(
            [
                postgres_program("pg_restore"),
                "--no-owner",
                "--no-privileges",
                f"--file={script}",
                str(dump),
            ],
            "pg_restore",
        )
        prologue = Path(folder) / "prologue.sql"
        prologue.write_text("DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n")
        # Our own connection holds no locks the DROP would wait for.
        connection.close()
        _run(
            [
                postgres_program("psql"),
                "--quiet",
                "--no-psqlrc",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--file={prologue}",
                f"--file={script}",
            ],
            "psql",
        )
