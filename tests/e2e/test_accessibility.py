"""Every main page passes axe-core: no serious or critical violation (tests/e2e/accessibility.py).

A page is one row of PAGES: a name, who looks (an anonymous visitor or a user of the
world below), the address, and the axe rules known to fail there (with why). Adding a
page is adding a row.
"""

from dataclasses import dataclass, field
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from omzien.signals.models import Signal
from omzien.visiting.models import Invitation, InvitedPlace
from tests import factories
from tests.attendance import door
from tests.e2e.accessibility import assert_no_serious_axe_violations
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING
from tests.villageplatform.conftest import add_starting_tags

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]


@dataclass
class World:
    """What the pages show: places, an activity with a session today, a person, a
    signal, and a user for each role."""

    users: dict
    session: object
    person: object
    signal: object
    activity: object
    planned: object  # an activity of the coordinator's place
    duplicate: object  # a second record of the person of the signal
    proposal: object  # an approved proposed activity of the coordinator's place
    invitation: object  # De Benring's open afternoon for the coordinator's place
    evening: object  # a village platform evening with a lesson of the coordinator's place
    first_contact: object  # a signal the door of the session is asked about


@pytest.fixture
def world(transactional_db, trefpunt, benring, coordinator_trefpunt, host_benring, viewer):
    factories.VillageFactory(name="Empe", slug="empe", latitude="52.218600", longitude="6.151900")
    session = door.today_session(benring, title="Koffieochtend De Benring")
    mariette = door.person("Mariëtte", "de Vries", place=benring)
    door.person("Marie", "Jansen", place=benring)
    factories.VisitFactory(session=session, person=mariette)
    riet = door.person("Riet", "Hendriks", place=trefpunt, followup=True)
    signal = Signal.objects.create(
        person=riet,
        place=trefpunt,
        raised_on=timezone.localdate() - timedelta(days=2),
        last_seen=timezone.localdate() - timedelta(days=24),
        reason="Komt meestal op de koffieochtend; laatst gezien 24 dagen geleden.",
        probability=0.87,
        missed=3,
    )
    duplicate = door.person("Riet", "Hendrikx", place=trefpunt)
    first_contact = Signal.objects.create(
        person=door.person("Jan", "Bakker", place=benring, followup=True),
        place=benring,
        activity=session.activity,
        raised_on=timezone.localdate() - timedelta(days=2),
        reason="Komt meestal op de koffieochtend; laatst gezien 24 dagen geleden.",
    )
    planned = factories.ActivityFactory(place=trefpunt, title="Handwerkcafé")
    nobody = factories.UserFactory(username="zonder-rol")
    add_starting_tags()
    evening = factories.EveningFactory(host_place=benring)
    factories.LessonFactory(place=trefpunt, evening=evening)
    factories.ActionFactory(evening=evening, owner_place=trefpunt)
    return World(
        users={
            "host": host_benring,
            "coordinator": coordinator_trefpunt,
            "viewer": viewer,
            "no role": nobody,
        },
        session=session,
        person=mariette,
        signal=signal,
        activity=session.activity,
        planned=planned,
        duplicate=duplicate,
        proposal=factories.ProposalFactory(
            village=trefpunt.village, places=[trefpunt], status="goedgekeurd"
        ),
        invitation=open_afternoon(benring, trefpunt),
        evening=evening,
        first_contact=first_contact,
    )


def open_afternoon(host, guest):
    invitation = Invitation.objects.create(
        host=host,
        title="Open middag",
        date=timezone.localdate() + timedelta(days=7),
        start_time=time(14),
        end_time=time(16),
    )
    InvitedPlace.objects.create(invitation=invitation, place=guest)
    return invitation


@dataclass(frozen=True)
class Page:
    name: str
    who: str | None  # None: an anonymous visitor
    url: object  # World -> path
    known: tuple[str, ...] = field(default=())
    then: object = None  # Playwright page -> None: what to do before axe looks
    status: int = 200  # so a page that is not there cannot pass for the page


def search(page, text: str) -> None:
    page.fill("#search-input", text)
    page.locator("#results .person").first.wait_for()


PAGES = [
    Page("home", None, lambda w: "/"),
    Page("agenda", None, lambda w: "/agenda/"),
    Page("village agenda", None, lambda w: "/agenda/?dorp=voorst"),
    Page("village without a place", None, lambda w: "/agenda/?dorp=empe"),
    Page("places", None, lambda w: "/plekken/"),
    Page("a place", None, lambda w: "/plekken/de-benring/"),
    Page("meeting places near a village", None, lambda w: "/plekken/dorp/empe/"),
    Page("an activity", None, lambda w: w.activity.get_absolute_url()),
    Page("not found", None, lambda w: "/bestaat-niet/", status=404),
    Page("a week the agenda does not reach", None, lambda w: "/agenda/?week=volgende", status=400),
    Page("log-in", None, lambda w: "/inloggen/"),
    Page("start page without a role", "no role", lambda w: "/start/"),
    Page("door list", "host", lambda w: "/deur/"),
    Page("check-in screen", "host", lambda w: f"/deur/{w.session.pk}/"),
    Page(
        "check-in screen with search results",
        "host",
        lambda w: f"/deur/{w.session.pk}/",
        then=lambda page: search(page, "mar"),
    ),
    Page("new visitor", "host", lambda w: f"/deur/{w.session.pk}/nieuw/"),
    Page(
        "on holiday until, asked at the door",
        "host",
        lambda w: f"/signalen/deur/{w.session.pk}/{w.first_contact.pk}/",
    ),
    Page("presence", "host", lambda w: f"/deur/{w.session.pk}/aanwezig/"),
    Page("person page", "host", lambda w: f"/deur/persoon/{w.person.pk}/"),
    Page("two-factor log-in", "coordinator", lambda w: "/account/tweestaps/"),
    Page("setting up two-factor log-in", "coordinator", lambda w: "/account/tweestaps/instellen/"),
    Page("signals", "coordinator", lambda w: "/signalen/"),
    Page("a signal", "coordinator", lambda w: f"/signalen/{w.signal.pk}/"),
    Page("overview, coordinator", "coordinator", lambda w: "/overzicht/"),
    Page("report, viewer", "viewer", lambda w: "/overzicht/rapportage/"),
    Page(
        "report per month and place, viewer",
        "viewer",
        lambda w: "/overzicht/rapportage/?per=maand&indeling=plek",
    ),
    Page("report, coordinator", "coordinator", lambda w: "/overzicht/rapportage/"),
    Page("village network, viewer", "viewer", lambda w: "/overzicht/verbinding/"),
    Page(
        "report of a year without figures",
        "viewer",
        lambda w: "/overzicht/rapportage/?jaar=1999",
        status=400,
    ),
    Page("upload page", "coordinator", lambda w: "/bestanden/importeren/"),
    Page("closed signals", "coordinator", lambda w: "/signalen/afgehandeld/"),
    Page("planning: activities", "coordinator", lambda w: "/planning/"),
    Page("planning: a new activity", "coordinator", lambda w: "/planning/nieuw/"),
    Page("planning: an activity", "coordinator", lambda w: f"/planning/activiteit/{w.planned.pk}/"),
    Page("planning: coming sessions", "coordinator", lambda w: "/planning/bijeenkomsten/"),
    Page("planning: closed days", "coordinator", lambda w: "/planning/sluitingen/"),
    Page("texts for the report", "coordinator", lambda w: "/overzicht/verhalen/"),
    Page(
        "texts for the report: a place",
        "coordinator",
        lambda w: "/overzicht/verhalen/trefpunt-duistervoorde/",
    ),
    Page(
        "questionnaire: consent",
        "host",
        lambda w: f"/vragenlijst/{w.session.pk}/{w.person.pk}/",
    ),
    Page(
        "questionnaire: paper entry",
        "host",
        lambda w: f"/vragenlijst/{w.session.pk}/{w.person.pk}/papier/",
    ),
    Page("questionnaire: repeats due", "coordinator", lambda w: "/vragenlijst/herhalingen/"),
    Page("questionnaire: thank you", None, lambda w: "/vragenlijst/bedankt/"),
    Page("duplicate visitors", "coordinator", lambda w: "/dubbele-bezoekers/"),
    Page(
        "duplicate visitors compared",
        "coordinator",
        lambda w: f"/dubbele-bezoekers/{w.signal.person.pk}/{w.duplicate.pk}/",
    ),
    Page("new plans", None, lambda w: "/plannen/"),
    Page("proposing an activity", None, lambda w: "/plannen/nieuw/"),
    Page("a plan: I'm in", None, lambda w: f"/plannen/{w.proposal.pk}/"),
    Page("a plan: counted", None, lambda w: f"/plannen/{w.proposal.pk}/aangemeld/"),
    Page("a plan: thank you", None, lambda w: "/plannen/bedankt/"),
    Page("proposals", "coordinator", lambda w: "/plannen/beheer/"),
    Page("a proposal", "coordinator", lambda w: f"/plannen/beheer/{w.proposal.pk}/"),
    Page(
        "a proposal becomes an activity",
        "coordinator",
        lambda w: f"/plannen/beheer/{w.proposal.pk}/activiteit/",
    ),
    Page("writing a proposal down", "host", lambda w: "/plannen/beheer/noteren/"),
    Page("open days", None, lambda w: "/open-dagen/"),
    Page("an open day", None, lambda w: f"/open-dagen/{w.invitation.pk}/"),
    Page("invitations", "coordinator", lambda w: "/bezoeken/"),
    Page("inviting", "coordinator", lambda w: "/bezoeken/nieuw/"),
    Page("an invitation", "coordinator", lambda w: f"/bezoeken/{w.invitation.pk}/"),
    Page("answering", "coordinator", lambda w: f"/bezoeken/{w.invitation.pk}/antwoord/"),
    Page("village platform", "viewer", lambda w: "/dorpenplatform/"),
    Page("planning an evening", "viewer", lambda w: "/dorpenplatform/avond/nieuw/"),
    Page("an evening", "coordinator", lambda w: f"/dorpenplatform/avond/{w.evening.pk}/"),
    Page(
        "who came to an evening",
        "coordinator",
        lambda w: f"/dorpenplatform/avond/{w.evening.pk}/aanwezig/",
    ),
    Page("what works", "coordinator", lambda w: "/dorpenplatform/wat-werkt/?q=koffie"),
    Page("sharing what works", "coordinator", lambda w: "/dorpenplatform/wat-werkt/nieuw/"),
    Page("help", None, lambda w: "/hulp/"),
    Page("asking for help", None, lambda w: "/hulp/vragen/"),
    Page("offering help", None, lambda w: "/hulp/aanbieden/"),
    Page("the notice board", None, lambda w: "/hulp/prikbord/"),
    Page("help requests", "coordinator", lambda w: "/hulp/beheer/"),
    Page("the call list", "coordinator", lambda w: "/hulp/beheer/bellijst/"),
    Page("needs help? at the door", "host", lambda w: f"/hulp/beheer/deur/{w.person.pk}/vraag/"),
    Page("privacy requests", "coordinator", lambda w: "/persoonsgegevens/?q=riet"),
    Page("privacy page", "coordinator", lambda w: f"/persoonsgegevens/{w.signal.person_id}/"),
    Page(
        "correcting a person",
        "coordinator",
        lambda w: f"/persoonsgegevens/{w.signal.person_id}/wijzigen/",
    ),
    Page(
        "erasing a person",
        "coordinator",
        lambda w: f"/persoonsgegevens/{w.signal.person_id}/wissen/",
    ),
]


def log_in_as(page, live_server, user) -> None:
    """The browser gets the session of a user logged in by Django's test client (the
    log-in form itself has its own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


PHONE = {"width": 390, "height": 844}
PUBLIC_PAGES = [p for p in PAGES if p.who is None]


@pytest.mark.parametrize("checked", PAGES, ids=[p.name for p in PAGES])
def test_main_pages_have_no_serious_axe_violations(page, live_server, world, checked):
    check(page, live_server, world, checked)


@pytest.mark.parametrize("checked", PUBLIC_PAGES, ids=[p.name for p in PUBLIC_PAGES])
def test_public_pages_on_a_phone_have_no_serious_axe_violations(page, live_server, world, checked):
    page.set_viewport_size(PHONE)
    check(page, live_server, world, checked)


def check(page, live_server, world, checked: Page) -> None:
    if checked.who is not None:
        log_in_as(page, live_server, world.users[checked.who])
    path = checked.url(world)
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == checked.status
    assert page.url == f"{live_server.url}{path}"  # not sent to the log-in page
    if checked.then is not None:
        checked.then(page)
    assert_no_serious_axe_violations(page, known=checked.known)
