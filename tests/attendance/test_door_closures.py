"""A place that is closed (places.PlaceClosure) takes no check-ins: the door shows the
day as closed, the screens say why, and the services refuse."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from omzien.attendance import services
from omzien.attendance.models import Visit
from omzien.places.models import PlaceClosure
from tests.attendance import door

JSON = {"Accept": "application/json"}


@pytest.fixture
def closed(benring, benring_today):
    return PlaceClosure.objects.create(
        place=benring,
        first_day=benring_today.date,
        last_day=benring_today.date,
        reason="Kerstvakantie",
    )


def test_the_door_shows_a_closed_day_and_does_not_open_it(henk, benring_today, closed):
    html = henk.get(reverse("attendance:door")).content.decode()
    assert 'data-closed="true"' in html
    assert "Kerstvakantie" in html
    assert reverse("attendance:check_in", args=[benring_today.pk]) not in html


@pytest.mark.parametrize("name", ["check_in", "register"])
def test_the_screens_say_the_place_is_closed(henk, benring_today, closed, name):
    html = henk.get(reverse(f"attendance:{name}", args=[benring_today.pk])).content.decode()
    assert 'id="session-closed"' in html
    assert 'id="search-input"' not in html and 'id="register-form"' not in html


def test_no_tap_counts_on_a_closed_day(henk, host_benring, benring, benring_today, closed):
    person = door.person("Riet", "Bos", place=benring)
    for name, data in [
        ("tap_check_in", {"person": person.pk}),
        ("tap_add_anonymous", {"token": str(uuid.uuid4())}),
    ]:
        response = henk.post(
            reverse(f"attendance:{name}", args=[benring_today.pk]), data, headers=JSON
        )
        assert response.status_code == 400, name
        assert "gesloten" in response.json()["error"]
    with pytest.raises(ValidationError):
        services.register_and_check_in(
            benring_today,
            first_name="Nel",
            village=benring.village,
            consents={"names": True, "followup": False},
            acting_user=host_benring,
        )
    assert not Visit.objects.exists()


def test_a_closure_of_another_day_or_place_changes_nothing(henk, benring, trefpunt, benring_today):
    PlaceClosure.objects.create(
        place=trefpunt, first_day=benring_today.date, last_day=benring_today.date
    )
    person = door.person("Riet", "Bos", place=benring)
    response = henk.post(
        reverse("attendance:tap_check_in", args=[benring_today.pk]),
        {"person": person.pk},
        headers=JSON,
    )
    assert response.status_code == 200
