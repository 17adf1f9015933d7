"""Visit lists as people have them: Dutch column names, dates as Dutch Excel writes them,
real Excel date cells, and the date the person signed the consent form."""

from datetime import UTC, date, datetime, time
from io import StringIO

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from omzien.accounts.permissions import SYSTEM
from omzien.agenda.recurrence import local_zone
from omzien.people.models import Consent, Person
from omzien.visitfiles.checking import Bad, parse_date
from omzien.visitfiles.importing import import_visits
from tests.factories import ConsentFactory, PersonFactory
from tests.visitfiles.conftest import TODAY
from tests.visitfiles.files import WITH_CONSENT, counts, write_csv

DUTCH = ["persoon", "voornaam", "achternaam", "dorp", "plek", "activiteit", "datum", "toestemming"]
ROWS = [
    ["p1", "Mariëtte", "de Vries", "Twello", "De Benring", "Koffieochtend", "3-3-2026", "names"],
    ["p1", "Mariëtte", "de Vries", "Twello", "De Benring", "Koffieochtend", "10-03-2026", "names"],
    ["p2", "Henk", "", "Voorst", "Trefpunt Duistervoorde", "Handwerken", "04-03-26", ""],
]


def run(path, **options):
    options.setdefault("today", TODAY)
    options.setdefault("acting_user", SYSTEM)
    return import_visits(path, **options)


def visit_days(ref):
    return sorted(Person.objects.get(ref=ref).visits.values_list("session__date", flat=True))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-11-24", date(2026, 11, 24)),
        ("24-11-2026", date(2026, 11, 24)),
        ("3-3-2026", date(2026, 3, 3)),
        ("24/11/2026", date(2026, 11, 24)),
        ("24.11.2026", date(2026, 11, 24)),
        ("24-11-26", date(2026, 11, 24)),
        ("24-11-2026 10:00", date(2026, 11, 24)),
        ("2026-11-24 10:15:00", date(2026, 11, 24)),
        ("2026-11-24T10:15:00", date(2026, 11, 24)),
    ],
)
def test_dates_as_lists_write_them(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("24-11/2026", "bad_date"),
        ("24 november 2026", "bad_date"),
        ("11/24/2026", "impossible_date"),
        ("31-02-2026", "impossible_date"),
        ("46350", "excel_number"),
        ("123", "bad_date"),
    ],
)
def test_what_is_no_date(text, code):
    verdict = parse_date(text)
    assert type(verdict) is Bad and verdict.code == code


def test_a_list_with_dutch_column_names_and_dates(network, tmp_path):
    path = write_csv(tmp_path / "bezoeken.csv", ROWS, header=DUTCH, delimiter=";")
    result = run(path)
    assert result.ok and result.written, result.errors
    assert (result.rows, result.people, result.visits) == (3, 2, 3)
    assert visit_days("p1") == [date(2026, 3, 3), date(2026, 3, 10)]
    assert visit_days("p2") == [date(2026, 3, 4)]
    assert Person.objects.get(ref="p1").has_consent("names")


def test_column_names_ignore_case_and_spaces(network, tmp_path):
    header = [" Persoon", "VOORNAAM", "Achternaam ", "Dorp", "Plek", "Activiteit", "Datum"]
    path = write_csv(tmp_path / "bezoeken.csv", [row[:7] for row in ROWS], header=header)
    assert run(path).ok


def test_dutch_and_english_mixed_for_different_columns_is_fine(network, tmp_path):
    header = ["persoon", "first_name", "achternaam", "village", "plek", "activity", "datum"]
    path = write_csv(tmp_path / "bezoeken.csv", [row[:7] for row in ROWS], header=header)
    assert run(path).ok


def test_the_same_column_in_dutch_and_english_is_a_clear_error(network, tmp_path):
    before = counts()
    header = [*DUTCH[:7], "date"]
    path = write_csv(tmp_path / "bezoeken.csv", [[*row[:7], row[6]] for row in ROWS], header=header)
    result = run(path)
    assert not result.ok
    [problem] = result.errors
    assert (problem.row, problem.column, problem.code) == (1, "datum/date", "same_column_twice")
    assert "datum" in problem.message and "date" in problem.message
    assert counts() == before


def test_problems_name_the_columns_as_the_list_does(network, tmp_path):
    bad = [["p9", "Kees", "", "", "De Benrink", "Koffieochtend", "3-3-2026", ""]]
    result = run(write_csv(tmp_path / "bezoeken.csv", bad, header=DUTCH))
    [problem] = result.errors
    assert problem.column == "plek"
    with translation.override("nl"):
        missing = run(write_csv(tmp_path / "kort.csv", [row[:6] for row in ROWS], header=DUTCH[:6]))
    [problem] = missing.errors
    assert problem.column == "datum" and "persoon, voornaam" in problem.message


def test_real_excel_date_and_datetime_cells(network, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(DUTCH)
    sheet.append(["p1", "Jan", "", "", "De Benring", "Koffieochtend", datetime(2026, 3, 3), ""])
    sheet.append(["p1", "Jan", "", "", "De Benring", "Koffieochtend", date(2026, 3, 10), ""])
    sheet.append(
        ["p1", "Jan", "", "", "De Benring", "Koffieochtend", datetime(2026, 3, 17, 10, 5), ""]
    )
    for cells in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        cells[0].number_format = "dd-mm-yyyy"
    path = tmp_path / "bezoeken.xlsx"
    book.save(path)
    result = run(path)
    assert result.ok, result.errors
    assert visit_days("p1") == [date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 17)]


# --- The consent date -----------------------------------------------------------------

WITH_DATE = [*WITH_CONSENT, "consent_date"]


def consent_row(ref, consent="names;followup", signed="15-02-2026", day="2026-03-03"):
    return [ref, "Jan", "", "", "De Benring", "Koffieochtend", day, consent, signed]


@time_machine.travel(datetime(2026, 7, 1, 9, tzinfo=UTC), tick=False)
def test_consent_rows_get_the_date_of_the_paper_form(network, tmp_path):
    path = write_csv(tmp_path / "b.csv", [consent_row("p1")], header=WITH_DATE)
    result = run(path)
    assert result.ok and result.consents == 2, result.errors
    noon = datetime.combine(date(2026, 2, 15), time(12), tzinfo=local_zone())
    assert set(Consent.objects.values_list("purpose", "recorded_at")) == {
        ("names", noon),
        ("followup", noon),
    }


@time_machine.travel(datetime(2026, 7, 1, 9, tzinfo=UTC), tick=False)
@pytest.mark.parametrize("name", ["Toestemming datum", "toestemmingsdatum"])
def test_the_dutch_consent_date_column(network, tmp_path, name):
    header = [*DUTCH, name]
    path = write_csv(tmp_path / "b.csv", [consent_row("p1")], header=header)
    assert run(path).ok
    assert {at.date() for at in Consent.objects.values_list("recorded_at", flat=True)} == {
        date(2026, 2, 15)
    }


@time_machine.travel(datetime(2026, 7, 1, 9, tzinfo=UTC), tick=False)
def test_without_a_consent_date_the_time_of_import(network, tmp_path):
    rows = [consent_row("p1", signed=""), consent_row("p2", signed="01-07-2026")]
    path = write_csv(tmp_path / "b.csv", rows, header=WITH_DATE)
    assert run(path).ok
    now = datetime(2026, 7, 1, 9, tzinfo=UTC)
    assert set(Consent.objects.values_list("recorded_at", flat=True)) == {now}


@time_machine.travel(datetime(2026, 7, 1, 9, tzinfo=UTC), tick=False)
def test_a_dry_run_with_consent_dates_changes_nothing(network, tmp_path):
    before = counts()
    path = write_csv(tmp_path / "b.csv", [consent_row("p1")], header=WITH_DATE)
    result = run(path, dry_run=True)
    assert result.ok and result.consents == 2
    assert counts() == before


@time_machine.travel(datetime(2026, 7, 1, 9, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    ("signed", "code"),
    [
        ("02-07-2026", "future_consent_date"),
        ("15-02-1999", "early_consent_date"),
        ("30-02-2026", "impossible_date"),
        ("gisteren", "bad_date"),
    ],
)
def test_a_bad_consent_date_is_a_row_error(network, tmp_path, signed, code):
    before = counts()
    path = write_csv(tmp_path / "b.csv", [consent_row("p1", signed=signed)], header=WITH_DATE)
    result = run(path)
    [problem] = result.errors
    assert (problem.row, problem.column, problem.code) == (2, "consent_date", code)
    assert counts() == before


@time_machine.travel(datetime(2026, 7, 1, 9, tzinfo=UTC), tick=False)
def test_a_consent_date_before_the_latest_answer_in_omzien_is_a_row_error(network, tmp_path):
    jan = PersonFactory(ref="p1", first_name="Jan")
    ConsentFactory(
        person=jan, purpose="followup", given=False, recorded_at=datetime(2026, 3, 1, tzinfo=UTC)
    )
    before = counts()
    rows = [consent_row("p1", consent="followup", signed="15-02-2026")]
    result = run(write_csv(tmp_path / "b.csv", rows, header=WITH_DATE))
    # A "no" is never turned into a "yes" by an import, dated or not.
    assert {problem.code for problem in result.errors} == {"consent_refused"}
    assert counts() == before
    ConsentFactory(
        person=jan, purpose="names", given=True, recorded_at=datetime(2026, 3, 1, tzinfo=UTC)
    )
    before = counts()
    rows = [consent_row("p1", consent="", signed="15-02-2026")]  # withdraws names
    result = run(write_csv(tmp_path / "c.csv", rows, header=WITH_DATE))
    [problem] = result.errors
    assert (problem.column, problem.code) == ("consent_date", "consent_date_before_latest")
    assert counts() == before


@time_machine.travel(datetime(2026, 7, 1, 9, tzinfo=UTC), tick=False)
def test_one_person_with_two_consent_dates_is_a_row_error(network, tmp_path):
    rows = [consent_row("p1"), consent_row("p1", signed="16-02-2026", day="2026-03-10")]
    result = run(write_csv(tmp_path / "b.csv", rows, header=WITH_DATE))
    [problem] = result.errors
    assert (problem.row, problem.code) == (3, "other_consent_date")


def test_a_consent_date_without_the_consent_column_is_an_error(network, tmp_path):
    header = [*WITH_CONSENT[:7], "consent_date"]
    rows = [[*consent_row("p1")[:7], "15-02-2026"]]
    result = run(write_csv(tmp_path / "b.csv", rows, header=header))
    assert [problem.code for problem in result.errors] == ["consent_date_without_consent"]


@time_machine.travel(datetime(2026, 7, 1, 9, tzinfo=UTC), tick=False)
def test_the_command_imports_a_dutch_list(network, tmp_path):
    header = [*DUTCH, "toestemming_datum"]
    rows = [[*row, "01-03-2026" if row[7] else ""] for row in ROWS]
    path = write_csv(tmp_path / "bezoeken.csv", rows, header=header, delimiter=";", bom=True)
    out = StringIO()
    call_command("import_visits", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert counts()["visits"] == 0
    call_command("import_visits", str(path), stdout=out, stderr=StringIO())
    assert counts()["visits"] == 3
    [consent] = Consent.objects.all()
    assert consent.recorded_at.date() == date(2026, 3, 1)
