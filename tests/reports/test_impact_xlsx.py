"""The impact report as .xlsx (reports.xlsx) and its download at /overzicht/rapportage.xlsx:
the same numbers as build_report, hidden cells as "•" for viewers, and who may download.

The figures are those of the ``town`` fixture (conftest.py); time stands still on
15 April 2026.
"""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from omzien.reports import protection
from omzien.reports.audience import Audience
from omzien.reports.cube import PeriodKind
from omzien.reports.impact import By, ReportRequest, build_report
from omzien.reports.models import PlaceStory
from omzien.reports.presentation import HIDDEN, group_label, report_tables
from omzien.reports.xlsx import CONTENT_TYPE, render_xlsx
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("reports:impact_xlsx")
TODAY = date(2026, 4, 15)


@pytest.fixture(autouse=True)
def _mid_april():
    with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        yield


def request_for(audience, by=By.PLACE, kind=PeriodKind.MONTH, place_ids=None):
    return ReportRequest(
        first_day=date(2026, 1, 1),
        last_day=date(2026, 2, 28),
        by=by,
        period_kind=kind,
        audience=audience,
        place_ids=place_ids,
    )


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def assert_book_matches(book, report):
    """Each table of the report is a sheet whose cells are the report's values."""
    tables = report_tables(report)
    assert tables
    for table in tables:
        sheet = book[table.title[:31]]
        rows = sheet_rows(sheet)
        assert list(rows[0][2:]) == [column.label for column in table.columns]
        assert sheet.freeze_panes == "C2"
        assert len(rows) == len(table.rows) + 1
        for row, written in zip(table.rows, rows[1:], strict=True):
            assert written[:2] == (row.group_label, row.period_label)
            for column, entry, value in zip(table.columns, row.entries, written[2:], strict=True):
                cell = report.cell(row.group, row.period.key, column.measure.name)
                if cell is None:
                    assert value is None
                elif cell.suppressed:
                    assert value == HIDDEN
                elif isinstance(cell.value, int):
                    assert value == cell.value and isinstance(value, int)
                elif isinstance(cell.value, float):
                    assert value == pytest.approx(cell.value, abs=0.01)
                else:
                    assert value == (entry.text or None)


def test_professional_workbook_has_build_reports_numbers(town):
    report = build_report(request_for(Audience.PROFESSIONAL), as_of=TODAY)
    book = workbook(render_xlsx(report))
    assert_book_matches(book, report)
    reach = book[report_tables(report)[0].title[:31]]
    rows = {(row[0], row[1]): row for row in sheet_rows(reach)[1:]}
    columns = [column.measure.name for column in report_tables(report)[0].columns]
    benring = rows[("De Benring", "januari 2026")]
    assert benring[2 + columns.index("people")] == 2
    region = rows[(group_label(report, "region"), "januari 2026")]
    assert region[2 + columns.index("visits")] == 42
    assert HIDDEN not in {value for row in sheet_rows(reach) for value in row}


def test_viewers_get_the_marker_for_hidden_cells(town):
    report = build_report(request_for(Audience.VIEWER), as_of=TODAY)
    book = workbook(render_xlsx(report))
    assert_book_matches(book, report)
    reach = book[report_tables(report)[0].title[:31]]
    columns = [column.measure.name for column in report_tables(report)[0].columns]
    rows = {(row[0], row[1]): row for row in sheet_rows(reach)[1:]}
    benring = rows[("De Benring", "januari 2026")]
    assert benring[2 + columns.index("people")] == HIDDEN
    assert benring[2 + columns.index("visits")] == HIDDEN
    assert any(cell.suppressed for cell in report.cells.values())
    for row in sheet_rows(reach)[1:]:
        for name in ("people", "new_people"):
            value = row[2 + columns.index(name)]
            assert value == HIDDEN or value == 0 or value >= 5


def test_cover_and_explanation(town):
    report = build_report(request_for(Audience.VIEWER, by=By.VILLAGE), as_of=TODAY)
    book = workbook(render_xlsx(report))
    cover, explanation = book.worksheets[0], book["Toelichting"]
    cover_text = "\n".join(str(value) for row in sheet_rows(cover) for value in row if value)
    assert "Voorst" in cover_text  # the region
    assert protection.rule_text(5) in cover_text
    assert "5" in cover_text and "15 april 2026" in cover_text
    assert "1 januari 2026" in cover_text and "28 februari 2026" in cover_text
    explained = {row[0]: row[1] for row in sheet_rows(explanation) if row and row[0]}
    visits = next(m for m in report.measures if m.name == "visits")
    assert explained[str(visits.label)] == str(visits.help_text)


def test_stories_sheet_keeps_texts_as_text(town):
    PlaceStory.objects.create(
        place=town["trefpunt"], period="2026-02", went_well='=HYPERLINK("http://x")', learned="ok"
    )
    report = build_report(request_for(Audience.VIEWER), as_of=TODAY)
    book = workbook(render_xlsx(report))
    sheet = book["Verhalen"]
    cell = sheet["C2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def download(client, user, **params):
    if user is not None:
        client.force_login(user)
    return client.get(URL, params)


def test_viewer_download_is_suppressed_and_logged(client, town, viewer):
    response = download(client, viewer, jaar="2026", per="maand", indeling="plek")
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert "rapportage-2026-plek-per-maand.xlsx" in response["Content-Disposition"]
    book = workbook(response.content)
    values = {value for sheet in book.worksheets for row in sheet_rows(sheet) for value in row}
    assert HIDDEN in values
    event = AuditEvent.objects.get(subject="impact report")
    assert event.user == viewer
    assert "xlsx" in event.detail and "audience=viewer" in event.detail


def test_download_numbers_match_the_report_for_the_same_choices(client, town, professional):
    response = download(client, professional, jaar="2026", per="kwartaal", indeling="dorp")
    report = build_report(
        ReportRequest(
            first_day=date(2026, 1, 1),
            last_day=TODAY,
            by=By.VILLAGE,
            period_kind=PeriodKind.QUARTER,
            audience=Audience.PROFESSIONAL,
        ),
        as_of=TODAY,
    )
    assert_book_matches(workbook(response.content), report)


def test_coordinators_download_only_their_own_places(client, town, coordinator_trefpunt):
    response = download(client, coordinator_trefpunt, per="jaar", indeling="plek")
    assert response.status_code == 200
    book = workbook(response.content)
    groups = {row[0] for row in sheet_rows(book.worksheets[1])[1:]}
    assert groups == {"Trefpunt Duistervoorde"}
    assert "places=" in AuditEvent.objects.get(subject="impact report").detail


@pytest.mark.parametrize("role", [Role.HOST, None])
def test_no_download_without_figures(client, town, benring, role):
    user = None if role is None else factories.MembershipFactory(role=role, place=benring).user
    response = download(client, user)
    if user is None:
        assert response.status_code == 302 and "/inloggen/" in response["Location"]
    else:
        assert response.status_code == 403
    assert not AuditEvent.objects.filter(subject="impact report").exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"per": "week"}, "week"),
        ({"indeling": "provincie"}, "provincie"),
        # The years offered are those with sessions, up to this year.
        ({"jaar": "1999"}, "1999"),
        ({"jaar": "2027"}, "2027"),
        ({"jaar": "twintig"}, "twintig"),
    ],
)
def test_bad_choices_are_a_400_in_words(client, town, viewer, params, message):
    response = download(client, viewer, **params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(subject="impact report").exists()


def test_a_head_request_answers_like_the_download(client, town, professional):
    """Download managers and link checkers ask HEAD first: the same headers, no body."""
    client.force_login(professional)
    response = client.head(URL, {"jaar": "2026", "per": "jaar", "indeling": "regio"})
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response.content == b""
