"""The demo's help: a few requests and offers of synthetic people at each place, one
proposed, one connected, one on the notice board, so the help pages have a story."""

from omzien.accounts.permissions import SYSTEM
from omzien.helping import services
from omzien.helping.services import Details
from omzien.people.models import Person
from omzien.places.models import Place

# (categories, urgency, days, parts, text) per request; offers mirror them.
REQUESTS = [
    (
        ["boodschappen"],
        "week",
        ["do"],
        ["ochtend"],
        "Boodschappen op donderdag, tassen dragen lukt niet meer.",
    ),
    (["vervoer"], "maand", ["di"], ["middag"], "Een ritje naar het ziekenhuis in Deventer."),
    (["computer-telefoon"], "geen-haast", ["wo"], ["ochtend"], "Hulp met de nieuwe telefoon."),
]
OFFERS = [
    (["boodschappen", "vervoer"], ["di", "do"], ["ochtend", "middag"], "Ik heb een auto en tijd."),
    (
        ["computer-telefoon", "formulieren-administratie"],
        ["wo"],
        ["ochtend"],
        "Goed met computers.",
    ),
]


def create_demo_help() -> int:
    """Requests and offers of the demo's synthetic people; returns how many requests."""
    created = 0
    for place in Place.objects.order_by("name"):
        people = list(
            Person.objects.filter(
                visits__session__activity__place=place, is_synthetic=True, village__isnull=False
            )
            .with_consent("names")
            .distinct()
            .order_by("pk")[: len(REQUESTS) + len(OFFERS)]
        )
        if len(people) < len(REQUESTS) + len(OFFERS):
            continue
        requests = [
            services.ask(
                Details(
                    village=person.village,
                    categories=categories,
                    description=text,
                    days=days,
                    parts=parts,
                    phone="0612345678",
                    consent=True,
                ),
                acting_user=SYSTEM,
                person=person,
                place=place,
                urgency=urgency,
            )
            for person, (categories, urgency, days, parts, text) in zip(
                people, REQUESTS, strict=False
            )
        ]
        offers = [
            services.offer(
                Details(
                    village=person.village,
                    categories=categories,
                    description=text,
                    days=days,
                    parts=parts,
                    phone="0687654321",
                    consent=True,
                ),
                acting_user=SYSTEM,
                person=person,
                place=place,
                max_km=10,
                max_per_month=4,
                has_car="vervoer" in categories,
            )
            for person, (categories, days, parts, text) in zip(
                people[len(REQUESTS) :], OFFERS, strict=False
            )
        ]
        services.propose(requests[0], offers[0], acting_user=SYSTEM)
        connected = services.propose(requests[1], offers[0], acting_user=SYSTEM)
        services.confirm(connected, acting_user=SYSTEM)
        services.set_on_board(requests[2], True, acting_user=SYSTEM)
        created += len(requests)
    return created
