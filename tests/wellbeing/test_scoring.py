"""Scoring against the manuals' rules.

The 6-item scale is checked on every answer pattern (3^6 complete ones, and every pattern
with missing answers) against a second formulation written here from the manual's SPSS
syntax (§8), independent of `wellbeing.instruments`' data: which items are positive, what
counts as lonely, when a score is missing.
"""

import itertools
import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from omzien.wellbeing.instruments import INSTRUMENTS
from omzien.wellbeing.scoring import InvalidAnswers, is_lonely, parse_answers, score

DJG_ANSWERS = ["ja", "min of meer", "nee"]


def spss_djg6(answers):
    """The manual's §8 syntax, transcribed: lone3 lone9 lone10 are the negative items
    (CBS order 1, 4, 6), counted on "ja"/"min of meer" (codes 2,3 in the manual's coding
    where 1 = nee); lone4 lone7 lone8 the positive ones (CBS order 2, 3, 5), counted on
    "nee"/"min of meer"; -1 (here None) when mlones > 1 (total) or > 0 (subscale)."""
    emotional_items = [answers[0], answers[3], answers[5]]
    social_items = [answers[1], answers[2], answers[4]]
    emotional_count = sum(1 for a in emotional_items if a in ("ja", "min of meer"))
    social_count = sum(1 for a in social_items if a in ("nee", "min of meer"))
    missing_emotional = emotional_items.count(None)
    missing_social = social_items.count(None)
    lones = emotional_count + social_count
    if missing_emotional + missing_social > 1:
        lones = None
    loneemos = None if missing_emotional > 0 else emotional_count
    lonesocs = None if missing_social > 0 else social_count
    if lones is None:
        category = None
    elif lones <= 1:
        category = "not"
    elif lones <= 4:
        category = "moderate"
    else:
        category = "severe"
    return {"total": lones, "emotional": loneemos, "social": lonesocs, "category": category}


def as_expected(result):
    return {key: result.as_dict()[key] for key in ("total", "emotional", "social", "category")}


@pytest.mark.parametrize("answers", list(itertools.product(DJG_ANSWERS, repeat=6)))
def test_every_complete_djg6_pattern_scores_as_the_manual_syntax(answers):
    assert as_expected(score("djg6", list(answers))) == spss_djg6(list(answers))


@given(st.lists(st.sampled_from([*DJG_ANSWERS, None]), min_size=6, max_size=6))
def test_djg6_with_missing_answers_scores_as_the_manual_syntax(answers):
    assert as_expected(score("djg6", answers)) == spss_djg6(answers)


def test_every_djg6_pattern_with_missing_answers():
    for answers in itertools.product([*DJG_ANSWERS, None], repeat=6):
        assert as_expected(score("djg6", list(answers))) == spss_djg6(list(answers))


def test_djg6_one_missing_item_counts_the_other_five_without_prorating():
    result = score("djg6", [None, "nee", "nee", "ja", "nee", "ja"])
    assert result.total == 5  # 3 social + 2 emotional answered; not prorated to 6
    assert result.subscales == {"emotional": None, "social": 3}
    assert result.category == "severe"


def test_djg6_two_missing_items_have_no_total():
    result = score("djg6", [None, None, "nee", "ja", "nee", "ja"])
    assert result.as_dict() == {
        "instrument": "djg6",
        "total": None,
        "emotional": None,
        "social": None,
        "category": None,
    }


# --- 11 items -------------------------------------------------------------------------------

POSITIVE_11 = {1, 4, 7, 8, 11}


def djg11_answers(lonely_items: set[int], lonely_positive="nee", lonely_negative="ja"):
    """Answers that are lonely exactly on the given items."""
    answers = []
    for number in range(1, 12):
        positive = number in POSITIVE_11
        if number in lonely_items:
            answers.append(lonely_positive if positive else lonely_negative)
        else:
            answers.append("ja" if positive else "nee")
    return answers


@pytest.mark.parametrize(
    ("lonely_items", "total", "emotional", "social", "category"),
    [
        (set(), 0, 0, 0, "not"),
        ({1, 2}, 2, 1, 1, "not"),
        ({1, 2, 3}, 3, 2, 1, "moderate"),
        ({2, 3, 5, 6, 9, 10, 1, 4}, 8, 6, 2, "moderate"),
        ({2, 3, 5, 6, 9, 10, 1, 4, 7}, 9, 6, 3, "severe"),
        (set(range(1, 11)), 10, 6, 4, "severe"),
        (set(range(1, 12)), 11, 6, 5, "very_severe"),
    ],
)
def test_djg11_fixed_cases(lonely_items, total, emotional, social, category):
    result = score("djg11", djg11_answers(lonely_items))
    assert (result.total, result.subscales, result.category) == (
        total,
        {"emotional": emotional, "social": social},
        category,
    )


def test_djg11_min_of_meer_is_lonely_on_both_kinds_of_item():
    result = score("djg11", ["min of meer"] * 11)
    assert result.total == 11
    assert result.category == "very_severe"


def test_djg11_positive_items_are_1_4_7_8_11():
    data = INSTRUMENTS["djg11"]
    assert {item.number for item in data.items if item.polarity == "positive"} == POSITIVE_11
    assert {item.number for item in data.items if item.subscale == "social"} == POSITIVE_11


def independent_djg11(answers):
    """The 11-item rules written out again: lonely is "ja"/"min of meer" on items
    2, 3, 5, 6, 9, 10 and "nee"/"min of meer" on 1, 4, 7, 8, 11; no total with more than
    two missing, no subscale with more than one of its items missing."""
    emotional_numbers, social_numbers = (2, 3, 5, 6, 9, 10), (1, 4, 7, 8, 11)
    emotional = [answers[n - 1] for n in emotional_numbers]
    social = [answers[n - 1] for n in social_numbers]
    e = sum(a in ("ja", "min of meer") for a in emotional)
    s = sum(a in ("nee", "min of meer") for a in social)
    total = None if answers.count(None) > 2 else e + s
    bands = [(2, "not"), (8, "moderate"), (10, "severe"), (11, "very_severe")]
    category = None if total is None else next(name for top, name in bands if total <= top)
    return {
        "total": total,
        "emotional": None if emotional.count(None) > 1 else e,
        "social": None if social.count(None) > 1 else s,
        "category": category,
    }


@given(st.lists(st.sampled_from([*DJG_ANSWERS, None]), min_size=11, max_size=11))
def test_djg11_scores_as_the_rules_written_out_again(answers):
    assert as_expected(score("djg11", answers)) == independent_djg11(answers)


def test_djg11_missing_answers():
    two_missing = djg11_answers({2, 3})
    two_missing[0] = two_missing[4] = None  # one social, one emotional item
    result = score("djg11", two_missing)
    assert (result.total, result.subscales) == (2, {"emotional": 2, "social": 0})
    three_missing = list(two_missing)
    three_missing[1] = None
    assert score("djg11", three_missing).total is None
    two_emotional_missing = djg11_answers(set())
    two_emotional_missing[1] = two_emotional_missing[2] = None
    result = score("djg11", two_emotional_missing)
    assert (result.total, result.subscales["emotional"], result.subscales["social"]) == (0, None, 0)


# --- UCLA-3 and health ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total", "category"),
    [
        (["bijna nooit"] * 3, 3, "not"),
        (["soms", "soms", "bijna nooit"], 5, "not"),
        (["soms", "soms", "soms"], 6, "lonely"),
        (["vaak", "bijna nooit", "vaak"], 7, "lonely"),
        (["vaak"] * 3, 9, "lonely"),
        (["vaak", None, "vaak"], None, None),
    ],
)
def test_ucla3(answers, total, category):
    result = score("ucla3", answers)
    assert result.as_dict() == {
        "instrument": "ucla3",
        "total": total,
        "emotional": None,
        "social": None,
        "category": category,
    }


def test_lonely_or_not():
    assert is_lonely("djg6", "not") is False
    assert is_lonely("djg6", "moderate") is True
    assert is_lonely("ucla3", "lonely") is True
    assert is_lonely("djg6", None) is None
    assert is_lonely("health", "good") is None


def test_self_rated_health():
    assert score("health", ["zeer goed"]).category == "good"
    assert score("health", ["gaat wel"]).as_dict()["total"] == 3
    assert score("health", ["zeer slecht"]).category == "not_good"


def test_answers_are_read_leniently_but_unknown_ones_refused():
    assert score("djg6", ["JA", "min-of-meer", " nee ", "ja", "nee", "ja"]).total == 6
    with pytest.raises(InvalidAnswers, match="misschien"):
        score("djg6", ["misschien", "ja", "ja", "ja", "ja", "ja"])
    with pytest.raises(InvalidAnswers):
        score("djg6", ["ja"] * 5)


def test_parse_answers_keeps_empty_ones_as_missing():
    assert parse_answers("ja,,nee") == ["ja", None, "nee"]


# --- The command ------------------------------------------------------------------------------


def test_command_json(capsys):
    call_command("score", "djg6", "--answers", "ja,nee,nee,ja,min of meer,nee", "--format", "json")
    assert json.loads(capsys.readouterr().out) == {
        "instrument": "djg6",
        "total": 5,
        "emotional": 2,
        "social": 3,
        "category": "severe",
    }


def test_command_text_with_missing(capsys):
    call_command("score", "ucla3", "--answers", "vaak,,soms")
    out = capsys.readouterr().out
    assert "total: -" in out
    assert "category: -" in out


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        ("djg7", "ja", "djg7"),
        ("djg6", "ja,ja", "6"),
        ("ucla3", "nooit,soms,vaak", "nooit"),
    ],
)
def test_command_refuses_bad_input(instrument, answers, message):
    with pytest.raises(CommandError, match=message):
        call_command("score", instrument, "--answers", answers)


def test_command_exits_non_zero(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "omzien", "score", "djg6", "--answers", "ja"],
        capture_output=True,
        text=True,
        env={"OMZIEN_DATA_DIR": str(tmp_path), "PATH": ""},
        check=False,
    )
    assert done.returncode != 0
    assert "6" in done.stderr
