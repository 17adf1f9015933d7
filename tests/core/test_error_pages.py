"""Every error page is a Dutch page in the site's layout with a way back, also with
DEBUG off (as in production): 400, 403 (refused, and a refused form), 404, 429 and 500."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path

from omzien.accounts.throttling import locked_out


def broken(request):
    raise RuntimeError("kapot")


def refused(request):
    raise PermissionDenied


def too_many(request):
    return locked_out(request, None)


# The real URLconf, plus views that fail on purpose.
urlpatterns = [
    path("test-fout/500/", broken),
    path("test-fout/403/", refused),
    path("test-fout/429/", too_many),
    path("", include("omzien.config.urls")),
]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def assert_site_page(response, status: int, dutch: str):
    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page  # base.html
    assert 'href="/"' in page  # a way back
    assert dutch in page
    assert "Server Error" not in page and "Not Found" not in page and "Forbidden" not in page


@pytest.mark.django_db
def test_404_is_dutch_in_the_layout(client):
    assert_site_page(client.get("/bestaat-niet/"), 404, "Pagina niet gevonden")


@pytest.mark.django_db
def test_403_is_dutch_in_the_layout(client):
    assert_site_page(client.get("/test-fout/403/"), 403, "Niet voor uw rol")


@pytest.mark.django_db
def test_500_is_dutch_in_the_layout():
    client = Client(raise_request_exception=False)
    assert_site_page(client.get("/test-fout/500/"), 500, "Er ging iets mis")


@pytest.mark.django_db
def test_400_is_dutch_in_the_layout(client):
    # A host the site does not serve is a SuspiciousOperation: Django's bad_request.
    response = client.get("/", headers={"host": "kwaad.example"})
    assert_site_page(response, 400, "Dit verzoek kon niet worden verwerkt")


@pytest.mark.django_db
def test_429_is_dutch_in_the_layout(client):
    assert_site_page(client.get("/test-fout/429/"), 429, "Te vaak geprobeerd")


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_dutch_page(host_benring):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/inloggen/", {"username": "henk", "password": "x"})
    assert_site_page(response, 403, "Het formulier is verlopen")
