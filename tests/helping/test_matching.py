"""helping.matching: the rules, the score and its reasons, and the batch proposal against
a brute-force optimum on small random instances."""

import itertools

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omzien.helping import matching
from omzien.helping.matching import Capacity, Need

# A few Voorst villages (the demo network's coordinates): Twello and Duistervoorde lie
# ~0.9 km apart, Wilp ~3.5 km from Twello, Voorst ~8 km.
VILLAGES = {
    "twello": ("Twello", 52.2367, 6.1028),
    "duistervoorde": ("Duistervoorde", 52.2305, 6.0945),
    "wilp": ("Wilp", 52.2181, 6.1467),
    "voorst": ("Voorst", 52.1714, 6.1464),
}


def need(ref, village="twello", person=None, categories=("boodschappen",), **fields):
    name, lat, lon = VILLAGES[village]
    return Need(
        ref=ref,
        person_key=person if person is not None else f"vrager-{ref}",
        village=village,
        lat=lat,
        lon=lon,
        categories=frozenset(categories),
        village_name=name,
        **{
            key: frozenset(value) if key in {"days", "parts"} else value
            for key, value in fields.items()
        },
    )


def offer(ref, village="twello", person=None, categories=("boodschappen",), **fields):
    name, lat, lon = VILLAGES[village]
    return Capacity(
        ref=ref,
        person_key=person if person is not None else f"helper-{ref}",
        village=village,
        lat=lat,
        lon=lon,
        categories=frozenset(categories),
        village_name=name,
        **{
            key: frozenset(value) if key in {"days", "parts", "villages"} else value
            for key, value in fields.items()
        },
    )


# -- the rules ---------------------------------------------------------------------


def test_a_candidate_shares_a_category_a_day_and_a_part_of_the_day():
    request = need("v1", days={"ma", "di"}, parts={"ochtend"})
    assert matching.is_candidate(request, offer("a1", days={"di"}, parts={"ochtend", "middag"}))
    assert not matching.is_candidate(request, offer("a2", categories={"tuin"}))
    assert not matching.is_candidate(request, offer("a3", days={"wo"}))
    assert not matching.is_candidate(request, offer("a4", days={"ma"}, parts={"avond"}))
    # No days or parts named: any.
    assert matching.is_candidate(request, offer("a5"))


def test_distance_is_the_offers_max_km_or_its_own_villages():
    request = need("v1", village="voorst")  # ~7.5 km from Twello
    assert not matching.is_candidate(request, offer("a1", max_km=5))
    assert matching.is_candidate(request, offer("a2", max_km=8))
    assert matching.is_candidate(request, offer("a3", max_km=1, villages={"voorst"}))
    # No distance named: DEFAULT_MAX_KM (5 km).
    assert not matching.is_candidate(request, offer("a4"))
    assert matching.is_candidate(need("v2", village="wilp"), offer("a5"))


def test_an_offer_from_the_notice_board_is_for_its_request_only():
    board_offer = offer("a1", only_for="v1")
    assert matching.is_candidate(need("v1"), board_offer)
    assert not matching.is_candidate(need("v2"), board_offer)
    batch = matching.propose_batch([need("v2"), need("v1")], [board_offer])
    assert [(p.need_ref, p.capacity_ref) for p in batch.proposals] == [("v1", "a1")]


def test_nobody_helps_themselves_and_a_full_month_is_full():
    assert not matching.is_candidate(need("v1", person="p1"), offer("a1", person="p1"))
    assert not matching.is_candidate(need("v1"), offer("a1", max_per_month=2, used_this_month=2))
    assert matching.is_candidate(need("v1"), offer("a1", max_per_month=2, used_this_month=1))


# -- score and reasons ------------------------------------------------------------


def test_suggestions_are_ranked_with_the_reasons_in_dutch():
    request = need("v1", person="p-anna", categories={"vervoer"}, days={"ma"}, parts={"middag"})
    helpers = [
        offer("far", village="wilp", categories={"vervoer"}, has_car=True, max_per_month=4),
        offer(
            "known",
            village="duistervoorde",
            person="p-bert",
            categories={"vervoer"},
            has_car=True,
            max_per_month=4,
            used_this_month=1,
        ),
        offer("busy", categories={"vervoer"}, max_per_month=4, used_this_month=3, days={"di"}),
    ]
    known = {("p-anna", "p-bert"): "Koffieochtend"}
    suggestions = matching.suggestions_for(request, helpers, known)
    assert [s.capacity_ref for s in suggestions] == ["known", "far"]  # "busy": not on Monday
    with translation.override("nl"):
        reasons = matching.render_reasons(suggestions[0].reasons)
    assert reasons == [
        "Kan helpen met vervoer",
        "Beiden kunnen op maandag, in de middag",
        "0,9 km (Duistervoorde – Twello)",
        "Deze maand 1 van de 4 keer gekoppeld",
        "Kennen elkaar van de Koffieochtend",
        "Heeft een auto",
    ]
    assert 0 < suggestions[1].score < suggestions[0].score <= 100


def test_reasons_keep_their_codes_and_render_in_english_too():
    proposal = matching.proposal_for(need("v1"), offer("a1"))
    stored = [reason.as_json() for reason in proposal.reasons]
    assert stored[0] == {"code": "category", "params": {"categories": ["boodschappen"]}}
    with translation.override("nl"):
        assert matching.render_reasons(stored)[2] == "Woont ook in Twello"
        assert matching.render_reasons(stored)[3] == "Deze maand nog niet gekoppeld"
    with translation.override("nl"):
        assert matching.render_reasons(stored)[0] == "Kan helpen met boodschappen"
    with translation.override("en"):
        assert matching.render_reasons(stored)[0] == "Can help with shopping"
        assert matching.render_reasons(stored)[2] == "Lives in Twello too"
    assert matching.render_reasons(["Al in woorden"]) == ["Al in woorden"]


# -- the batch ----------------------------------------------------------------------


def test_the_batch_matches_more_than_first_come_greedy():
    # Greedy gives the first request the only helper who could do the second one.
    first = need("v1", categories={"boodschappen"}, created=None)
    second = need("v2", categories={"tuin"})
    helpers = [
        offer("both", categories={"boodschappen", "tuin"}, max_per_month=1),
        offer("shopping", village="duistervoorde", categories={"boodschappen"}, max_per_month=1),
    ]
    greedy = matching.greedy_batch([first, second], helpers)
    batch = matching.propose_batch([first, second], helpers)
    assert len(greedy.proposals) == 1
    assert {(p.need_ref, p.capacity_ref) for p in batch.proposals} == {
        ("v1", "shopping"),
        ("v2", "both"),
    }


def test_the_load_is_spread_over_equally_near_helpers():
    requests = [need(f"v{i}") for i in range(4)]
    helpers = [offer("a", max_per_month=4), offer("b", max_per_month=4)]
    batch = matching.propose_batch(requests, helpers)
    loads = sorted(sum(p.capacity_ref == ref for p in batch.proposals) for ref in ("a", "b"))
    assert loads == [2, 2]


def test_the_fuller_helper_gets_less():
    requests = [need(f"v{i}") for i in range(3)]
    helpers = [
        offer("a", max_per_month=4, used_this_month=3),
        offer("b", max_per_month=4),
    ]
    batch = matching.propose_batch(requests, helpers)
    assert sum(p.capacity_ref == "a" for p in batch.proposals) == 0


def test_an_urgent_request_goes_first_when_there_is_room_for_one():
    requests = [need("later", urgency="geen-haast"), need("now", urgency="week")]
    batch = matching.propose_batch(requests, [offer("a", max_per_month=1)])
    assert [p.need_ref for p in batch.proposals] == ["now"]
    assert batch.unmatched == ["later"]


def test_no_helpers_or_no_requests():
    assert matching.propose_batch([], [offer("a")]).proposals == []
    assert matching.propose_batch([need("v1")], []).unmatched == ["v1"]
    assert matching.greedy_batch([need("v1")], []).unmatched == ["v1"]


def test_pruning_keeps_the_matches_a_far_helper_can_make():
    # Each request keeps 3 of its 4 equally near candidates: the near helpers fill up, and
    # only the repair pass gives the fifth request the far helper.
    requests = [need(f"v{i}") for i in range(5)]
    helpers = [offer(f"near{i}", max_per_month=1) for i in range(4)]
    helpers.append(offer("far", village="wilp", max_per_month=1))
    without_repair = matching.propose_batch(requests, helpers, max_candidates=3, repair_passes=0)
    assert len(without_repair.proposals) <= 4
    assert without_repair.pruned == 5
    batch = matching.propose_batch(requests, helpers, max_candidates=3)
    assert len(batch.proposals) == 5
    assert "far" in {p.capacity_ref for p in batch.proposals}
    assert matching.propose_batch(requests, helpers).pruned == 0  # the default keeps all


# -- against brute force ------------------------------------------------------------

CATEGORIES = ["boodschappen", "vervoer", "tuin"]
DAYS = ["ma", "di", "wo"]
PARTS = ["ochtend", "middag"]
PEOPLE = [f"p{i}" for i in range(8)]


@st.composite
def instances(draw):
    def subset(values, min_size=0):
        return draw(st.frozensets(st.sampled_from(values), min_size=min_size))

    village_names = sorted(VILLAGES)
    requests = []
    for index in range(draw(st.integers(0, 6))):
        village = draw(st.sampled_from(village_names))
        requests.append(
            need(
                f"v{index}",
                village=village,
                person=draw(st.sampled_from(PEOPLE)),
                categories=subset(CATEGORIES, 1),
                days=subset(DAYS),
                parts=subset(PARTS),
                urgency=draw(st.sampled_from(["week", "maand", "geen-haast"])),
            )
        )
    helpers = []
    for index in range(draw(st.integers(0, 4))):
        maximum = draw(st.sampled_from([None, 0, 1, 2, 3]))
        helpers.append(
            offer(
                f"a{index}",
                village=draw(st.sampled_from(village_names)),
                person=draw(st.sampled_from(PEOPLE)),
                categories=subset(CATEGORIES, 1),
                days=subset(DAYS),
                parts=subset(PARTS),
                max_km=draw(st.sampled_from([None, 0.5, 2.0, 4.0, 10.0])),
                villages=subset(village_names),
                max_per_month=maximum,
                used_this_month=draw(st.integers(0, maximum or 2)),
                has_car=draw(st.booleans()),
                only_for=draw(st.sampled_from([None, None, None, "v0", "v1", "v9"])),
            )
        )
    return requests, helpers


def brute_force(requests, helpers):
    """(most matched, least total distance at that number), over every assignment."""
    options = [
        [None] + [j for j, helper in enumerate(helpers) if matching.is_candidate(request, helper)]
        for request in requests
    ]
    best = (0, 0.0)
    for choice in itertools.product(*options):
        load = {}
        for j in choice:
            if j is not None:
                load[j] = load.get(j, 0) + 1
        if any(
            helpers[j].remaining is not None and count > helpers[j].remaining
            for j, count in load.items()
        ):
            continue
        count = sum(load.values())
        distance = sum(
            matching.distance_km(requests[i], helpers[j])
            for i, j in enumerate(choice)
            if j is not None
        )
        if count > best[0] or (count == best[0] and distance < best[1]):
            best = (count, distance)
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_batch_is_optimal_against_brute_force(instance):
    requests, helpers = instance
    batch = matching.propose_batch(requests, helpers)
    assert matching.check_proposals(batch.proposals, requests, helpers) == []
    count, distance = brute_force(requests, helpers)
    assert len(batch.proposals) == count
    # The flow counts distance in tens of metres: within 5 m a pair of the optimum.
    assert batch.total_distance_km == pytest.approx(distance, abs=0.01 * count + 1e-6)
    assert len(batch.unmatched) == len(requests) - count
    greedy = matching.greedy_batch(requests, helpers)
    assert matching.check_proposals(greedy.proposals, requests, helpers) == []
    assert len(greedy.proposals) <= len(batch.proposals)


@settings(max_examples=100, deadline=None)
@given(instances())
def test_the_arrays_apply_the_same_rules_as_one_pair(instance):
    requests, helpers = instance
    r, h, d, counts = matching.candidate_pairs(requests, helpers)
    expected = {
        (i, j)
        for i, request in enumerate(requests)
        for j, helper in enumerate(helpers)
        if matching.is_candidate(request, helper)
    }
    assert set(zip(r.tolist(), h.tolist(), strict=True)) == expected
    for i, j, distance in zip(r.tolist(), h.tolist(), d.tolist(), strict=True):
        assert distance == pytest.approx(matching.distance_km(requests[i], helpers[j]), abs=1e-9)
    assert counts.sum() == len(expected)
