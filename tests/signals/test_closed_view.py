"""Closed signals looked back on: with their outcome, by place and by period, in scope."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from omzien.signals.models import Outcome, Signal
from tests import factories
from tests.signals.conftest import with_followup

CLOSED = reverse("signals:closed")


def closed_signal(person, place, closed_at, outcome=Outcome.ALL_FINE):
    return Signal.objects.create(
        person=person,
        place=place,
        raised_on=date(2026, 3, 1),
        reason="r",
        status=Signal.Status.CLOSED,
        outcome=outcome,
        closed_at=closed_at,
    )


@pytest.fixture
def closed(trefpunt, benring):
    riet = with_followup(factories.PersonFactory(first_name="Riet"))
    bert = with_followup(factories.PersonFactory(first_name="Bert"))
    kees = with_followup(factories.PersonFactory(first_name="Kees"))
    return {
        "march": closed_signal(riet, trefpunt, datetime(2026, 3, 20, 10, tzinfo=UTC)),
        "april": closed_signal(
            bert, trefpunt, datetime(2026, 4, 10, 10, tzinfo=UTC), Outcome.NEEDS_HELP
        ),
        # 1 May, 00:30 in Amsterdam is still 30 April in UTC: the day counts as in Omzien.
        "may_first": closed_signal(bert, benring, datetime(2026, 4, 30, 22, 30, tzinfo=UTC)),
        "elsewhere": closed_signal(kees, benring, datetime(2026, 4, 10, 10, tzinfo=UTC)),
        "open": Signal.objects.create(
            person=riet, place=trefpunt, raised_on=date(2026, 4, 3), reason="o"
        ),
    }


def shown(response):
    return {signal.pk for signal in response.context["signals"]}


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 5, 4, 12, tzinfo=UTC), tick=False)
def test_coordinator_sees_the_closed_signals_of_their_place_with_outcome(
    client, coordinator_trefpunt, closed
):
    client.force_login(coordinator_trefpunt)
    response = client.get(CLOSED)
    assert response.status_code == 200
    assert [s.pk for s in response.context["signals"]] == [
        closed["april"].pk,
        closed["march"].pk,
    ]
    assert "needs help" in response.content.decode() or "heeft hulp nodig" in (
        response.content.decode()
    )
    assert AuditEvent.objects.filter(user=coordinator_trefpunt, subject="closed signals").exists()


@pytest.mark.django_db
def test_a_coordinator_of_another_place_never_sees_them(client, closed, benring, trefpunt):
    other = factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user
    client.force_login(other)
    response = client.get(CLOSED)
    assert shown(response) == {closed["may_first"].pk, closed["elsewhere"].pk}
    # Naming the other place is refused like a place that does not exist.
    response = client.get(CLOSED, {"plek": trefpunt.slug})
    assert response.status_code == 400
    assert "signals" not in response.context or not response.context.get("signals")


@pytest.mark.django_db
def test_a_host_without_assignments_gets_403(client, host_benring, closed):
    client.force_login(host_benring)
    assert client.get(CLOSED).status_code == 403


@pytest.mark.django_db
def test_period_and_place_filter(client, closed, benring):
    admin = factories.MembershipFactory(role=Role.ADMIN, place=None).user
    client.force_login(admin)
    april = client.get(CLOSED, {"van": "2026-04-01", "tot": "2026-04-30"})
    assert shown(april) == {closed["april"].pk, closed["elsewhere"].pk}
    may = client.get(CLOSED, {"van": "2026-05-01"})
    assert shown(may) == {closed["may_first"].pk}
    benring_april = client.get(CLOSED, {"plek": benring.slug, "tot": "2026-04-30"})
    assert shown(benring_april) == {closed["elsewhere"].pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"van": "gisteren"},
        {"tot": "2026-02-30"},
        {"van": "1999-12-31"},
        {"tot": "9999-12-31"},
        {"van": "99999-01-01"},
        {"van": "2026-05-01", "tot": "2026-04-01"},
        {"plek": "bestaat-niet"},
    ],
)
def test_bad_filters_are_a_dutch_400(client, coordinator_trefpunt, closed, query):
    client.force_login(coordinator_trefpunt)
    response = client.get(CLOSED, query, headers={"accept-language": "nl"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert b"Traceback" not in response.content


@pytest.mark.django_db
def test_the_list_links_to_the_closed_signals(client, coordinator_trefpunt, closed):
    client.force_login(coordinator_trefpunt)
    response = client.get(reverse("signals:list"))
    assert CLOSED.encode() in response.content
