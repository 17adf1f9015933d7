"""Writing visit files for tests, and counting what the database holds."""

import csv
from pathlib import Path

import openpyxl

from omzien.agenda.models import Session
from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.people.models import Consent, Person
from omzien.visitfiles.formats import open_visit_file

HEADER = ["person_ref", "first_name", "last_name", "village", "place", "activity", "date"]
WITH_CONSENT = [*HEADER, "consent"]


def write_csv(path: Path, rows, header=WITH_CONSENT, delimiter=",", bom=False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=delimiter)
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows, header=WITH_CONSENT) -> Path:
    """Texts as text cells, as Excel stores what somebody typed (openpyxl would make a
    text that starts with "=" a formula)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    book.save(path)
    return path


def read_rows(path: Path) -> list[list[str]]:
    """A visit file's rows (header included) as text, CSV or .xlsx."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        rows = [
            ["" if value is None else str(value) for value in row]
            for row in book.active.iter_rows(values_only=True)
        ]
        book.close()
        return rows
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def read_back(path: Path) -> list[list[str]]:
    """A visit file's rows (header included) as the import reads them."""
    with open_visit_file(path) as source:
        return [source.header, *(values for _row, values in source)]


def counts() -> dict:
    return {
        "people": Person.objects.count(),
        "sessions": Session.objects.count(),
        "visits": Visit.objects.count(),
        "consents": Consent.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def problems(result) -> list[tuple[int, str, str]]:
    """(row, column, code) of every problem, for compact assertions."""
    return [(problem.row, problem.column, problem.code) for problem in result.errors]
