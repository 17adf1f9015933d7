"""The template a coordinator downloads: the Dutch column names and one example row.

Made when it is asked for (nothing committed): the example row names one of the
coordinator's own places and activities and a day on which that activity ran, so the
template as downloaded passes the import's checks (a dry run of it reports no
problems); the coordinator replaces the row with their own visitors. The CSV is what
Dutch Excel opens in columns (UTF-8 with a byte order mark, ``;`` between the values);
the .xlsx has the date as a real date cell. Both go through ``core.spreadsheets``, like
every file Omzien writes for a spreadsheet.
"""

import contextlib
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from omzien.agenda import recurrence
from omzien.core import spreadsheets
from omzien.visitfiles.checking import NEW, OK, State
from omzien.visitfiles.formats import ALL_COLUMNS, DUTCH_NAMES
from omzien.visitfiles.lookups import Directory

HEADER = tuple(DUTCH_NAMES[column] for column in ALL_COLUMNS)
LOOK_BACK_WEEKS = 8  # how far back a day the activity ran is looked for
DUTCH_DATE = "%d-%m-%Y"


@dataclass(frozen=True)
class Example:
    place: str
    activity: str
    village: str
    day: date

    def values(self) -> tuple:
        """The row in the order of ``HEADER``; the dates as dates."""
        return (
            "voorbeeld-1",
            "Jannie",
            "Voorbeeld",
            self.village,
            self.place,
            self.activity,
            self.day,
            "names;followup",
            self.day,
        )


def _last_day_it_ran(state: State, activity, today: date) -> date | None:
    """The latest day up to today on which the import accepts a visit of the activity."""
    start = today - timedelta(weeks=LOOK_BACK_WEEKS)
    days = set(state.sessions_of(activity.pk))
    with contextlib.suppress(ValidationError):  # a rule that does not parse: no days
        days.update(
            occurrence.date()
            for occurrence in recurrence.local_occurrences(
                activity.rrule,
                activity.first_date,
                activity.start_time,
                start,
                today,
                last_date=activity.last_date,
            )
        )
    for day in sorted((day for day in days if start <= day <= today), reverse=True):
        if state.session(activity.pk, day)[0] in (OK, NEW):
            return day
    return None


def example_row(place_ids, today: date) -> Example:
    """An example from the first of the places (by name) with an activity that ran lately;
    texts that say what belongs there when none did."""
    state = State(today, place_ids)
    directory: Directory = state.directory
    places = sorted(place_ids, key=lambda pk: directory.places.names[pk].casefold())
    activities = sorted(directory.activities.values(), key=lambda a: (a.title.casefold(), a.pk))
    for place in places:
        for activity in activities:
            if activity.place_id != place:
                continue
            day = _last_day_it_ran(state, activity, today)
            if day is not None:
                return Example(
                    place=directory.places.label(place),
                    activity=directory.activity_index(place).label(activity.pk),
                    village=directory.villages.label(activity.place.village_id),
                    day=day,
                )
    return Example(
        place=_("the name of your meeting place"),
        activity=_("the name of the activity"),
        village="",
        day=today,
    )


def example_csv(example: Example) -> bytes:
    """Dutch Excel's CSV: a byte order mark, ``;`` between the values, dates as 24-11-2026."""
    text = io.StringIO()
    writer = spreadsheets.csv_writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerow(
        [
            value.strftime(DUTCH_DATE) if isinstance(value, date) else value
            for value in example.values()
        ]
    )
    return "\ufeff".encode() + text.getvalue().encode()


def example_xlsx(example: Example) -> bytes:
    """One sheet "bezoeken" with the header and the example row; dates as date cells shown
    as 24-11-2026."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("bezoeken")
    sheet.append([spreadsheets.xlsx_cell(sheet, name) for name in HEADER])
    cells = []
    for value in example.values():
        cell = spreadsheets.xlsx_cell(sheet, value)
        if isinstance(value, date):
            cell.number_format = "dd-mm-yyyy"
        cells.append(cell)
    sheet.append(cells)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


__all__ = ["HEADER", "Example", "example_csv", "example_row", "example_xlsx"]
