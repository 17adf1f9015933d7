"""Reasons and chances in words a volunteer reads: the activity with its article, "usually"
only for more than half, the probability as a plain label."""

import pytest
from django.utils import translation

from omzien.core.phrasing import DE, HET, OWN, activity_phrase, article_kind
from omzien.signals.detection import attendance_phrase, usually
from omzien.signals.models import chance_label

TUESDAY = 1


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Koffieochtend", DE),
        ("Wandelgroep Voorst", DE),
        ("Computerhulp", DE),
        ("Open keuken", DE),
        ("Handwerkcafé", HET),
        ("Repair Cafe", HET),
        ("Biljarten", HET),
        ("Samen eten", HET),
        ("Praatuurtje", HET),
        ("Spreekuur", HET),
        ("Zangkoor", HET),
        ("Vrijwilligersbijeenkomingen", DE),
        ("De Soos", OWN),
        ("'t Hofje", OWN),
        ("Het Trefpunt", OWN),
    ],
)
def test_article_kind(title, kind):
    assert article_kind(title) == kind


def test_activity_phrase_in_dutch():
    with translation.override("nl"):
        assert activity_phrase("Koffieochtend") == "de Koffieochtend"
        assert activity_phrase("Handwerkcafé") == "het Handwerkcafé"
        assert activity_phrase("Samen eten") == "het Samen eten"
        assert activity_phrase("De Soos") == "De Soos"


def test_activity_phrase_in_english():
    with translation.override("en"):
        assert activity_phrase("Koffieochtend") == "the Koffieochtend"
        assert activity_phrase("De Soos") == "De Soos"


@pytest.mark.parametrize(
    ("attended", "held", "expected"),
    [
        (5, 7, True),
        (4, 7, True),
        (4, 8, False),
        (3, 7, False),
        (2, 7, False),
        (1, 1, True),
        (0, 0, False),
    ],
)
def test_usually_means_more_than_half(attended, held, expected):
    assert usually(attended, held) is expected


def test_most_of_the_time_says_meestal_with_the_article():
    with translation.override("nl"):
        text = attendance_phrase("Handwerkcafé", TUESDAY, 5, 7)
    assert text == "Komt meestal naar het Handwerkcafé op dinsdag (5 van de laatste 7 keer)"


def test_two_of_seven_is_not_meestal():
    with translation.override("nl"):
        text = attendance_phrase("Koffieochtend", TUESDAY, 2, 7)
        without_day = attendance_phrase("Koffieochtend", None, 2, 7)
    assert "meestal" not in text
    assert text == "Kwam 2 van de laatste 7 keer naar de Koffieochtend op dinsdag"
    assert without_day == "Kwam 2 van de laatste 7 keer naar de Koffieochtend"


def test_half_is_not_most():
    with translation.override("nl"):
        assert "meestal" not in attendance_phrase("Koffieochtend", None, 4, 8)
        assert "meestal" in attendance_phrase("Koffieochtend", None, 5, 8)


def test_english_reason_words():
    with translation.override("en"):
        assert (
            attendance_phrase("Koffieochtend", TUESDAY, 2, 7)
            == "Came to the Koffieochtend on tuesday 2 of the last 7 times"
        )


@pytest.mark.parametrize(
    ("probability", "label"),
    [
        (0.95, "grote kans dat er iets is"),
        (0.9, "grote kans dat er iets is"),
        (0.89, "er kan iets aan de hand zijn"),
        (0.5, "er kan iets aan de hand zijn"),
        (0.49, "kleine kans, maar vragen kan geen kwaad"),
        (0.2, "kleine kans, maar vragen kan geen kwaad"),
        (None, "met de hand gemeld, geen schatting"),
    ],
)
def test_chance_in_words(probability, label):
    with translation.override("nl"):
        assert chance_label(probability) == label


@pytest.mark.django_db
def test_detected_reason_in_dutch(regular):
    from omzien.signals import detection
    from tests.signals.conftest import AS_OF

    with translation.override("nl"):
        [signal] = detection.find_signals(AS_OF, p_alive=detection.rhythm_only)
    assert signal.reason == (
        "Komt meestal naar de koffieochtend op dinsdag (9 van de laatste 10 keer); "
        "laatst gezien 24 dagen geleden; 3 bijeenkomsten gemist."
    )
