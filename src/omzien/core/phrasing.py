"""An activity's title inside a sentence: "naar de Koffieochtend", "naar het Handwerkcafé".

Titles are names typed by coordinators ("Koffieochtend", "Handwerkcafé", "Samen eten",
"De Soos"); a sentence needs them with the article Dutch gives them. Dutch has two
articles, *de* and *het*, and no rule that always tells them apart, so
``article_kind`` looks at how the title ends, which for the names of activities is
right nearly always:

- a title that starts with its own article ("De Soos", "Het Trefpunt", "'t Hofje",
  "Een kop koffie") keeps it and gets none: ``OWN``;
- *het*: the last word is an infinitive or a verb used as a noun ("Biljarten",
  "Samen eten", "Wandelen": it ends in ``-en``, but not in ``-ingen``, a plural), a
  diminutive ("Praatuurtje", "Spelletje": ``-je``), or a compound of a *het*-word
  (``HET_ENDINGS``: "Handwerkcafé", "Spreekuur", "Koor", "Ontbijt", ...);
- *de* for everything else ("Koffieochtend", "Wandelgroep", "Computerhulp",
  "Bingo").

``activity_phrase`` puts the article in through gettext (a message per kind, with
``pgettext`` contexts), so a translation decides where and whether an article goes;
the sentence around it ("Komt meestal naar %(activity)s") is a message of its own.
"""

import re

from django.utils.translation import pgettext

DE, HET, OWN = "de", "het", "own"

# Last parts of compound nouns that take "het" (lower case, accents as written, also
# without the accent as people type them).
HET_ENDINGS = (
    "café",
    "cafe",
    "uur",
    "ontbijt",
    "diner",
    "koor",
    "spel",
    "atelier",
    "huis",
    "werk",
    "museum",
    "concert",
    "toernooi",
    "theater",
    "gesprek",
    "overleg",
    "spreekuur",
    "inloopuur",
    "programma",
    "project",
    "festival",
    "feest",
    "kamp",
    "uitje",
)
# Words that end like a het-word but are de-words ("de open keuken", "de molen").
DE_EXCEPTIONS = ("keuken", "molen", "wagen")
ARTICLES = re.compile(r"^(de|het|'t|een)\s", re.IGNORECASE)


def _last_word(title: str) -> str:
    words = re.split(r"[\s\-/]+", title.strip().lower())
    words = [word.strip(".,!?()\"'") for word in words if word.strip(".,!?()\"'")]
    return words[-1] if words else ""


def article_kind(title: str) -> str:
    """``DE``, ``HET`` or ``OWN`` (the title brings its own article)."""
    if ARTICLES.match(title.strip()):
        return OWN
    word = _last_word(title)
    if not word or word.endswith(DE_EXCEPTIONS):
        return DE
    if word.endswith("je") or (word.endswith("en") and not word.endswith("ingen")):
        return HET
    if word.endswith(HET_ENDINGS):
        return HET
    return DE


def activity_phrase(title: str, *, pgettext=pgettext) -> str:
    """The title with the article it needs in a sentence: "de Koffieochtend", "het
    Handwerkcafé", "De Soos" (as it is). ``pgettext`` may be a cached one."""
    kind = article_kind(title)
    if kind == OWN:
        return title
    if kind == HET:
        template = pgettext("activity title with the article het", "the %(activity)s")
    else:
        template = pgettext("activity title with the article de", "the %(activity)s")
    return template % {"activity": title}
