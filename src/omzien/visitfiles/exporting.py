"""Exporting every named visit as a visit file (CSV or .xlsx), streamed from the database.

One row per visit of a known person, sorted by date, place, activity and person_ref.
Anonymous visits have no person and so no row; the export says how many it left out.
People without a person_ref get ``omzien-<pk>``, which the import finds back, so the
database is not changed by an export. Places, activities and villages are written by
name, or by slug where the name is shared (see ``lookups.NameIndex.label``), so an
export imports again without problems and adds nothing.
"""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.attendance.models import Visit
from omzien.audit import services as audit
from omzien.people.models import Consent, Purpose, latest_answers, person_ref
from omzien.visitfiles.formats import EXPORT_COLUMNS, VisitFileError, file_kind, open_writer
from omzien.visitfiles.lookups import Directory

CHUNK_SIZE = 5000
PURPOSES = tuple(Purpose.values)


@dataclass
class ExportResult:
    path: Path
    rows: int
    anonymous: int


def current_consents() -> dict[int, str]:
    """Person id to the purposes whose latest answer is yes, as the consent column."""
    latest = latest_answers(Consent.objects.all(), chunk_size=CHUNK_SIZE)
    return {
        person: ";".join(purpose for purpose in PURPOSES if latest.get((person, purpose)))
        for person in {person for person, _purpose in latest}
    }


def _rows(directory: Directory, consents: dict[int, str]):
    """The file's rows, day by day: one day's visits are sorted in memory, no more."""
    visits = (
        Visit.objects.filter(person__isnull=False)
        .order_by("session__date")
        .values_list(
            "session__date",
            "session__activity_id",
            "person_id",
            "person__ref",
            "person__first_name",
            "person__last_name",
            "person__village_id",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    activities = {}
    for pk, activity in directory.activities.items():
        activities[pk] = (
            directory.places.label(activity.place_id),
            directory.activity_index(activity.place_id).label(pk),
        )
    villages = directory.villages
    day, rows = None, []
    for date, activity, person, ref, first_name, last_name, village in visits:
        if date != day:
            rows.sort()
            yield from rows
            day, rows = date, []
        place_label, activity_label = activities[activity]
        rows.append(
            (
                date.isoformat(),
                place_label,
                activity_label,
                person_ref(person, ref),
                first_name,
                last_name,
                villages.label(village) if village is not None else "",
                consents.get(person, ""),
            )
        )
    rows.sort()
    yield from rows


def export_visits(path, *, acting_user, progress=None) -> ExportResult:
    """Write all named visits to path (.csv or .xlsx); audit-logged. Every visit of the
    region: for administrators of the region (and `SYSTEM`, the command) only.

    The file appears complete or not at all: it is written next to the target and then
    renamed. Raises VisitFileError for a name that is not .csv/.xlsx or a missing folder.
    """
    permissions.require(acting_user, Capability.MANAGE_REGION)
    path = Path(path)
    kind = file_kind(path)
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise VisitFileError(
            _("The folder '%(folder)s' does not exist.") % {"folder": folder.resolve()}
        )
    directory = Directory()
    consents = current_consents()
    handle, temporary = tempfile.mkstemp(prefix=".omzien-export-", suffix=path.suffix, dir=folder)
    os.close(handle)
    count = 0
    try:
        writer = open_writer(temporary, kind)
        try:
            writer.write(EXPORT_COLUMNS)
            for date, place, activity, ref, first, last, village, consent in _rows(
                directory, consents
            ):
                writer.write((ref, first, last, village, place, activity, date, consent))
                count += 1
                if progress is not None and count % 20_000 == 0:
                    progress(count)
        finally:
            writer.close()
        os.chmod(temporary, 0o600)  # personal data: readable by the owner only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    anonymous = Visit.objects.filter(person__isnull=True).count()
    audit.record(acting_user, "export", "visit file", detail=f"{path}: {count} rows")
    return ExportResult(path=path, rows=count, anonymous=anonymous)
