"""Spreadsheet cells that stay text, and spreadsheet files that are safe to open.

Every file Omzien writes for a spreadsheet (visit files, reports; CSV and .xlsx) goes
through this module, so a name typed at the door such as ``=HYPERLINK("http://…")`` or
``+cmd|' /C calc'!A0`` never becomes a live formula or DDE call in Excel or LibreOffice
(OWASP, "CSV Injection").

- **CSV** (``csv_cell``, ``csv_writer``): a text that a spreadsheet would take as a
  formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, also
  after leading spaces, or with their full-width forms) gets a ``'`` in front, and every
  field is written between double quotes (doubled inside), as OWASP advises. A text that
  already starts with a ``'`` that ``restore`` would take away gets one more, so that
  ``restore(csv_cell(text)) == text`` for every text: an exported file imports again
  unchanged. Dutch names such as ``'t Hart`` are left alone.
- **.xlsx** (``xlsx_cell``): text is written as a text cell (openpyxl would write a str
  that starts with ``=`` as a formula) and, when it looks like a formula, with Excel's
  "quote prefix" style, so it stays text even when someone edits the cell. The text is
  written as it is (apart from the rare extra ``'`` described above), so Excel shows
  ``=HYPERLINK(…)`` as the name it is. Control characters that XML cannot hold (openpyxl
  would refuse the whole file) become U+FFFD, and XML reads a carriage return back as a
  line feed: neither belongs in a name.
- **Reading** (``restore``): undoes the ``'`` that ``csv_cell`` added; readers of our own
  formats call it on every text cell, CSV and .xlsx alike (an .xlsx saved from one of our
  CSV files by a spreadsheet may keep the ``'``).
- **Opening .xlsx** (``check_xlsx_size``): an .xlsx is a zip file; before anything parses
  it, the sizes its members unpack to are added up and compared with a limit, so a
  "zip bomb" (a small file that unpacks to gigabytes) is refused at once.

This is a leaf module: it imports no domain app, and openpyxl only when an .xlsx cell is
made.
"""

import csv
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

QUOTE = "'"
# The characters with which a cell's text becomes a formula or a DDE call, and their
# full-width forms (a Japanese or Chinese keyboard types those; some spreadsheets
# normalise them to the ASCII ones).
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

# A real visit file packs about 12 to 14 times (measured on 1,000 and 100,000 rows written
# by openpyxl); Excel's own files pack less tightly. A zip bomb packs about 1,000 times.
MAX_COMPRESSION_RATIO = 100
# Members this small are never a threat, whatever their ratio (styles, empty sheets).
RATIO_FROM_BYTES = 1024 * 1024


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula or a DDE call."""
    return bool(text) and (text[0] in FORMULA_STARTS or text.lstrip()[:1] in FORMULA_STARTS)


def _quoted(text: str) -> bool:
    """Whether ``restore`` takes a ``'`` off this text."""
    return text[:1] == QUOTE and (looks_like_formula(text[1:]) or text[1:2] == QUOTE)


def neutralise(text: str) -> str:
    """The text as it goes into a CSV cell: with a ``'`` in front where needed."""
    return QUOTE + text if looks_like_formula(text) or _quoted(text) else text


def restore(text: str) -> str:
    """The text as it was before ``neutralise`` (or ``xlsx_cell``) wrote it."""
    return text[1:] if _quoted(text) else text


def csv_cell(value) -> str:
    """Any value as the text of a CSV cell: numbers and dates as themselves, text made safe."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return str(value)  # a number of ours, never a formula (-5 is minus five)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return neutralise(str(value))


def csv_writer(file, **options):
    """A csv.writer that quotes every field and makes every cell safe (``writerow``)."""
    return _SafeCsvWriter(csv.writer(file, quoting=csv.QUOTE_ALL, **options))


class _SafeCsvWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def xlsx_cell(sheet, value):
    """A write-only cell for ``sheet.append``: text as text (never a formula), numbers and
    dates as Excel numbers and dates."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, bool | int | float | Decimal | datetime | date | time):
        return WriteOnlyCell(sheet, value=value)
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    if _quoted(text):
        text = QUOTE + text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl makes a str that starts with "=" a formula
    if looks_like_formula(text):
        cell.quotePrefix = True  # Excel and LibreOffice keep it text when it is edited
    return cell


class SpreadsheetTooLarge(Exception):
    """An .xlsx that unpacks to more than allowed; ``unpacked`` is what it claims."""

    def __init__(self, unpacked: int, limit: int, ratio: float | None = None):
        super().__init__(f"unpacks to {unpacked} bytes (limit {limit}, ratio {ratio})")
        self.unpacked = unpacked
        self.limit = limit
        self.ratio = ratio


def check_xlsx_size(path, max_unpacked: int) -> int:
    """The bytes the .xlsx at path unpacks to; SpreadsheetTooLarge when a large member
    packs more tightly than real data does (``ratio`` set), or when the whole unpacks to
    more than max_unpacked.

    The sizes come from the zip's directory. They cannot understate: Python's zipfile
    (which openpyxl uses) never unpacks more of a member than its stated size. Raises
    zipfile.BadZipFile for a file that is not a zip file.
    """
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    for member in members:
        if member.file_size >= RATIO_FROM_BYTES:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise SpreadsheetTooLarge(unpacked, max_unpacked, ratio)
    if unpacked > max_unpacked:
        raise SpreadsheetTooLarge(unpacked, max_unpacked)
    return unpacked
