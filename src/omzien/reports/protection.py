"""The one disclosure rule for viewers: which cells of a year's cube a viewer does not see.

Every viewer output (the report page, its charts, the PDF, the .xlsx, ``omzien report``'s
JSON) shows a cell of the cube only when it is not in :attr:`Protection.hidden`. The
decision is made once for the whole year, so every grouping and every period a viewer can
ask for is a view of the same protected cube. The rule, the attacker it holds against and
what it does not cover are in docs/reports.md ("Disclosure control").

1. *Primary* (:func:`_primary`): a count of 1 to ``min_cell - 1`` people (zero stays: it
   points to no one); a count of events (visits, hours) or a mean whose ``base`` count of
   people is that small (a mean also when its base is hidden at all: its interval says
   how many people it is of); a share whose numerator or denominator is hidden or whose
   denominator is below ``min_cell``.
2. *Out of scope*: a cell outside its measure's ``viewer_levels``/``viewer_periods`` is
   never shown; it needs no protection itself, and an attacker does not know it either.
3. *Complementary*, greedy (:meth:`_Suppression.complete`): an equality (a sum over
   groups or periods, ``whole = part + rest``) with a single hidden cell gives it away
   by subtraction, so one more of its cells is hidden; repeated until none is left.
4. *Audit* (:meth:`_Suppression.pinned`): for every connected group of hidden cells, an
   integer model of everything a reader knows (every shown cell of the year as a
   constant, every relation including the inequalities of counts of different people,
   integrality, non-negativity, and that a hidden count of people is at least 1 because
   this rule never hides a zero one) is asked with CP-SAT whether each primary cell could
   have another value. A cell that cannot is *pinned*: one more cell of one of its
   relations is hidden, and steps 3 and 4 repeat.

Cells that are not displayed (``displayed=False``: the named visits, the people who had
come before) are known to a reader by subtraction, so they take part like the others and
are hidden from the output in any case; hiding one costs nothing, so the greedy choice
takes them first.

The model's answers are facts about the integer solutions, never the solver's path, so the
same cube gives the same hidden cells.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext

from omzien.reports.cube import (
    DIFFERENCES,
    MEASURES,
    Adds,
    CellKey,
    Cube,
    Difference,
    GroupKind,
    Measure,
    Period,
    PeriodKind,
    Unit,
)

RULE_ID = "complementary-suppression-v1"

COUNT_UNITS = (Unit.PEOPLE, Unit.EVENTS, Unit.PUBLIC)
# The solver's effort per question, in its deterministic time (roughly seconds); a cell
# whose question runs out counts as pinned, which only hides more.
SOLVE_EFFORT = 10.0
BULK_EFFORT = 0.3  # for the first model of a group of hidden cells (see pinned())
# The audit's neighbourhoods (in relations from the cell) and its largest model.
AUDIT_RADII = (2, 4, 8, 16, 32)
AUDIT_CELLS = 300

GROUP_DEPTH = {GroupKind.PLACE: 0, GroupKind.VILLAGE: 1, GroupKind.REGION: 2}
PERIOD_DEPTH = {PeriodKind.MONTH: 0, PeriodKind.QUARTER: 1, PeriodKind.YEAR: 2}
# What hiding a displayed cell costs besides itself: the totals are what a fund reads
# first, so a region's or a year's figure is hidden only when a finer one cannot do.
GROUP_COST = {GroupKind.PLACE: 0, GroupKind.VILLAGE: 1, GroupKind.REGION: 4}
PERIOD_COST = {PeriodKind.MONTH: 0, PeriodKind.QUARTER: 1, PeriodKind.YEAR: 2}


def rule_text(min_cell: int) -> str:
    """The rule in plain words, for the method section of a report."""
    return gettext(
        "No figure is shown that counts fewer than %(min_cell)s people or that is computed "
        "from fewer than %(min_cell)s people (an average, a share, the visits of a few "
        "people). Zero is shown: it points to no one. Where a hidden figure could be worked "
        "out from other figures (a total minus its parts, a quarter minus its months, "
        "visitors minus new visitors), in this report or in any other report about the same "
        "year, more figures are hidden, until no hidden small figure can be worked out "
        "exactly, not even knowing that counts are whole numbers and never negative. All "
        "hidden figures carry the same mark."
    ) % {"min_cell": min_cell}


logger = logging.getLogger(__name__)


class ProtectionError(RuntimeError):
    """A small cell could be worked out and nothing is left to hide next to it."""


@dataclass(frozen=True)
class Protection:
    """What a viewer sees of one cube.

    ``hidden`` is what every output uses, with one mark for all of them: ``primary`` and
    ``secondary`` are for tests and benchmarks, never for an output (telling a small cell
    from a protecting one would give the small ones away).
    """

    rule: str
    min_cell: int
    hidden: frozenset[CellKey]
    primary: frozenset[CellKey]
    secondary: frozenset[CellKey]  # hidden only to protect primary cells
    # Counts of people hidden although zero: only when nothing else was left to hide next
    # to a cell that could be worked out (see docs/reports.md); usually empty.
    hidden_zeros: frozenset[CellKey] = frozenset()

    def shown(self, key: CellKey) -> bool:
        return key not in self.hidden

    def value(self, cube: Cube, key: CellKey):
        """The cell's value for a viewer: None when hidden (or not known yet)."""
        return None if key in self.hidden else cube.values.get(key)


def protect(
    cube: Cube,
    min_cell: int,
    *,
    measures: dict[str, Measure] | None = None,
    differences: list[Difference] | None = None,
) -> Protection:
    """Decide the hidden cells of ``cube`` for viewers, with groups of at least ``min_cell``.

    ``measures`` and ``differences`` default to the registry (:data:`MEASURES`,
    :data:`DIFFERENCES`); tests pass their own."""
    measures = MEASURES if measures is None else measures
    suppression = _Suppression(
        cube, min_cell, measures, DIFFERENCES if differences is None else differences
    )
    try:
        suppression.run()
    except ProtectionError as error:
        # Never a report that gives a small cell away, and never a failing page either:
        # the viewer then sees only what is public (sessions held and the like).
        logger.warning(
            "Disclosure rule fell back to hiding every count of %s: %s", cube.year, error
        )
        return _only_public(cube, min_cell, measures)
    return suppression.result()


def _only_public(cube: Cube, min_cell: int, measures: dict[str, Measure]) -> Protection:
    hidden = frozenset(
        key
        for key, value in cube.values.items()
        if value is not None and (key[2] not in measures or measures[key[2]].unit != Unit.PUBLIC)
    )
    return Protection(
        rule=RULE_ID, min_cell=min_cell, hidden=hidden, primary=frozenset(), secondary=hidden
    )


class Relation(Enum):
    EQUAL = "equal"  # whole = sum of parts
    UNION = "union"  # max(parts) <= whole <= sum of parts
    AT_MOST = "at_most"  # whole <= sum of parts


@dataclass(frozen=True)
class _Relation:
    kind: Relation
    whole: int
    parts: tuple[int, ...]

    @property
    def members(self) -> tuple[int, ...]:
        return (self.whole, *self.parts)


class _Suppression:
    """The count cells of the cube as numbered variables, their relations and the hiding."""

    def __init__(self, cube: Cube, min_cell: int, measures, differences):
        self.cube = cube
        self.min_cell = min_cell
        self.measures: dict[str, Measure] = measures
        self.differences: list[Difference] = differences
        self.keys: list[CellKey] = []
        self.values: list[int | None] = []
        self.index: dict[CellKey, int] = {}
        self._number_count_cells()
        self.measure_of = [self.measures[key[2]] for key in self.keys]
        self.in_scope = [self._in_scope(key) for key in self.keys]
        self.relations = self._relations()
        self.relations_of: list[list[int]] = [[] for _key in self.keys]
        for number, relation in enumerate(self.relations):
            for member in set(relation.members):
                self.relations_of[member].append(number)
        self.primary: set[int] = set()
        self.secondary: set[int] = set()
        # Unknown to a reader: primary, secondary, out of scope, and not known yet (None).
        self.hidden: set[int] = {
            number
            for number, value in enumerate(self.values)
            if value is None or not self.in_scope[number]
        }
        self._public = [self.measure_of[n].unit == Unit.PUBLIC for n in range(len(self.keys))]
        self.hidden_zeros: set[int] = set()
        self.free: set[int] = set()  # primary cells shown to have another possible value
        self.counts: list[int] = []  # hidden cells per relation
        self.upper = 2 * max((abs(v) for v in self.values if v is not None), default=0) + 10

    # -- the cells ---------------------------------------------------------------------

    def _number_count_cells(self) -> None:
        """Every count cell (ints, and None where not known yet), in an order that does not
        depend on how the cube was filled."""
        measure_order = {name: number for number, name in enumerate(self.measures)}
        group_order = {group.slug: number for number, group in enumerate(self.cube.groups)}
        period_order = {period.key: number for number, period in enumerate(self.cube.periods())}
        count_keys = [
            key
            for key in self.cube.values
            if key[2] in self.measures and self.measures[key[2]].unit in COUNT_UNITS
        ]
        count_keys.sort(
            key=lambda key: (measure_order[key[2]], group_order[key[0]], period_order[key[1]])
        )
        for key in count_keys:
            self.index[key] = len(self.keys)
            self.keys.append(key)
            value = self.cube.values[key]
            self.values.append(None if value is None else int(value))

    def _in_scope(self, key: CellKey) -> bool:
        return _viewer_may_see(self.measures[key[2]], self.cube, key)

    def _relations(self) -> list[_Relation]:
        relations: list[_Relation] = []
        kinds = {
            Adds.SUM: Relation.EQUAL,
            Adds.UNION: Relation.UNION,
            Adds.AT_MOST: Relation.AT_MOST,
        }
        periods = self.cube.periods()
        groups = list(self.cube.groups)
        children_of = {group.slug: self.cube.groups.children(group.slug) for group in groups}
        for name, measure_ in self.measures.items():
            if measure_.unit not in COUNT_UNITS:
                continue
            if measure_.over_groups in kinds:
                for group in groups:
                    children = [child.slug for child in children_of[group.slug]]
                    for period in periods:
                        relations += self._relation(
                            kinds[measure_.over_groups],
                            (group.slug, period.key, name),
                            [(child, period.key, name) for child in children],
                        )
            if measure_.over_periods in kinds:
                for group in groups:
                    for period in periods:
                        relations += self._relation(
                            kinds[measure_.over_periods],
                            (group.slug, period.key, name),
                            [(group.slug, child.key, name) for child in period.children],
                        )
        for difference in self.differences:
            for group in groups:
                for period in periods:
                    relations += self._relation(
                        Relation.EQUAL,
                        (group.slug, period.key, difference.whole),
                        [
                            (group.slug, period.key, difference.part),
                            (group.slug, period.key, difference.rest),
                        ],
                    )
        return relations

    def _relation(self, kind: Relation, whole: CellKey, parts: list[CellKey]) -> list[_Relation]:
        """The relation when the whole and all its parts are cells (a measure asked per
        village has no places' cells, and then nothing to add up)."""
        if whole not in self.index or not parts:
            return []
        if any(part not in self.index for part in parts):
            return []
        return [_Relation(kind, self.index[whole], tuple(self.index[part] for part in parts))]

    # -- the rule ----------------------------------------------------------------------

    def run(self) -> None:
        self.primary = self._primary_counts()
        self.hidden |= self.primary
        self.counts = [
            sum(member in self.hidden for member in relation.members) for relation in self.relations
        ]
        while True:
            self.complete()
            pinned = self.pinned()
            if not pinned:
                return
            self._protect(pinned)

    def _primary_counts(self) -> set[int]:
        small = {
            number
            for number, value in enumerate(self.values)
            if self.in_scope[number]
            and self.measure_of[number].unit == Unit.PEOPLE
            and value is not None
            and 0 < value < self.min_cell
        }
        dependent = set()
        for number, key in enumerate(self.keys):
            measure_ = self.measure_of[number]
            if (
                measure_.unit == Unit.EVENTS
                and self.in_scope[number]
                and measure_.base
                and self._base_too_small(key, measure_.base, small)
            ):
                dependent.add(number)
        return (small | dependent) - {n for n, v in enumerate(self.values) if v is None}

    def _base_too_small(self, key: CellKey, base: str, small: set[int]) -> bool:
        base_key = (key[0], key[1], base)
        value = self.cube.values.get(base_key)
        if value is None:
            return True  # nobody can vouch for the people behind it
        return 0 < value < self.min_cell or self.index.get(base_key) in small

    def lower_bound(self, number: int) -> int:
        """What a reader knows a hidden cell to be at least: a count of people this rule
        hides is never zero; anything else may be."""
        if (
            self.measure_of[number].unit == Unit.PEOPLE
            and self.in_scope[number]
            and self.values[number] is not None
            and number not in self.hidden_zeros
        ):
            return 1
        return 0

    def _candidate(self, number: int, zero_allowed: bool = False) -> bool:
        if number in self.hidden or self._public[number]:
            return False
        if zero_allowed:
            return True
        return not (self.lower_bound(number) == 1 and self.values[number] == 0)

    def _protected(self, number: int) -> bool:
        return number in self.primary or number in self.secondary

    def complete(self) -> None:
        """Step 3: until no equality has exactly one hidden cell that matters."""
        counts = self.counts
        open_relations = [
            number
            for number, count in enumerate(counts)
            if count == 1 and self.relations[number].kind == Relation.EQUAL
        ]
        open_relations.sort(reverse=True)
        while open_relations:
            number = open_relations.pop()
            if counts[number] != 1:
                continue
            (alone,) = [m for m in self.relations[number].members if m in self.hidden]
            if not self._protected(alone):
                continue
            chosen = self._choose(self.relations[number].members, counts)
            if chosen is None:
                continue  # the audit decides whether the lone cell is given away
            self._hide(chosen, open_relations)

    def _hide(self, number: int, open_relations: list[int]) -> None:
        self.hidden.add(number)
        self.secondary.add(number)
        for other in self.relations_of[number]:
            self.counts[other] += 1
            if self.counts[other] == 1 and self.relations[other].kind == Relation.EQUAL:
                open_relations.append(other)

    def _choose(self, members, counts: list[int], zero_allowed: bool = False) -> int | None:
        """The cheapest cell to hide next: one not displayed costs nothing; one displayed
        costs one, plus about one for every equality it leaves with a single hidden cell,
        minus one for every such equality it completes, plus more the coarser its group
        and period (GROUP_COST, PERIOD_COST). Ties: not zero, then larger than
        the threshold (so that it and a small one cannot be bounded by their sum), then the
        finer group and period, then the smaller value, then the order of the cells."""
        candidates = [member for member in set(members) if self._candidate(member, zero_allowed)]
        if not candidates:
            return None

        def cost(number: int):
            displayed = self.measure_of[number].displayed
            opened = closed = 0
            for other in self.relations_of[number]:
                if self.relations[other].kind != Relation.EQUAL:
                    continue
                opened += counts[other] == 0
                closed += counts[other] == 1
            group_kind = self.cube.groups[self.keys[number][0]].kind
            period_kind = Period.from_key(self.keys[number][1]).kind
            value = self.values[number]
            coarse = GROUP_COST[group_kind] + PERIOD_COST[period_kind] if displayed else 0
            return (
                int(displayed) + opened - closed + coarse,
                int(displayed),
                value == 0,
                value <= self.min_cell,
                GROUP_DEPTH[group_kind] + PERIOD_DEPTH[period_kind],
                value,
                number,
            )

        return min(candidates, key=cost)

    # -- the audit ---------------------------------------------------------------------

    def pinned(self) -> list[int]:
        """The primary cells a reader can work out exactly (or that this audit cannot show
        free within its limits), in cell order.

        A cell once shown free stays free: hiding more cells only widens what a reader
        must consider, so only the cells pinned in the round before are asked again.
        First, per group of connected hidden cells, one model looks for a solution in
        which at least one of its open primary cells differs from its true value (every
        one that differs is free; usually most do), again while that frees many; the
        cells left are asked one by one (:meth:`_shown_free`).
        """
        for component in self.components():
            open_cells = [n for n in component if n in self.primary and n not in self.free]
            while len(open_cells) > 1:
                self._free_many(component, open_cells)
                still_open = [n for n in open_cells if n not in self.free]
                if len(still_open) > 0.8 * len(open_cells):
                    break  # few more to gain: the rest one by one
                open_cells = still_open
        return [
            number
            for number in sorted(self.primary - self.free)
            if self.values[number] is not None and not self._shown_free(number)
        ]

    def components(self) -> list[list[int]]:
        """The hidden cells in groups that share a relation (shown cells are constants, so
        groups that share none are independent)."""
        parent = {number: number for number in self.hidden}

        def root(number: int) -> int:
            while parent[number] != number:
                parent[number] = parent[parent[number]]
                number = parent[number]
            return number

        for relation, count in zip(self.relations, self.counts, strict=True):
            if count < 2:
                continue
            hidden_members = [m for m in relation.members if m in self.hidden]
            for member in hidden_members[1:]:
                first, other = root(hidden_members[0]), root(member)
                if first != other:
                    parent[max(first, other)] = min(first, other)
        groups: dict[int, list[int]] = defaultdict(list)
        for number in sorted(self.hidden):
            groups[root(number)].append(number)
        return list(groups.values())

    def _free_many(self, component: list[int], open_cells: list[int]) -> None:
        from ortools.sat.python import cp_model

        model, variables = self._model(set(component))
        differs = []
        for number in open_cells:
            differs += self._differs(model, variables[number], self.values[number])
        model.add_bool_or(differs)
        solver = _solver()
        # One solution, the sooner the better: presolving a model this size costs more
        # than it saves.
        solver.parameters.cp_model_presolve = False
        solver.parameters.max_deterministic_time = BULK_EFFORT
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self.free.update(
                number
                for number in open_cells
                if solver.value(variables[number]) != self.values[number]
            )

    def _shown_free(self, number: int) -> bool:
        """Whether a solution of the reader's model gives the cell another value.

        Asked first in a small neighbourhood of the cell, the hidden cells within a few
        relations of it, with every hidden cell outside at its true value: a solution
        there, with the true values elsewhere, satisfies every relation (all relations that
        touch a changed cell are in the model), so the cell is free. No solution there is
        no proof, so the neighbourhood grows, up to the whole group of hidden cells
        connected to it, where no solution means pinned. A neighbourhood beyond
        ``AUDIT_CELLS`` without a solution counts as pinned: hiding more is the safe side.
        """
        previous = 0
        for radius in AUDIT_RADII:
            cells, whole = self._neighbourhood(number, radius)
            if len(cells) == previous and not whole:
                continue
            previous = len(cells)
            solution = self._other_solution(cells, number)
            if solution is not None:
                self.free.update(
                    cell
                    for cell, value in solution.items()
                    if cell in self.primary and value != self.values[cell]
                )
                return True
            if whole or len(cells) > AUDIT_CELLS:
                return False
        return False

    def _neighbourhood(self, number: int, radius: int) -> tuple[set[int], bool]:
        """The hidden cells within ``radius`` relations of ``number`` (cells not known
        yet always come with every relation they are in, as nothing can fix them), and
        whether that is all the hidden cells connected to it."""
        cells = {number}
        frontier = [number]
        for _step in range(radius):
            frontier = self._next_hidden(frontier, cells)
            if not frontier:
                return cells, True
        # A cell not known yet cannot be held at a value: it comes in with its relations.
        pending = list(frontier)
        while pending:
            unknown = [
                member
                for cell in pending
                for relation in self.relations_of[cell]
                for member in self.relations[relation].members
                if member not in cells and self.values[member] is None
            ]
            cells.update(unknown)
            pending = unknown
        return cells, not self._next_hidden(list(cells), set(cells))

    def _next_hidden(self, frontier: list[int], cells: set[int]) -> list[int]:
        found = []
        for cell in frontier:
            for relation in self.relations_of[cell]:
                for member in self.relations[relation].members:
                    if member in self.hidden and member not in cells:
                        cells.add(member)
                        found.append(member)
        return found

    def _other_solution(self, cells: set[int], target: int) -> dict[int, int] | None:
        """Values for ``cells`` that satisfy every relation touching them (the other cells
        at their values) with ``target`` not at its true value; None when there are none."""
        from ortools.sat.python import cp_model

        model, variables = self._model(cells)
        model.add_bool_or(self._differs(model, variables[target], self.values[target]))
        solver = _solver()
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None  # none (or out of effort: hiding more is the safe side)
        return {number: solver.value(variable) for number, variable in variables.items()}

    def _model(self, cells: set[int]):
        """The reader's model with ``cells`` unknown and every other cell at its value."""
        model = _new_model()
        variables = {
            number: model.new_int_var(self.lower_bound(number), self.upper, "")
            for number in sorted(cells)
        }

        def term(number: int):
            return variables[number] if number in variables else self.values[number]

        touching = sorted({r for number in cells for r in self.relations_of[number]})
        for number in touching:
            relation = self.relations[number]
            whole = term(relation.whole)
            total = sum(term(part) for part in relation.parts)
            if relation.kind == Relation.EQUAL:
                model.add(whole == total)
                continue
            model.add(whole <= total)
            if relation.kind == Relation.UNION:
                for part in relation.parts:
                    if part in variables or relation.whole in variables:
                        model.add(whole >= term(part))
        return model, variables

    @staticmethod
    def _differs(model, variable, value: int) -> list:
        """Two literals, true when ``variable`` is below or above ``value``."""
        below, above = model.new_bool_var(""), model.new_bool_var("")
        model.add(variable <= value - 1).only_enforce_if(below)
        model.add(variable >= value + 1).only_enforce_if(above)
        return [below, above]

    def _protect(self, pinned: list[int]) -> None:
        """One more hidden cell next to each pinned cell (one per relation and round:
        the next audit sees whether that was enough)."""
        touched: set[int] = set()
        for number in pinned:
            if touched.intersection(self.relations_of[number]):
                continue
            members = [m for r in self.relations_of[number] for m in self.relations[r].members]
            chosen = self._choose(members, self.counts)
            radius = 1
            while chosen is None and radius <= len(self.keys):
                cells, whole = self._neighbourhood(number, radius)
                chosen = self._choose(self._members_around(cells), self.counts)
                if whole:
                    break
                radius *= 2
            if chosen is None:
                chosen = self._hide_a_zero(number)
            if chosen is None:
                continue  # free after all (see _hide_a_zero)
            self._hide(chosen, [])
            touched.update(self.relations_of[chosen])

    def _hide_a_zero(self, number: int) -> int | None:
        """The last resort: everything around the pinned cell is hidden, public or a zero
        count of people. A zero goes then, and the audit knows it may be zero. With
        nothing at all left, the whole group of hidden cells is asked without the audit's
        size limit (None: the cell is free after all)."""
        cells, _whole = self._neighbourhood(number, len(self.keys))
        chosen = self._choose(self._members_around(cells), self.counts, zero_allowed=True)
        if chosen is None:
            solution = self._other_solution(cells, number)
            if solution is not None:
                self.free.add(number)
                return None
            raise ProtectionError(f"{self.keys[number]} is given away and cannot be protected")
        if self.values[chosen] == 0:
            self.hidden_zeros.add(chosen)
        return chosen

    def _members_around(self, cells: set[int]) -> list[int]:
        return [
            member
            for cell in sorted(cells)
            for relation in self.relations_of[cell]
            for member in self.relations[relation].members
        ]

    # -- the result --------------------------------------------------------------------

    def result(self) -> Protection:
        primary = {self.keys[n] for n in self.primary}
        secondary = {self.keys[n] for n in self.secondary}
        hidden = {self.keys[n] for n in self.hidden if self.values[n] is not None}
        suppressed_counts = set(hidden)
        for key, value in self.cube.values.items():
            if value is None:
                continue
            measure_ = self.measures.get(key[2])
            if measure_ is None:
                hidden.add(key)  # unknown to the rule: never shown
                continue
            if not measure_.displayed:
                hidden.add(key)
            if measure_.unit in COUNT_UNITS:
                continue
            if not _viewer_may_see(measure_, self.cube, key):
                hidden.add(key)
            elif self._derived_is_primary(key, measure_, suppressed_counts, primary):
                hidden.add(key)
                primary.add(key)
        return Protection(
            rule=RULE_ID,
            min_cell=self.min_cell,
            hidden=frozenset(hidden),
            primary=frozenset(primary),
            secondary=frozenset(secondary),
            hidden_zeros=frozenset(self.keys[n] for n in self.hidden_zeros),
        )

    def _derived_is_primary(self, key, measure_: Measure, suppressed, primary) -> bool:
        """A mean over too few people or a hidden count of them; a share with a hidden part
        or a small denominator."""
        group, period, _name = key
        base = (group, period, measure_.base) if measure_.base else None
        base_value = self.cube.values.get(base) if base else None
        if measure_.unit == Unit.MEAN:
            if base is None:
                return False
            # Any hidden base, not only a small one: a mean's interval carries its n.
            return (
                base_value is None
                or 0 < base_value < self.min_cell
                or base in primary
                or base in suppressed
            )
        numerator = (group, period, measure_.numerator) if measure_.numerator else None
        if base is None or numerator is None:
            return True  # a share the rule cannot vouch for
        numerator_value = self.cube.values.get(numerator)
        return (
            base_value is None
            or numerator_value is None
            or base_value < self.min_cell
            or base in suppressed
            or numerator in suppressed
        )


def _new_model():
    """A CP-SAT model without the pre-PEP 8 aliases OR-Tools adds to every new model (a
    millisecond each, a third of the time of the audit's small models)."""
    from ortools.sat.python import cp_model

    class Model(cp_model.CpModel):
        def _add_pre_pep8_methods(self) -> None:
            pass

    global _new_model  # noqa: PLW0603 - the class once, then plain instances

    def _new_model():
        return Model()

    return Model()


def _solver():
    """One worker with a fixed seed and a limit in deterministic time (the solver's own
    measure of work, not the clock): the same cube gives the same answers on any machine."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = SOLVE_EFFORT
    return solver


def _viewer_may_see(measure_: Measure, cube: Cube, key: CellKey) -> bool:
    group_kind = cube.groups[key[0]].kind
    period_kind = Period.from_key(key[1]).kind
    if measure_.viewer_levels is not None and group_kind not in measure_.viewer_levels:
        return False
    return measure_.viewer_periods is None or period_kind in measure_.viewer_periods
