"""Bridging in numpy: who comes to more than one place, and which villages share people.

Pure functions on the reach module's visit rows (one row a visit: person, place, day),
so the year's million visits are sorted a few times rather than walked person by person.
"""

from __future__ import annotations

import numpy as np

# Places are group indexes (below 2**21, see counting.YearCounter) and periods units
# below 16, so (person, unit, place) fits one int64 key for ids of people below 2**32.
_PLACE_BITS = 21


def multi_place_rows(people: np.ndarray, places: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Whether each row's person came to at least two different places in the row's
    unit (a month, quarter or the year as a number; -1: outside). Rows without a person
    (-1) or a place (-1) are False."""
    valid = (people >= 0) & (places >= 0) & (units >= 0)
    person_unit = people[valid] * 16 + units[valid]
    distinct = np.unique(person_unit * (1 << _PLACE_BITS) + places[valid])
    owners, places_each = np.unique(distinct >> _PLACE_BITS, return_counts=True)
    multi = np.zeros(len(people), dtype=bool)
    multi[valid] = np.isin(person_unit, owners[places_each >= 2])
    return multi


def village_pairs(people: np.ndarray, villages: np.ndarray) -> dict[tuple[int, int], int]:
    """Per pair of villages (smaller id first), the different people with rows in both;
    only pairs that share someone. Rows without a person or a village (-1) are ignored."""
    valid = (people >= 0) & (villages >= 0)
    pairs = np.unique(np.stack([people[valid], villages[valid]], axis=1), axis=0)
    if not len(pairs):
        return {}
    _people, person_index = np.unique(pairs[:, 0], return_inverse=True)
    village_ids, village_index = np.unique(pairs[:, 1], return_inverse=True)
    # A person × village table of 0/1: its product with itself counts, for every two
    # villages, the people in both.
    present = np.zeros((len(_people), len(village_ids)), dtype=np.int64)
    present[person_index, village_index] = 1
    shared = present.T @ present
    result = {}
    for first in range(len(village_ids)):
        for second in range(first + 1, len(village_ids)):
            if shared[first, second]:
                result[(int(village_ids[first]), int(village_ids[second]))] = int(
                    shared[first, second]
                )
    return result
