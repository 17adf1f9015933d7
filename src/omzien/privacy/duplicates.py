"""Likely duplicate person records: similar names in the same village.

``likely_duplicate_pairs`` compares ``Person.search_name`` (accents and case gone) with
rapidfuzz's token-sort ratio, so "Kamphuis Jannie" and "janie kamphuis" match, but only
between people of one village: two Jannie Kamphuises in different villages are likely
two people. (The door's "Is dit ...?" question uses ``people.matching.similar_people``;
the two may become one later.)
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

# Scores from 0 to 100; from this score on two names are worth a look.
LIKELY = 85
# On a person's own page the coordinator looks for one person: show more.
POSSIBLE = 70


@dataclass(frozen=True)
class DuplicatePair:
    first: object  # Person
    second: object  # Person
    score: int


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
        names = [person.search_name for person in group]
        scores = process.cdist(
            names, names, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, dtype=np.uint8
        )
        for i, j in zip(*np.nonzero(np.triu(scores, k=1)), strict=True):
            first, second = group[i], group[j]
            if around is not None and around.pk not in (first.pk, second.pk):
                continue
            pairs.append(DuplicatePair(first, second, int(scores[i, j])))
    pairs.sort(key=lambda pair: (-pair.score, pair.first.search_name, pair.first.pk))
    return pairs
