"""The merge steps of the apps Omzien has (see ``privacy.merging``).

What a duplicate record had goes to the kept person. Collisions: two visits to one
session are one visit (the kept person's stays, the duplicate's goes); two active
signals at one place are one concern (the kept person's stays open, the duplicate's is
closed and kept as history); consents are a log, so both persons' answers stay and the
latest counts; contact details for follow-up: the kept person's win, and without the
follow-up consent after the merge nobody keeps any; help requests and offers change
hands (each keeps its own contact details, given with it).
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from omzien.attendance.models import Visit
from omzien.audit.models import AuditEvent
from omzien.helping.models import HelpOffer, HelpRequest
from omzien.people.models import Consent, FollowUpContact, Person, Purpose
from omzien.privacy.merging import merge_step, move_back, move_by_person, restore_rows, row_values
from omzien.signals.models import AnnouncedAbsence, Outcome, Signal
from omzien.wellbeing.models import Draft, Pseudonym, PseudonymLink, Response


def _simple_step(name: str, model, field: str = "person"):
    """A step for rows that simply change hands: no collisions possible."""

    def undo(kept_id, duplicate_id, note):
        move_back(model, note["moved"], kept_id, duplicate_id, field)

    @merge_step(name, covers=(model._meta.label,), undo=undo)
    def move(kept_id, duplicate_id):
        rows = model.objects.filter(**{f"{field}_id": duplicate_id})
        return {"moved": move_by_person(rows, kept_id, field)}

    return move


# --- Visits: one per person and session ---------------------------------------------------


def _undo_visits(kept_id, duplicate_id, note):
    move_back(Visit, note["moved"], kept_id, duplicate_id)
    restore_rows(Visit, note["removed"])


@merge_step("visits", covers=(Visit._meta.label,), undo=_undo_visits)
def merge_visits(kept_id, duplicate_id):
    """The duplicate's visits move; one at a session the kept person came to as well is
    the same visit twice (the partial unique constraint allows one), so it goes."""
    theirs = Visit.objects.filter(person_id=duplicate_id)
    kept_sessions = Visit.objects.filter(person_id=kept_id).values("session_id")
    twice = list(theirs.filter(session_id__in=kept_sessions).order_by("pk"))
    removed = [row_values(visit) for visit in twice]
    Visit.objects.filter(pk__in=[visit.pk for visit in twice]).delete()
    return {"moved": move_by_person(theirs, kept_id), "removed": removed}


# --- Signals: one active per person and place ---------------------------------------------

SIGNAL_CLOSING_FIELDS = ["status", "closed_at", "closed_by_id", "outcome", "snoozed_until"]


def _undo_signals(kept_id, duplicate_id, note):
    # Back to the duplicate first: reopened on the kept person, two would be active.
    move_back(Signal, note["moved"], kept_id, duplicate_id)
    for closed in note["closed"]:
        Signal.objects.filter(pk=closed["id"]).update(
            **{name: closed[name] for name in SIGNAL_CLOSING_FIELDS}
        )


@merge_step("signals", covers=(Signal._meta.label,), undo=_undo_signals)
def merge_signals(kept_id, duplicate_id):
    """The duplicate's signals move with their contacts and assignments. Where both have
    an active signal at a place, the kept person's stays open and the duplicate's is
    closed ("other"), so the one-active-per-place constraint holds and nothing is lost."""
    theirs = Signal.objects.filter(person_id=duplicate_id)
    kept_places = Signal.objects.active().filter(person_id=kept_id).values("place_id")
    colliding = theirs.active().filter(place_id__in=kept_places)
    closed = [
        {"id": signal.pk, **{name: getattr(signal, name) for name in SIGNAL_CLOSING_FIELDS}}
        for signal in colliding
    ]
    colliding.update(
        status=Signal.Status.CLOSED,
        closed_at=timezone.now(),
        outcome=Outcome.OTHER,
        snoozed_until=None,
    )
    return {"moved": move_by_person(theirs, kept_id), "closed": closed}


# --- Follow-up contact details: at most one per person -------------------------------------


def _undo_contact(kept_id, duplicate_id, note):
    move_back(FollowUpContact, note["moved"], kept_id, duplicate_id)
    restore_rows(FollowUpContact, note["removed"])


def merge_followup_contact(kept_id, duplicate_id):
    """Runs after the consents moved: the kept person's own details win; the duplicate's
    come along only when the kept person has none and (now) the follow-up consent."""
    theirs = FollowUpContact.objects.filter(person_id=duplicate_id)
    contact = theirs.first()
    if contact is None:
        return {"moved": [], "removed": []}
    kept_has_one = FollowUpContact.objects.filter(person_id=kept_id).exists()
    consenting = Person.objects.filter(pk=kept_id).with_consent(Purpose.FOLLOWUP).exists()
    if kept_has_one or not consenting:
        removed = [row_values(contact)]
        theirs.delete()
        return {"moved": [], "removed": removed}
    return {"moved": move_by_person(theirs, kept_id), "removed": []}


# --- Rows that simply change hands ---------------------------------------------------------

# Consents are a log: both persons' answers stay, the latest per purpose counts. Registered
# before the contact details, which look at the follow-up consent after the move.
_simple_step("consents", Consent)
merge_step("contact details", covers=(FollowUpContact._meta.label,), undo=_undo_contact)(
    merge_followup_contact
)
_simple_step("announced absences", AnnouncedAbsence)
_simple_step("help requests", HelpRequest)
_simple_step("help offers", HelpOffer)
# Who looked at the duplicate's data looked at this person's.
_simple_step("audit events", AuditEvent)


def _admin_log(person_id):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person_id)
    )


def _undo_admin_log(kept_id, duplicate_id, note):
    LogEntry.objects.filter(pk__in=note["moved"], object_id=str(kept_id)).update(
        object_id=str(duplicate_id)
    )


@merge_step("admin log entries", covers=(LogEntry._meta.label,), undo=_undo_admin_log)
def merge_admin_log(kept_id, duplicate_id):
    """The admin's history of the duplicate's page belongs to the kept person's now (and so
    goes when they are forgotten)."""
    entries = _admin_log(duplicate_id)
    ids = list(entries.values_list("pk", flat=True))
    entries.update(object_id=str(kept_id))
    return {"moved": ids}


# --- Questionnaires: one pseudonym per person ----------------------------------------------


def _undo_questionnaires(kept_id, duplicate_id, note):
    move_back(PseudonymLink, note["moved"], kept_id, duplicate_id)
    if note.get("pseudonym"):
        restore_rows(Pseudonym, [note["pseudonym"]])
        restore_rows(PseudonymLink, [note["link"]])
        pseudonym_id = note["pseudonym"]["id"]
        Response.objects.filter(pk__in=note["responses"]).update(pseudonym_id=pseudonym_id)
        Draft.objects.filter(pk__in=note["drafts"]).update(pseudonym_id=pseudonym_id)


@merge_step("questionnaire link", covers=(PseudonymLink._meta.label,), undo=_undo_questionnaires)
def merge_questionnaires(kept_id, duplicate_id):
    """The duplicate's link moves when the kept person has none; when both have one, the
    duplicate's answers join the kept person's pseudonym (a baseline and a repeat taken
    under two records then pair up) and the duplicate's pseudonym goes. The note, kept a
    day for undo, holds the pseudonym's row: `delete_merge_records` forgets it with the
    merge."""
    theirs = PseudonymLink.objects.filter(person_id=duplicate_id).first()
    kept = PseudonymLink.objects.filter(person_id=kept_id).first()
    if theirs is None:
        return {"moved": []}
    if kept is None:
        return {"moved": move_by_person(PseudonymLink.objects.filter(pk=theirs.pk), kept_id)}
    responses = Response.objects.filter(pseudonym_id=theirs.pseudonym_id)
    drafts = Draft.objects.filter(pseudonym_id=theirs.pseudonym_id)
    note = {
        "moved": [],
        "pseudonym": row_values(theirs.pseudonym),
        "link": row_values(theirs),
        "responses": list(responses.values_list("pk", flat=True)),
        "drafts": list(drafts.values_list("pk", flat=True)),
    }
    responses.update(pseudonym_id=kept.pseudonym_id)
    drafts.update(pseudonym_id=kept.pseudonym_id)
    theirs.pseudonym.delete()  # and the link with it
    return note
