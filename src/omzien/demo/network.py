"""The Voorst demo network as plain data, and the function that puts it in the database.

The villages are the real villages and hamlets of the municipality of Voorst (Gelderland)
with approximate coordinates of their centres (WGS84). De Benring, Trefpunt Duistervoorde
and Mens en Welzijn Voorst are real meeting places in their real villages; the other places,
all addresses, phone numbers and the programmes are invented but plausible. Names, titles
and descriptions are content in Dutch, not interface text, so they are not translated.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from omzien.agenda import recurrence
from omzien.agenda.models import Activity, Category
from omzien.places.models import Place, Region, Village

REGION_SLUG = "voorst"

REGION = {
    "name": "Voorst",
    "slug": REGION_SLUG,
    "introduction": (
        "In de dorpen van de gemeente Voorst kijken mensen naar elkaar om. In de "
        "ontmoetingsplekken drinkt u samen koffie, doet u mee met een activiteit of "
        "schuift u aan voor een maaltijd. Iedereen is welkom, altijd, ook als u nog "
        "niemand kent. Let op: dit is een demonstratie; alle bezoekers en bezoeken zijn "
        "verzonnen."
    ),
}

# (name, slug, latitude, longitude): approximate centres of the villages and hamlets.
VILLAGES = [
    ("Twello", "twello", "52.236700", "6.102800"),
    ("Duistervoorde", "duistervoorde", "52.230500", "6.094500"),
    ("Voorst", "voorst", "52.171400", "6.146400"),
    ("Klarenbeek", "klarenbeek", "52.173900", "6.078300"),
    ("Terwolde", "terwolde", "52.284700", "6.095300"),
    ("Wilp", "wilp", "52.218100", "6.146700"),
    ("Teuge", "teuge", "52.241700", "6.046700"),
    ("Nijbroek", "nijbroek", "52.303000", "6.080000"),
    ("Empe", "empe", "52.150000", "6.110000"),
    ("Steenenkamer", "steenenkamer", "52.242000", "6.140000"),
    ("Gietel", "gietel", "52.193900", "6.139400"),
    ("Posterenk", "posterenk", "52.216000", "6.120000"),
    ("Bussloo", "bussloo", "52.200000", "6.112000"),
    ("Wilp-Achterhoek", "wilp-achterhoek", "52.226000", "6.064000"),
    ("De Vecht", "de-vecht", "52.255000", "6.040000"),
    ("Appen", "appen", "52.158000", "6.170000"),
]


@dataclass(frozen=True)
class ActivityData:
    title: str
    slug: str
    category: str
    rrule: str
    start: str  # "HH:MM", local time
    minutes: int
    description: str
    signup_required: bool = False
    capacity: int | None = None
    cost: str = "0"
    closed_at_christmas: bool = True
    accessibility_notes: str = ""
    # Activities that started later than the rest of the network (newer offers).
    started_weeks_ago: int | None = None


@dataclass(frozen=True)
class PlaceData:
    name: str
    slug: str
    village: str
    street: str
    postcode: str
    town: str
    latitude: str
    longitude: str
    description: str
    opening_hours: str
    phone: str
    email: str
    wheelchair_accessible: bool = True
    hearing_loop: bool = False
    accessibility_notes: str = ""
    website: str = ""
    # How many people a place draws, relative to the others (for the synthetic visits).
    visitor_weight: float = 1.0
    activities: list[ActivityData] = field(default_factory=list)


PLACES = [
    PlaceData(
        name="De Benring",
        slug="de-benring",
        village="voorst",
        street="Tuinstraat 51",
        postcode="7383 AZ",
        town="Voorst",
        latitude="52.171000",
        longitude="6.147600",
        description=(
            "Woonzorgcentrum midden in het dorp Voorst met een open inloopruimte voor "
            "iedereen uit het dorp. Bewoners, dorpsgenoten en vrijwilligers drinken hier "
            "samen koffie, spelen een spelletje of doen mee op de jeu de boulesbaan naast "
            "het plein."
        ),
        opening_hours="ma 9:30-12:00\ndi 9:30-12:00\nwo 14:00-16:30\ndo 14:00-17:00",
        phone="0571 123 401",
        email="ontmoeten@benring.example.org",
        hearing_loop=True,
        accessibility_notes=(
            "Drempelvrije ingang aan het plein, aangepast toilet, rolstoel te leen bij de "
            "receptie. Parkeren voor de deur."
        ),
        visitor_weight=1.2,
        activities=[
            ActivityData(
                "Koffieochtend",
                "koffieochtend",
                Category.COFFEE,
                "FREQ=WEEKLY;BYDAY=TU",
                "10:00",
                120,
                "Gewoon binnenlopen voor een kop koffie en een praatje. Er is altijd een "
                "gastvrouw of gastheer die u welkom heet.",
            ),
            ActivityData(
                "Biljarten",
                "biljarten",
                Category.GAMES,
                "FREQ=WEEKLY;BYDAY=TH",
                "14:00",
                150,
                "Een potje biljart in de recreatiezaal. Beginners zijn welkom, er is altijd "
                "iemand die het u wil uitleggen.",
            ),
            ActivityData(
                "Wandelgroep Voorst",
                "wandelgroep",
                Category.EXERCISE,
                "FREQ=WEEKLY;BYDAY=MO",
                "09:30",
                90,
                "Een rustige wandeling van een uur door het dorp en langs de landgoederen, "
                "met na afloop koffie. Vertrek vanaf de hoofdingang.",
                closed_at_christmas=False,
                accessibility_notes="Ongeveer 4 kilometer, vlak terrein; rollator kan mee.",
            ),
            ActivityData(
                "Handwerkcafé",
                "handwerkcafe",
                Category.CRAFTS,
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
                "14:00",
                120,
                "Om de week breien, haken en borduren aan de grote tafel. Neem uw eigen "
                "werkje mee of leer iets nieuws van een ander.",
            ),
            ActivityData(
                "Samen eten",
                "samen-eten",
                Category.MEAL,
                "FREQ=MONTHLY;BYDAY=-1FR",
                "17:30",
                120,
                "Elke laatste vrijdag van de maand een driegangenmaaltijd, gekookt door "
                "vrijwilligers. Graag een week van tevoren aanmelden.",
                signup_required=True,
                capacity=30,
                cost="7.50",
            ),
        ],
    ),
    PlaceData(
        name="Trefpunt Duistervoorde",
        slug="trefpunt-duistervoorde",
        village="twello",
        street="Sint Maartenserf 2",
        postcode="7391 XE",
        town="Twello",
        latitude="52.232400",
        longitude="6.097100",
        description=(
            "Trefpunt voor en door bewoners van de wijk Duistervoorde, in de "
            "ontmoetingsruimte van woonzorgcentrum de Martinushof. Mensen van buiten de "
            "wijk zijn net zo welkom."
        ),
        opening_hours=(
            "ma 10:00-12:00\ndi 14:00-16:00\nwo 14:00-16:30\ndo 10:00-12:00\nvr 10:00-11:30"
        ),
        phone="0571 123 402",
        email="trefpunt@duistervoorde.example.org",
        hearing_loop=True,
        accessibility_notes="Ingang aan de achterzijde is drempelvrij; lift aanwezig.",
        visitor_weight=1.4,
        activities=[
            ActivityData(
                "Inloopochtend",
                "inloopochtend",
                Category.COFFEE,
                "FREQ=WEEKLY;BYDAY=MO,TH",
                "10:00",
                120,
                "Twee keer per week staat de koffie klaar. Een krant lezen, bijpraten of "
                "gewoon even onder de mensen zijn.",
            ),
            ActivityData(
                "Handwerken",
                "handwerken",
                Category.CRAFTS,
                "FREQ=WEEKLY;BYDAY=TU",
                "14:00",
                120,
                "Samen handwerken: breien, haken, naaien. Er ligt wol en garen voor wie "
                "het eens wil proberen.",
            ),
            ActivityData(
                "Sjoelen en bingo",
                "sjoelen-en-bingo",
                Category.GAMES,
                "FREQ=WEEKLY;BYDAY=WE",
                "14:00",
                150,
                "Om en om sjoelen en bingo, met kleine prijsjes. Een gezellige middag "
                "waar u snel mensen leert kennen.",
                cost="2.00",
            ),
            ActivityData(
                "Stoelgym",
                "stoelgym",
                Category.EXERCISE,
                "FREQ=WEEKLY;BYDAY=FR",
                "10:00",
                60,
                "Bewegen op muziek, zittend op een stoel, onder leiding van een "
                "beweegcoach. Goed voor lijf en humeur, voor iedereen te doen.",
                accessibility_notes="Alle oefeningen kunnen zittend.",
            ),
            ActivityData(
                "Bloemschikken",
                "bloemschikken",
                Category.CREATIVE,
                "FREQ=MONTHLY;BYDAY=1WE",
                "19:30",
                120,
                "Elke eerste woensdag van de maand maakt u een bloemstuk van seizoensbloemen. "
                "Materiaal is aanwezig; aanmelden graag, want het aantal plekken is beperkt.",
                signup_required=True,
                capacity=14,
                cost="6.00",
            ),
            ActivityData(
                "Zingen met de Zonnebloem",
                "zingen",
                Category.CREATIVE,
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
                "14:30",
                90,
                "Om de week samen oude en nieuwe liedjes zingen, met pianobegeleiding. "
                "Niemand hoeft alleen te zingen.",
            ),
        ],
    ),
    PlaceData(
        name="Mens en Welzijn Voorst",
        slug="mens-en-welzijn-voorst",
        village="twello",
        street="Maarten Tromplaan 2",
        postcode="7391 CK",
        town="Twello",
        latitude="52.239300",
        longitude="6.107400",
        description=(
            "De welzijnsorganisatie van de gemeente Voorst, met een inloop in Klein Twello. "
            "Hier vindt u de buurtmakers, het digicafé en een maandelijkse maaltijd. Voor "
            "een vraag of een idee kunt u altijd binnenlopen."
        ),
        opening_hours="ma-vr 9:00-12:30\ndo 13:30-16:00",
        phone="0571 123 403",
        email="info@mensenwelzijn.example.org",
        accessibility_notes="Gelijkvloers, aangepast toilet, invalidenparkeerplaats bij de ingang.",
        visitor_weight=1.1,
        activities=[
            ActivityData(
                "Koffie met de buurtmaker",
                "koffie-met-de-buurtmaker",
                Category.COFFEE,
                "FREQ=WEEKLY;BYDAY=TH",
                "10:00",
                90,
                "Kopje koffie met de buurtmaker en andere bezoekers. Ook voor vragen over "
                "vervoer, geldzaken of eenzaamheid: u bent niet de enige.",
            ),
            ActivityData(
                "Digicafé",
                "digicafe",
                Category.COMPUTER,
                "FREQ=WEEKLY;BYDAY=WE",
                "10:00",
                120,
                "Hulp bij uw telefoon, tablet of computer: DigiD, WhatsApp, foto's, "
                "internetbankieren. Vrijwilligers nemen de tijd voor u. Neem uw eigen "
                "apparaat mee.",
            ),
            ActivityData(
                "Samen eten in Klein Twello",
                "samen-eten",
                Category.MEAL,
                "FREQ=MONTHLY;BYDAY=2TH",
                "17:30",
                120,
                "Elke tweede donderdag van de maand samen aan tafel. Aanmelden tot de "
                "maandag ervoor; vervoer kan worden geregeld.",
                signup_required=True,
                capacity=24,
                cost="7.50",
            ),
            ActivityData(
                "Praatcafé",
                "praatcafe",
                Category.LEARNING,
                "FREQ=MONTHLY;BYDAY=3TU",
                "19:30",
                90,
                "Een avond per maand over een onderwerp dat ertoe doet, van veilig thuis "
                "wonen tot mantelzorg, met een gast en daarna napraten.",
            ),
            ActivityData(
                "Wandelen vanaf Klein Twello",
                "wandelen",
                Category.EXERCISE,
                "FREQ=WEEKLY;BYDAY=MO",
                "10:00",
                75,
                "Samen wandelen door Twello en het Fliertdal, in een rustig tempo. "
                "Start en einde bij Klein Twello, met koffie.",
                closed_at_christmas=False,
                started_weeks_ago=30,
            ),
        ],
    ),
    PlaceData(
        name="Dorpshuis Terwolde",
        slug="dorpshuis-terwolde",
        village="terwolde",
        street="Dorpsstraat 14",
        postcode="7396 AK",
        town="Terwolde",
        latitude="52.284200",
        longitude="6.094600",
        description=(
            "Het dorpshuis van Terwolde, waar verenigingen en dorpsgenoten elkaar treffen. "
            "Ook inwoners van Nijbroek en De Vecht komen hier graag."
        ),
        opening_hours="di 19:00-22:00\nwo 12:00-14:00\ndo 9:30-12:00",
        phone="0571 123 404",
        email="beheer@dorpshuisterwolde.example.org",
        accessibility_notes="Drempelvrij; de biljartzaal is via een hellingbaan bereikbaar.",
        visitor_weight=0.8,
        activities=[
            ActivityData(
                "Koffieochtend",
                "koffieochtend",
                Category.COFFEE,
                "FREQ=WEEKLY;BYDAY=TH",
                "10:00",
                120,
                "Elke donderdagochtend koffie in de grote zaal. Het dorpsnieuws hoort u "
                "hier als eerste.",
            ),
            ActivityData(
                "Biljartavond",
                "biljartavond",
                Category.GAMES,
                "FREQ=WEEKLY;BYDAY=TU",
                "19:30",
                150,
                "Libre biljarten in een ontspannen sfeer. Leden en niet-leden welkom.",
                cost="1.50",
            ),
            ActivityData(
                "Dorpslunch",
                "dorpslunch",
                Category.MEAL,
                "FREQ=MONTHLY;BYDAY=3WE",
                "12:00",
                90,
                "Elke derde woensdag van de maand een eenvoudige lunch met soep en "
                "broodjes. Aanmelden bij de beheerder.",
                signup_required=True,
                capacity=28,
                cost="5.00",
            ),
            ActivityData(
                "Schilderclub",
                "schilderclub",
                Category.CREATIVE,
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
                "14:00",
                120,
                "Om de week schilderen en tekenen met aquarel of acryl. Ervaring is niet "
                "nodig; er zijn materialen om te lenen.",
            ),
        ],
    ),
    PlaceData(
        name="Dorpshuis De Pompe",
        slug="dorpshuis-de-pompe",
        village="wilp",
        street="Kerkstraat 8",
        postcode="7384 AD",
        town="Wilp",
        latitude="52.218400",
        longitude="6.145900",
        description=(
            "Dorpshuis in Wilp, ook voor inwoners van Posterenk, Bussloo en "
            "Wilp-Achterhoek. Een plek om even bij te komen en mee te doen."
        ),
        opening_hours="ma 9:00-11:00\nwo 10:00-12:00\ndo 14:00-16:30",
        phone="0571 123 405",
        email="info@depompe.example.org",
        hearing_loop=True,
        visitor_weight=0.8,
        activities=[
            ActivityData(
                "Koffie-inloop",
                "koffie-inloop",
                Category.COFFEE,
                "FREQ=WEEKLY;BYDAY=WE",
                "10:00",
                120,
                "Binnenlopen voor koffie of thee met iets lekkers. Er is altijd iemand om "
                "mee te praten.",
            ),
            ActivityData(
                "Wandelgroep Wilp",
                "wandelgroep",
                Category.EXERCISE,
                "FREQ=WEEKLY;BYDAY=MO",
                "09:00",
                90,
                "Wekelijkse wandeling langs de IJssel en de Wilpermolen, ongeveer vijf "
                "kilometer. Stevige schoenen aanbevolen.",
                closed_at_christmas=False,
            ),
            ActivityData(
                "Koersbal",
                "koersbal",
                Category.GAMES,
                "FREQ=WEEKLY;BYDAY=TH",
                "14:00",
                120,
                "Koersbal op de mat in de zaal: rustig, gezellig en voor iedereen te leren.",
            ),
            ActivityData(
                "Computerhulp",
                "computerhulp",
                Category.COMPUTER,
                "FREQ=MONTHLY;BYDAY=1TU",
                "14:00",
                120,
                "Eens per maand helpen vrijwilligers met uw telefoon, tablet of laptop. "
                "Graag even aanmelden, dan weten we wie er komt.",
                signup_required=True,
                capacity=8,
                started_weeks_ago=26,
            ),
        ],
    ),
    PlaceData(
        name="Dorpshuis Klarenbeek",
        slug="dorpshuis-klarenbeek",
        village="klarenbeek",
        street="Hoofdweg 30",
        postcode="7382 BG",
        town="Klarenbeek",
        latitude="52.174300",
        longitude="6.079200",
        description=(
            "Het dorpshuis van Klarenbeek: een huiskamer voor het dorp, met een "
            "koffieochtend, een handwerkgroep en een maandelijkse maaltijd."
        ),
        opening_hours="ma 13:30-16:00\nvr 9:30-12:00",
        phone="0571 123 406",
        email="contact@dorpshuisklarenbeek.example.org",
        wheelchair_accessible=False,
        accessibility_notes="Eén trede bij de ingang; een oprijplaat is op verzoek aanwezig.",
        visitor_weight=0.7,
        activities=[
            ActivityData(
                "Koffieochtend",
                "koffieochtend",
                Category.COFFEE,
                "FREQ=WEEKLY;BYDAY=FR",
                "10:00",
                120,
                "Elke vrijdagochtend koffie met een koekje. Ook wie net in het dorp woont, "
                "is van harte welkom.",
            ),
            ActivityData(
                "Handwerkgroep",
                "handwerkgroep",
                Category.CRAFTS,
                "FREQ=WEEKLY;BYDAY=MO",
                "14:00",
                120,
                "Breien en haken voor uzelf of voor een goed doel, met thee en een goed gesprek.",
            ),
            ActivityData(
                "Samen eten",
                "samen-eten",
                Category.MEAL,
                "FREQ=MONTHLY;BYDAY=-1WE",
                "17:30",
                120,
                "De laatste woensdag van de maand samen eten in het dorpshuis. Aanmelden "
                "vóór zondag.",
                signup_required=True,
                capacity=20,
                cost="7.50",
            ),
        ],
    ),
]


def christmas_closure(activity: Activity, years) -> list[date]:
    """The activity's dates from 22 December to 4 January: the place is closed then."""
    closed = []
    for year in years:
        closed += [
            start.date()
            for start in recurrence.local_occurrences(
                activity.rrule,
                activity.first_date,
                activity.start_time,
                date(year, 12, 22),
                date(year + 1, 1, 4),
            )
        ]
    return closed


def network_first_date(today: date) -> date:
    """When the network's programme began: the Monday some 15 months before today."""
    start = today - timedelta(days=455)
    return start - timedelta(days=start.weekday())


def create_network(today: date) -> Region:
    """Create the region, villages, places and activities of the demo (no checks)."""
    region = Region.objects.create(has_synthetic_data=True, **REGION)
    villages = {}
    for name, slug, latitude, longitude in VILLAGES:
        villages[slug] = Village.objects.create(
            region=region,
            name=name,
            slug=slug,
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )
    first_date = network_first_date(today)
    closure_years = range(first_date.year, today.year + 2)
    for data in PLACES:
        place = Place.objects.create(
            village=villages[data.village],
            name=data.name,
            slug=data.slug,
            description=data.description,
            street=data.street,
            postcode=data.postcode,
            town=data.town,
            latitude=Decimal(data.latitude),
            longitude=Decimal(data.longitude),
            opening_hours=data.opening_hours,
            wheelchair_accessible=data.wheelchair_accessible,
            hearing_loop=data.hearing_loop,
            accessibility_notes=data.accessibility_notes,
            phone=data.phone,
            email=data.email,
            website=data.website,
        )
        for item in data.activities:
            activity = Activity(
                place=place,
                title=item.title,
                slug=item.slug,
                description=item.description,
                category=item.category,
                rrule=item.rrule,
                first_date=first_date
                if item.started_weeks_ago is None
                else today - timedelta(weeks=item.started_weeks_ago),
                start_time=time.fromisoformat(item.start),
                duration=timedelta(minutes=item.minutes),
                signup_required=item.signup_required,
                capacity=item.capacity,
                cost=Decimal(item.cost),
                accessibility_notes=item.accessibility_notes,
            )
            if item.closed_at_christmas:
                activity.exception_dates = "\n".join(
                    day.isoformat() for day in christmas_closure(activity, closure_years)
                )
            activity.save()
    return region


def visitor_weights() -> dict[str, float]:
    """Place slug to how many people it draws, relative to the others."""
    return {data.slug: data.visitor_weight for data in PLACES}
