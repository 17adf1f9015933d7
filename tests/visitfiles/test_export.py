"""The export, and the round trip: an export imports again adding nothing, and every
imported row comes back unchanged in the next export."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omzien.accounts.permissions import SYSTEM
from omzien.agenda.services import cancel_session
from omzien.audit.models import AuditEvent
from omzien.people.models import Purpose
from omzien.visitfiles.exporting import export_visits
from omzien.visitfiles.formats import VisitFileError
from omzien.visitfiles.importing import import_visits
from tests.factories import (
    ConsentFactory,
    PersonFactory,
    PlaceFactory,
    SessionFactory,
    VisitFactory,
)
from tests.visitfiles.conftest import TODAY
from tests.visitfiles.files import WITH_CONSENT, counts, read_rows, write_csv, write_xlsx

MAY, JUNE = datetime(2026, 5, 1, 12, tzinfo=UTC), datetime(2026, 6, 1, 12, tzinfo=UTC)
ROWS = [
    ["p2", "Henk", "", "Voorst", "Trefpunt Duistervoorde", "Handwerken", "2026-03-04", ""],
    ["p1", "Mariëtte", "de Vries", "Twello", "De Benring", "Koffieochtend", "2026-03-10", "names"],
    ["p1", "Mariëtte", "de Vries", "Twello", "De Benring", "Koffieochtend", "2026-03-03", "names"],
    ["a, b", 'Jo "Jopie"', "", "", "De Benring", "Koffieochtend", "2026-03-03", "names;followup"],
]


def imported(tmp_path, rows=ROWS, name="in.csv"):
    writer = write_xlsx if name.endswith(".xlsx") else write_csv
    result = import_visits(writer(tmp_path / name, rows), today=TODAY)
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

    result = export_visits(tmp_path / "out.csv")

    assert (result.rows, result.anonymous) == (5, 1)
    rows = read_rows(tmp_path / "out.csv")
    assert rows[0] == WITH_CONSENT
    gerda = [f"omzien-{door.pk}", "Gerda", "", "", "De Benring", "Koffieochtend", "2026-03-17"]
    assert rows[1:] == [ROWS[3], ROWS[2], ROWS[0], ROWS[1], [*gerda, "names"]]
    assert (tmp_path / "out.csv").read_bytes().startswith(b"person_ref,")  # no byte order mark


def test_the_export_is_audit_logged(network, tmp_path):
    imported(tmp_path)
    export_visits(tmp_path / "out.csv")
    event = AuditEvent.objects.get(action="export")
    assert event.subject == "visit file"
    assert str(tmp_path / "out.csv") in event.detail and "4 rows" in event.detail
    assert event.user is None


@pytest.mark.parametrize("name", ["out.txt", "out.xls", "out"])
def test_other_extensions_are_refused(network, tmp_path, name):
    with pytest.raises(VisitFileError):
        export_visits(tmp_path / name)
    assert not (tmp_path / name).exists()
    assert not AuditEvent.objects.exists()


def test_a_missing_folder_is_refused(network, tmp_path):
    with pytest.raises(VisitFileError):
        export_visits(tmp_path / "nope" / "out.csv")


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
    export_visits(first)
    before = counts()

    dry = import_visits(first, today=TODAY, dry_run=True)
    again = import_visits(first, today=TODAY)

    for result in (dry, again):
        assert result.ok, result.errors
        assert (result.people, result.sessions, result.visits, result.consents) == (0, 0, 0, 0)
        assert result.people_completed == 0
    after = counts()
    assert after.pop("audit") == before.pop("audit") + 1
    assert after == before
    second = tmp_path / f"second.{extension}"
    export_visits(second)
    assert read_rows(second) == read_rows(first)
    if extension == "csv":
        assert second.read_bytes() == first.read_bytes()
    exported = {tuple(row) for row in read_rows(first)}
    assert all(tuple(row) in exported for row in ROWS)  # every imported row, unchanged


def test_shared_names_are_written_as_slugs(network, twello, tmp_path):
    imported(tmp_path)
    PlaceFactory(name="De Benring", slug="de-benring-2", village=twello)
    export_visits(tmp_path / "out.csv")
    places = {row[4] for row in read_rows(tmp_path / "out.csv")[1:]}
    assert places == {"de-benring", "Trefpunt Duistervoorde"}
    result = import_visits(tmp_path / "out.csv", today=TODAY)
    assert result.ok and result.visits == 0


def test_an_empty_database_exports_a_header(db, tmp_path):
    result = export_visits(tmp_path / "out.xlsx")
    assert result.rows == 0
    assert read_rows(tmp_path / "out.xlsx") == [WITH_CONSENT]


# Any valid visit rows: imported, exported, imported again.
TUESDAYS = [date(2026, 1, 6) + timedelta(weeks=week) for week in range(20)]
LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
name_text = st.from_regex(rf"[{LETTER}]([{LETTER}' ,-]{{0,10}}[{LETTER}])?", fullmatch=True)
person = st.fixed_dictionaries(
    {
        "first_name": name_text,
        "last_name": st.one_of(st.just(""), name_text),
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
        ref = f"r-{number}"
        rows.append(
            [ref, who["first_name"], who["last_name"], who["village"], "De Benring"]
            + ["Koffieochtend", TUESDAYS[day].isoformat(), consent]
        )
    if not rows:
        return
    writer = write_xlsx if extension == "xlsx" else write_csv
    with transaction.atomic():
        first = import_visits(writer(folder / f"in.{extension}", rows), today=TODAY)
        assert first.ok, first.errors
        assert first.visits == len(rows)
        export_visits(folder / f"out.{extension}")
        exported = read_rows(folder / f"out.{extension}")
        assert sorted(exported[1:]) == sorted(rows)
        again = import_visits(folder / f"out.{extension}", today=TODAY)
        assert again.ok and (again.people, again.visits, again.consents) == (0, 0, 0)
        transaction.set_rollback(True)
