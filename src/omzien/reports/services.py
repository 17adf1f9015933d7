"""Writes of the reports app: the audit trail of reports read, and the coordinators' texts
for the report."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.audit import services as audit
from omzien.audit.models import AuditEvent
from omzien.reports.cube import Period
from omzien.reports.impact import ReportRequest
from omzien.reports.models import STORY_MAX_LENGTH, PlaceStory

EARLIEST_STORY_YEAR = 2000


def record_report(acting_user, request: ReportRequest, *, output: str) -> None:
    """Every impact report made for someone is logged with its parameters (for viewers the
    issue requires it; for the other audiences it is the same trail)."""
    audit.record_view(acting_user, "impact report", detail=f"{output} {request.describe()}")


def story_period(key: str, *, today: date) -> Period:
    """A period a coordinator may write about: a year, quarter or month key that has
    started (a text about what went well cannot be written in advance)."""
    try:
        period = Period.from_key((key or "").strip())
    except ValueError:
        raise ValidationError(
            _(
                "'%(key)s' is not a period: write a year (2026), a quarter (2026-Q1) or a month "
                "(2026-03)."
            )
            % {"key": key},
            code="period",
        ) from None
    if period.year < EARLIEST_STORY_YEAR or period.first_day > today:
        raise ValidationError(
            _("Choose a period that has started: from %(earliest)d up to today.")
            % {"earliest": EARLIEST_STORY_YEAR},
            code="period_not_started",
        )
    return period


def _story_text(text: str, label: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > STORY_MAX_LENGTH:
        raise ValidationError(
            _("“%(label)s” is %(length)d characters long; at most %(max)d fit in the report.")
            % {"label": label, "length": len(text), "max": STORY_MAX_LENGTH},
            code="too_long",
        )
    return text


def save_story(*, acting_user, place, period: str, went_well: str, learned: str):
    """Write (or with both texts empty, remove) the place's texts for the period.

    Only who manages the place may (``Capability.MANAGE_PLACE``; `NotFound` otherwise, the
    same as for a place that does not exist). Returns the PlaceStory, or None when it was
    removed. The texts are read by the municipality and the fund: the page asks for no
    names, and the audit row records who wrote which period, not the words.
    """
    permissions.require(acting_user, Capability.MANAGE_PLACE, place)
    key = story_period(period, today=timezone.localdate()).key
    went_well = _story_text(went_well, _("What went well"))
    learned = _story_text(learned, _("What we learned"))
    detail = f"{place.slug} {key}"
    with transaction.atomic():
        existing = PlaceStory.objects.select_for_update().filter(place=place, period=key).first()
        if not went_well and not learned:
            if existing is not None:
                existing.delete()
                audit.record(acting_user, AuditEvent.Action.DELETE, "place story", detail=detail)
            return None
        story = existing or PlaceStory(place=place, period=key)
        if existing is not None and (story.went_well, story.learned) == (went_well, learned):
            return story  # nothing changed: no write, no audit row
        story.went_well, story.learned = went_well, learned
        story.written_by = permissions.as_recorder(acting_user)
        story.save()
        action = AuditEvent.Action.CHANGE if existing else AuditEvent.Action.CREATE
        audit.record(acting_user, action, "place story", detail=detail)
    return story
