"""Closures in the admin (now under places): coordinators add them for their own place only."""

from django.urls import reverse

from omzien.places.models import PlaceClosure


def test_coordinator_closes_own_place_in_the_admin(client, coordinator_trefpunt, trefpunt):
    client.force_login(coordinator_trefpunt)
    response = client.post(
        reverse("admin:places_placeclosure_add"),
        {
            "place": trefpunt.pk,
            "first_day": "2026-12-24",
            "last_day": "2027-01-03",
            "reason": "Kerstvakantie",
        },
    )
    assert response.status_code == 302
    closure = PlaceClosure.objects.get()
    assert (closure.place, closure.reason) == (trefpunt, "Kerstvakantie")


def test_coordinator_sees_and_changes_no_closure_of_another_place(
    client, coordinator_trefpunt, benring
):
    closure = PlaceClosure.objects.create(
        place=benring, first_day="2026-12-24", last_day="2026-12-26"
    )
    client.force_login(coordinator_trefpunt)
    listing = client.get(reverse("admin:places_placeclosure_changelist"))
    assert listing.status_code == 200 and "De Benring" not in listing.content.decode()
    change = reverse("admin:places_placeclosure_change", args=[closure.pk])
    assert client.get(change).status_code in (302, 403, 404)
    refused = client.post(
        reverse("admin:places_placeclosure_add"),
        {"place": benring.pk, "first_day": "2027-07-20", "last_day": "2027-08-16"},
    )
    assert refused.status_code == 200  # another place is not a choice
    assert PlaceClosure.objects.count() == 1
