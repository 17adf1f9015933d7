"""The public page cache: anonymous pages come from the cache until public content changes.

Every change through the models (and their bulk writes) shows on the next anonymous GET;
logged-in users get fresh pages; no cached page carries a CSRF token; feeds and pages
answer conditional GETs with 304.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omzien.accounts.permissions import SYSTEM
from omzien.agenda import services
from omzien.agenda.models import Activity, Session
from omzien.agenda.services import cancel_session
from omzien.core.public_cache import generation
from omzien.places.models import Place, PlaceClosure
from tests.factories import ActivityFactory, RegionFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WEEK = {"week": "2027-W11"}


@pytest.fixture(autouse=True)
def _today():
    moment = datetime(2027, 3, 10, 9, tzinfo=AMSTERDAM)
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller


@pytest.fixture
def koffie(trefpunt):
    RegionFactory(name="Voorst")
    return ActivityFactory(
        place=trefpunt, title="Koffieochtend", slug="koffie", first_date=date(2027, 1, 5)
    )


def queries_of(client, url, params=None, headers=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {}, headers=headers)
    return response, len(queries)


PAGES = [
    "/",
    "/agenda/",
    "/agenda/trefpunt-duistervoorde/koffie/",
    "/agenda.ics",
    "/plekken/",
    "/plekken/trefpunt-duistervoorde/",
    "/plekken/trefpunt-duistervoorde/agenda.ics",
]


@pytest.mark.parametrize("url", PAGES)
def test_the_second_anonymous_visitor_gets_the_page_without_a_query(client, koffie, url):
    first, first_queries = queries_of(client, url)
    second, second_queries = queries_of(Client(), url)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    assert first.content == second.content
    assert first["Content-Type"] == second["Content-Type"]
    assert second["Cache-Control"] == "no-cache"
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert "csrftoken" not in second.cookies


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda a: setattr(a, "title", "Koffie met taart") or a.save(), id="save"),
        pytest.param(
            lambda a: Activity.objects.filter(pk=a.pk).update(title="Koffie met taart"),
            id="queryset-update",
        ),
    ],
)
@pytest.mark.parametrize("url", ["/agenda/", "/agenda/trefpunt-duistervoorde/koffie/"])
def test_a_changed_activity_shows_at_once(client, koffie, change, url):
    assert "Koffie met taart" not in client.get(url, WEEK).content.decode()
    change(koffie)
    assert "Koffie met taart" in client.get(url, WEEK).content.decode()


def test_a_cancelled_session_shows_at_once(client, koffie):
    assert "Zaal bezet" not in client.get("/agenda/", WEEK).content.decode()
    services.materialise_sessions(date(2027, 3, 15), date(2027, 3, 21))
    cancel_session(koffie.sessions.get(date=date(2027, 3, 16)), "Zaal bezet", acting_user=SYSTEM)
    assert "Zaal bezet" in client.get("/agenda/", WEEK).content.decode()


def test_a_deleted_activity_disappears_at_once(client, koffie):
    assert "Koffieochtend" in client.get("/plekken/trefpunt-duistervoorde/").content.decode()
    koffie.delete()
    assert "Koffieochtend" not in client.get("/plekken/trefpunt-duistervoorde/").content.decode()


def test_a_renamed_place_and_a_new_closure_show_at_once(client, koffie, trefpunt):
    client.get("/plekken/")
    client.get("/agenda/", WEEK)
    trefpunt.name = "Trefpunt Twello"
    trefpunt.save()
    assert "Trefpunt Twello" in client.get("/plekken/").content.decode()
    PlaceClosure.objects.create(
        place=trefpunt, first_day=date(2027, 3, 16), last_day=date(2027, 3, 16), reason="Dicht"
    )
    assert "Gesloten</strong>: Dicht" in client.get("/agenda/", WEEK).content.decode()


def test_bulk_writes_start_a_new_generation(koffie, trefpunt):
    before = generation()
    services.materialise_sessions(date(2027, 3, 15), date(2027, 3, 21))
    after_bulk_create = generation()
    Place.objects.filter(pk=trefpunt.pk).update(phone="0571 123456")
    after_update = generation()
    assert len({before, after_bulk_create, after_update}) == 3
    # Nothing to create, nothing changed: the pages stay cached.
    services.materialise_sessions(date(2027, 3, 15), date(2027, 3, 21))
    Session.objects.filter(pk=-1).update(note="x")
    assert generation() == after_update


@pytest.mark.django_db(transaction=True)
def test_the_generation_changes_again_when_the_transaction_commits(trefpunt):
    # A visitor rendering between the save and the commit saw the old rows: the pages
    # they cached under the generation of the save must not be served after the commit.
    with transaction.atomic():
        ActivityFactory(place=trefpunt)
        ActivityFactory(place=trefpunt)
        during = generation()
    assert generation() != during


def test_a_new_day_is_a_new_page(client, koffie, _today):
    assert client.get("/")
    _today.move_to(datetime(2027, 3, 11, 9, tzinfo=AMSTERDAM))
    response, queries = queries_of(client, "/")
    assert queries > 0
    assert response.context["today"] == date(2027, 3, 11)


def test_logged_in_users_get_their_own_page(client, koffie, host_benring):
    anonymous = client.get("/").content.decode()
    assert "/deur/" not in anonymous
    client.force_login(host_benring)
    page = client.get("/").content.decode()
    assert "/deur/" in page and "csrfmiddlewaretoken" in page  # the log-out form
    client.logout()
    again = Client().get("/").content.decode()
    assert "/deur/" not in again and "csrfmiddlewaretoken" not in again


def test_unknown_parameters_are_not_part_of_the_page(client, koffie):
    plain = client.get("/agenda/", {"dorp": "twello"})
    tracked, queries = queries_of(client, "/agenda/", {"village": "twello", "utm_source": "krant"})
    assert queries == 0
    assert tracked.content == plain.content
    assert "utm_source" not in tracked.content.decode()


def test_bad_requests_are_not_cached(client, koffie):
    client.get("/agenda/", {"dorp": "atlantis"})
    response, queries = queries_of(client, "/agenda/", {"dorp": "atlantis"})
    assert response.status_code == 400 and queries > 0


def test_the_cache_can_be_turned_off(client, koffie, settings):
    settings.OMZIEN_PUBLIC_CACHE_SECONDS = 0
    client.get("/plekken/")
    _response, queries = queries_of(client, "/plekken/")
    assert queries > 0


def test_the_language_switch_needs_no_csrf_token(koffie):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/agenda/").content.decode()
    assert 'action="/taal/"' in page and "csrfmiddlewaretoken" not in page
    response = browser.post("/taal/", {"language": "en", "next": "/agenda/"})
    assert response.status_code == 302
    assert '<html lang="en">' in browser.get("/agenda/").content.decode()
    assert '<html lang="nl">' in Client().get("/agenda/").content.decode()


@pytest.mark.parametrize("url", ["/agenda.ics", "/plekken/trefpunt-duistervoorde/agenda.ics"])
def test_feeds_answer_a_conditional_get_with_304(client, koffie, url, _today):
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")

    not_modified, queries = queries_of(client, url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag and queries == 0
    since, _queries = queries_of(client, url, headers={"If-Modified-Since": last_modified})
    assert since.status_code == 304

    _today.move_to(datetime(2027, 3, 10, 9, 5, tzinfo=AMSTERDAM))
    koffie.title = "Koffie met taart"
    koffie.save()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert b"Koffie met taart" in changed.content
    later = client.get(url, headers={"If-Modified-Since": last_modified})
    assert later.status_code == 200


def test_a_feed_of_an_unknown_place_is_no_304(client, db):
    response = client.get("/plekken/nergens/agenda.ics", headers={"If-None-Match": "*"})
    assert response.status_code == 404


def test_the_moved_views_answer_on_the_same_urls(client, koffie):
    assert reverse("home") == "/"
    assert reverse("feed") == "/agenda.ics"
    assert reverse("agenda:week") == "/agenda/"
    assert reverse("agenda:activity", args=["trefpunt-duistervoorde", "koffie"]) == (
        "/agenda/trefpunt-duistervoorde/koffie/"
    )
    assert reverse("places:list") == "/plekken/"
    assert reverse("places:detail", args=["trefpunt-duistervoorde"]) == (
        "/plekken/trefpunt-duistervoorde/"
    )
    assert reverse("places:feed", args=["trefpunt-duistervoorde"]) == (
        "/plekken/trefpunt-duistervoorde/agenda.ics"
    )
    for url in PAGES:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/agenda/trefpunt-duistervoorde/koffie/", "/plekken/trefpunt-duistervoorde/"]
)
def test_a_cached_page_of_coming_sessions_is_kept_until_the_first_one_ends(
    client, koffie, url, _today
):
    tuesday = date(2027, 3, 16)  # Koffieochtend 10:00-12:00
    _today.move_to(datetime(2027, 3, 16, 11, 55, tzinfo=AMSTERDAM))
    before = client.get(url)
    assert tuesday in [session.date for session in before.context["sessions"]]
    _today.move_to(datetime(2027, 3, 16, 11, 58, tzinfo=AMSTERDAM))
    cached, queries = queries_of(client, url)
    assert queries == 0 and cached.content == before.content
    _today.move_to(datetime(2027, 3, 16, 12, 0, 1, tzinfo=AMSTERDAM))
    after, queries = queries_of(client, url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200 and queries > 0
    assert tuesday not in [session.date for session in after.context["sessions"]]
    assert after["ETag"] != before["ETag"]
    again = client.get(url, headers={"If-Modified-Since": before["Last-Modified"]})
    assert again.status_code == 200  # a rendering of before 12:00 is not the current one
