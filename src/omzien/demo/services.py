"""Loading the Voorst demo: network, demo users and a year of synthetic visits, once."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts import permissions
from omzien.accounts.models import Membership, Role
from omzien.agenda import services as agenda_services
from omzien.agenda.models import Activity
from omzien.demo.connections import create_demo_connections
from omzien.demo.help import create_demo_help
from omzien.demo.hosting import create_demo_hosts
from omzien.demo.network import PLACES, REGION_SLUG, create_network
from omzien.demo.proposals import create_demo_proposals
from omzien.demo.synthetic import GenerationResult, generate_visits
from omzien.places.models import Place, Region
from omzien.signals import detection
from omzien.signals import services as signal_services

# One documented password for all demo log-ins: the demo holds invented people only.
DEMO_PASSWORD = "omzien-demo"  # noqa: S105 - published demo password  # nosec B105  # published
# The demo's professionals and administrators log in in two steps, like real ones; their
# authenticator app has this published key (`omzien demo` prints it, so does the README),
# so a tester adds it to any authenticator app and gets in.
DEMO_TOTP_KEY = b"omzien-demo-totp-key".hex()
HISTORY_DAYS = 365


class NotADemoDatabase(Exception):
    """The database holds a real region; the demo must not be mixed into it."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    place: str | None  # place slug; None for region-wide roles
    first_name: str
    last_name: str

    @property
    def place_name(self) -> str | None:
        if self.place is None:
            return None
        return next(data.name for data in PLACES if data.slug == self.place)

    @property
    def description(self) -> str:
        """E.g. 'host at De Benring' or 'professional, all places'."""
        role = Role(self.role).label
        if self.place is None:
            return _("%(role)s, all places") % {"role": role}
        return _("%(role)s at %(place)s") % {"role": role, "place": self.place_name}


DEMO_LOGINS = [
    DemoLogin("gastvrouw", Role.HOST, "de-benring", "Hennie", "Wolters"),
    DemoLogin("coordinator-trefpunt", Role.COORDINATOR, "trefpunt-duistervoorde", "Carla", "Bos"),
    DemoLogin("coordinator-benring", Role.COORDINATOR, "de-benring", "Gerrit", "Kamphuis"),
    DemoLogin("buurtmaker", Role.PROFESSIONAL, None, "Pauline", "Hendriksen"),
    DemoLogin("gemeente", Role.VIEWER, None, "Victor", "de Groot"),
    DemoLogin("beheerder", Role.ADMIN, None, "Anna", "Scholten"),
]


def demo_exists() -> bool:
    return Region.objects.filter(slug=REGION_SLUG).exists()


def create_demo_users() -> list:
    """The demo log-ins with their memberships; all may log in at /beheer/."""
    password = make_password(DEMO_PASSWORD)  # hashed once: it is the same for everyone
    places = {place.slug: place for place in Place.objects.all()}
    users = []
    for login in DEMO_LOGINS:
        user = get_user_model().objects.create(
            username=login.username,
            first_name=login.first_name,
            last_name=login.last_name,
            email=f"{login.username}@demo.example.org",
            password=password,
            is_staff=True,
            is_superuser=login.role == Role.ADMIN,
        )
        Membership.objects.create(
            user=user,
            role=login.role,
            place=places[login.place] if login.place else None,
        )
        if login.role in permissions.TWO_FACTOR_ROLES:
            TOTPDevice.objects.create(
                user=user, name="demo authenticator app", key=DEMO_TOTP_KEY, confirmed=True
            )
        users.append(user)
    return users


def load_demo(today: date | None = None, seed: int = 2026, stdout=None) -> bool:
    """Create the demo network, users and synthetic history, unless it is already there.

    Returns True when the demo was loaded and False when it already existed (nothing is
    added then). Everything happens in one transaction. Raises NotADemoDatabase when the
    database holds a region that is not a demo.
    """
    today = today or timezone.localdate()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    if demo_exists():
        return False
    if Region.objects.filter(has_synthetic_data=False).exists():
        raise NotADemoDatabase(
            _(
                "This database already holds a region with real data; the demo is only "
                "loaded into an empty database."
            )
        )
    try:
        with transaction.atomic():
            # Checked again inside the transaction: another process may have won the race.
            if demo_exists():
                return False
            region = create_network(today)
            say(
                _("Network: %(villages)d villages, %(places)d places, %(activities)d activities")
                % {
                    "villages": region.villages.count(),
                    "places": Place.objects.filter(village__region=region).count(),
                    "activities": Activity.objects.filter(place__village__region=region).count(),
                }
            )
            create_demo_users()
            result: GenerationResult = generate_visits(
                region,
                start=today - timedelta(days=HISTORY_DAYS),
                end=today - timedelta(days=1),
                seed=seed,
            )
            say(
                _(
                    "Synthetic history: %(people)d people, %(visits)d visits "
                    "(%(anonymous)d anonymous), %(cancelled)d cancelled sessions"
                )
                % {
                    "people": result.person_count,
                    "visits": result.visit_count,
                    "anonymous": result.anonymous_visit_count,
                    "cancelled": len(result.cancelled),
                }
            )
            say(
                _("Volunteers: %(count)d times a session was hosted")
                % {"count": create_demo_hosts(region, before=today, seed=seed)}
            )
            first_day, last_day = agenda_services.session_window(today)
            agenda_services.materialise_sessions(
                first_day,
                last_day,
                activities=Activity.objects.active().filter(place__village__region=region),
            )
            # What last night's run would have raised, so the signal pages have a story.
            as_of = today - timedelta(days=1)
            saved = signal_services.save_detected(detection.find_signals(as_of), as_of)
            say(
                _("Signals: %(count)d people whose absence is unusual for them")
                % {"count": saved.opened}
            )
            say(_("Help: %(count)d requests") % {"count": create_demo_help()})
            say(
                _("New plans: %(count)d proposed activities")
                % {"count": create_demo_proposals(region)}
            )
            say(
                _("Between the villages: %(count)d invitations and platform evenings")
                % {"count": create_demo_connections(region, today)}
            )
    except IntegrityError:
        if demo_exists():  # created at the same moment by another process
            return False
        raise
    return True
