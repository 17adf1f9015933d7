"""Closures are written through `places.services`, with the acting user and the audit."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.audit.models import AuditEvent
from omzien.places import services
from omzien.places.models import PlaceClosure
from tests.factories import PlaceClosureFactory


def closure(place, **fields):
    return PlaceClosure(
        place=place,
        first_day=fields.get("first_day", date(2027, 7, 19)),
        last_day=fields.get("last_day", date(2027, 8, 15)),
        reason=fields.get("reason", " Zomervakantie "),
    )


def test_a_coordinator_closes_their_place_and_it_is_audited(coordinator_trefpunt, trefpunt):
    saved = services.save_closure(closure(trefpunt), acting_user=coordinator_trefpunt)
    assert saved.reason == "Zomervakantie"
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.subject) == (coordinator_trefpunt, "create", "closure")


def test_another_place_is_out_of_reach(coordinator_trefpunt, benring, host_benring):
    for user in (coordinator_trefpunt, host_benring):
        with pytest.raises(NotFound):
            services.save_closure(closure(benring), acting_user=user)
    existing = PlaceClosureFactory(place=benring)
    with pytest.raises(NotFound):
        services.delete_closure(existing, acting_user=coordinator_trefpunt)
    assert PlaceClosure.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_a_closure_cannot_be_moved_from_another_place(coordinator_trefpunt, benring, trefpunt):
    existing = PlaceClosureFactory(place=benring)
    existing.place = trefpunt
    with pytest.raises(NotFound):
        services.save_closure(existing, acting_user=coordinator_trefpunt)
    existing.refresh_from_db()
    assert existing.place == benring


def test_backwards_periods_are_refused(trefpunt):
    backwards = closure(trefpunt, first_day=date(2027, 8, 15), last_day=date(2027, 7, 19))
    with pytest.raises(ValidationError) as refused:
        services.save_closure(backwards, acting_user=SYSTEM)
    assert "last_day" in refused.value.message_dict
    assert not PlaceClosure.objects.exists()


def test_the_admin_deletes_through_the_service(client, coordinator_trefpunt, trefpunt):
    existing = PlaceClosureFactory(place=trefpunt)
    client.force_login(coordinator_trefpunt)
    url = reverse("admin:places_placeclosure_delete", args=[existing.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not PlaceClosure.objects.exists()
    assert AuditEvent.objects.filter(subject="closure", action="delete").count() == 1
