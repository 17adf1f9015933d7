"""The calibration on the region's own follow-ups, from and to the database.

``signals.calibration`` holds the pure fit; this module feeds it the closed signals and
keeps the result. ``refit_calibrations`` (nightly, ``omzien signals --save``) fits per
kind of rhythm on the closed signals detection raised whose outcome tells whether the
person had really stopped coming (``calibration.label``), against the model's
probability *on the night the signal was raised* (``Signal.raw_probability``: the
stored ``probability`` is refreshed every night, and by the time a signal closes it
has grown with the absence, so fitting on it would teach the wrong lesson). A kind
with fewer than ``OMZIEN_SIGNAL_CALIBRATION_MIN_LABELS`` labels gets no new fit.
``current_calibrations`` gives the newest fit per kind, which ``detection.find_signals``
applies; a region without them keeps the model's probability.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction

from omzien.signals import calibration
from omzien.signals.models import Calibration, Rhythm, Signal

logger = logging.getLogger(__name__)

# Old fits kept per kind, to see how the curve moved; only the newest applies.
KEEP_PER_KIND = 5


@dataclass(frozen=True)
class Refit:
    """What the refit did for one kind of rhythm."""

    rhythm: str
    labels: int  # closed signals with a label and a raw probability
    dropouts: int  # of which real dropouts
    min_labels: int
    fitted: bool


def labelled_signals(rhythm: str) -> tuple[list[float], list[int]]:
    """The raw probabilities and labels (1: had dropped out) of the closed signals of one
    kind that detection raised and whose outcome tells."""
    rows = Signal.objects.filter(
        status=Signal.Status.CLOSED,
        kind=Signal.Kind.AUTO,
        rhythm=rhythm,
        raw_probability__isnull=False,
    ).values_list("raw_probability", "outcome")
    probabilities, labels = [], []
    for probability, outcome in rows:
        label = calibration.label(outcome)
        if label is not None:
            probabilities.append(min(max(probability, 0.0), 1.0))
            labels.append(label)
    return probabilities, labels


def refit_calibrations(as_of: date, *, min_labels: int | None = None) -> list[Refit]:
    """Fit every kind of rhythm with enough labels and store the fit as of ``as_of``
    (again on the same day: replaced). A kind without enough labels, or whose labels are
    all alike, keeps what it had."""
    if min_labels is None:
        min_labels = settings.OMZIEN_SIGNAL_CALIBRATION_MIN_LABELS
    result = []
    for rhythm in Rhythm.values:
        probabilities, labels = labelled_signals(rhythm)
        fitted = calibration.fit(probabilities, labels, min_labels=min_labels)
        if fitted is not None:
            _store(rhythm, as_of, fitted, dropouts=sum(labels))
        result.append(
            Refit(
                rhythm=rhythm,
                labels=len(labels),
                dropouts=sum(labels),
                min_labels=min_labels,
                fitted=fitted is not None,
            )
        )
    return result


@transaction.atomic
def _store(rhythm: str, as_of: date, fitted: calibration.Calibration, dropouts: int) -> None:
    Calibration.objects.update_or_create(
        rhythm=rhythm,
        fitted_on=as_of,
        defaults={"labels": fitted.labels, "dropouts": dropouts, "curve": fitted.as_json()},
    )
    old = Calibration.objects.filter(rhythm=rhythm).order_by("-fitted_on", "-pk")[KEEP_PER_KIND:]
    Calibration.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()


def current_calibrations() -> dict[str, calibration.Calibration]:
    """The newest fit per kind of rhythm; a kind without one is not in the dict."""
    result = {}
    for row in Calibration.objects.order_by("rhythm", "-fitted_on", "-pk"):
        if row.rhythm in result:
            continue
        try:
            result[row.rhythm] = calibration.Calibration.from_json(row.curve)
        except (KeyError, TypeError, ValueError):
            # A damaged curve must not stop the nightly run: an older fit applies, or none.
            logger.warning("calibration %s of %s is not a curve; ignored", row.pk, row.rhythm)
    return result


__all__ = ["Refit", "current_calibrations", "labelled_signals", "refit_calibrations"]
