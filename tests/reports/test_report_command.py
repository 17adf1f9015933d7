"""`omzien report` as design.md ("Reports") describes it: the JSON shape, the audiences,
and every bad input refused before anything is counted or written.

The figures are those of the ``town`` fixture (conftest.py); time stands still on
15 April 2026, so every 4-week window of January and February is complete.
"""

import importlib.util
import json
import os
import subprocess
import sys
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from omzien.audit.models import AuditEvent
from omzien.reports.cube import MEASURES, GroupKind
from omzien.reports.models import FigureSnapshot

pytestmark = pytest.mark.django_db

CELL_KEYS = {"group", "parent", "period", "measure", "value", "suppressed"}
DESIGN_MEASURES = {
    "people",
    "new_people",
    "returning_people",
    "visits",
    "anonymous_visits",
    "sessions",
}
JAN_FEB = ["--from", "2026-01-01", "--to", "2026-02-28"]
PARENTS = {
    "region": None,
    "twello": "region",
    "voorst": "region",
    "trefpunt-duistervoorde": "twello",
    "de-benring": "voorst",
}


@pytest.fixture(autouse=True)
def _mid_april():
    with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        yield


def report(*args) -> tuple[dict | None, str, str]:
    out, err = StringIO(), StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    text = out.getvalue()
    return (json.loads(text) if text.strip() else None), text, err.getvalue()


def cells_by_key(output: dict) -> dict:
    return {(cell["group"], cell["period"], cell["measure"]): cell for cell in output["cells"]}


def test_json_has_the_design_shape(town):
    output, _text, err = report(*JAN_FEB, "--by", "place", "--audience", "professional")
    assert {"from", "to", "by", "audience", "min_cell", "rule", "cells"} <= set(output)
    assert output["from"] == "2026-01-01" and output["to"] == "2026-12-31"  # whole year
    assert output["by"] == "place" and output["audience"] == "professional"
    assert output["min_cell"] is None
    for cell in output["cells"]:
        assert set(cell) - {"interval"} == CELL_KEYS, cell
        assert cell["parent"] == PARENTS[cell["group"]]
    assert "2026" in err  # which year was counted


def test_one_cell_per_group_period_and_measure_parents_included(town):
    output, _text, _err = report(
        *JAN_FEB, "--by", "place", "--audience", "professional", "--period", "month"
    )
    keys = [(c["group"], c["period"], c["measure"]) for c in output["cells"]]
    assert len(keys) == len(set(keys))
    groups = {key[0] for key in keys}
    periods = {key[1] for key in keys}
    measures = {key[2] for key in keys}
    assert groups == set(PARENTS)
    assert periods == {"2026-01", "2026-02"}
    assert measures >= DESIGN_MEASURES
    # Every measure for every group of a level it exists at (help belongs to villages).
    kinds = {"region": GroupKind.REGION, "twello": GroupKind.VILLAGE, "voorst": GroupKind.VILLAGE}
    assert set(keys) == {
        (g, p, m)
        for g in groups
        for p in periods
        for m in measures
        if kinds.get(g, GroupKind.PLACE) in MEASURES[m].levels
    }


@pytest.mark.parametrize(
    ("period", "keys"),
    [("month", {"2026-01", "2026-02"}), ("quarter", {"2026-Q1"}), ("year", {"2026"})],
)
def test_period_keys(town, period, keys):
    output, _text, _err = report(
        *JAN_FEB, "--by", "region", "--audience", "professional", "--period", period
    )
    assert {cell["period"] for cell in output["cells"]} == keys
    assert {cell["group"] for cell in output["cells"]} == {"region"}


def test_default_period_is_the_year(town):
    output, _text, _err = report(*JAN_FEB, "--by", "village", "--audience", "professional")
    assert {cell["period"] for cell in output["cells"]} == {"2026"}
    assert {cell["group"] for cell in output["cells"]} == {"region", "twello", "voorst"}


def test_the_figures_of_the_town(town):
    output, _text, _err = report(
        *JAN_FEB, "--by", "place", "--audience", "professional", "--period", "month"
    )
    cells = cells_by_key(output)

    def value(group, period, name):
        return cells[(group, period, name)]["value"]

    assert value("region", "2026-01", "visits") == 42
    assert value("region", "2026-02", "visits") == 42
    assert value("region", "2026-01", "anonymous_visits") == 2
    assert value("region", "2026-01", "people") == 16
    assert value("region", "2026-02", "people") == 17
    assert value("region", "2026-01", "new_people") == 8
    assert value("region", "2026-01", "returning_people") == 14
    assert value("de-benring", "2026-01", "people") == 2
    assert value("voorst", "2026-01", "visits") == 2
    assert value("trefpunt-duistervoorde", "2026-02", "people") == 17


def test_viewers_get_no_small_numbers(town):
    output, _text, _err = report(
        *JAN_FEB, "--by", "place", "--audience", "viewer", "--period", "month"
    )
    assert output["min_cell"] == 5 and output["rule"] != "exact"
    cells = cells_by_key(output)
    benring = cells[("de-benring", "2026-01", "people")]
    assert benring["suppressed"] is True and benring["value"] is None
    assert cells[("de-benring", "2026-01", "visits")]["value"] is None
    assert cells[("region", "2026-01", "visits")]["value"] == 42
    for cell in output["cells"]:
        if cell["suppressed"]:
            assert cell["value"] is None
        if cell["measure"] in {"people", "new_people", "returning_people"}:
            assert cell["value"] is None or cell["value"] == 0 or cell["value"] >= 5, cell


def test_every_report_is_audit_logged(town, tmp_path):
    report(*JAN_FEB, "--by", "region", "--audience", "viewer")
    event = AuditEvent.objects.get()
    assert event.user is None and event.subject == "impact report"
    assert "audience=viewer" in event.detail and "from=2026-01-01" in event.detail


def test_json_to_a_file(town, tmp_path):
    target = tmp_path / "rapport.json"
    output, _text, err = report(
        *JAN_FEB, "--by", "region", "--audience", "viewer", "--output", str(target)
    )
    assert output is None and str(target) in err
    written = json.loads(target.read_text())
    assert written["audience"] == "viewer"
    assert [path.name for path in tmp_path.iterdir()] == ["rapport.json"]  # no leftovers


def test_xlsx_to_a_file(town, tmp_path):
    import openpyxl

    target = tmp_path / "rapport.xlsx"
    target.write_bytes(b"old")  # replaced whole
    report(
        *JAN_FEB,
        *("--by", "village", "--audience", "viewer", "--format", "xlsx", "--output", target),
    )
    book = openpyxl.load_workbook(target)
    assert len(book.sheetnames) >= 3


def test_pdf_to_a_file(town, tmp_path):
    pytest.importorskip("omzien.reports.pdf")
    target = tmp_path / "rapport.pdf"
    report(
        *JAN_FEB, *("--by", "region", "--audience", "viewer"), "--format", "pdf", "--output", target
    )
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(
    importlib.util.find_spec("omzien.reports.pdf") is not None, reason="reports.pdf is here"
)
def test_pdf_without_the_pdf_module_says_so(town, tmp_path):
    with pytest.raises(CommandError, match="omzien.reports.pdf"):
        report(
            *JAN_FEB,
            *("--by", "region", "--audience", "viewer", "--format", "pdf"),
            *("--output", tmp_path / "rapport.pdf"),
        )
    assert not list(tmp_path.iterdir()) and not AuditEvent.objects.exists()


BAD_INPUTS = {
    "from not a date": ["--from", "2026-13-01", "--to", "2026-02-28"],
    "from in Dutch order": ["--from", "01-01-2026", "--to", "2026-02-28"],
    "to not a date": ["--from", "2026-01-01", "--to", "morgen"],
    "from after to": ["--from", "2026-03-01", "--to", "2026-02-28"],
    "more than 10 years": ["--from", "2015-01-01", "--to", "2026-02-28"],
    "before 2000": ["--from", "1999-12-31", "--to", "2000-02-28"],
    "after this year": ["--from", "2026-01-01", "--to", "2027-01-01"],
    "unknown by": [*JAN_FEB, "--by", "province"],
    "unknown audience": [*JAN_FEB, "--audience", "public"],
    "unknown period": [*JAN_FEB, "--period", "week"],
    "unknown format": [*JAN_FEB, "--format", "csv"],
    "xlsx without output": [*JAN_FEB, "--format", "xlsx", "--no-output"],
    "pdf without output": [*JAN_FEB, "--format", "pdf", "--no-output"],
    "output in a missing folder": [*JAN_FEB, "--output", "{tmp}/nergens/rapport.json"],
    "output is a folder": [*JAN_FEB, "--output", "{tmp}"],
    "output not writable": [*JAN_FEB, "--output", "{tmp}/dicht/rapport.json"],
    "output under a file": [*JAN_FEB, "--output", "{tmp}/bestand.txt/rapport.json"],
}


def bad_arguments(arguments: list[str], tmp_path) -> list[str]:
    arguments = [argument.replace("{tmp}", str(tmp_path)) for argument in arguments]
    defaults = {"--by": "place", "--audience": "viewer", "--period": "month"}
    for option, value in defaults.items():
        if option not in arguments:
            arguments += [option, value]
    if "--no-output" in arguments:
        arguments.remove("--no-output")
    elif "--output" not in arguments:
        arguments += ["--output", str(tmp_path / "rapport.json")]
    return arguments


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_fails_and_writes_nothing(town, tmp_path, case):
    closed = tmp_path / "dicht"
    closed.mkdir(mode=0o500)
    (tmp_path / "bestand.txt").write_text("er staat al iets")
    if case == "output not writable" and os.access(closed, os.W_OK):
        pytest.skip("running as a user who may write anywhere")
    before = set(tmp_path.rglob("*"))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("report", *bad_arguments(BAD_INPUTS[case], tmp_path), stdout=out, stderr=err)
    assert str(failure.value)  # a message that says what is wrong
    assert out.getvalue() == ""
    assert set(tmp_path.rglob("*")) == before
    assert not AuditEvent.objects.exists()
    assert not FigureSnapshot.objects.exists()


def test_bad_input_messages_say_what_is_wrong(town, tmp_path):
    with pytest.raises(CommandError, match="2026-13-01"):
        report(
            "--from", "2026-13-01", "--to", "2026-02-28", *("--by", "place", "--audience", "viewer")
        )
    with pytest.raises(CommandError, match="province"):
        report(*JAN_FEB, "--by", "province", "--audience", "viewer")
    with pytest.raises(CommandError, match="--output"):
        report(*JAN_FEB, "--by", "place", "--audience", "viewer", "--format", "xlsx")


def test_the_console_script_exits_non_zero(tmp_path):
    """`python -m omzien report` with a bad date: exit code 1, the message on stderr."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "OMZIEN_DATA_DIR", "STATIC_ROOT"}
    }
    environment["OMZIEN_DATA_DIR"] = str(tmp_path / "data")
    arguments = ["--from", "2026-02-30", "--to", "2026-03-01", "--by", "region"]
    finished = subprocess.run(
        [sys.executable, "-m", "omzien", "report", *arguments, "--audience", "viewer"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 1
    assert "2026-02-30" in finished.stderr
    assert finished.stdout == ""
