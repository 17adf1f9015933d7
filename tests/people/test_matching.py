"""Names that resemble each other (people.matching): typos, word order, accents; duplicates."""

import unicodedata
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omzien.people import matching
from omzien.people.matching import Kind, match_name, search, similar_people

LETTERS = "abcdefghijklmnopqrstuvwxyzéëèïöüáàçñ"
word = st.text(alphabet=LETTERS, min_size=1, max_size=12)
name_words = st.lists(word, min_size=1, max_size=3)

NAMES = [
    "Jannie Kamphuis",
    "Jan Kamphuis",
    "Gerrit Kamphuis",
    "Mariëtte de Vries",
    "Marie Jansen",
    "Janny de Boer",
    "Jan-Willem van 't Hof",
    "Hendrika Brinkman",
]


def found(query, names=NAMES):
    return [match.item for match in search(query, names, name=lambda name: name)]


def person(first, last="", village=None):
    return SimpleNamespace(first_name=first, last_name=last, village_id=village)


def without_accents(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# --- Searching ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["janie", "Janie", "Kamphuis Jannie", "kamphuis janie", "jannie kamhuis", "JANNIE KÄMPHUIS"],
)
def test_typos_word_order_and_accents_find_jannie(typed):
    assert "Jannie Kamphuis" in found(typed)


@pytest.mark.parametrize("typed", ["xyz", "qqqq", "zzzzzz", "kwartel", "jannie xyz", "123"])
def test_nonsense_finds_nobody(typed):
    assert found(typed) == []


def test_exact_matches_come_first_then_the_similar_ones_by_score():
    results = search("jannie", NAMES, name=lambda name: name)
    assert results[0].item == "Jannie Kamphuis"
    assert results[0].kind is Kind.PREFIX
    assert all(match.kind is Kind.SIMILAR for match in results[1:])
    kinds = [match.kind for match in search("jan", NAMES + ["Jaan Bos"], name=lambda n: n)]
    assert kinds == sorted(kinds)
    assert found("jan")[:3] == ["Jan Kamphuis", "Jan-Willem van 't Hof", "Jannie Kamphuis"]


def test_a_word_inside_a_name_is_exact_and_short_words_are_never_typos():
    assert found("vries") == ["Mariëtte de Vries"]
    assert search("ries", NAMES, name=lambda name: name)[0].kind is Kind.CONTAINS
    assert found("jw") == []  # two letters that begin no word: no guessing


@given(first=name_words, last=name_words)
def test_a_name_always_finds_itself_in_either_order(first, last):
    full = " ".join(first + last)
    for typed in [full, " ".join(last + first), full.upper()]:
        assert match_name(typed, full) == (Kind.PREFIX, 100.0)


@given(query=name_words, name=name_words, order=st.randoms())
def test_word_order_of_the_query_does_not_matter(query, name, order):
    shuffled = list(query)
    order.shuffle(shuffled)
    assert match_name(" ".join(shuffled), " ".join(name)) == match_name(
        " ".join(query), " ".join(name)
    )


@given(query=name_words, name=name_words)
def test_accents_and_capitals_do_not_matter(query, name):
    typed = " ".join(query)
    assert match_name(without_accents(typed).upper(), " ".join(name)) == match_name(
        typed, " ".join(name)
    )


@given(query=st.text(max_size=30), names=st.lists(st.text(max_size=30), max_size=8))
def test_scores_stay_within_0_and_100_and_results_are_in_order(query, names):
    results = search(query, names, name=lambda name: name)
    assert all(matching.SEARCH_THRESHOLD <= match.score <= 100 for match in results)
    assert [match.kind for match in results] == sorted(match.kind for match in results)


# --- Duplicates -----------------------------------------------------------------------

PEOPLE = [
    person("Jannie", "Kamphuis", village=1),
    person("Gerrit", "Kamphuis", village=1),
    person("Janny", "de Boer", village=2),
    person("Piet", "", village=1),
]


def similar(first, last="", village=None):
    return [
        (match.item.first_name, match.item.last_name)
        for match in similar_people(PEOPLE, first, last, village)
    ]


def test_a_newcomer_who_resembles_someone_known_is_found():
    assert similar("Jannie", "Kamphuis", 1) == [("Jannie", "Kamphuis")]
    assert similar("Janie", "Kamphuis", 1) == [("Jannie", "Kamphuis")]
    assert similar("Kamphuis", "Jannie", 1) == [("Jannie", "Kamphuis")]
    assert similar("jannie", "", 1) == [("Jannie", "Kamphuis")]  # first name only
    assert similar("Piet", "Bakker", 1) == [("Piet", "")]  # the known one has no last name
    assert similar("Hendrik", "Jansen", 1) == []
    assert similar("Gerard", "Kamphuis", 1) == []


def test_another_village_asks_only_about_the_very_same_name():
    assert similar("Jannie", "Kamphuis", 2) == [("Jannie", "Kamphuis")]
    assert similar("Janie", "Kamphuis", 2) == []
    assert similar("Janie", "Kamphuis", None) == [("Jannie", "Kamphuis")]  # unknown: no penalty


@given(first=name_words, last=name_words, village=st.none() | st.integers(1, 3))
def test_everyone_resembles_themselves(first, last, village):
    someone = person(" ".join(first), " ".join(last), village)
    assert [
        m.score for m in similar_people([someone], someone.first_name, someone.last_name, village)
    ] == [100.0]


@given(a=st.tuples(name_words, name_words), b=st.tuples(name_words, name_words))
def test_resemblance_is_symmetric(a, b):
    one = person(" ".join(a[0]), " ".join(a[1]), 1)
    other = person(" ".join(b[0]), " ".join(b[1]), 2)
    forth = matching.person_similarity(
        one.first_name, one.last_name, 1, other.first_name, other.last_name, 2
    )
    back = matching.person_similarity(
        other.first_name, other.last_name, 2, one.first_name, one.last_name, 1
    )
    assert forth == back


def test_likely_duplicate_pairs_of_a_place():
    people = [
        *PEOPLE,
        person("Jannie", "", village=1),
        person("Janie", "Kamphuis", village=1),
        person("Mien", "Kamphuis", village=1),  # family, not a duplicate
    ]
    pairs = {
        (pair.first.first_name, pair.first.last_name, pair.second.first_name, pair.second.last_name)
        for pair in matching.likely_duplicate_pairs(people)
    }
    assert pairs == {
        ("Jannie", "Kamphuis", "Jannie", ""),
        ("Jannie", "Kamphuis", "Janie", "Kamphuis"),
    }
