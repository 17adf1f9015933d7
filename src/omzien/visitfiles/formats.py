"""Reading and writing visit files: CSV (UTF-8, ``,`` or ``;``) and Excel .xlsx, streamed.

The format is a stable interface (design.md): a header row with the columns
``person_ref, first_name, last_name, village, place, activity, date`` and optionally
``consent`` and ``consent_date``, or their Dutch names (``DUTCH_COLUMNS``: ``persoon``,
``voornaam``, ...); names are read without regard to case, spaces and hyphens. Reading
never holds the whole file in memory: rows come one by one with the row number a person
sees in Excel (the header is row 1). Writing (the export) always uses the English names.
"""

from omzien.core import spreadsheets
from omzien.core.tables import (  # noqa: F401 - the visit file's readers live in core
    EXTENSIONS,
    CsvSource,
    RowSource,
    XlsxSource,
    cell_text,
    file_kind,
    max_unpacked_bytes,
    normalise_header,
    open_table,
)
from omzien.core.tables import TableFileError as VisitFileError  # noqa: F401

COLUMNS = ("person_ref", "first_name", "last_name", "village", "place", "activity", "date")
CONSENT = "consent"
CONSENT_DATE = "consent_date"
ALL_COLUMNS = (*COLUMNS, CONSENT, CONSENT_DATE)
EXPORT_COLUMNS = (*COLUMNS, CONSENT)  # what export_visits writes, as it always did
# The columns as a Dutch list names them (design.md); the English name is the column.
DUTCH_COLUMNS = {
    "persoon": "person_ref",
    "voornaam": "first_name",
    "achternaam": "last_name",
    "dorp": "village",
    "plek": "place",
    "activiteit": "activity",
    "datum": "date",
    "toestemming": CONSENT,
    "toestemming_datum": CONSENT_DATE,
}
ENGLISH_NAMES = {column: column for column in ALL_COLUMNS}
DUTCH_NAMES = {column: dutch for dutch, column in DUTCH_COLUMNS.items()}
# Also read, as people write the word (not in the template or in messages).
DUTCH_COLUMNS["toestemmingsdatum"] = CONSENT_DATE


def header_column(name) -> tuple[str, str]:
    """(column, the name as normalised): 'Toestemming datum' is (consent_date,
    toestemming_datum); a name the format does not know is its own column."""
    normalised = normalise_header(name)
    return DUTCH_COLUMNS.get(normalised, normalised), normalised


def open_visit_file(path) -> RowSource:
    """Open a visit file for reading (CSV or .xlsx by its name)."""
    return open_table(path)


class CsvWriter:
    """UTF-8 without byte order mark, comma separated, every field quoted and made safe
    (``spreadsheets.csv_writer``), so any CSV reader takes it and no cell is a formula."""

    def __init__(self, path):
        self._file = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._writer = spreadsheets.csv_writer(self._file)

    def write(self, row) -> None:
        self._writer.writerow(row)

    def close(self) -> None:
        self._file.close()


class XlsxWriter:
    """One sheet, every cell a text cell (dates as YYYY-MM-DD, never a formula: see
    ``spreadsheets.xlsx_cell``), written row by row."""

    def __init__(self, path):
        import openpyxl

        self._path = path
        self._book = openpyxl.Workbook(write_only=True)
        self._sheet = self._book.create_sheet("visits")

    def write(self, row) -> None:
        sheet = self._sheet
        sheet.append([spreadsheets.xlsx_cell(sheet, value) for value in row])

    def close(self) -> None:
        self._book.save(self._path)


def open_writer(path, kind: str):
    return CsvWriter(path) if kind == "csv" else XlsxWriter(path)
