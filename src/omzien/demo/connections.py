"""The demo's connections between villages: De Benring's coming open afternoon for two
places (one has answered), a visit three weeks ago that Trefpunt wrote down, and the
dorpenplatform's last evening (who came, what works, what was agreed) with the next one
planned. What lies ahead goes through the services; what already happened is written as
it would have been recorded then (the services refuse dates in the past, rightly)."""

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from omzien.accounts.permissions import SYSTEM
from omzien.places.models import Place, Region
from omzien.villageplatform import services as platform
from omzien.villageplatform.models import Evening, Tag
from omzien.visiting import services as visiting
from omzien.visiting.models import Invitation, InvitedPlace


def create_demo_connections(region: Region, today: date) -> int:
    """Invitations and platform evenings, once (nothing added when the region has
    invitations); returns how many invitations and evenings were created."""
    places = {place.slug: place for place in Place.objects.filter(village__region=region)}
    if Invitation.objects.filter(host__in=places.values()).exists() or not places:
        return 0
    # The services measure "in the past" against the real today.
    today = max(today, timezone.localdate())
    with transaction.atomic():
        _coming_open_afternoon(places, today)
        _visit_three_weeks_ago(places, today)
        _platform_evenings(region, places, today)
    return 4


def _coming_open_afternoon(places, today: date) -> None:
    benring, trefpunt = places["de-benring"], places["trefpunt-duistervoorde"]
    invitation = visiting.invite(
        visiting.InvitationDetails(
            host=benring,
            date=today + timedelta(days=14),
            title="Open middag bij De Benring",
            start_time=time(14, 0),
            end_time=time(16, 30),
            message=(
                "Kom een kijkje nemen! We laten zien hoe we de koffieochtend en de "
                "breiclub draaien, en horen graag hoe het bij u gaat."
            ),
            places=[trefpunt, places["dorpshuis-terwolde"]],
        ),
        acting_user=SYSTEM,
    )
    visiting.answer(invitation, trefpunt, count=3, names="Ans, Gerrit en Wim", acting_user=SYSTEM)


def _visit_three_weeks_ago(places, today: date) -> None:
    host, guest = places["mens-en-welzijn-voorst"], places["trefpunt-duistervoorde"]
    invitation = Invitation.objects.create(
        host=host,
        title="Kom mee naar onze eetgroep",
        date=today - timedelta(days=21),
        start_time=time(17, 30),
        end_time=time(19, 30),
        message="Schuif aan bij de eetgroep en zie hoe we de tafel elke week vol krijgen.",
        report="Vier gasten uit Duistervoorde; veel gepraat over hoe we nieuwe mensen vinden.",
    )
    InvitedPlace.objects.create(
        invitation=invitation,
        place=guest,
        count=4,
        want_to_try="Een maandelijkse maaltijd, met een kookploeg van vrijwilligers.",
    )


def _platform_evenings(region: Region, places, today: date) -> None:
    last = Evening.objects.create(
        region=region,
        title="Dorpenplatform najaar",
        date=today - timedelta(days=42),
        start_time=time(19, 30),
        end_time=time(21, 30),
        location="Gemeentehuis Twello",
        agenda="1. Welkom\n2. Wat werkt bij u?\n3. Vervoer tussen de dorpen\n4. Afspraken",
    )
    for slug, count in [
        ("de-benring", 3),
        ("trefpunt-duistervoorde", 2),
        ("dorpshuis-terwolde", 1),
    ]:
        last.attendance.create(place=places[slug], count=count)
    tags = {tag.slug: tag for tag in Tag.objects.all()}
    for slug, title, practice, tag_slugs in [
        (
            "de-benring",
            "Koffie met een vaste gastvrouw",
            "Elke week dezelfde gastvrouw bij de deur: mensen komen terug voor haar.",
            ["koffie", "vrijwilligers"],
        ),
        (
            "trefpunt-duistervoorde",
            "Rijden met de buurtbus",
            "Twee vrijwilligers halen wie geen vervoer heeft op; het rooster hangt bij de deur.",
            ["vervoer"],
        ),
    ]:
        lesson = last.lessons.create(title=title, practice=practice, place=places[slug])
        lesson.tags.set([tags[tag] for tag in tag_slugs if tag in tags])
    last.actions.create(
        description="Een rooster voor vervoer tussen Terwolde en Twello maken",
        owner_place=places["dorpshuis-terwolde"],
        due_date=today + timedelta(days=14),
    )
    platform.save_evening(
        platform.EveningPlan(
            region=region,
            title="Dorpenplatform winter",
            date=today + timedelta(days=35),
            start_time=time(19, 30),
            end_time=time(21, 30),
            host_place=places["de-benring"],
            agenda="1. Welkom\n2. Wat is er gedaan met de afspraken?\n3. Jongeren betrekken",
        ),
        acting_user=SYSTEM,
    )
