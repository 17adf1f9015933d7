"""Cache-Control: no-store on every response with personal data, and only there: public
pages for anonymous visitors stay cacheable."""

from datetime import date

import pytest

from omzien.accounts.models import Role
from omzien.signals.models import Signal
from tests import factories
from tests.attendance import door


def no_store(response) -> bool:
    parts = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= parts and "public" not in parts


@pytest.fixture
def admin_user(db):
    return factories.MembershipFactory(
        user__username="anna", user__is_superuser=True, role=Role.ADMIN, place=None
    ).user


def test_the_door_check_in_screen(client, host_benring, benring):
    session = door.today_session(benring)
    door.person("Mariëtte", "de Vries", place=benring)
    client.force_login(host_benring)
    response = client.get(f"/deur/{session.pk}/")
    assert response.status_code == 200
    assert no_store(response)
    assert "Expires" not in response


def test_a_signal_page(client, coordinator_trefpunt, trefpunt):
    person = door.person("Riet", place=trefpunt, followup=True)
    signal = Signal.objects.create(
        person=person, place=trefpunt, raised_on=date(2026, 4, 3), reason="r"
    )
    client.force_login(coordinator_trefpunt)
    for url in ("/signalen/", f"/signalen/{signal.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_admin_pages_also_before_logging_in(client, admin_user):
    assert no_store(client.get("/beheer/login/"))
    client.force_login(admin_user)
    for url in ("/beheer/", "/beheer/people/person/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


@pytest.mark.parametrize("url", ["/deur/", "/signalen/", "/overzicht/", "/bestanden/importeren/"])
def test_staff_urls_even_when_they_send_you_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert no_store(response)


@pytest.mark.parametrize("url", ["/", "/agenda/", "/plekken/", "/agenda.ics"])
def test_public_pages_for_anonymous_visitors_are_not_marked(client, benring, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "private" not in response.get("Cache-Control", "")


def test_every_page_for_a_logged_in_user(client, host_benring, benring):
    client.force_login(host_benring)
    for url in ("/", "/agenda/", f"/plekken/{benring.slug}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url
