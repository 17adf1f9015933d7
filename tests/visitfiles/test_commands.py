"""`omzien import_visits` and `omzien export_visits` as an operator runs them."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from omzien.visitfiles.management.commands import import_visits as import_command
from tests.visitfiles.files import HEADER, WITH_CONSENT, counts, read_rows, write_csv

GOOD = [
    ["p1", "Jan", "Bos", "Twello", "De Benring", "Koffieochtend", "2026-03-03", "names"],
    ["p1", "Jan", "Bos", "Twello", "De Benring", "Koffieochtend", "2026-03-10", "names"],
    ["p2", "Els", "", "", "Trefpunt Duistervoorde", "Handwerken", "2026-03-04", ""],
]
BAD = ["p3", "Kees", "", "", "De Benrink", "Koffieochtend", "2026-03-03", ""]


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_what_was_added(network, tmp_path):
    out, _err = run("import_visits", str(write_csv(tmp_path / "bezoeken.csv", GOOD)))
    assert "3" in out and "2" in out  # rows, people
    assert counts()["visits"] == 3
    out, _err = run("import_visits", str(tmp_path / "bezoeken.csv"))
    assert counts()["visits"] == 3


def test_import_with_problems_lists_them_and_fails(network, tmp_path):
    before = counts()
    path = write_csv(tmp_path / "bezoeken.csv", [*GOOD, BAD])
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_visits", str(path), stdout=StringIO(), stderr=err)
    assert "bezoeken.csv" in str(failure.value)
    assert "De Benrink" in err.getvalue() and "5" in err.getvalue()
    assert counts() == before


def test_a_long_list_of_problems_is_cut_short(network, tmp_path):
    path = write_csv(tmp_path / "bezoeken.csv", [BAD] * 150)
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_visits", str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 101
    assert "50" in lines[-1]
    assert "150" in str(failure.value)


def test_dry_run_writes_nothing(network, tmp_path):
    before = counts()
    out, _err = run("import_visits", str(write_csv(tmp_path / "b.csv", GOOD)), "--dry-run")
    assert "3" in out
    assert counts() == before


@pytest.mark.parametrize("name", ["bezoeken.txt", "bezoeken.xls", "nergens.csv"])
def test_a_missing_file_or_other_type_changes_nothing(network, tmp_path, name):
    (tmp_path / "bezoeken.txt").write_text("person_ref\n")
    (tmp_path / "bezoeken.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    before = counts()
    with pytest.raises(CommandError):
        run("import_visits", str(tmp_path / name))
    assert counts() == before


def test_a_progress_bar_for_large_files(network, tmp_path):
    class EveryFileIsLarge(import_command.Command):
        progress_from_bytes = 0

    path = str(write_csv(tmp_path / "bezoeken.csv", GOOD))
    _out, err = run("import_visits", path)
    assert "100%" not in err  # a small file: no bar
    _out, err = run(EveryFileIsLarge(), path)
    assert "100%" in err


def test_export_writes_the_file_and_says_what_it_left_out(network, tmp_path):
    from omzien.agenda.models import Session
    from tests.factories import VisitFactory

    run("import_visits", str(write_csv(tmp_path / "in.csv", GOOD)))
    VisitFactory(session=Session.objects.get(date="2026-03-03"), person=None)
    out, _err = run("export_visits", str(tmp_path / "uit.xlsx"))
    rows = read_rows(tmp_path / "uit.xlsx")
    assert rows[0] == WITH_CONSENT and len(rows) == 4
    assert "3" in out and "1" in out
    assert str(tmp_path / "uit.xlsx") in out


@pytest.mark.parametrize("name", ["uit.txt", "nergens/uit.csv"])
def test_export_refuses_other_extensions_and_missing_folders(network, tmp_path, name):
    with pytest.raises(CommandError):
        run("export_visits", str(tmp_path / name))
    assert not (tmp_path / "uit.txt").exists()


def test_the_console_script_in_a_fresh_data_folder(tmp_path):
    """`python -m omzien` on its own SQLite database (also when the suite runs on
    PostgreSQL): exit codes and messages."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "OMZIEN_DATA_DIR", "STATIC_ROOT"}
    }
    environment["OMZIEN_DATA_DIR"] = str(tmp_path / "data")

    def omzien(*args):
        return subprocess.run(
            [sys.executable, "-m", "omzien", *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert omzien("migrate", "-v", "0").returncode == 0
    bad = write_csv(tmp_path / "bezoeken.csv", [BAD], header=[*HEADER, "consent"])
    failed = omzien("import_visits", str(bad))
    assert failed.returncode == 1
    assert "De Benrink" in failed.stderr and "CommandError" in failed.stderr
    empty = write_csv(tmp_path / "leeg.csv", [])
    assert omzien("import_visits", str(empty)).returncode == 0
    assert omzien("import_visits", str(tmp_path / "nergens.csv")).returncode == 1
    assert omzien("export_visits", str(tmp_path / "uit.csv")).returncode == 0
    assert read_rows(tmp_path / "uit.csv") == [WITH_CONSENT]
    assert omzien("export_visits", str(tmp_path / "uit.txt")).returncode == 1
