"""The follow-up pages: scope, urgency order, actions, audit."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from omzien.signals import notifications
from omzien.signals.models import Signal
from tests import factories
from tests.signals.conftest import with_followup

LIST = reverse("signals:list")


def follow_up(**fields):
    """A signal a coordinator follows up since the day it was raised."""
    return Signal.objects.create(follow_up_since=fields["raised_on"], **fields)


@pytest.fixture
def signals(regular, trefpunt, benring):
    calm = with_followup(factories.PersonFactory(first_name="Bert"))
    escalated = with_followup(factories.PersonFactory(first_name="Ans"))
    elsewhere = with_followup(factories.PersonFactory(first_name="Kees"))
    made = {
        "likely": follow_up(
            person=regular, place=trefpunt, raised_on=date(2026, 4, 3), reason="r", probability=0.95
        ),
        "calm": follow_up(
            person=calm, place=trefpunt, raised_on=date(2026, 4, 3), reason="c", probability=0.6
        ),
        "escalated": follow_up(
            person=escalated,
            place=trefpunt,
            raised_on=date(2026, 3, 1),
            reason="e",
            probability=0.55,
            escalated_at=timezone.now(),
        ),
        "elsewhere": follow_up(
            person=elsewhere, place=benring, raised_on=date(2026, 4, 3), reason="k"
        ),
    }
    return made


@pytest.mark.django_db
def test_coordinator_sees_own_place_escalated_first(client, coordinator_trefpunt, signals):
    client.force_login(coordinator_trefpunt)
    response = client.get(LIST)
    assert response.status_code == 200
    assert [s.pk for s in response.context["signals"]] == [
        signals["escalated"].pk,
        signals["likely"].pk,
        signals["calm"].pk,
    ]
    assert AuditEvent.objects.filter(user=coordinator_trefpunt, subject="signal list").exists()
    assert reverse("signals:list").encode() in response.content  # the menu link


@pytest.mark.django_db
def test_professional_sees_all_places(client, professional, signals):
    client.force_login(professional)
    assert len(client.get(LIST).context["signals"]) == 4


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["viewer", "host_benring"])
def test_viewers_and_hosts_get_403(client, who, request, signals):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    # A signal out of reach looks like one that does not exist.
    assert client.get(reverse("signals:detail", args=[signals["likely"].pk])).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, signals):
    assert client.get(LIST).status_code == 302


@pytest.mark.django_db
def test_coordinator_of_other_place_gets_404_on_the_signal(client, coordinator_trefpunt, signals):
    client.force_login(coordinator_trefpunt)
    url = reverse("signals:detail", args=[signals["elsewhere"].pk])
    assert client.get(url).status_code == 404
    missing = reverse("signals:detail", args=[signals["elsewhere"].pk + 1000])
    assert client.get(missing).status_code == 404


@pytest.mark.django_db
def test_coordinator_logs_contact_and_closes(client, coordinator_trefpunt, signals, regular):
    signal = signals["likely"]
    url = reverse("signals:detail", args=[signal.pk])
    client.force_login(coordinator_trefpunt)
    response = client.get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(person=regular, action="view").exists()
    response = client.post(
        url,
        {
            "action": "contact",
            "contact-method": "called",
            "contact-outcome": "all_fine",
            "contact-note": "Was ziek",
        },
    )
    assert response.status_code == 302
    assert signal.contacts.get().note == "Was ziek"
    client.post(url, {"action": "assign", "assign-user": coordinator_trefpunt.pk})
    signal.refresh_from_db()
    assert signal.assigned_to == coordinator_trefpunt
    client.post(url, {"action": "close", "close-outcome": "all_fine"})
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == ("closed", "all_fine")


@pytest.mark.django_db
def test_snooze_in_the_past_shows_the_error(client, coordinator_trefpunt, signals):
    signal = signals["likely"]
    client.force_login(coordinator_trefpunt)
    url = reverse("signals:detail", args=[signal.pk])
    response = client.post(url, {"action": "snooze", "snooze-until": "2000-01-01"})
    assert response.status_code == 200
    assert response.context["forms"]["snooze"].errors
    signal.refresh_from_db()
    assert signal.status == "open"


@pytest.mark.django_db
def test_coordinator_adds_a_closure_of_own_place_in_the_admin(
    client, coordinator_trefpunt, benring
):
    client.force_login(coordinator_trefpunt)
    url = reverse("admin:places_placeclosure_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"place": benring.pk, "first_day": "2026-07-20", "last_day": "2026-08-16"}
    )
    assert response.status_code == 200  # another place is not a choice


# --- Assign from the list ---------------------------------------------------------------


def assign_from_list(client, signal, user):
    return client.post(
        reverse("signals:assign", args=[signal.pk]),
        {f"assign-{signal.pk}-user": "" if user is None else user.pk},
    )


def row(response, signal) -> str:
    """The HTML of the signal's row in the list."""
    html = response.content.decode()
    start = html.index(f'id="signal-{signal.pk}"')
    return html[start : html.index("</tr>", start)]


@pytest.mark.django_db
def test_coordinator_assigns_from_the_list(client, coordinator_trefpunt, signals, host_trefpunt):
    signal = signals["likely"]
    client.force_login(coordinator_trefpunt)
    response = assign_from_list(client, signal, host_trefpunt)
    assert response.status_code == 302
    assert response.url == f"{LIST}#signal-{signal.pk}"
    signal.refresh_from_db()
    assert signal.assigned_to == host_trefpunt
    assert AuditEvent.objects.filter(
        user=coordinator_trefpunt, action="change", person=signal.person
    ).exists()

    response = client.get(response.url)
    [message] = [str(m) for m in response.context["messages"]]
    assert "Riet" in message and "Truus" in message
    assert '<p class="assignee">Truus</p>' in row(response, signal)


@pytest.mark.django_db
def test_each_row_offers_only_people_who_may_have_that_signal(
    client, professional, signals, host_trefpunt, host_benring, coordinator_trefpunt
):
    client.force_login(professional)
    response = client.get(LIST)
    here = {
        user.pk
        for row in response.context["rows"]
        if row["signal"] == signals["likely"]
        for user in row["form"].fields["user"].queryset
    }
    shown = row(response, signals["likely"])
    for user in (host_trefpunt, coordinator_trefpunt, professional):
        assert user.pk in here
        assert f'<option value="{user.pk}"' in shown
    assert host_benring.pk not in here
    assert f'<option value="{host_benring.pk}"' not in shown
    assert f'<option value="{host_benring.pk}"' in row(response, signals["elsewhere"])
    assert f'action="{reverse("signals:assign", args=[signals["likely"].pk])}"' in shown


@pytest.mark.django_db
def test_the_list_does_not_query_per_row(
    client, professional, signals, benring, django_assert_max_num_queries
):
    client.force_login(professional)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for n in range(6):
        person = with_followup(factories.PersonFactory())
        place = factories.PlaceFactory() if n % 2 else benring
        factories.MembershipFactory(role=Role.HOST, place=place)
        follow_up(person=person, place=place, raised_on=date(2026, 4, 3), reason="x")
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 10


@pytest.mark.django_db
def test_viewer_may_not_assign(client, viewer, signals, host_trefpunt):
    client.force_login(viewer)
    assert assign_from_list(client, signals["likely"], host_trefpunt).status_code == 404
    assert not Signal.objects.filter(assigned_to__isnull=False).exists()


@pytest.mark.django_db
def test_the_assignee_host_sees_their_signal_on_the_list_and_may_hand_it_back(
    client, coordinator_trefpunt, signals, host_trefpunt
):
    """A host who has a signal finds it on the list (theirs only) and may pass it on, as
    on the signal's page; once passed on, it is out of their reach."""
    signal = signals["likely"]
    signal.assigned_to = host_trefpunt
    signal.save()
    client.force_login(host_trefpunt)
    assert [row.pk for row in client.get(LIST).context["signals"]] == [signal.pk]
    assert assign_from_list(client, signal, coordinator_trefpunt).status_code == 302
    signal.refresh_from_db()
    assert signal.assigned_to == coordinator_trefpunt
    assert client.get(reverse("signals:detail", args=[signal.pk])).status_code == 404


@pytest.mark.django_db
def test_coordinator_of_another_place_may_not_assign(
    client, coordinator_trefpunt, signals, host_benring
):
    client.force_login(coordinator_trefpunt)
    assert assign_from_list(client, signals["elsewhere"], host_benring).status_code == 404
    signals["elsewhere"].refresh_from_db()
    assert signals["elsewhere"].assigned_to is None


@pytest.mark.django_db
def test_assigning_someone_of_another_place_is_refused(
    client, coordinator_trefpunt, signals, host_benring, viewer
):
    signal = signals["likely"]
    client.force_login(coordinator_trefpunt)
    for outsider in (host_benring, viewer):
        response = assign_from_list(client, signal, outsider)
        assert response.status_code == 400
        assert response.context["failed"][1].errors["user"]
        assert 'id="assign-error"' in response.content.decode()
        assert f'id="signal-{signal.pk}"' in response.content.decode()  # the list is back
    signal.refresh_from_db()
    assert signal.assigned_to is None
    assert not AuditEvent.objects.filter(action="change").exists()


@pytest.mark.django_db
def test_assigning_a_closed_signal_is_refused(client, coordinator_trefpunt, signals, host_trefpunt):
    signal = signals["likely"]
    Signal.objects.filter(pk=signal.pk).update(status=Signal.Status.CLOSED, outcome="all_fine")
    client.force_login(coordinator_trefpunt)
    response = assign_from_list(client, signal, host_trefpunt)
    assert response.status_code == 400
    [error] = response.context["failed"][1].non_field_errors()
    assert error in response.content.decode()
    signal.refresh_from_db()
    assert signal.assigned_to is None


@pytest.mark.django_db
def test_assign_is_a_post(client, coordinator_trefpunt, signals):
    client.force_login(coordinator_trefpunt)
    assert client.get(reverse("signals:assign", args=[signals["likely"].pk])).status_code == 405


@pytest.mark.django_db
def test_choosing_nobody_takes_the_signal_back(
    client, coordinator_trefpunt, signals, host_trefpunt
):
    signal = signals["likely"]
    signal.assigned_to = host_trefpunt
    signal.save()
    client.force_login(coordinator_trefpunt)
    assert assign_from_list(client, signal, None).status_code == 302
    signal.refresh_from_db()
    assert signal.assigned_to is None


# --- Escalated signals on the list ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator_trefpunt", "professional"])
def test_escalated_signals_are_announced_and_marked(client, who, request, signals, settings):
    settings.OMZIEN_SIGNAL_ESCALATE_DAYS = 7
    client.force_login(request.getfixturevalue(who))
    response = client.get(LIST)
    html = response.content.decode()
    notice = notifications.not_picked_up_text(1, 7)
    assert response.context["waiting_notice"] == notice
    assert 'id="escalation-notice"' in html and notice in html
    assert 'class="escalated-mark"' in row(response, signals["escalated"])
    assert 'class="escalated-mark"' not in row(response, signals["likely"])


@pytest.mark.django_db
def test_no_notice_once_the_escalated_signal_is_picked_up(
    client, coordinator_trefpunt, signals, host_trefpunt
):
    client.force_login(coordinator_trefpunt)
    assign_from_list(client, signals["escalated"], host_trefpunt)
    response = client.get(LIST)
    assert response.context["waiting_notice"] == ""
    assert 'id="escalation-notice"' not in response.content.decode()
    assert 'class="escalated-mark"' in row(response, signals["escalated"])  # still first


@pytest.mark.django_db
def test_no_notice_without_escalated_signals(client, coordinator_trefpunt, signals):
    Signal.objects.update(escalated_at=None)
    client.force_login(coordinator_trefpunt)
    response = client.get(LIST)
    assert 'id="escalation-notice"' not in response.content.decode()
