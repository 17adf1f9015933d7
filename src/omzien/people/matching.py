"""Names that resemble each other: the door's typo-tolerant search and likely duplicates.

Pure Python on rapidfuzz, no database: SQLite and PostgreSQL give the same answers, and
the callers choose the candidates (the people a host may see at the door, a place's
people for the merge page). Names are compared normalised (`normalise_for_search`:
lower case, no accents), word by word.

**Searching** (`search`): a typed text matches a name in one of three ways, listed in
this order:

1. ``PREFIX``: every typed word begins a word of the name, in any order ("kamp jan"
   finds "Jannie Kamphuis");
2. ``CONTAINS``: every typed word occurs inside a word of the name ("ries" finds
   "de Vries");
3. ``SIMILAR``: a typing error. Each typed word is scored against the name's best
   matching word (rapidfuzz's ``ratio``, 0-100, on insertions and deletions), and the
   worst typed word counts, so every word must resemble part of the name ("janie"
   finds "Jannie", "Kamphuis Janie" too); the whole text against the name with both
   sets of words sorted (``token_sort_ratio``) catches a missing space. The better of
   the two counts, and only from `SEARCH_THRESHOLD` up: "xyz" finds nobody. Words
   shorter than `MIN_SIMILAR_LENGTH` letters never count as similar (two letters
   resemble too many names).

**Is this someone we know?** (`similar_people`, the door's "Is dit ...?"): two people
resemble each other by the mean of their first names' and their last names' ``ratio`` (or the other
way round, for a first and last name swapped), so both must be close: "Janie Kamphuis"
is probably Jannie Kamphuis, "Gerard Kamphuis" not Gerrit. When one of them has no last
name, their first names alone count. Living
in different villages (both known) costs `OTHER_VILLAGE_PENALTY` points; the same name
in another village is still asked about, because the registration form suggests the
place's own village and a host may leave it.

**Likely duplicate pairs** (`likely_duplicate_pairs`, the coordinators' "Dubbele
bezoekers"): stricter, because the list is read without anyone asking, and a shared last
name alone makes family, not a duplicate ("Ina Brinkman" and "Mien Brinkman" are two
people; "Jannie" and "Janie Kamphuis" are likely one). The first names must look alike
(``ratio``, so a typo passes) and the last names too (``token_set_ratio``, so "de Vries"
and "Vries" pass), or both crossed ("Kamphuis Jannie", typed in the wrong fields). A
record without a last name is compared on the whole name or, a little lower, on the
first name alone. Only people of one village are compared: two Jannie Kamphuises in two
villages are likely two people. Each village's pairs are scored at once as matrices
(``rapidfuzz.process.cdist``): 2,000 people of one village in about 1.5 s.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from operator import attrgetter
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

SEARCH_THRESHOLD = 80
MIN_SIMILAR_LENGTH = 3
DUPLICATE_THRESHOLD = 85
OTHER_VILLAGE_PENALTY = 15

_WORD = re.compile(r"\w+")


def normalise_for_search(text: str) -> str:
    """Lower case without accents or extra spaces: 'Mariëtte  de Vries' -> 'mariette de vries'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def words(text: str) -> list[str]:
    """The words of a text, normalised; hyphens and apostrophes separate words."""
    return _WORD.findall(normalise_for_search(text))


class Kind(IntEnum):
    """How a name matches a typed text; lower values are listed first."""

    PREFIX = 0
    CONTAINS = 1
    SIMILAR = 2


@dataclass(frozen=True)
class Match:
    """One candidate that matches, how, and how well (0-100; 100 for PREFIX and CONTAINS)."""

    item: Any
    score: float
    kind: Kind

    @property
    def is_exact(self) -> bool:
        return self.kind is not Kind.SIMILAR


def _word_similarity(typed: str, name_words: list[str]) -> float:
    """A typed word against the name's best matching word: 100 when it occurs in one."""
    if any(typed in word for word in name_words):
        return 100.0
    if len(typed) < MIN_SIMILAR_LENGTH:
        return 0.0
    return max(fuzz.ratio(typed, word) for word in name_words)


def match_name(query: str, name: str) -> tuple[Kind, float] | None:
    """How the typed text matches the name, and the score; None when it does not."""
    typed, name_words = words(query), words(name)
    if not typed or not name_words:
        return None
    if all(any(word.startswith(part) for word in name_words) for part in typed):
        return Kind.PREFIX, 100.0
    if all(any(part in word for word in name_words) for part in typed):
        return Kind.CONTAINS, 100.0
    per_word = min(_word_similarity(part, name_words) for part in typed)
    whole = fuzz.token_sort_ratio(" ".join(typed), " ".join(name_words))
    if len("".join(typed)) < MIN_SIMILAR_LENGTH:
        whole = 0.0
    score = max(per_word, whole)
    return (Kind.SIMILAR, score) if score >= SEARCH_THRESHOLD else None


def search(
    query: str,
    candidates: Iterable,
    *,
    name: Callable[[Any], str] = attrgetter("search_name"),
) -> list[Match]:
    """The candidates whose name matches the typed text: prefix matches first, then the
    other exact ones, then the similar ones by score; alphabetically within each."""
    found = []
    for candidate in candidates:
        text = name(candidate)
        matched = match_name(query, text)
        if matched is not None:
            found.append((matched[0], -matched[1], normalise_for_search(text), candidate))
    found.sort(key=lambda row: row[:3])
    return [Match(item=row[3], score=-row[1], kind=row[0]) for row in found]


def _village_id(village) -> int | None:
    return getattr(village, "pk", village)


def _joined(text: str) -> str:
    return " ".join(words(text))


def name_similarity(first_a: str, last_a: str, first_b: str, last_b: str) -> float:
    """0-100: how much two people's names resemble each other (see the module's text)."""
    first_a, last_a, first_b, last_b = map(_joined, (first_a, last_a, first_b, last_b))
    if not last_a or not last_b:
        return fuzz.ratio(first_a, first_b)
    as_written = (fuzz.ratio(first_a, first_b) + fuzz.ratio(last_a, last_b)) / 2
    swapped = (fuzz.ratio(first_a, last_b) + fuzz.ratio(last_a, first_b)) / 2
    return max(as_written, swapped)


def person_similarity(
    first_name: str, last_name: str, village, other_first: str, other_last: str, other_village
) -> float:
    score = name_similarity(first_name, last_name, other_first, other_last)
    here, there = _village_id(village), _village_id(other_village)
    if here is not None and there is not None and here != there:
        score -= OTHER_VILLAGE_PENALTY
    return max(score, 0.0)


def similar_people(
    candidates: Iterable,
    first_name: str,
    last_name: str = "",
    village=None,
    *,
    threshold: float = DUPLICATE_THRESHOLD,
) -> list[Match]:
    """The candidates who may be the person with this name (and village), best first.

    Candidates need ``first_name``, ``last_name`` and ``village_id`` (a `Person` has
    them); ``village`` is a Village, its id or None (unknown).
    """
    found = []
    for candidate in candidates:
        score = person_similarity(
            first_name,
            last_name,
            village,
            candidate.first_name,
            candidate.last_name,
            getattr(candidate, "village_id", None),
        )
        if score >= threshold:
            found.append(Match(item=candidate, score=score, kind=Kind.SIMILAR))
    found.sort(
        key=lambda match: (
            -match.score,
            normalise_for_search(f"{match.item.first_name} {match.item.last_name}"),
        )
    )
    return found


# Pair scores from 0 to 100; from this score on two records are worth a look.
LIKELY = 85
# On a person's own page the coordinator looks for one person: show more.
POSSIBLE = 70
# A first name alone says less than a whole name.
FIRST_NAME_ONLY_PENALTY = 10


@dataclass(frozen=True)
class DuplicatePair:
    first: object  # Person
    second: object  # Person
    score: int


def _scores(group) -> np.ndarray:
    """The pair scores of one village's people (a square matrix)."""
    firsts = [normalise_for_search(person.first_name) for person in group]
    lasts = [normalise_for_search(person.last_name) for person in group]
    fulls = [f"{first} {last}".strip() for first, last in zip(firsts, lasts, strict=True)]

    def matrix(left, right, scorer):
        return process.cdist(left, right, scorer=scorer, dtype=np.float32, workers=1)

    first = matrix(firsts, firsts, fuzz.ratio)
    straight = np.minimum(first, matrix(lasts, lasts, fuzz.token_set_ratio))
    crossed = matrix(firsts, lasts, fuzz.ratio)
    turned = np.minimum(crossed, crossed.T)
    whole = matrix(fulls, fulls, fuzz.token_sort_ratio)
    has_last = np.array([bool(last) for last in lasts])
    both = has_last[:, None] & has_last[None, :]
    neither = ~has_last[:, None] & ~has_last[None, :]
    one_only = np.maximum(whole, first - FIRST_NAME_ONLY_PENALTY)
    return np.where(both, np.maximum(straight, turned), np.where(neither, first, one_only))


def likely_duplicate_pairs(people, *, threshold: int = LIKELY, around=None) -> list[DuplicatePair]:
    """Pairs of people in one village whose names look alike, most alike first.

    ``people``: a queryset or list of Person objects; ``around``: only pairs with this
    person in them.
    """
    by_village = defaultdict(list)
    for person in people:
        by_village[person.village_id].append(person)
    pairs = []
    for group in by_village.values():
        if len(group) < 2:
            continue
        scores = _scores(group)
        for i, j in zip(*np.nonzero(np.triu(scores >= threshold, k=1)), strict=True):
            first, second = group[i], group[j]
            if around is not None and around.pk not in (first.pk, second.pk):
                continue
            pairs.append(DuplicatePair(first, second, round(float(scores[i, j]))))
    pairs.sort(key=lambda pair: (-pair.score, pair.first.first_name, pair.first.last_name))
    return pairs
