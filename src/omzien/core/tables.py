"""Reading tables from files: CSV (UTF-8, ``,`` or ``;``) and Excel .xlsx, streamed.

The reading half of every list Omzien takes in (visit files, help files): rows come one
by one, as texts, with the row number a person sees in Excel (the header is row 1), never
the whole file in memory. Text cells go through ``spreadsheets.restore``, so a file we
exported (with formulas neutralised) reads back unchanged. An .xlsx is checked for its
unpacked size before openpyxl opens it (zip bombs) and with defusedxml refuses XML
entities (billion laughs). ``TableFileError`` is a file that cannot be read at all, in
Dutch words through gettext. What the columns mean is the caller's business.
"""

import codecs
import csv
import os
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from omzien.core import spreadsheets

EXTENSIONS = (".csv", ".xlsx")


class TableFileError(Exception):
    """The file cannot be read at all (wrong type, broken, not UTF-8); row may be None."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row


def file_kind(path) -> str:
    """'csv' or 'xlsx' from the file name; a VisitFileError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise TableFileError(
            _(
                "The file '%(name)s' is neither .csv nor .xlsx. Save the list from Excel as "
                "'Excel workbook (.xlsx)' or as 'CSV UTF-8 (.csv)'."
            )
            % {"name": Path(path).name}
        )
    return suffix[1:]


def normalise_header(name) -> str:
    """' Person Ref ' and 'person-ref' are read as person_ref."""
    text = "" if name is None else str(name)
    return "_".join(text.replace("\ufeff", "").strip().lower().replace("-", " ").split())


def cell_text(value) -> str:
    """A spreadsheet cell (CSV or .xlsx) as the text the import works with.

    The one place where reading undoes what our writers did to keep text from becoming a
    formula (``spreadsheets.restore``), so a file we exported imports unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheets.restore(value).strip()
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class RowSource:
    """An open table file: ``header`` and an iterator of (row number, list of texts).

    ``position`` and ``total`` measure progress (bytes for CSV, rows for Excel).
    """

    header: list[str]
    header_row: int
    total: int | None = None

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        raise NotImplementedError

    @property
    def position(self) -> int:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _not_utf8(row: int) -> TableFileError:
    return TableFileError(
        _(
            "Row %(row)d: the file is not UTF-8 text. In Excel choose 'Save as' and the type "
            "'CSV UTF-8 (comma delimited)', or save it as an Excel workbook (.xlsx)."
        )
        % {"row": row},
        row=row,
    )


class _NotUtf8(Exception):
    pass


class CsvSource(RowSource):
    """Decodes line by line, so a byte that is not UTF-8 is reported in its own row."""

    def __init__(self, path):
        self.total = os.path.getsize(path)
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._lines = self._decoded_lines()
        self.header_row = 0
        first_line = ""
        try:
            for first_line in self._lines:
                self.header_row += 1
                if first_line.strip().strip(",;").strip():
                    break
            else:
                first_line = ""
        except _NotUtf8:
            self.close()
            raise _not_utf8(self.header_row + 1) from None
        if not first_line.strip():
            self.close()
            raise TableFileError(_("The file is empty: it has no row with column names."), row=1)
        # Dutch Excel writes ';' between the values; sniff it from the header row.
        self.delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        self.header = [
            cell_text(name) for name in next(csv.reader([first_line], delimiter=self.delimiter))
        ]

    def _decoded_lines(self):
        first = True
        for line in self._file:
            if first:
                line = line.removeprefix(codecs.BOM_UTF8)  # Excel's "CSV UTF-8" starts so
                first = False
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:
                raise _NotUtf8 from None

    @property
    def position(self) -> int:
        return self._file.tell()

    def __iter__(self):
        reader = csv.reader(self._lines, delimiter=self.delimiter)
        row = self.header_row
        try:
            for values in reader:
                row += 1
                if values:
                    yield row, [cell_text(value) for value in values]
        except _NotUtf8:
            raise _not_utf8(row + 1) from None
        except csv.Error as error:
            raise TableFileError(
                _("Row %(row)d cannot be read as CSV (%(error)s).")
                % {"row": row + 1, "error": error},
                row=row + 1,
            ) from None

    def close(self):
        self._file.close()


def max_unpacked_bytes() -> int:
    """How large an .xlsx may unpack to (setting OMZIEN_VISIT_FILE_MAX_UNPACKED_BYTES)."""
    return settings.OMZIEN_VISIT_FILE_MAX_UNPACKED_BYTES


def _too_large(error: spreadsheets.SpreadsheetTooLarge) -> TableFileError:
    values = {"size": filesizeformat(error.unpacked), "limit": filesizeformat(error.limit)}
    if error.ratio is not None:
        return TableFileError(
            _(
                "This Excel file would unpack to %(size)s from a much smaller file: far more "
                "tightly packed than a real list. Omzien does not open it. Save the list "
                "again from Excel, as an Excel workbook (.xlsx) or as CSV UTF-8 (.csv)."
            )
            % values
        )
    return TableFileError(
        _(
            "This Excel file unpacks to %(size)s; Omzien opens Excel files up to %(limit)s. "
            "Split the list into smaller files, or save it as CSV UTF-8 (.csv)."
        )
        % values
    )


def _refused_xml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (openpyxl wraps that in a ValueError of its own)."""
    from defusedxml import DefusedXmlException

    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _unreadable(error: Exception) -> TableFileError:
    if _refused_xml(error):
        return TableFileError(
            _(
                "This Excel file contains XML definitions (a DTD or entities) that a list "
                "saved by Excel or LibreOffice never has; Omzien does not open it, to be "
                "safe. Save the list again from Excel as an Excel workbook (.xlsx)."
            )
        )
    return TableFileError(
        _("This is not an Excel workbook that can be read (%(error)s).") % {"error": error}
    )


# What openpyxl raises for a file that is not a workbook it can read: a broken zip, a
# missing part or sheet, XML that does not parse (SyntaxError) or that defusedxml
# refuses (ValueError), a value out of range.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    KeyError,
    IndexError,
    OSError,
    ValueError,
    SyntaxError,
    TypeError,
)


class XlsxSource(RowSource):
    """Checks the unpacked size before openpyxl reads anything, then streams the rows.

    With defusedxml installed (a dependency), openpyxl refuses XML with entities, so a
    "billion laughs" file is a clear message (without it, Python's XML parser stops at
    its amplification limit with an error that was a 500), and a file whose XML breaks
    off in the middle of the rows is a message with that row, too.
    """

    def __init__(self, path):
        import openpyxl

        try:
            spreadsheets.check_xlsx_size(path, max_unpacked_bytes())
        except spreadsheets.SpreadsheetTooLarge as error:
            raise _too_large(error) from None
        except _XLSX_ERRORS as error:
            raise _unreadable(error) from None
        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except _XLSX_ERRORS as error:
            raise _unreadable(error) from None
        try:
            sheet = self._book.worksheets[0]
            self.total = sheet.max_row
            self._rows = sheet.iter_rows(min_row=1, values_only=True)
            self._row = 0
            self.header = []
            for values in self._rows:
                self._row += 1
                texts = [cell_text(value) for value in values]
                if any(texts):
                    self.header = texts
                    break
        except _XLSX_ERRORS as error:
            self.close()
            raise _unreadable(error) from None
        except BaseException:
            self.close()
            raise
        self.header_row = self._row
        if not self.header:
            self.close()
            raise TableFileError(_("The file is empty: it has no row with column names."), row=1)

    @property
    def position(self) -> int:
        return self._row

    def __iter__(self):
        try:
            for values in self._rows:
                self._row += 1
                yield self._row, [cell_text(value) for value in values]
        except _XLSX_ERRORS as error:
            problem = _unreadable(error)
            problem.row = self._row + 1
            raise problem from None

    def close(self):
        self._book.close()


def open_table(path) -> RowSource:
    """Open a table file for reading (CSV or .xlsx by its name)."""
    kind = file_kind(path)
    if not Path(path).is_file():
        raise TableFileError(_("The file '%(path)s' does not exist.") % {"path": path})
    return CsvSource(path) if kind == "csv" else XlsxSource(path)
