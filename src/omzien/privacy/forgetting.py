"""Forgetting people: the one way a person leaves Omzien, for retention and erasure alike.

``forget_people(ids, acting_user=..., subject=...)`` runs every registered forget step on
the people, deletes the Person rows and writes one audit row, in one transaction. The
audit row says that it happened and how many (people, and per step), never who.

A forget step is a function ``step(person_ids) -> int`` (how many rows it touched)
registered with ``@forget_step(name, effect)``. The steps of the apps Omzien has live in
``privacy.steps``; an app that keeps more about a person (help requests, questionnaires)
adds a step there, or in a module of its own that ``PrivacyConfig.ready`` imports,
without changing this module. Steps run in the order they were registered, before the
Person rows go, so a step can still find what belongs to the people.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice

from django.db import transaction

from omzien.audit import services as audit
from omzien.audit.models import AuditEvent
from omzien.people.models import Person

CHUNK = 500  # people per round, so IN (...) lists stay small on every database


class Effect(StrEnum):
    """What a step does with the rows it touches (the words of the audit detail)."""

    KEPT_ANONYMOUS = "kept as anonymous counts"
    REMOVED = "removed"
    UNLINKED = "no longer linked"


@dataclass(frozen=True)
class ForgetStep:
    name: str  # plural noun for the audit detail, e.g. "visits"
    effect: Effect
    run: Callable[[list[int]], int]


_steps: dict[str, ForgetStep] = {}


def forget_step(name: str, effect: Effect):
    """Register ``function(person_ids) -> count`` as a step of every forgetting."""

    def register(function):
        if name in _steps and _steps[name].run is not function:
            raise ValueError(f"a forget step called {name!r} is registered already")
        _steps[name] = ForgetStep(name, effect, function)
        return function

    return register


def registered_steps() -> list[ForgetStep]:
    return list(_steps.values())


@dataclass
class Forgotten:
    """What one forgetting did: how many people, and per step how many rows."""

    subject: str
    steps: list[ForgetStep] = field(default_factory=list)
    people: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, step_name: str) -> int:
        return self.counts.get(step_name, 0)

    def detail(self) -> str:
        """The audit detail: numbers only, never a name or an id of a person."""
        parts = [f"{self.people} people forgotten"]
        for effect in Effect:
            counts = [
                f"{self.counts[step.name]} {step.name}"
                for step in self.steps
                if step.effect == effect
            ]
            if counts:
                parts.append(f"{effect}: {', '.join(counts)}")
        return "; ".join(parts)


def _chunks(ids: list[int], size: int = CHUNK):
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


@transaction.atomic
def forget_people(
    person_ids: Iterable[int],
    *,
    acting_user,
    subject: str,
    steps: Iterable[ForgetStep] | None = None,
) -> Forgotten:
    """Forget these people: every forget step, then the Person rows, then one audit row.

    ``subject`` names the reason in the audit log ("retention", "erasure");
    ``acting_user`` is who asked for it (``permissions.SYSTEM`` for the nightly run). Nothing is
    recorded when there is nobody to forget. Whether the acting user may do this is for
    the caller to check (``privacy.services.erase_people`` does). ``steps``: the
    registered ones unless given (a test can add one without registering it).
    """
    ids = sorted({int(pk) for pk in person_ids})
    steps = registered_steps() if steps is None else list(steps)
    result = Forgotten(subject=subject, steps=steps, counts={step.name: 0 for step in steps})
    if not ids:
        return result
    label = Person._meta.label
    for chunk in _chunks(ids):
        for step in steps:
            result.counts[step.name] += step.run(chunk)
        _total, per_model = Person.objects.filter(pk__in=chunk).delete()
        result.people += per_model.get(label, 0)
    if result.people:
        audit.record(acting_user, AuditEvent.Action.DELETE, subject, detail=result.detail())
    return result
