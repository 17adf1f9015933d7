"""The calibration from and to the database: the nightly refit on closed signals, its
application in detection, and a region without follow-ups, which keeps the model."""

from datetime import date
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from omzien.signals import calibrating, detection
from omzien.signals.calibration import Calibration as Curve
from omzien.signals.models import Calibration, Outcome, Rhythm, Signal
from tests import factories
from tests.signals.conftest import AS_OF

FITTED_ON = date(2026, 4, 2)


def closed_signals(person, place, rhythm, probabilities, dropped, **fields):
    """Closed automatic signals with these raw probabilities; a dropout ended 'moved',
    anyone else 'seen again'."""
    Signal.objects.bulk_create(
        [
            Signal(
                person=person,
                place=place,
                kind=fields.get("kind", Signal.Kind.AUTO),
                status=fields.get("status", Signal.Status.CLOSED),
                raised_on=date(2025, 6, 1),
                reason="test",
                probability=0.99,  # refreshed later: the refit must not use it
                raw_probability=p,
                rhythm=rhythm,
                outcome=fields.get("outcome") or (Outcome.MOVED if y else Outcome.SEEN_AGAIN),
            )
            for p, y in zip(probabilities, dropped, strict=True)
        ]
    )


def overconfident(n, seed=3):
    """Raw probabilities of which only the square came true (a model too sure)."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.2, 1.0, n)
    y = (rng.uniform(0, 1, n) < p**2).astype(int)
    return p.tolist(), y.tolist()


@pytest.fixture
def someone(trefpunt):
    return factories.PersonFactory(), trefpunt


@pytest.mark.django_db
def test_a_kind_with_enough_labels_is_fitted_and_one_without_is_not(someone, settings):
    settings.OMZIEN_SIGNAL_CALIBRATION_MIN_LABELS = 120
    person, place = someone
    p, y = overconfident(400)
    closed_signals(person, place, Rhythm.WEEKLY, p, y)
    closed_signals(person, place, Rhythm.SLOW, p[:119], y[:119])

    refits = {refit.rhythm: refit for refit in calibrating.refit_calibrations(FITTED_ON)}

    assert refits[Rhythm.WEEKLY].fitted and refits[Rhythm.WEEKLY].labels == 400
    assert refits[Rhythm.WEEKLY].dropouts == sum(y)
    assert not refits[Rhythm.SLOW].fitted and refits[Rhythm.SLOW].labels == 119
    assert not refits[Rhythm.OCCASIONAL].fitted and refits[Rhythm.OCCASIONAL].labels == 0
    row = Calibration.objects.get()
    assert (row.rhythm, row.fitted_on, row.labels, row.dropouts) == (
        Rhythm.WEEKLY,
        FITTED_ON,
        400,
        sum(y),
    )
    current = calibrating.current_calibrations()
    assert set(current) == {Rhythm.WEEKLY}
    # Fitted on the raw probability, so the curve comes near the true one (p squared).
    for raw in (0.4, 0.7, 0.9):
        assert current[Rhythm.WEEKLY](raw) == pytest.approx(raw**2, abs=0.15)


@pytest.mark.django_db
def test_only_closed_automatic_signals_with_a_telling_outcome_and_raw_probability_count(
    someone,
):
    person, place = someone
    closed_signals(person, place, Rhythm.WEEKLY, [0.5, 0.6, 0.7], [1, 0, 0])
    closed_signals(person, place, Rhythm.WEEKLY, [0.5], [0], outcome=Outcome.ILL_OR_AWAY)
    # Not counted: the outcome says nothing, raised by hand, still open, no raw figure.
    closed_signals(person, place, Rhythm.WEEKLY, [0.5], [0], outcome=Outcome.NEEDS_HELP)
    closed_signals(person, place, Rhythm.WEEKLY, [0.5], [1], kind=Signal.Kind.MANUAL)
    factories.SignalFactory(person=person, place=place, rhythm=Rhythm.WEEKLY, raw_probability=0.5)
    closed_signals(person, place, Rhythm.WEEKLY, [None], [1])
    closed_signals(person, place, Rhythm.SLOW, [0.9], [1])

    probabilities, labels = calibrating.labelled_signals(Rhythm.WEEKLY)

    assert sorted(zip(probabilities, labels, strict=True)) == [
        (0.5, 0),
        (0.5, 1),
        (0.6, 0),
        (0.7, 0),
    ]


@pytest.mark.django_db
def test_labels_all_alike_teach_nothing(someone, settings):
    settings.OMZIEN_SIGNAL_CALIBRATION_MIN_LABELS = 10
    person, place = someone
    closed_signals(person, place, Rhythm.WEEKLY, [0.3 + i / 100 for i in range(20)], [0] * 20)
    [weekly, *_] = calibrating.refit_calibrations(FITTED_ON)
    assert (weekly.labels, weekly.fitted) == (20, False)
    assert not Calibration.objects.exists()


@pytest.mark.django_db
def test_refitting_the_same_day_replaces_and_only_a_few_old_fits_are_kept(someone, settings):
    settings.OMZIEN_SIGNAL_CALIBRATION_MIN_LABELS = 50
    person, place = someone
    p, y = overconfident(100)
    closed_signals(person, place, Rhythm.WEEKLY, p, y)
    for day in range(1, 9):
        calibrating.refit_calibrations(date(2026, 4, day))
    calibrating.refit_calibrations(date(2026, 4, 8))
    days = list(Calibration.objects.values_list("fitted_on", flat=True))
    assert sorted(days) == [date(2026, 4, day) for day in range(4, 9)]
    assert len(days) == calibrating.KEEP_PER_KIND


@pytest.mark.django_db
def test_the_newest_fit_per_kind_applies_and_a_damaged_one_is_skipped(db):
    old = Curve(knots=(0.0, 1.0), values=(0.1, 0.2), labels=300)
    new = Curve(knots=(0.0, 1.0), values=(0.3, 0.4), labels=310)
    for day, curve in ((date(2026, 3, 1), old), (date(2026, 3, 2), new)):
        Calibration.objects.create(
            rhythm=Rhythm.SLOW, fitted_on=day, labels=300, dropouts=30, curve=curve.as_json()
        )
    Calibration.objects.create(
        rhythm=Rhythm.WEEKLY, fitted_on=date(2026, 3, 1), labels=300, dropouts=30,
        curve=old.as_json(),
    )  # fmt: skip
    Calibration.objects.create(
        rhythm=Rhythm.WEEKLY, fitted_on=date(2026, 3, 2), labels=300, dropouts=30,
        curve={"knots": [0.5, 0.1], "values": [0.1, 0.2], "labels": 3},
    )  # fmt: skip

    current = calibrating.current_calibrations()

    assert current[Rhythm.SLOW] == new
    assert current[Rhythm.WEEKLY] == old  # the newest is no rising curve: the one before
    assert Rhythm.OCCASIONAL not in current


@pytest.mark.django_db
def test_find_signals_raises_on_the_model_and_carries_the_calibrated_probability(regular):
    [raw] = detection.find_signals(AS_OF)
    assert raw.rhythm == Rhythm.WEEKLY and raw.raw_probability == raw.probability

    # Calibrated below the threshold, still raised: the model's threshold decides.
    lower = {Rhythm.WEEKLY: Curve(knots=(0.0, 1.0), values=(0.0, 0.1), labels=300)}
    [low] = detection.find_signals(AS_OF, calibrations=lower)
    assert low.probability == pytest.approx(0.1 * raw.probability, abs=1e-3)
    assert low.probability < 0.2
    assert low.raw_probability == raw.probability

    higher = {Rhythm.WEEKLY: Curve(knots=(0.0, 1.0), values=(0.95, 0.99), labels=300)}
    [calibrated] = detection.find_signals(AS_OF, calibrations=higher)
    assert calibrated.raw_probability == raw.probability
    assert calibrated.probability == pytest.approx(0.95 + 0.04 * raw.probability, abs=1e-3)

    # The stored fit applies by default.
    Calibration.objects.create(
        rhythm=Rhythm.WEEKLY, fitted_on=AS_OF, labels=300, dropouts=30,
        curve=higher[Rhythm.WEEKLY].as_json(),
    )  # fmt: skip
    assert detection.find_signals(AS_OF) == [calibrated]


@pytest.mark.django_db
def test_a_region_without_outcomes_keeps_the_model(regular, coffee):
    activity, sessions = coffee
    other = factories.PersonFactory(first_name="Gerrit")
    factories.ConsentFactory(person=other, purpose="followup", given=True)
    for day in sorted(sessions)[:9]:
        factories.VisitFactory(person=other, session=sessions[day])
    before = detection.find_signals(AS_OF)
    uncalibrated = detection.find_signals(AS_OF, calibrations={})

    refits = calibrating.refit_calibrations(AS_OF)

    assert [refit.fitted for refit in refits] == [False, False, False]
    assert not Calibration.objects.exists()
    after = detection.find_signals(AS_OF)
    assert after == before == uncalibrated and after
    assert all(c.probability == c.raw_probability for c in after)
    # A fit of another kind changes nothing for weekly regulars either.
    slow = {Rhythm.SLOW: Curve(knots=(0.0, 1.0), values=(0.0, 0.0), labels=300)}
    assert detection.find_signals(AS_OF, calibrations=slow) == before


@pytest.mark.django_db
def test_the_nightly_run_refits_says_so_and_stores_the_raw_probability(regular, settings):
    settings.OMZIEN_SIGNAL_CALIBRATION_MIN_LABELS = 50
    person = factories.PersonFactory()
    place = regular.visits.first().session.activity.place
    p, y = overconfident(80)
    closed_signals(person, place, Rhythm.SLOW, p, y)
    out, err = StringIO(), StringIO()

    call_command("signals", "--as-of", AS_OF.isoformat(), "--save", stdout=out, stderr=err)

    lines = err.getvalue()
    assert (
        f"Kalibratie, {Rhythm.SLOW.label}: geleerd van 80 gesloten signalen, waarvan "
        f"{sum(y)} echt gestopt." in lines
    )
    for rhythm in (Rhythm.WEEKLY, Rhythm.OCCASIONAL):
        assert f"Kalibratie, {rhythm.label}: te weinig gesloten signalen (0 van 50)" in lines
    assert Calibration.objects.get().rhythm == Rhythm.SLOW
    signal = Signal.objects.get(person=regular)
    assert signal.raw_probability == signal.probability  # weekly: no fit of its kind


@pytest.mark.django_db
def test_without_save_nothing_is_refitted(regular, settings):
    settings.OMZIEN_SIGNAL_CALIBRATION_MIN_LABELS = 50
    place = regular.visits.first().session.activity.place
    p, y = overconfident(80)
    closed_signals(factories.PersonFactory(), place, Rhythm.WEEKLY, p, y)
    out, err = StringIO(), StringIO()
    call_command("signals", "--as-of", AS_OF.isoformat(), stdout=out, stderr=err)
    assert not Calibration.objects.exists()
    assert "Kalibratie" not in err.getvalue()
