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
    (-1) or a place (-1) are False.

    One sort of (person, unit, place): the rows of a (person, unit) are then adjacent,
    and the number of different places among them is the number of places that start
    a run."""
    valid = (people >= 0) & (places >= 0) & (units >= 0)
    key = (people[valid] * 16 + units[valid]) * (1 << _PLACE_BITS) + places[valid]
    order = np.argsort(key)
    key = key[order]
    owner = key >> _PLACE_BITS
    new_place = np.ones(len(key), dtype=bool)
    new_place[1:] = key[1:] != key[:-1]
    new_owner = np.ones(len(key), dtype=bool)
    new_owner[1:] = owner[1:] != owner[:-1]
    owner_number = np.cumsum(new_owner) - 1
    places_of_owner = np.bincount(owner_number, weights=new_place)
    multi_sorted = places_of_owner[owner_number] >= 2
    multi_valid = np.empty(len(key), dtype=bool)
    multi_valid[order] = multi_sorted
    multi = np.zeros(len(people), dtype=bool)
    multi[valid] = multi_valid
    return multi


def village_pairs(people: np.ndarray, villages: np.ndarray) -> dict[tuple[int, int], int]:
    """Per pair of villages (smaller id first), the different people with rows in both;
    only pairs that share someone. Rows without a person or a village (-1) are ignored."""
    valid = (people >= 0) & (villages >= 0)
    if not valid.any():
        return {}
    # Village ids are small: number them through a lookup table rather than a sort.
    village_ids = np.flatnonzero(np.bincount(villages[valid]))
    number_of_village = np.zeros(int(village_ids[-1]) + 1, dtype=np.int64)
    number_of_village[village_ids] = np.arange(len(village_ids))
    village_of_row = number_of_village[villages[valid]]
    count = len(village_ids)
    # The different (person, village) pairs as one sorted int64 key.
    pairs = np.unique(people[valid] * count + village_of_row)
    person, village = pairs // count, pairs % count
    new_person = np.ones(len(pairs), dtype=bool)
    new_person[1:] = person[1:] != person[:-1]
    person_number = np.cumsum(new_person) - 1
    # A person × village table of 0/1: its product with itself counts, for every two
    # villages, the people in both.
    present = np.zeros((int(person_number[-1]) + 1, count), dtype=np.int64)
    present[person_number, village] = 1
    shared = present.T @ present
    result = {}
    for first in range(count):
        for second in range(first + 1, count):
            if shared[first, second]:
                result[(int(village_ids[first]), int(village_ids[second]))] = int(
                    shared[first, second]
                )
    return result
