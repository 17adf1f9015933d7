"""A person's own answers, as their own page shows them (AVG art. 15): every question in
the instrument's own words with the answer given, and the score with what the
instrument's rules say it means, in neutral words. Pure: it reads `Response` rows that
`services.open_own_answers_link` hands it and the instruments' data, and writes nothing.

Only the person sees this, on their own phone (the one-time link): no staff page uses it.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from omzien.wellbeing.forms import in_language
from omzien.wellbeing.instruments import INSTRUMENTS, Band, Instrument

# A category's meaning in neutral words (the instruments' bands name them).
MEANINGS = {
    "not": pgettext_lazy("questionnaire score", "not lonely"),
    "moderate": pgettext_lazy("questionnaire score", "moderately lonely"),
    "severe": pgettext_lazy("questionnaire score", "severely lonely"),
    "very_severe": pgettext_lazy("questionnaire score", "very severely lonely"),
    "lonely": pgettext_lazy("questionnaire score", "lonely"),
    "good": pgettext_lazy("questionnaire score", "good or very good health"),
    "not_good": pgettext_lazy("questionnaire score", "health less than good"),
    "no_visit": pgettext_lazy("questionnaire score", "no visit to the GP"),
    "visit": pgettext_lazy("questionnaire score", "a visit to the GP"),
}
SUBSCALES = {
    "emotional": pgettext_lazy("questionnaire score", "emotional loneliness"),
    "social": pgettext_lazy("questionnaire score", "social loneliness"),
}


@dataclass(frozen=True)
class Answered:
    question: str
    answer: str  # the answer's words; "" when the question was skipped


@dataclass(frozen=True)
class Reading:
    """A score band in words: "a score from 2 to 4: moderately lonely"."""

    scores: str
    meaning: str


@dataclass(frozen=True)
class Sheet:
    """One instrument answered once, for the person's own eyes."""

    title: str
    taken_on: date
    wave: str
    place: str
    mode: str
    answers: list[Answered]
    total: int | None
    lowest: int
    highest: int
    meaning: str  # the total's band in words ("" without a total)
    readings: list[Reading]  # every band of the instrument
    subscales: list[tuple[str, int, int]]  # (name, score, out of)
    source: str


def _scores(band: Band) -> str:
    if band.low == band.high:
        return _("a score of %(low)d") % {"low": band.low}
    return _("a score from %(low)d to %(high)d") % {"low": band.low, "high": band.high}


def _meaning(category: str | None) -> str:
    return str(MEANINGS.get(category, category or ""))


def _answer_words(instrument: Instrument, code: str | None) -> str:
    if code is None:
        return ""
    try:
        option = instrument.option(code)
    except StopIteration:
        return code
    return in_language(option.dutch, option.english)


def _subscales(instrument: Instrument, response) -> list[tuple[str, int, int]]:
    found = []
    for scale in instrument.scales:
        value = getattr(response, scale.name, None) if scale.name in SUBSCALES else None
        if value is not None:
            found.append((str(SUBSCALES[scale.name]), value, len(scale.items)))
    return found


def sheet(response) -> Sheet:
    """The response (with its place) as the person reads it."""
    instrument = INSTRUMENTS[response.instrument]
    given = list(response.answers or [])
    answers = [
        Answered(
            in_language(item.dutch, item.english),
            _answer_words(
                instrument, given[item.number - 1] if item.number <= len(given) else None
            ),
        )
        for item in instrument.items
    ]
    return Sheet(
        title=in_language(instrument.dutch_title, instrument.english_title),
        taken_on=response.taken_on,
        wave=response.get_wave_display(),
        place=response.place.name,
        mode=response.get_mode_display(),
        answers=answers,
        total=response.total,
        lowest=instrument.bands[0].low,
        highest=instrument.bands[-1].high,
        meaning=_meaning(response.category) if response.total is not None else "",
        readings=[Reading(_scores(band), _meaning(band.category)) for band in instrument.bands],
        subscales=_subscales(instrument, response),
        source=instrument.source,
    )


def sheets(responses) -> list[Sheet]:
    """Oldest first, and within a day in the questionnaire's order."""
    order = {code: number for number, code in enumerate(INSTRUMENTS)}
    ordered = sorted(responses, key=lambda r: (r.taken_on, order.get(r.instrument, 99), r.pk))
    return [sheet(response) for response in ordered if response.instrument in INSTRUMENTS]
