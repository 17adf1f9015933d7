"""Likely duplicate person records: names that look alike, in the same village.

Compared part by part, because a shared last name alone makes family, not a duplicate
("Ina Brinkman" and "Mien Brinkman" are two people; "Jannie" and "Janie Kamphuis" are
likely one): the first names must look alike (rapidfuzz's ratio, so a typo passes) and
the last names too (token-set ratio, so "de Vries" and "Vries" pass), or both the other
way round ("Kamphuis Jannie", typed in the wrong fields). A record without a last name
is compared on the whole name or, a little lower, on the first name alone (the door asks
the last name "only if they like"). Only people of one village are compared: two
Jannie Kamphuises in two villages are likely two people. (The door's "Is dit ...?"
question uses ``people.matching.similar_people``; the two may become one later.)
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from omzien.people.models import normalise_for_search

# Scores from 0 to 100; from this score on two records are worth a look.
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
    fulls = [person.search_name for person in group]

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
    pairs.sort(key=lambda pair: (-pair.score, pair.first.search_name, pair.first.pk))
    return pairs
