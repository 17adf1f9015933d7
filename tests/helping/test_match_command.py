"""helping.loading and ``omzien match``: the dataclasses from the database, the batch in
JSON and text, and ``--save``."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from omzien.accounts import permissions
from omzien.audit.models import AuditEvent
from omzien.helping import loading, matching, services_matching
from omzien.helping.models import HelpEvent, HelpMatch, HelpRequest
from tests import factories

NOW = datetime(2026, 3, 18, 10, 0, tzinfo=UTC)


@pytest.fixture
def wilp(db):
    return factories.VillageFactory(
        name="Wilp", slug="wilp", latitude=Decimal("52.218100"), longitude=Decimal("6.146700")
    )


def past_match(offer, status=HelpMatch.Status.CONFIRMED, decided_at=None):
    """A proposal of the offer whose request is no longer open."""
    request_status = (
        HelpRequest.Status.PROPOSED if status == HelpMatch.Status.PROPOSED else "gekoppeld"
    )
    return factories.HelpMatchFactory(
        offer=offer,
        status=status,
        decided_at=decided_at,
        request__status=request_status,
        request__village=offer.village,
    )


def run(*args) -> str:
    out = StringIO()
    call_command("match", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@time_machine.travel(NOW, tick=False)
def test_load_builds_the_dataclasses_in_a_few_queries(twello, wilp):
    anna = factories.PersonFactory(first_name="Anna", ref="P-anna", village=twello)
    factories.HelpRequestFactory(ref="V1", person=anna, village=twello, days=["do"])
    factories.HelpRequestFactory(ref="V2", village=wilp, status=HelpRequest.Status.PROPOSED)
    offer = factories.HelpOfferFactory(ref="A1", village=wilp, max_per_month=3)
    offer.villages.add(twello)
    factories.HelpOfferFactory(ref="A2", active=False)
    # This month: one open proposal and one confirmed; last month's does not count.
    past_match(offer, HelpMatch.Status.PROPOSED)
    past_match(offer, decided_at=datetime(2026, 3, 2, tzinfo=UTC))
    past_match(offer, decided_at=datetime(2026, 2, 27, tzinfo=UTC))
    past_match(offer, HelpMatch.Status.DECLINED, decided_at=datetime(2026, 3, 2, tzinfo=UTC))
    with CaptureQueriesContext(connection) as queries:
        loaded = loading.load()
    assert len(queries) <= 5
    assert [need.ref for need in loaded.needs] == ["V1"]
    need = loaded.needs[0]
    assert (need.person_key, need.village, need.days) == ("P-anna", "twello", frozenset({"do"}))
    assert need.lat == pytest.approx(52.2367)
    [capacity] = loaded.capacities
    assert capacity.ref == "A1"
    assert capacity.villages == frozenset({"twello"})
    assert (capacity.max_per_month, capacity.used_this_month, capacity.remaining) == (3, 2, 1)
    assert loaded.request_ids["V1"] and loaded.offer_ids["A1"] == offer.pk


@time_machine.travel(datetime(2026, 2, 28, 23, 30, tzinfo=UTC), tick=False)
def test_this_month_is_the_month_in_amsterdam(twello):
    # 28 February 23:30 UTC is 1 March 00:30 in Amsterdam: February's match no longer counts.
    offer = factories.HelpOfferFactory(ref="A1", village=twello, max_per_month=1)
    past_match(offer, decided_at=datetime(2026, 2, 28, 22, 0, tzinfo=UTC))
    [capacity] = loading.load().capacities
    assert capacity.used_this_month == 0


@time_machine.travel(NOW, tick=False)
def test_people_who_come_to_the_same_activity_know_each_other(twello):
    anna = factories.PersonFactory(first_name="Anna", ref="P-anna", village=twello)
    bert = factories.PersonFactory(first_name="Bert", ref="P-bert", village=twello)
    carla = factories.PersonFactory(first_name="Carla", ref="P-carla", village=twello)
    coffee = factories.ActivityFactory(title="Koffieochtend", place__village=twello)
    for day in (date(2026, 3, 3), date(2026, 3, 10)):
        session = factories.SessionFactory(activity=coffee, date=day)
        factories.VisitFactory(session=session, person=anna)
        factories.VisitFactory(session=session, person=bert)
    # Carla came once: not yet someone Anna knows.
    factories.VisitFactory(session=session, person=carla)
    factories.HelpRequestFactory(ref="V1", person=anna, village=twello)
    factories.HelpOfferFactory(ref="A1", person=bert, village=twello)
    factories.HelpOfferFactory(ref="A2", person=carla, village=twello)
    with CaptureQueriesContext(connection) as queries:
        loaded = loading.load()
    assert len(queries) == 5  # requests, offers, this month's load, villages, visits
    assert loaded.known == {("P-anna", "P-bert"): "Koffieochtend"}
    rows = json.loads(run("--format", "json"))
    assert rows[0]["offer_ref"] == "A1"
    assert "Kennen elkaar van de Koffieochtend" in rows[0]["reasons"]


@time_machine.travel(NOW, tick=False)
def test_match_json_follows_design_md(twello, wilp):
    factories.HelpRequestFactory(ref="V1", village=twello, days=["do"], parts=["ochtend"])
    factories.HelpRequestFactory(ref="V2", village=wilp, categories=["tuin"])
    helper = factories.PersonFactory(ref="P-helper", village=wilp)
    factories.HelpOfferFactory(ref="A1", person=helper, village=wilp, max_km=5)
    rows = json.loads(run("--format", "json"))
    assert len(rows) == 1
    row = rows[0]
    assert {"request_ref", "offer_ref", "helper_ref", "score", "distance_km", "reasons"} <= set(row)
    assert (row["request_ref"], row["offer_ref"], row["helper_ref"]) == ("V1", "A1", "P-helper")
    assert row["distance_km"] == pytest.approx(3.64, abs=0.01)
    assert row["reasons"][0] == "Kan helpen met boodschappen"
    assert row["reason_codes"][0]["code"] == "category"
    text = run()
    assert "1 van de 2 open hulpvragen krijgen een voorstel" in text
    assert "V1 ← A1 (P-helper)" in text


@time_machine.travel(NOW, tick=False)
def test_match_without_refs_names_them_by_pk(twello):
    help_request = factories.HelpRequestFactory(village=twello)
    offer = factories.HelpOfferFactory(village=twello)
    [row] = json.loads(run("--format", "json"))
    assert row["request_ref"] == f"omzien-vraag-{help_request.pk}"
    assert row["offer_ref"] == f"omzien-aanbod-{offer.pk}"
    assert row["helper_ref"] is None


@time_machine.travel(NOW, tick=False)
def test_save_stores_proposals_once(twello):
    help_request = factories.HelpRequestFactory(ref="V1", village=twello)
    factories.HelpOfferFactory(ref="A1", village=twello)
    err = StringIO()
    call_command("match", "--save", stdout=StringIO(), stderr=err)
    assert "1 voorstel opgeslagen" in err.getvalue()
    match = HelpMatch.objects.get()
    assert (match.request, match.status, match.proposed_by) == (
        help_request,
        HelpMatch.Status.PROPOSED,
        None,
    )
    assert match.reasons[0] == "Kan helpen met boodschappen"
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.PROPOSED
    event = HelpEvent.objects.get(request=help_request)
    assert (event.from_status, event.to_status) == ("nieuw", "voorgesteld")
    assert AuditEvent.objects.filter(subject="help proposal").count() == 1
    # The request is no longer open: a second run proposes nothing.
    call_command("match", "--save", stdout=StringIO(), stderr=StringIO())
    assert HelpMatch.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_full_month_gets_no_more_proposals(twello):
    offer = factories.HelpOfferFactory(ref="A1", village=twello, max_per_month=2)
    for ref in ("V1", "V2", "V3"):
        factories.HelpRequestFactory(ref=ref, village=twello)
    past_match(offer, decided_at=datetime(2026, 3, 1, tzinfo=UTC))
    rows = json.loads(run("--format", "json"))
    assert len(rows) == 1


@time_machine.travel(NOW, tick=False)
def test_save_checks_access_through_the_help_services(twello):
    factories.HelpRequestFactory(ref="V1", village=twello)
    factories.HelpOfferFactory(ref="A1", village=twello)
    loaded = loading.load()
    batch = matching.propose_batch(loaded.needs, loaded.capacities)
    with pytest.raises(permissions.NotFound):
        services_matching.save_proposals(
            batch.proposals, loaded, acting_user=factories.UserFactory(username="niemand")
        )
    assert not HelpMatch.objects.exists()


def test_a_bad_format_is_refused(db):
    with pytest.raises(CommandError):
        call_command("match", "--format", "xml", stdout=StringIO(), stderr=StringIO())


@time_machine.travel(NOW, tick=False)
def test_the_request_page_shows_the_ranked_suggestions(
    client, coordinator_benring, benring_request, benring_offer
):
    from django.urls import reverse

    far = factories.VillageFactory(
        name="Nijbroek", slug="nijbroek", latitude=Decimal("52.303"), longitude=Decimal("6.080")
    )
    factories.HelpOfferFactory(first_name="Kees", village=far, max_km=2)  # too far
    found = loading.suggestions_for_request(benring_request)
    assert [row["offer_id"] for row in found] == [benring_offer.pk]
    assert found[0]["reasons"][0] == "Kan helpen met boodschappen"
    client.force_login(coordinator_benring)
    page = client.get(reverse("helping:request", args=[benring_request.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kan helpen met boodschappen" in text
    assert "Kees" not in text.split('id="suggestions"')[1].split("</ol>")[0]


@time_machine.travel(NOW, tick=False)
def test_an_offer_from_the_board_is_proposed_for_its_request_only(twello):
    asked_on_board = factories.HelpRequestFactory(ref="V1", village=twello)
    factories.HelpRequestFactory(ref="V2", village=twello)
    factories.HelpOfferFactory(ref="A1", village=twello, for_request=asked_on_board)
    [capacity] = loading.load().capacities
    assert capacity.only_for == "V1"
    rows = json.loads(run("--format", "json"))
    assert [(row["request_ref"], row["offer_ref"]) for row in rows] == [("V1", "A1")]
