"""The import service: what a good file adds, what a bad row reports, and that nothing is
written unless every row is right."""

from datetime import date, datetime, time

import pytest

from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.agenda.models import Session
from omzien.agenda.recurrence import local_zone
from omzien.agenda.services import cancel_session
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.people.models import Consent, Person
from omzien.visitfiles.importing import import_visits
from omzien.visitfiles.writing import VisitWriter
from tests.factories import (
    ActivityFactory,
    ConsentFactory,
    PersonFactory,
    PlaceFactory,
    SessionFactory,
    VisitFactory,
)
from tests.visitfiles.conftest import TODAY
from tests.visitfiles.files import (
    HEADER,
    WITH_CONSENT,
    counts,
    problems,
    write_csv,
    write_xlsx,
)

GOOD = [
    ["p1", "Mariëtte", "de Vries", "Twello", "De Benring", "Koffieochtend", "2026-03-03", "names"],
    ["p1", "Mariëtte", "de Vries", "Twello", "de-benring", "koffieochtend", "2026-03-10", "names"],
    ["p2", "Henk", "", "voorst", "Trefpunt Duistervoorde", "Handwerken", "2026-03-04", ""],
]


def run(path, **options):
    options.setdefault("today", TODAY)
    options.setdefault("acting_user", SYSTEM)
    return import_visits(path, **options)


def consent_answers(person):
    return sorted(person.consents.values_list("purpose", "given"))


def test_a_good_csv_adds_people_sessions_visits_and_consent(network, benring, tmp_path):
    result = run(write_csv(tmp_path / "bezoeken.csv", GOOD))

    assert result.ok and result.written, result.errors
    assert (result.rows, result.people, result.sessions, result.visits) == (3, 2, 3, 3)
    assert result.consents == 1
    mariette = Person.objects.get(ref="p1")
    assert (mariette.first_name, mariette.last_name, mariette.village.slug) == (
        "Mariëtte",
        "de Vries",
        "twello",
    )
    assert mariette.registered_place == benring
    assert mariette.search_name == "mariette de vries"
    assert consent_answers(mariette) == [("names", True)]
    assert not Person.objects.get(ref="p2").consents.exists()
    session = Session.objects.get(activity=network["koffie"], date=date(2026, 3, 3))
    assert session.starts_at == datetime.combine(session.date, time(10), tzinfo=local_zone())
    assert session.ends_at - session.starts_at == network["koffie"].duration
    assert not session.is_extra and not session.is_cancelled
    assert mariette.visits.count() == 2
    event = AuditEvent.objects.get(action="import")
    assert "bezoeken.csv" in event.detail and "3 visits" in event.detail


def test_dutch_excel_csv_with_semicolons_and_byte_order_mark(network, tmp_path):
    header = ["Person_Ref", "First_Name", "last_name", "village", "place", "activity", "date"]
    rows = [[*row[:7]] for row in GOOD]
    path = write_csv(tmp_path / "excel.csv", rows, header=[*header, "Consent"], delimiter=";")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert path.read_bytes().startswith(b"\xef\xbb\xbfPerson_Ref;")

    result = run(path)

    assert result.ok, result.errors
    assert result.visits == 3


def test_semicolon_file_with_consent_list_in_quotes(network, tmp_path):
    rows = [["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-03", "names;followup"]]
    result = run(write_csv(tmp_path / "excel.csv", rows, delimiter=";"))
    assert result.ok, result.errors
    assert consent_answers(Person.objects.get(ref="p1")) == [
        ("followup", True),
        ("names", True),
    ]


def test_an_xlsx_file_with_date_cells_and_numbers(network, tmp_path):
    rows = [
        [1001, "Jan", "Bos", "Twello", "De Benring", "Koffieochtend", datetime(2026, 3, 3)],
        [1001, "Jan", "Bos", "Twello", "De Benring", "Koffieochtend", date(2026, 3, 10)],
        [None] * 7,  # an empty row Excel left behind
        ["1002", "Els", None, None, "de-benring", "koffieochtend", "2026-03-17"],
    ]
    result = run(write_xlsx(tmp_path / "bezoeken.xlsx", rows, header=HEADER))

    assert result.ok, result.errors
    assert (result.rows, result.people, result.visits) == (3, 2, 3)
    assert Person.objects.get(ref="1001").visits.count() == 2


def test_problem_rows_in_an_xlsx_file_have_their_excel_row_numbers(network, tmp_path):
    rows = [
        ["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-03"],
        [None] * 7,
        ["p2", "Els", "", "", "De Benrink", "Koffieochtend", "2026-03-03"],
    ]
    result = run(write_xlsx(tmp_path / "bezoeken.xlsx", rows, header=HEADER))
    assert problems(result) == [(4, "place", "unknown_place")]


BASE = {
    "person_ref": "p9",
    "first_name": "Jan",
    "last_name": "",
    "village": "",
    "place": "De Benring",
    "activity": "Koffieochtend",
    "date": "2026-03-03",
    "consent": "",
}
TREFPUNT = {"place": "Trefpunt Duistervoorde", "activity": "Handwerken"}


def row(**changes) -> list[str]:
    return list({**BASE, **changes}.values())


BAD_ROWS = [
    # (the row, the column and the code of the problem)
    (row(person_ref=""), "person_ref", "required"),
    (row(person_ref="p" * 65), "person_ref", "too_long"),
    (row(person_ref="omzien-99999"), "person_ref", "unknown_omzien_ref"),
    (row(first_name=""), "first_name", "required"),
    (row(village="Twelo"), "village", "unknown_village"),
    (row(place="De Benrink"), "place", "unknown_place"),
    (row(place=""), "place", "required"),
    (row(activity="Yoga"), "activity", "unknown_activity"),
    (row(activity="Handwerken"), "activity", "unknown_activity"),  # at the other place
    (row(date="3 maart 2026"), "date", "bad_date"),
    (row(date=""), "date", "required"),
    (row(date="2026-02-30"), "date", "impossible_date"),
    (row(date="2026-07-07"), "date", "future_date"),
    (row(date="2026-03-04"), "date", "not_on_schedule"),  # a Wednesday
    (row(date="2025-12-30"), "date", "not_started"),
    (row(date="2026-02-18", **TREFPUNT), "date", "no_activity_that_day"),
    (row(date="2026-07-01", **TREFPUNT), "date", "ended"),
    (row(consent="namen"), "consent", "unknown_consent"),
    ([*row(), "extra"], "", "too_many_values"),
]


@pytest.mark.parametrize(("bad", "column", "code"), BAD_ROWS, ids=[c for _r, _c, c in BAD_ROWS])
def test_one_bad_row_reports_row_column_message_and_writes_nothing(
    network, tmp_path, bad, column, code
):
    before = counts()
    rows = [GOOD[0], GOOD[2], bad, GOOD[1]]

    result = run(write_csv(tmp_path / "bezoeken.csv", rows))

    assert not result.ok and not result.written
    assert problems(result) == [(4, column, code)]
    assert result.errors[0].message
    assert (result.people, result.sessions, result.visits, result.consents) == (0, 0, 0, 0)
    assert counts() == before


def test_every_problem_is_reported_not_only_the_first(network, tmp_path):
    before = counts()
    rows = [bad for bad, _column, _code in BAD_ROWS] + [GOOD[0]]
    result = run(write_csv(tmp_path / "bezoeken.csv", rows))
    assert result.error_count == len(BAD_ROWS)
    assert [row for row, _column, _code in problems(result)] == list(range(2, len(BAD_ROWS) + 2))
    assert counts() == before


def test_a_row_can_have_problems_in_several_columns(network, tmp_path):
    rows = [["", "Jan", "", "Twelo", "De Benrink", "Koffieochtend", "2026-13-01", "x"]]
    result = run(write_csv(tmp_path / "bezoeken.csv", rows))
    assert problems(result) == [
        (2, "person_ref", "required"),
        (2, "village", "unknown_village"),
        (2, "place", "unknown_place"),
        (2, "date", "impossible_date"),
        (2, "consent", "unknown_consent"),
    ]


def test_the_message_names_the_row_column_and_the_wrong_text(network, tmp_path):
    rows = [GOOD[0]] * 12 + [["p9", "Jan", "", "", "De Benrink", "Koffieochtend", "2026-03-03", ""]]
    result = run(write_csv(tmp_path / "bezoeken.csv", rows))
    problem = result.errors[0]
    assert (problem.row, problem.column) == (14, "place")
    assert "De Benrink" in problem.message and "De Benring" in problem.message  # a suggestion
    assert "14" in str(problem) and "place" in str(problem)


def test_rows_of_a_place_the_coordinator_does_not_manage(
    network, trefpunt, tmp_path, coordinator_trefpunt
):
    before = counts()
    own = {"acting_user": coordinator_trefpunt}
    result = run(write_csv(tmp_path / "bezoeken.csv", GOOD), **own)
    assert problems(result) == [(2, "place", "no_permission"), (3, "place", "no_permission")]
    assert counts() == before
    assert run(write_csv(tmp_path / "eigen.csv", [GOOD[2]]), **own).ok


def test_someone_who_manages_no_place_imports_nothing(network, tmp_path, host_benring):
    before = counts()
    with pytest.raises(NotFound):
        run(write_csv(tmp_path / "bezoeken.csv", GOOD), acting_user=host_benring)
    assert counts() == before


def test_a_name_two_places_share_needs_the_slug(network, twello, tmp_path):
    PlaceFactory(name="De Benring", slug="de-benring-2", village=twello)
    rows = [["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-03", ""]]
    result = run(write_csv(tmp_path / "a.csv", rows))
    assert problems(result) == [(2, "place", "ambiguous_place")]
    assert "de-benring-2" in result.errors[0].message
    rows[0][4] = "de-benring"
    assert run(write_csv(tmp_path / "b.csv", rows)).ok


@pytest.mark.parametrize(
    ("other", "column", "code"),
    [
        (["p1", "Maria", "de Vries", "Twello"], "first_name", "other_first_name"),
        (["p1", "Mariëtte", "Jansen", "Twello"], "last_name", "other_last_name"),
        (["p1", "Mariëtte", "de Vries", "Voorst"], "village", "other_village"),
    ],
)
def test_the_same_person_ref_must_be_the_same_person_throughout(
    network, tmp_path, other, column, code
):
    rows = [GOOD[0], [*other, "De Benring", "Koffieochtend", "2026-03-10", "names"]]
    result = run(write_csv(tmp_path / "bezoeken.csv", rows))
    assert problems(result) == [(3, column, code)]
    assert "row 2" in result.errors[0].message or "2" in result.errors[0].message


def test_same_person_ref_spelt_differently_or_with_gaps_is_the_same_person(network, tmp_path):
    rows = [
        ["p1", "Mariette", "", "", "De Benring", "Koffieochtend", "2026-03-03"],
        ["p1", "MARIËTTE", "de Vries", "Twello", "De Benring", "Koffieochtend", "2026-03-10"],
        ["p1", "mariette", "", "", "De Benring", "Koffieochtend", "2026-03-17"],
    ]
    result = run(write_csv(tmp_path / "bezoeken.csv", rows, header=HEADER))
    assert result.ok, result.errors
    person = Person.objects.get(ref="p1")
    assert (person.first_name, person.last_name, person.village.slug) == (
        "Mariette",
        "de Vries",
        "twello",
    )


def test_the_same_person_ref_with_other_consent_in_the_file(network, tmp_path):
    rows = [GOOD[0], [*GOOD[1][:7], "names;followup"]]
    assert problems(run(write_csv(tmp_path / "bezoeken.csv", rows))) == [
        (3, "consent", "other_consent")
    ]


def test_a_known_person_ref_with_another_name_is_refused(network, tmp_path):
    PersonFactory(ref="p1", first_name="Johan", last_name="de Vries")
    before = counts()
    result = run(write_csv(tmp_path / "bezoeken.csv", GOOD))
    assert problems(result) == [(2, "first_name", "known_other_first_name")]
    assert "Johan" not in result.errors[0].message  # no names of others in messages
    assert counts() == before


def test_known_people_keep_their_data_and_gaps_are_filled_in(network, twello, tmp_path):
    person = PersonFactory(ref="p1", first_name="Mariëtte", last_name="", village=None)
    result = run(write_csv(tmp_path / "bezoeken.csv", GOOD[:2]))
    assert result.ok, result.errors
    assert (result.people, result.people_completed) == (0, 1)
    person.refresh_from_db()
    assert (person.last_name, person.village, person.search_name) == (
        "de Vries",
        twello,
        "mariette de vries",
    )


def test_a_known_person_in_another_village_is_refused(network, voorst_village, tmp_path):
    PersonFactory(ref="p1", first_name="Mariëtte", last_name="de Vries", village=voorst_village)
    assert problems(run(write_csv(tmp_path / "bezoeken.csv", GOOD))) == [
        (2, "village", "known_other_village")
    ]


def test_header_problems(network, tmp_path):
    header = ["person_ref", "first_name", "village", "place", "activity", "date", "date", "tel"]
    result = run(write_csv(tmp_path / "bezoeken.csv", [], header=header))
    assert problems(result) == [(1, "last_name", "missing_column"), (1, "date", "duplicate_column")]
    assert [(notice.column, notice.code) for notice in result.notices] == [
        ("tel", "ignored_column")
    ]


def test_unknown_columns_are_ignored_with_a_notice(network, tmp_path):
    rows = [[*row, "06-12345678"] for row in GOOD]
    result = run(write_csv(tmp_path / "bezoeken.csv", rows, header=[*WITH_CONSENT, "telefoon"]))
    assert result.ok, result.errors
    assert [notice.column for notice in result.notices] == ["telefoon"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "unreadable"),
        (b"\n\n", "unreadable"),
        ("person_ref;prénom\n".encode("latin-1"), "unreadable"),
    ],
)
def test_unreadable_files(network, tmp_path, content, code):
    path = tmp_path / "bezoeken.csv"
    path.write_bytes(content)
    result = run(path)
    assert [problem.code for problem in result.errors] == [code]


def test_text_that_is_not_utf8_says_which_row(network, tmp_path):
    path = write_csv(tmp_path / "bezoeken.csv", GOOD)
    path.write_bytes(
        path.read_bytes() + "p3,José,,,De Benring,Koffieochtend,2026-03-03,\n".encode("cp1252")
    )
    result = run(path)
    assert [(problem.row, problem.code) for problem in result.errors] == [(5, "unreadable")]
    assert "UTF-8" in result.errors[0].message
    assert not Visit.objects.exists()


def test_a_broken_xlsx_file(network, tmp_path):
    path = tmp_path / "bezoeken.xlsx"
    path.write_bytes(b"not a zip file")
    result = run(path)
    assert [problem.code for problem in result.errors] == ["unreadable"]


def test_only_a_header_adds_nothing(network, tmp_path):
    result = run(write_csv(tmp_path / "bezoeken.csv", []))
    assert result.ok and (result.rows, result.visits) == (0, 0)


def test_dry_run_writes_nothing_and_counts_what_an_import_adds(network, tmp_path):
    path = write_csv(tmp_path / "bezoeken.csv", GOOD)
    before = counts()

    dry = run(path, dry_run=True)

    assert dry.ok and not dry.written
    assert counts() == before
    real = run(path)
    assert (dry.rows, dry.people, dry.sessions, dry.visits, dry.consents) == (
        real.rows,
        real.people,
        real.sessions,
        real.visits,
        real.consents,
    )


def test_dry_run_with_problems_writes_nothing(network, tmp_path):
    before = counts()
    rows = [*GOOD, ["p9", "Jan", "", "", "De Benrink", "Koffieochtend", "2026-03-03", ""]]
    result = run(write_csv(tmp_path / "bezoeken.csv", rows), dry_run=True)
    assert problems(result) == [(5, "place", "unknown_place")]
    assert counts() == before


def test_importing_the_same_file_again_adds_nothing(network, tmp_path):
    path = write_csv(tmp_path / "bezoeken.csv", GOOD)
    first = run(path)
    after_first = counts()

    again = run(path)

    assert again.ok
    assert (again.people, again.sessions, again.visits, again.consents) == (0, 0, 0, 0)
    assert again.visits_known == first.rows
    assert {k: v for k, v in counts().items() if k != "audit"} == {
        k: v for k, v in after_first.items() if k != "audit"
    }


def test_a_repeated_row_is_one_visit(network, tmp_path):
    result = run(write_csv(tmp_path / "bezoeken.csv", [GOOD[0], GOOD[0], GOOD[0]]))
    assert result.ok and (result.rows, result.visits, result.visits_known) == (3, 1, 2)
    assert Visit.objects.count() == 1


def test_existing_sessions_are_used_also_off_the_rule(network, tmp_path):
    koffie = network["koffie"]
    existing = SessionFactory(activity=koffie, date=date(2026, 3, 3))
    extra = SessionFactory(activity=koffie, date=date(2026, 3, 5), is_extra=True)
    rows = [
        ["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-03"],
        ["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-05"],
    ]
    result = run(write_csv(tmp_path / "bezoeken.csv", rows, header=HEADER))
    assert result.ok, result.errors
    assert result.sessions == 0
    assert set(Visit.objects.values_list("session", flat=True)) == {existing.pk, extra.pk}


def test_visits_to_a_cancelled_session(network, tmp_path):
    session = SessionFactory(activity=network["koffie"], date=date(2026, 3, 3))
    cancel_session(session, "Storm", acting_user=SYSTEM)
    rows = [["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-03"]]
    result = run(write_csv(tmp_path / "a.csv", rows, header=HEADER))
    assert problems(result) == [(2, "date", "cancelled")]

    # A visit recorded before the session was cancelled exports, and imports again.
    VisitFactory(session=session, person=PersonFactory(ref="p1", first_name="Jan"))
    result = run(write_csv(tmp_path / "b.csv", rows, header=HEADER))
    assert result.ok and result.visits == 0


def test_the_import_is_one_transaction(network, tmp_path):
    """A failure halfway through the writing leaves no people, sessions or visits."""

    class BrokenWriter(VisitWriter):
        def flush(self):
            raise RuntimeError("disk full")

    before = counts()
    with pytest.raises(RuntimeError):
        run(write_csv(tmp_path / "bezoeken.csv", GOOD), visit_writer=BrokenWriter)
    assert counts() == before


def test_the_database_changed_after_checking(network, tmp_path):
    """Checked again inside the transaction: a session cancelled meanwhile stops it all."""
    session = SessionFactory(activity=network["koffie"], date=date(2026, 3, 3))
    before = counts()
    result = run(
        write_csv(tmp_path / "bezoeken.csv", GOOD),
        before_writing=lambda: cancel_session(session, "Storm", acting_user=SYSTEM),
    )
    assert problems(result) == [(2, "date", "cancelled")]
    assert counts() == {**before, "audit": before["audit"] + 1}  # the cancellation's own line


class TestConsent:
    def test_new_people_get_the_purposes_listed(self, network, tmp_path):
        rows = [
            ["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-03", "followup; names"]
        ]
        assert run(write_csv(tmp_path / "a.csv", rows)).consents == 2
        person = Person.objects.get(ref="p1")
        assert consent_answers(person) == [("followup", True), ("names", True)]
        consent = person.consents.first()
        assert consent.source == "import"

    def test_only_answers_that_differ_are_recorded(self, network, tmp_path):
        person = PersonFactory(ref="p1", first_name="Jan")
        ConsentFactory(person=person, purpose="names", given=True)
        ConsentFactory(person=person, purpose="followup", given=True)
        rows = [
            [
                "p1",
                "Jan",
                "",
                "",
                "De Benring",
                "Koffieochtend",
                "2026-03-03",
                "names;questionnaires",
            ]
        ]
        result = run(write_csv(tmp_path / "a.csv", rows))
        assert result.consents == 2
        assert person.has_consent("names") and person.has_consent("questionnaires")
        assert not person.has_consent("followup")  # not listed: withdrawn
        assert Consent.objects.filter(person=person).count() == 4

    def test_an_empty_cell_means_none_given(self, network, tmp_path):
        person = PersonFactory(ref="p1", first_name="Jan")
        ConsentFactory(person=person, purpose="names", given=True)
        rows = [["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-03", ""]]
        assert run(write_csv(tmp_path / "a.csv", rows)).consents == 1
        assert not person.has_consent("names")

    def test_without_the_column_consent_is_left_alone(self, network, tmp_path):
        person = PersonFactory(ref="p1", first_name="Jan")
        ConsentFactory(person=person, purpose="names", given=True)
        rows = [["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-03"]]
        assert run(write_csv(tmp_path / "a.csv", rows, header=HEADER)).consents == 0
        assert person.has_consent("names")

    def test_an_import_never_turns_a_no_into_a_yes(self, network, tmp_path):
        person = PersonFactory(ref="p1", first_name="Jan")
        ConsentFactory(person=person, purpose="names", given=False)
        before = counts()
        rows = [["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-03-03", "names"]]
        result = run(write_csv(tmp_path / "a.csv", rows))
        assert problems(result) == [(2, "consent", "consent_refused")]
        assert counts() == before

    def test_the_same_answers_again_record_nothing(self, network, tmp_path):
        path = write_csv(tmp_path / "a.csv", GOOD)
        run(path)
        assert run(path).consents == 0


def test_generated_references_find_people_without_a_ref(network, tmp_path):
    person = PersonFactory(ref=None, first_name="Gerda", last_name="", village=None)
    rows = [[f"omzien-{person.pk}", "Gerda", "", "", "De Benring", "Koffieochtend", "2026-03-03"]]
    result = run(write_csv(tmp_path / "a.csv", rows, header=HEADER))
    assert result.ok and (result.people, result.visits) == (0, 1)
    assert person.visits.count() == 1
    person.refresh_from_db()
    assert person.ref is None  # the import does not hand out references


def test_a_title_two_activities_share_at_a_place_needs_the_slug(network, benring, tmp_path):
    for slug in ("samen-eten", "samen-eten-2"):
        ActivityFactory(place=benring, title="Samen eten", slug=slug, first_date=date(2026, 1, 6))
    rows = [["p1", "Jan", "", "", "De Benring", "Samen Eten", "2026-03-03"]]
    result = run(write_csv(tmp_path / "a.csv", rows, header=HEADER))
    assert problems(result) == [(2, "activity", "ambiguous_activity")]
    assert "samen-eten, samen-eten-2" in result.errors[0].message
    rows[0][5] = "samen-eten-2"
    assert run(write_csv(tmp_path / "b.csv", rows, header=HEADER)).ok


def test_people_past_the_retention_period_are_not_brought_back(network, tmp_path, settings):
    """Omzien forgets people not seen for OMZIEN_RETENTION_YEARS; an old list must not
    bring them back. Known people may get old visits: their last visit decides."""
    settings.OMZIEN_RETENTION_YEARS = 1
    old = ["p1", "Jan", "", "", "De Benring", "Koffieochtend", "2026-01-06"]
    path = write_csv(tmp_path / "oud.csv", [old], header=HEADER)
    before = counts()

    result = import_visits(path, today=date(2027, 1, 12), acting_user=SYSTEM)

    assert problems(result) == [(2, "date", "past_retention")]
    assert counts() == before
    PersonFactory(ref="p1", first_name="Jan")
    assert import_visits(path, today=date(2027, 1, 12), acting_user=SYSTEM).ok
    els = ["p2", "Els", "", "", "De Benring", "Koffieochtend"]
    both = write_csv(tmp_path / "els.csv", [[*els, "2026-01-06"], [*els, "2026-03-03"]], HEADER)
    assert import_visits(both, today=date(2027, 1, 12), acting_user=SYSTEM).visits == 2
