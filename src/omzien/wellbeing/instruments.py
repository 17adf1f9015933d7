"""The questionnaires Omzien asks, as data: a new instrument is a new entry here, not code.

An instrument has items (the wording as published, in Dutch, and in English), the answers
a person may give, the points each answer scores on each item, the scales it is summed
into (the total and any subscales) with how many missing answers each scale allows, and
the bands that name a total's category. `wellbeing.scoring` reads nothing else.

Sources (each rule below names the one it follows):

- [MANUAL] De Jong Gierveld, J., & Van Tilburg, T. G. (1999). *Manual of the Loneliness
  Scale*. Vrije Universiteit Amsterdam (updated online version, 2022),
  http://hdl.handle.net/1871/18954. §2: the items and answers; §7: scoring (dichotomised
  answers) and missing answers of the 11-item scale; §8: the 6-item scale and its SPSS
  syntax (scoring, missing answers); §9: the cut-off points.
- [DJG2006] De Jong Gierveld, J., & Van Tilburg, T. G. (2006). A 6-item scale for overall,
  emotional, and social loneliness. *Research on Aging*, 28(5), 582–598; in Dutch:
  De Jong Gierveld & Van Tilburg (2008), De ingekorte schaal voor algemene, emotionele en
  sociale eenzaamheid, *Tijdschrift voor Gerontologie en Geriatrie*, 39, 4–15.
- [VTDJG1999] Van Tilburg, T. G., & De Jong Gierveld, J. (1999). Cesuurbepaling van de
  eenzaamheidsschaal. *Tijdschrift voor Gerontologie en Geriatrie*, 30, 158–163 (the
  11-item categories).
- [HUGHES2004] Hughes, M. E., Waite, L. J., Hawkley, L. C., & Cacioppo, J. T. (2004). A
  short scale for measuring loneliness in large surveys. *Research on Aging*, 26(6),
  655–672 (the UCLA 3-item scale; 6 or more as "lonely" is the cut-off used with it,
  e.g. by Steptoe et al. 2013, PNAS 110(15), 5797–5801).
- [CBS] Centraal Bureau voor de Statistiek, Gezondheidsenquête: "Hoe is over het algemeen
  uw gezondheid?" (zeer goed, goed, gaat wel, slecht, zeer slecht; "(zeer) goed" is the
  indicator CBS reports) and the 6-item scale's item order of the CBS/GGD
  Gezondheidsmonitor.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Polarity(StrEnum):
    # A negatively worded item ("Ik ervaar een leegte om me heen"): agreeing is lonely.
    NEGATIVE = "negative"
    # A positively worded item ("Er zijn genoeg mensen ..."): disagreeing is lonely.
    POSITIVE = "positive"
    # No direction: the answer's own points (UCLA-3, self-rated health).
    NONE = "none"


@dataclass(frozen=True)
class Option:
    code: str  # what the command takes and the database keeps (Dutch, lower case)
    dutch: str
    english: str


@dataclass(frozen=True)
class Item:
    number: int  # 1-based, in the instrument's order
    dutch: str
    english: str
    polarity: Polarity = Polarity.NONE
    subscale: str = ""  # "emotional" or "social" for De Jong Gierveld


@dataclass(frozen=True)
class Scale:
    """A sum of item points; missing when more than ``max_missing`` of its items are."""

    name: str  # "total", "emotional", "social"
    items: tuple[int, ...]
    max_missing: int
    rule: str  # where the missing-answer rule comes from


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    category: str


@dataclass(frozen=True)
class Instrument:
    code: str
    dutch_title: str
    english_title: str
    dutch_intro: str
    english_intro: str
    options: tuple[Option, ...]
    items: tuple[Item, ...]
    # points[polarity][answer code]: what an answer scores on an item of that polarity
    points: dict[Polarity, dict[str, int]]
    scales: tuple[Scale, ...]
    bands: tuple[Band, ...]
    source: str
    optional: bool = False  # asked only when the person wants to (the GP question)
    loneliness: bool = False  # a loneliness scale: its category says lonely or not
    not_lonely: frozenset[str] = field(default_factory=frozenset)

    @property
    def total(self) -> Scale:
        return next(scale for scale in self.scales if scale.name == "total")

    def option(self, code: str) -> Option:
        return next(option for option in self.options if option.code == code)

    @property
    def option_codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)


# --- De Jong Gierveld --------------------------------------------------------------------

# [MANUAL] §2: the three-point answers for interviews and short forms ("ja", "min of meer",
# "nee"); the five-point version ("ja!" ... "nee!") is not offered here.
DJG_OPTIONS = (
    Option("ja", "ja", "yes"),
    Option("min of meer", "min of meer", "more or less"),
    Option("nee", "nee", "no"),
)

# [MANUAL] §7 (and §8 for the 6 items): on negatively worded items "ja" and "min of meer"
# score 1, on positively worded items "nee" and "min of meer" score 1; the other answer 0.
DJG_POINTS = {
    Polarity.NEGATIVE: {"ja": 1, "min of meer": 1, "nee": 0},
    Polarity.POSITIVE: {"ja": 0, "min of meer": 1, "nee": 1},
}

NEG, POS = Polarity.NEGATIVE, Polarity.POSITIVE
EMOTIONAL, SOCIAL = "emotional", "social"

DJG_INTRO_NL = (
    "Hieronder staan uitspraken over hoe u zich nu voelt. Wilt u bij elke uitspraak "
    "aangeven in hoeverre die op u van toepassing is?"
)
DJG_INTRO_EN = (
    "Below are statements about how you feel now. Please say for each statement how far "
    "it applies to you."
)

# [MANUAL] §2: the 11 items in the manual's order; positive (social) items 1, 4, 7, 8, 11.
DJG11 = Instrument(
    code="djg11",
    dutch_title="Eenzaamheidsschaal van De Jong Gierveld (11 vragen)",
    english_title="De Jong Gierveld loneliness scale (11 items)",
    dutch_intro=DJG_INTRO_NL,
    english_intro=DJG_INTRO_EN,
    options=DJG_OPTIONS,
    items=(
        Item(
            1,
            "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse "
            "probleempjes terecht kan",
            "There is always someone I can talk to about my day-to-day problems",
            POS,
            SOCIAL,
        ),
        Item(
            2,
            "Ik mis een echt goede vriend of vriendin",
            "I miss having a really close friend",
            NEG,
            EMOTIONAL,
        ),
        Item(
            3,
            "Ik ervaar een leegte om me heen",
            "I experience a general sense of emptiness",
            NEG,
            EMOTIONAL,
        ),
        Item(
            4,
            "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen",
            "There are plenty of people I can lean on when I have problems",
            POS,
            SOCIAL,
        ),
        Item(
            5,
            "Ik mis gezelligheid om me heen",
            "I miss the pleasure of the company of others",
            NEG,
            EMOTIONAL,
        ),
        Item(
            6,
            "Ik vind mijn kring van vrienden en kennissen te beperkt",
            "I find my circle of friends and acquaintances too limited",
            NEG,
            EMOTIONAL,
        ),
        Item(
            7,
            "Ik heb veel mensen op wie ik volledig kan vertrouwen",
            "There are many people I can trust completely",
            POS,
            SOCIAL,
        ),
        Item(
            8,
            "Er zijn voldoende mensen met wie ik me nauw verbonden voel",
            "There are enough people I feel close to",
            POS,
            SOCIAL,
        ),
        Item(9, "Ik mis mensen om me heen", "I miss having people around me", NEG, EMOTIONAL),
        Item(10, "Vaak voel ik me in de steek gelaten", "I often feel rejected", NEG, EMOTIONAL),
        Item(
            11,
            "Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht",
            "I can call on my friends whenever I need them",
            POS,
            SOCIAL,
        ),
    ),
    points=DJG_POINTS,
    # [MANUAL] §7: the total is the number of lonely answers. Missing answers: no total
    # when more than two of the eleven items are missing, no subscale when more than one
    # of its items is; the answered items are counted as they are (no prorating, no
    # imputation), as the §8 syntax does for the six items. To be confirmed against §7's
    # own syntax: the copy of the manual consulted when this was written showed §8 only,
    # so these two thresholds are the one rule here not checked word for word (the
    # Scale's max_missing is the one place to change).
    scales=(
        Scale("total", tuple(range(1, 12)), 2, "[MANUAL] §7: more than 2 of 11 missing"),
        Scale(EMOTIONAL, (2, 3, 5, 6, 9, 10), 1, "[MANUAL] §7: more than 1 of 6 missing"),
        Scale(SOCIAL, (1, 4, 7, 8, 11), 1, "[MANUAL] §7: more than 1 of 5 missing"),
    ),
    # [VTDJG1999], [MANUAL] §9: 0–2 not, 3–8 moderately, 9–10 severely, 11 very severely.
    bands=(
        Band(0, 2, "not"),
        Band(3, 8, "moderate"),
        Band(9, 10, "severe"),
        Band(11, 11, "very_severe"),
    ),
    source="De Jong Gierveld & Van Tilburg (1999), Manual of the Loneliness Scale, §2, §7, §9",
    loneliness=True,
    not_lonely=frozenset({"not"}),
)

# [DJG2006], [MANUAL] §8: the six items, in the order of the CBS/GGD Gezondheidsmonitor.
DJG6 = Instrument(
    code="djg6",
    dutch_title="Eenzaamheidsschaal van De Jong Gierveld (6 vragen)",
    english_title="De Jong Gierveld loneliness scale (6 items)",
    dutch_intro=DJG_INTRO_NL,
    english_intro=DJG_INTRO_EN,
    options=DJG_OPTIONS,
    items=(
        Item(
            1,
            "Ik ervaar een leegte om me heen",
            "I experience a general sense of emptiness",
            NEG,
            EMOTIONAL,
        ),
        Item(
            2,
            "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen",
            "There are plenty of people I can rely on when I have problems",
            POS,
            SOCIAL,
        ),
        Item(
            3,
            "Er zijn veel mensen op wie ik volledig kan vertrouwen",
            "There are many people I can trust completely",
            POS,
            SOCIAL,
        ),
        Item(4, "Ik mis mensen om me heen", "I miss having people around me", NEG, EMOTIONAL),
        Item(
            5,
            "Er zijn voldoende mensen met wie ik me nauw verbonden voel",
            "There are enough people I feel close to",
            POS,
            SOCIAL,
        ),
        Item(6, "Ik voel me vaak in de steek gelaten", "I often feel rejected", NEG, EMOTIONAL),
    ),
    points=DJG_POINTS,
    # [MANUAL] §8, its SPSS syntax: `if (mlones>1) lones=-1` (the total is missing when
    # more than one item is), `if (mlones>0) loneemos=-1` and the same for lonesocs (a
    # subscale is missing when any of its items is). With one item missing the total is
    # the count over the five answered (`count` takes a missing answer as 0): no
    # prorating, no imputation.
    scales=(
        Scale("total", (1, 2, 3, 4, 5, 6), 1, "[MANUAL] §8: more than 1 of 6 missing"),
        Scale(EMOTIONAL, (1, 4, 6), 0, "[MANUAL] §8: any of 3 missing"),
        Scale(SOCIAL, (2, 3, 5), 0, "[MANUAL] §8: any of 3 missing"),
    ),
    # [MANUAL] §8: `recode lones (0 thru 1=0)(2 thru 4=1)(5,6=2)`: 0–1 not lonely, 2–4
    # moderately, 5–6 severely lonely.
    bands=(Band(0, 1, "not"), Band(2, 4, "moderate"), Band(5, 6, "severe")),
    source="De Jong Gierveld & Van Tilburg (2006), Research on Aging 28(5); Manual §8",
    loneliness=True,
    not_lonely=frozenset({"not"}),
)

# --- UCLA 3 items ------------------------------------------------------------------------

# [HUGHES2004]: "hardly ever" 1, "some of the time" 2, "often" 3; total 3–9.
UCLA3 = Instrument(
    code="ucla3",
    dutch_title="Korte eenzaamheidsschaal (UCLA, 3 vragen)",
    english_title="Three-item loneliness scale (UCLA)",
    dutch_intro="De volgende vragen gaan over hoe u zich voelt. Hoe vaak ...",
    english_intro="The next questions are about how you feel. How often ...",
    options=(
        Option("bijna nooit", "bijna nooit", "hardly ever"),
        Option("soms", "soms", "some of the time"),
        Option("vaak", "vaak", "often"),
    ),
    items=(
        Item(
            1,
            "Hoe vaak heeft u het gevoel dat u gezelschap mist?",
            "How often do you feel that you lack companionship?",
        ),
        Item(2, "Hoe vaak voelt u zich buitengesloten?", "How often do you feel left out?"),
        Item(
            3,
            "Hoe vaak voelt u zich geïsoleerd van anderen?",
            "How often do you feel isolated from others?",
        ),
    ),
    points={Polarity.NONE: {"bijna nooit": 1, "soms": 2, "vaak": 3}},
    # [HUGHES2004] gives no rule for a missing answer: a sum of three 1–3 items cannot be
    # read on the 3–9 range with one missing, so any missing answer leaves no total.
    scales=(Scale("total", (1, 2, 3), 0, "[HUGHES2004]: no rule; any missing"),),
    bands=(Band(3, 5, "not"), Band(6, 9, "lonely")),
    source="Hughes, Waite, Hawkley & Cacioppo (2004), Research on Aging 26(6)",
    loneliness=True,
    not_lonely=frozenset({"not"}),
)

# --- Health ------------------------------------------------------------------------------

# [CBS]: the Gezondheidsenquête's question and five answers; 1 (zeer goed) to 5.
HEALTH = Instrument(
    code="health",
    dutch_title="Ervaren gezondheid",
    english_title="Self-rated health",
    dutch_intro="",
    english_intro="",
    options=(
        Option("zeer goed", "zeer goed", "very good"),
        Option("goed", "goed", "good"),
        Option("gaat wel", "gaat wel", "fair"),
        Option("slecht", "slecht", "poor"),
        Option("zeer slecht", "zeer slecht", "very poor"),
    ),
    items=(Item(1, "Hoe is over het algemeen uw gezondheid?", "How is your health in general?"),),
    points={
        Polarity.NONE: {"zeer goed": 1, "goed": 2, "gaat wel": 3, "slecht": 4, "zeer slecht": 5}
    },
    scales=(Scale("total", (1,), 0, "[CBS]: one question"),),
    # [CBS] reports "ervaren gezondheid (zeer) goed".
    bands=(Band(1, 2, "good"), Band(3, 5, "not_good")),
    source="CBS Gezondheidsenquête: ervaren gezondheid",
)

# Whether the person saw their GP in the last three months (fewer calls on health care).
GP_VISIT = Instrument(
    code="gp_visit",
    dutch_title="Bezoek aan de huisarts",
    english_title="Visit to the GP",
    dutch_intro="",
    english_intro="",
    options=(Option("ja", "ja", "yes"), Option("nee", "nee", "no")),
    items=(
        Item(
            1,
            "Bent u in de afgelopen 3 maanden bij de huisarts geweest (op het spreekuur of "
            "de huisarts bij u thuis)?",
            "Have you seen your GP in the last 3 months (in the surgery or at home)?",
        ),
    ),
    points={Polarity.NONE: {"ja": 1, "nee": 0}},
    scales=(Scale("total", (1,), 0, "one question"),),
    bands=(Band(0, 0, "no_visit"), Band(1, 1, "visit")),
    source="after the CBS Gezondheidsenquête (contact met de huisarts)",
    optional=True,
)

INSTRUMENTS: dict[str, Instrument] = {
    instrument.code: instrument for instrument in (DJG6, DJG11, UCLA3, HEALTH, GP_VISIT)
}

# What Omzien asks at a baseline and a repeat, in this order (the GP question only with
# its own consent).
QUESTIONNAIRE = ("djg6", "health", "gp_visit")
