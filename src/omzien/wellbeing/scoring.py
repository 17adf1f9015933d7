"""Scoring a questionnaire: pure functions over an instrument's data (`wellbeing.instruments`).

Every rule (points per answer, missing answers per scale, categories) lives in the
instrument; this module only applies them, the same way for every instrument.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from omzien.wellbeing.instruments import INSTRUMENTS, Instrument, Scale


class InvalidAnswers(ValueError):
    """Answers that do not fit the instrument: a wrong number, or an unknown answer."""


@dataclass(frozen=True)
class Score:
    instrument: str
    total: int | None
    subscales: dict[str, int | None]
    category: str | None

    def as_dict(self) -> dict:
        """The JSON of `omzien score` (design.md): De Jong Gierveld's subscales, else null."""
        return {
            "instrument": self.instrument,
            "total": self.total,
            "emotional": self.subscales.get("emotional"),
            "social": self.subscales.get("social"),
            "category": self.category,
        }


def instrument_named(code: str) -> Instrument:
    try:
        return INSTRUMENTS[code]
    except KeyError:
        raise InvalidAnswers(
            _("Unknown instrument '%(name)s': choose from %(choices)s.")
            % {"name": code, "choices": ", ".join(INSTRUMENTS)}
        ) from None


def normalise_answer(instrument: Instrument, answer: str | None) -> str | None:
    """An answer as the instrument keeps it, None when missing (empty); `InvalidAnswers`
    for anything else. Case, spaces and hyphens ("min-of-meer") do not matter."""
    if answer is None:
        return None
    text = " ".join(answer.replace("-", " ").split()).lower()
    if not text:
        return None
    if text not in instrument.option_codes:
        choices = ", ".join(f"'{code}'" for code in instrument.option_codes)
        raise InvalidAnswers(
            _("Unknown answer '%(answer)s': choose from %(choices)s.")
            % {"answer": answer, "choices": choices}
        )
    return text


def item_points(instrument: Instrument, answers: Sequence[str | None]) -> list[int | None]:
    """The points of each item (None for a missing answer)."""
    if len(answers) != len(instrument.items):
        raise InvalidAnswers(
            _("%(name)s has %(items)d questions, but %(answers)d answers were given.")
            % {"name": instrument.code, "items": len(instrument.items), "answers": len(answers)}
        )
    points = []
    for item, answer in zip(instrument.items, answers, strict=True):
        code = normalise_answer(instrument, answer)
        points.append(None if code is None else instrument.points[item.polarity][code])
    return points


def scale_score(scale: Scale, points: Sequence[int | None]) -> int | None:
    """The sum over the scale's items, or None when more of them are missing than the
    scale allows. A missing answer adds nothing: the manuals neither prorate nor impute."""
    values = [points[number - 1] for number in scale.items]
    missing = sum(value is None for value in values)
    if missing > scale.max_missing:
        return None
    return sum(value for value in values if value is not None)


def category_of(instrument: Instrument, total: int | None) -> str | None:
    if total is None:
        return None
    for band in instrument.bands:
        if band.low <= total <= band.high:
            return band.category
    raise ValueError(f"{instrument.code}: no category for total {total}")


def score(instrument: Instrument | str, answers: Sequence[str | None]) -> Score:
    """Total, subscales and category of one completed instrument."""
    if isinstance(instrument, str):
        instrument = instrument_named(instrument)
    points = item_points(instrument, answers)
    totals = {scale.name: scale_score(scale, points) for scale in instrument.scales}
    total = totals.pop("total")
    return Score(instrument.code, total, totals, category_of(instrument, total))


def is_lonely(instrument: Instrument | str, category: str | None) -> bool | None:
    """Whether a loneliness category counts as lonely (None: no category, or not a
    loneliness scale). De Jong Gierveld: moderately lonely or worse [MANUAL] §9."""
    if isinstance(instrument, str):
        instrument = instrument_named(instrument)
    if category is None or not instrument.loneliness:
        return None
    return category not in instrument.not_lonely


def parse_answers(text: str) -> list[str | None]:
    """The command's ``--answers a,b,,c``: comma-separated, an empty answer is missing."""
    return [part.strip() or None for part in text.split(",")]
