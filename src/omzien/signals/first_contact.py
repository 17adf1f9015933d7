"""A signal's first step: "even vragen hoe het gaat" at the door, before a coordinator.

In the first weeks of an absence most signals are an illness or a trip, which a host or a
fellow regular often knows. So a signal detection raises starts as a *first contact*
(``Signal.follow_up_since`` empty): shown on the door's screen of its activity ("Wie weet
hoe het met Jan gaat?"), answered with one tap: "gaat goed" (a fellow regular spoke
to them), ill, on holiday or moved close it. It becomes a follow-up for the
coordinator or professional (``follow_up_since`` set) when a host answers "weet niet"
(nobody knew), or when nobody answered and the absence grew by
``OMZIEN_FIRST_CONTACT_DAYS`` with a session of their activity in them. Not sooner on a
high probability: before a region has its own follow-ups the model's 0.9 was a real
dropout in only two to six of ten signals (benchmarks/RESULTS.md), most of the rest an
illness or a trip a host could have told. A signal raised by hand ("let op") is a
follow-up from the start: a host was worried.

The rules are pure functions, so the nightly run (``signals.services``), the door
(``signals.views``) and the quality benchmark all use the same ones.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from omzien.signals.models import ContactLog, Outcome


class DoorAnswer(models.TextChoices):
    """What a host can answer at the door, with one tap."""

    # The answer a fellow regular gives most ("ik sprak haar gisteren, ze komt weer"):
    # without it a host could only tap "weet niet" and send a coordinator after someone
    # who is fine.
    ALL_FINE = "all_fine", pgettext_lazy("door answer", "doing fine")
    ILL = "ill", _("ill")
    HOLIDAY = "holiday", _("on holiday")
    MOVED = "moved", pgettext_lazy("a person", "moved")
    DONT_KNOW = "dont_know", _("don't know")


# A host may take a tap back this long after it ("Ongedaan maken" on the door's screen).
UNDO_MINUTES = 10


@dataclass(frozen=True)
class Effect:
    """What an answer does to the signal."""

    outcome: str | None  # closes the signal with this outcome; None leaves it open
    absence_days: int | None  # records an announced absence of this many days from today
    to_follow_up: bool  # hands the signal to the coordinator now


def effect_of(answer: str) -> Effect:
    """Doing fine: the signal closes as "alles goed" (the absence counts anew from today:
    ``rhythms._explained_until``); ill: an announced absence of
    ``OMZIEN_FIRST_CONTACT_ILL_DAYS`` and the signal closes; on holiday: an absence
    until the day the host gives (``absence_days`` None: the caller knows the day) and
    it closes; moved: it closes; don't know: a coordinator takes it over."""
    if answer == DoorAnswer.ALL_FINE:
        return Effect(Outcome.ALL_FINE, None, False)
    if answer == DoorAnswer.ILL:
        return Effect(Outcome.ILL_OR_AWAY, settings.OMZIEN_FIRST_CONTACT_ILL_DAYS, False)
    if answer == DoorAnswer.HOLIDAY:
        return Effect(Outcome.ILL_OR_AWAY, None, False)
    if answer == DoorAnswer.MOVED:
        return Effect(Outcome.MOVED, None, False)
    if answer == DoorAnswer.DONT_KNOW:
        return Effect(None, None, True)
    raise ValueError(f"not a door answer: {answer!r}")


# However long the door of their activity takes to meet, a first contact nobody
# answered is a coordinator's after this many times OMZIEN_FIRST_CONTACT_DAYS: an activity
# on a break, or one with no session planned.
LONGEST_WAIT_FACTOR = 3


def handover_day(raised_on: date, door_day: date | None) -> date:
    """The day a first contact nobody answered becomes a coordinator's follow-up: the
    absence grew by the set days since it was raised, and the door had its chance to ask:
    ``door_day``, the first session after the day of raising where the door asks about
    it, has been (a monthly activity may meet only weeks later, and handing over before
    it sent the coordinator every monthly visitor who would have come back to it); at the
    latest ``LONGEST_WAIT_FACTOR`` times the set days after raising."""
    days = settings.OMZIEN_FIRST_CONTACT_DAYS
    waited = raised_on + timedelta(days=days)
    latest = raised_on + timedelta(days=LONGEST_WAIT_FACTOR * days)
    if door_day is None:
        return latest
    return min(max(waited, door_day), latest)


def needs_coordinator(raised_on: date, as_of: date, door_day: date | None) -> bool:
    """Whether a first contact nobody answered is a coordinator's follow-up on ``as_of``
    (the nightly run of that day, after its sessions)."""
    return as_of >= handover_day(raised_on, door_day)


def contact_outcome(answer: str) -> str:
    """The outcome of the contact log line an answer writes: "weet niet" is no contact."""
    return effect_of(answer).outcome or Outcome.NO_CONTACT


def door_note(answer: str, until: date | None = None) -> str:
    """The answer in words for the signal's contact log ("op vakantie tot 12 mei")."""
    if answer == DoorAnswer.HOLIDAY and until is not None:
        return gettext("on holiday until %(day)s") % {"day": date_format(until, "j F Y")}
    return {
        DoorAnswer.ALL_FINE: gettext("doing fine, said at the door"),
        DoorAnswer.ILL: gettext("ill, said at the door"),
        DoorAnswer.HOLIDAY: gettext("on holiday, said at the door"),
        DoorAnswer.MOVED: gettext("moved, said at the door"),
        DoorAnswer.DONT_KNOW: gettext("nobody at the door knew"),
    }[answer]


def nobody_knew_contacts() -> Q:
    """The door's "weet niet": asked, and nobody knew."""
    return Q(method=ContactLog.Method.ASKED, outcome=Outcome.NO_CONTACT)


def picked_up_contacts() -> Q:
    """The contacts that count as someone taking a signal on (escalation, the list, the
    report): all but the door's "weet niet", which hands the signal over instead."""
    return ~nobody_knew_contacts()
