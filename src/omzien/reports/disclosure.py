"""Small-cell suppression: which figures a viewer may not see, so nobody is recognisable.

A :class:`Table` holds named *cells* (counts of people or of their visits) and the
*relations* a reader can use between them, ``whole = part + part + ...``: the visits of a
period are its named plus its anonymous visits, the periods' new visitors add up to the
new visitors of the whole range, the people of a period who came back plus those who did
not are its visitors. Some cells are not displayed but follow from displayed ones (the
named visits of an activity are its visits minus its anonymous visits); they take part
like the others, because a reader can compute them, and hiding them costs nothing.

:meth:`Table.suppress` decides which cells to hide:

1. *Primary*: every cell of 1 to ``threshold - 1`` (zero reveals no one and stays), and
   every cell marked ``sensitive`` (the visits of fewer than five people, whatever their
   number).
2. *Complementary*: a relation with exactly one hidden cell gives it away by subtraction
   (a total minus the other rows; visits minus anonymous visits), so one more of its
   cells is hidden. The choice, greedy: the cheapest, counting one for a displayed cell
   and one for each other relation it leaves with a single hidden cell (minus one for
   each it completes); then one that is not displayed, then not zero, then larger than
   the threshold (so that "<5" and it cannot be pinned down by their sum), then the
   smallest. Repeated until no relation has exactly one hidden cell.
3. *Check*: with all relations at once (any sums and differences of the shown numbers)
   no primary cell may be determined. A hidden cell is determined when its unit vector
   is a combination of the relations written in the hidden cells only (the shown cells
   are known numbers): exact elimination in fractions, see ``_determined``. A determined
   cell gets one more neighbour hidden, and steps 2 and 3 repeat.

Not covered here (the full rule comes with the reports command): reasoning with bounds
(a shown "<5" is 1 to 4, a shown count is 0 or at least 5), which can narrow a hidden
cell down, and comparing pages with other ranges, groupings or places.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from enum import Enum
from fractions import Fraction

Key = Hashable


class Hidden(Enum):
    """A cell the audience does not see, and why; the views say it in words."""

    SMALL = "small"  # 1 to threshold - 1 people ("<5")
    PROTECTING = "protecting"  # larger, hidden so that no small count can be worked out


class Table:
    """Cells and the relations between them, for one page (or report) of one audience."""

    def __init__(self, threshold: int):
        self.threshold = threshold
        self.values: dict[Key, int] = {}
        self.displayed: dict[Key, bool] = {}
        self.sensitive: set[Key] = set()
        self.relations: list[tuple[Key, ...]] = []  # (whole, *parts)
        self._of: dict[Key, list[int]] = {}  # cell -> indexes of its relations
        self._order: dict[Key, int] = {}  # the order of adding, for repeatable choices

    def cell(self, key: Key, value: int, *, displayed: bool = True, sensitive: bool = False):
        if key in self.values:
            raise ValueError(f"cell {key!r} is already in the table")
        self.values[key] = value
        self.displayed[key] = displayed
        self._of[key] = []
        self._order[key] = len(self._order)
        if sensitive and value:
            self.sensitive.add(key)

    def relation(self, whole: Key, parts: Iterable[Key]) -> None:
        """``whole`` equals the sum of ``parts``, and the reader knows it."""
        members = (whole, *parts)
        if len(members) < 2:
            return
        if self.values[whole] != sum(self.values[part] for part in members[1:]):
            raise ValueError(f"the parts of {whole!r} do not add up to it")
        index = len(self.relations)
        self.relations.append(members)
        for key in members:
            self._of[key].append(index)

    def primary(self) -> set[Key]:
        small = {key for key, value in self.values.items() if 0 < value < self.threshold}
        return small | self.sensitive

    def suppress(self) -> dict[Key, Hidden]:
        """The hidden cells, each SMALL (its value is 1 to threshold - 1) or PROTECTING."""
        primary = self.primary()
        hidden = set(primary)
        while True:
            self._complete(hidden)
            determined = [key for key in self._determined(hidden) if key in primary]
            if not determined:
                break
            self._hide_next_to(determined[0], hidden)
        return {
            key: Hidden.SMALL if 0 < self.values[key] < self.threshold else Hidden.PROTECTING
            for key in self.values
            if key in hidden
        }

    def _counts(self, hidden: set[Key]) -> list[int]:
        return [sum(key in hidden for key in members) for members in self.relations]

    def _complete(self, hidden: set[Key]) -> None:
        """Step 2: until no relation has exactly one hidden cell."""
        counts = self._counts(hidden)
        open_relations = [index for index, count in enumerate(counts) if count == 1]
        while open_relations:
            index = open_relations.pop()
            if counts[index] != 1:
                continue
            chosen = self._choose(index, hidden, counts)
            hidden.add(chosen)
            for other in self._of[chosen]:
                counts[other] += 1
                if counts[other] == 1:
                    open_relations.append(other)

    def _choose(self, index: int, hidden: set[Key], counts: list[int]) -> Key:
        def cost(key):
            others = [other for other in self._of[key] if other != index]
            opened = sum(counts[other] == 0 for other in others)
            closed = sum(counts[other] == 1 for other in others)
            value = self.values[key]
            # A displayed cell costs one; each relation it leaves with a single hidden
            # cell will cost about one more, each it completes saves one.
            return (
                self.displayed[key] + opened - closed,
                self.displayed[key],
                value == 0,
                value <= self.threshold,
                value,
                self._order[key],
            )

        return min((key for key in self.relations[index] if key not in hidden), key=cost)

    def _determined(self, hidden: set[Key]) -> list[Key]:
        """Step 3: the hidden cells that the relations together pin down.

        Exact Gauss-Jordan elimination in fractions on sparse rows (the relations, in the
        hidden cells only), kept in reduced row echelon form as rows are added: a cell
        is determined when the row whose pivot it is has no other entry.
        """
        basis: dict[Key, dict[Key, Fraction]] = {}  # pivot cell -> its reduced row
        holding: dict[Key, set[Key]] = defaultdict(set)  # cell -> pivots of rows with it
        relations = sorted(
            (members for members in self.relations if any(key in hidden for key in members)),
            key=len,
        )
        for whole, *parts in relations:
            row: dict[Key, Fraction] = {}
            for sign, key in ((1, whole), *((-1, part) for part in parts)):
                if key in hidden:
                    row[key] = row.get(key, 0) + Fraction(sign)
            for pivot in [key for key in row if key in basis]:
                factor = row.get(pivot)
                if factor:
                    _subtract(row, factor, basis[pivot])
            row = {key: value for key, value in row.items() if value}
            if not row:
                continue  # follows from the relations before it
            pivot = min(row, key=lambda key: (len(holding[key]), self._order[key]))
            scale = row[pivot]
            row = {key: value / scale for key, value in row.items()}
            for other in list(holding[pivot]):
                other_row = basis[other]
                factor = other_row[pivot]
                for key in other_row:
                    holding[key].discard(other)
                _subtract(other_row, factor, row)
                for key in other_row:
                    holding[key].add(other)
            basis[pivot] = row
            for key in row:
                holding[key].add(pivot)
        return [pivot for pivot, row in basis.items() if len(row) == 1]

    def _hide_next_to(self, key: Key, hidden: set[Key]) -> None:
        """Hide one more cell in a relation of ``key`` (or, failing that, anywhere near)."""
        counts = self._counts(hidden)
        for index in self._of[key]:
            if any(member not in hidden for member in self.relations[index]):
                hidden.add(self._choose(index, hidden, counts))
                return
        # Every relation of the cell is hidden already: widen to the relations of the
        # hidden cells around it.
        for index, members in enumerate(self.relations):
            if any(member in hidden for member in members) and any(
                member not in hidden for member in members
            ):
                hidden.add(self._choose(index, hidden, counts))
                return
        raise AssertionError("a determined cell with nothing left to hide")  # pragma: no cover


def _subtract(row: dict, factor, other: dict) -> None:
    """row -= factor * other, in place, dropping the entries that become zero."""
    for key, value in other.items():
        result = row.get(key, 0) - factor * value
        if result:
            row[key] = result
        else:
            row.pop(key, None)
