"""A hand-built region for the bridging figures, with every expected figure by hand.

Villages (in name order): Klarenbeek (no place of its own), Terwolde (Het Terwoldse
Huis), Twello (Trefpunt, Dorpshuis), Voorst (De Benring), Wilp (De Wilpse Kerk).
Named visits in 2026, the visitor's own village in brackets:

=========  ===========  ====================================  ===========================
person     lives in     visits                                multi-place in
=========  ===========  ====================================  ===========================
Anna       Twello       Trefpunt 13 Jan, Dorpshuis 20 Jan     Jan (same village)
Bert       Twello       Trefpunt 13 Jan, Benring 10 Feb       Q1 and the year, no month
Cor        Voorst       Benring 14 Jan, Trefpunt 15 Jan       Jan
Dina       Voorst       Benring 3 Mar                         -
Evert      Wilp         Wilpse Kerk 16 Jan (and 2 anonymous)  -
Fenna      Voorst       Trefpunt 13 Jan, Benring 14 Jan       Jan
Gerrit     Voorst       Benring 11 Feb, Dorpshuis 12 Feb      Feb
Hanna      Voorst       Benring 7 Apr, Trefpunt 8 Apr         Apr
Ids        Twello       Trefpunt 5 May, Benring 6 May         May
Joop       unknown      Trefpunt 2 Jun, Benring 3 Jun         Jun
Kees       Wilp         Wilpse Kerk 7 Jul, Trefpunt 8 Jul     Jul
Lies       Terwolde     Terwoldse Huis 4 Aug                  -
=========  ===========  ====================================  ===========================

Twello and Voorst share 7 people (Bert, Cor, Fenna, Gerrit, Hanna, Ids, Joop), Twello
and Wilp 1 (Kees): a viewer sees the first link, not the second. Terwolde shares no
one: isolated for everyone; Wilp isolated for a viewer too.
"""

from datetime import date

from tests import factories
from tests.reports.visits import add_visit

YEAR = 2026
AS_OF = date(2027, 3, 1)

VISITS = {
    "Anna": ("twello", [("trefpunt", (1, 13)), ("dorpshuis", (1, 20))]),
    "Bert": ("twello", [("trefpunt", (1, 13)), ("benring", (2, 10))]),
    "Cor": ("voorst", [("benring", (1, 14)), ("trefpunt", (1, 15))]),
    "Dina": ("voorst", [("benring", (3, 3))]),
    "Evert": ("wilp", [("kerk", (1, 16))]),
    "Fenna": ("voorst", [("trefpunt", (1, 13)), ("benring", (1, 14))]),
    "Gerrit": ("voorst", [("benring", (2, 11)), ("dorpshuis", (2, 12))]),
    "Hanna": ("voorst", [("benring", (4, 7)), ("trefpunt", (4, 8))]),
    "Ids": ("twello", [("trefpunt", (5, 5)), ("benring", (5, 6))]),
    "Joop": (None, [("trefpunt", (6, 2)), ("benring", (6, 3))]),
    "Kees": ("wilp", [("kerk", (7, 7)), ("trefpunt", (7, 8))]),
    "Lies": ("terwolde", [("huis", (8, 4))]),
}


def build_region(trefpunt, benring) -> dict:
    twello, voorst = trefpunt.village, benring.village
    villages = {
        "twello": twello,
        "voorst": voorst,
        "wilp": factories.VillageFactory(
            name="Wilp", slug="wilp", latitude="52.218000", longitude="6.148000"
        ),
        "terwolde": factories.VillageFactory(
            name="Terwolde", slug="terwolde", latitude="52.283000", longitude="6.101000"
        ),
        "klarenbeek": factories.VillageFactory(
            name="Klarenbeek", slug="klarenbeek", latitude="52.170000", longitude="6.080000"
        ),
    }
    places = {
        "trefpunt": trefpunt,
        "benring": benring,
        "dorpshuis": factories.PlaceFactory(name="Dorpshuis", slug="dorpshuis", village=twello),
        "kerk": factories.PlaceFactory(
            name="De Wilpse Kerk", slug="wilpse-kerk", village=villages["wilp"]
        ),
        "huis": factories.PlaceFactory(
            name="Het Terwoldse Huis", slug="terwoldse-huis", village=villages["terwolde"]
        ),
    }
    activities = {
        key: factories.ActivityFactory(place=place, title="Koffie", slug=f"koffie-{key}")
        for key, place in places.items()
    }
    people = {}
    for name, (village, visits) in VISITS.items():
        person = factories.PersonFactory(
            first_name=name, village=villages[village] if village else None
        )
        people[name] = person
        for place, (month, day) in visits:
            add_visit(activities[place], date(YEAR, month, day), person)
    add_visit(activities["kerk"], date(YEAR, 1, 16), anonymous=2)
    return {"villages": villages, "places": places, "people": people}


def without_protection(monkeypatch) -> None:
    """For tests of exact figures and of the network (whose threshold is not the cube's
    rule): the rollup hides no cell, instead of running the rule for a minute on this
    year of few people."""
    from types import SimpleNamespace

    from omzien.reports import snapshots

    monkeypatch.setattr(
        snapshots.protection, "protect", lambda cube, min_cell: SimpleNamespace(hidden=set())
    )
