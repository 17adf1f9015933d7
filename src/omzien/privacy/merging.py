"""Merging two person records: the one way a duplicate becomes part of the kept person.

``merge_people(kept, duplicate, ...)`` runs every registered merge step, then removes the
duplicate's Person row and keeps a `PersonMerge` record for a day; ``undo_merge(merge)``
brings the duplicate back with exactly the rows it had. Whether the acting user may do
this is for the caller to check (``privacy.services`` does), like ``forget_people``.

A merge step is a pair of functions registered with ``@merge_step(name, covers=...)``:
``move(kept_id, duplicate_id) -> note`` moves what belongs to the duplicate onto the kept
person, resolves collisions (two visits to one session, two active signals at one place)
and returns a JSON note of what it did; ``undo(kept_id, duplicate_id, note)`` reverses it.
``covers`` names the models the step takes care of, so a test can check that every model
that points at a person has a step. The steps of the apps Omzien has live in
``privacy.merge_steps``, next to the forget steps; a new app (help requests,
questionnaires) adds its own there, or in a module that ``PrivacyConfig.ready`` imports.

Why here, and not a registry in ``people``: privacy sits above attendance and signals, so
it can see every kind of row about a person (the pages compare visits too), and merging
and forgetting then live side by side: an app that keeps something about a person adds
one forget step and one merge step in the same place.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from omzien.accounts import permissions
from omzien.people.models import Person
from omzien.privacy.models import PersonMerge

# How long a merge can be undone; afterwards the record is forgotten.
UNDO_PERIOD = timedelta(days=1)

# The duplicate's own fields that undo restores (the id is the record's duplicate_id).
PERSON_FIELDS = [
    "ref",
    "first_name",
    "last_name",
    "village",
    "registered_place",
    "registration_token",
    "is_synthetic",
    "created_at",
]


@dataclass(frozen=True)
class MergeStep:
    name: str  # plural noun for the audit detail, e.g. "visits"
    covers: tuple[str, ...]  # model labels, e.g. ("attendance.Visit",)
    move: Callable[[int, int], dict]
    undo: Callable[[int, int, dict], None]


_steps: dict[str, MergeStep] = {}


def merge_step(name: str, *, covers: tuple[str, ...], undo: Callable[[int, int, dict], None]):
    """Register ``move(kept_id, duplicate_id) -> note`` and its ``undo`` as a merge step."""

    def register(move):
        if name in _steps and _steps[name].move is not move:
            raise ValueError(f"a merge step called {name!r} is registered already")
        _steps[name] = MergeStep(name, tuple(covers), move, undo)
        return move

    return register


def registered_steps() -> list[MergeStep]:
    return list(_steps.values())


def _count(note: dict, key: str) -> int:
    """How many rows a step's note lists under ``moved`` or ``removed`` (as doubles)."""
    return len(note.get(key, []))


def _person_snapshot(person: Person) -> dict:
    values = model_to_dict(person, fields=[f for f in PERSON_FIELDS if f != "created_at"])
    values["created_at"] = person.created_at
    return values


@dataclass
class MergeResult:
    merge: PersonMerge
    moved: dict[str, int]  # per step: rows now the kept person's
    removed: dict[str, int]  # per step: doubles gone (kept in the record for undo)

    def detail(self) -> str:
        """The audit detail: numbers only, never a name (the kept person is the row's person)."""

        def listed(counts):
            return ", ".join(f"{count} {name}" for name, count in counts.items() if count)

        parts = [
            f"a duplicate record merged into this person; moved: {listed(self.moved) or 'nothing'}"
        ]
        if doubles := listed(self.removed):
            parts.append(f"doubles removed: {doubles}")
        return "; ".join(parts)


@transaction.atomic
def merge_people(kept: Person, duplicate: Person, *, acting_user, steps=None) -> MergeResult:
    """Move everything of ``duplicate`` onto ``kept``, remove the duplicate, keep a record.

    The kept person takes the duplicate's reference from an imported list when they have
    none, so the next import finds them. A merge the duplicate had absorbed earlier that
    day can no longer be undone: its record goes with the duplicate's Person row.
    ``steps``: the registered ones unless given.
    """
    if kept.pk == duplicate.pk:
        raise ValueError("a person cannot be merged with themselves")
    steps = registered_steps() if steps is None else list(steps)
    snapshot = {"person": _person_snapshot(duplicate), "steps": {}, "took_ref": False}
    moved, removed = {}, {}
    for step in steps:
        note = step.move(kept.pk, duplicate.pk)
        snapshot["steps"][step.name] = note
        moved[step.name], removed[step.name] = _count(note, "moved"), _count(note, "removed")
    duplicate_id, duplicate_ref = duplicate.pk, duplicate.ref
    Person.objects.filter(pk=duplicate_id).delete()
    if duplicate_ref and not kept.ref:
        kept.ref = duplicate_ref
        kept.save(update_fields=["ref"])
        snapshot["took_ref"] = True
    merge = PersonMerge.objects.create(
        kept=kept,
        duplicate_id=duplicate_id,
        snapshot=snapshot,
        merged_at=timezone.now(),
        merged_by=permissions.as_recorder(acting_user),
    )
    return MergeResult(merge, moved, removed)


def can_still_undo(merge: PersonMerge, now=None) -> bool:
    now = now or timezone.now()
    return merge.undone_at is None and now - merge.merged_at < UNDO_PERIOD


@transaction.atomic
def undo_merge(merge: PersonMerge, *, steps=None) -> Person:
    """The duplicate back as it was, with the rows the merge moved (newest steps first).

    Rows that came to the kept person after the merge stay with them. The caller checks
    `can_still_undo` (``privacy.services.undo_merge``).
    """
    steps = registered_steps() if steps is None else list(steps)
    kept = merge.kept
    values = dict(merge.snapshot["person"])
    if merge.snapshot.get("took_ref"):
        kept.ref = None
        kept.save(update_fields=["ref"])
    created_at = values.pop("created_at")
    duplicate = Person(
        pk=merge.duplicate_id,
        **{
            (f"{name}_id" if name in ("village", "registered_place") else name): value
            for name, value in values.items()
        },
    )
    duplicate.save(force_insert=True)
    Person.objects.filter(pk=duplicate.pk).update(
        created_at=Person._meta.get_field("created_at").to_python(created_at)
    )
    notes = merge.snapshot["steps"]
    for step in reversed(steps):
        if step.name in notes:
            step.undo(kept.pk, duplicate.pk, notes[step.name])
    merge.undone_at = timezone.now()
    merge.snapshot = {}  # nothing of the duplicate stays behind once it is back
    merge.save(update_fields=["undone_at", "snapshot"])
    return duplicate


def forget_expired_merges(now=None) -> int:
    """Forget the merge records older than `UNDO_PERIOD` (nightly): undo is over."""
    now = now or timezone.now()
    _total, per_model = PersonMerge.objects.filter(merged_at__lte=now - UNDO_PERIOD).delete()
    return per_model.get(PersonMerge._meta.label, 0)


# --- Helpers for the steps: rows as JSON and back -----------------------------------------


def row_values(obj) -> dict:
    """Every column of a row by its attribute name (``person_id``), for the snapshot."""
    return {field.attname: field.value_from_object(obj) for field in obj._meta.concrete_fields}


def restore_rows(model, rows: list[dict]) -> None:
    """Recreate rows from `row_values` exactly, also the columns Django fills itself
    (``auto_now_add``), which only an update after the insert can set."""
    for values in rows:
        parsed = {
            field.attname: field.to_python(values[field.attname])
            for field in model._meta.concrete_fields
            if field.attname in values
        }
        model(**parsed).save(force_insert=True)
        automatic = {
            field.attname: parsed[field.attname]
            for field in model._meta.concrete_fields
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        }
        if automatic:
            model.objects.filter(pk=parsed[model._meta.pk.attname]).update(**automatic)


def move_by_person(queryset, kept_id: int, field: str = "person") -> list[int]:
    """Move the rows of a queryset to the kept person; their ids, for undo."""
    ids = list(queryset.values_list("pk", flat=True))
    queryset.model.objects.filter(pk__in=ids).update(**{f"{field}_id": kept_id})
    return ids


def move_back(model, ids: list[int], kept_id: int, duplicate_id: int, field: str = "person"):
    """Undo `move_by_person` for the rows that are still the kept person's."""
    model.objects.filter(pk__in=ids, **{f"{field}_id": kept_id}).update(
        **{f"{field}_id": duplicate_id}
    )
