"""Who hosted the demo's sessions: a small team of volunteers per place, so that the
report shows hosts and their hours at the door.

Each place gets two invented volunteers (host accounts without a password: nobody logs
in as them) besides the demo log-ins who work there; every held session with visitors
gets one or two of its place's team, chosen by ``random.Random(seed)`` in a fixed order.
"""

import random

from django.contrib.auth import get_user_model
from django.db.models import Count

from omzien.accounts.models import Membership, Role
from omzien.agenda.models import Session
from omzien.attendance.models import SessionHost
from omzien.places.models import Place, Region

VOLUNTEERS = [
    ("Riet", "Brinkman"),
    ("Jan", "Veldhuis"),
    ("Gerda", "Lubbers"),
    ("Bennie", "Wessels"),
    ("Ineke", "Nijhof"),
    ("Harm", "Kolkman"),
    ("Wilma", "Pasman"),
    ("Dirk", "Stegeman"),
    ("Tonny", "Mulder"),
    ("Henk", "Ruiterkamp"),
    ("Joke", "Schuppers"),
    ("Gert", "Bosman"),
]
BUSY = 8  # visitors from which a session had two hosts
VOLUNTEERS_PER_PLACE = 2


def _teams(places: list[Place]) -> dict[int, list]:
    """Per place: the demo log-ins that run its door, and two invented volunteers."""
    users = get_user_model()
    names = iter(VOLUNTEERS * VOLUNTEERS_PER_PLACE)
    teams: dict[int, list] = {}
    for number, place in enumerate(places):
        volunteers = []
        for index in range(1, VOLUNTEERS_PER_PLACE + 1):
            first_name, last_name = next(names)
            user = users(
                username=f"vrijwilliger-{number + 1}-{index}",
                first_name=first_name,
                last_name=last_name,
                is_staff=False,
            )
            user.set_unusable_password()
            user.save()
            Membership.objects.create(user=user, role=Role.HOST, place=place)
            volunteers.append(user)
        demo_logins = list(
            users.objects.filter(
                memberships__place=place, memberships__role__in=[Role.HOST, Role.COORDINATOR]
            ).exclude(pk__in=[user.pk for user in volunteers])
        )
        teams[place.pk] = sorted(demo_logins, key=lambda user: user.username) + volunteers
    return teams


def create_demo_hosts(region: Region, before, seed: int = 2026) -> int:
    """Hosts for the region's held sessions with visitors before the day ``before``."""
    rng = random.Random(seed)  # noqa: S311 - invented demo data, not security  # nosec B311  # demo data
    places = list(Place.objects.filter(village__region=region).order_by("slug"))
    teams = _teams(places)
    sessions = (
        Session.objects.filter(activity__place__in=places, date__lt=before)
        .scheduled()
        .outside_closures()
        .annotate(visitors=Count("visits"))
        .filter(visitors__gt=0)
        .order_by("date", "starts_at", "pk")
        .values_list("pk", "activity__place_id", "visitors")
    )
    hosts = []
    for session_id, place_id, visitors in sessions:
        chosen = rng.sample(teams[place_id], 2 if visitors >= BUSY else 1)
        hosts.extend(SessionHost(session_id=session_id, user=user) for user in chosen)
    SessionHost.objects.bulk_create(hosts, batch_size=1000)
    return len(hosts)
