"""Who is expected at a session: one-tap name buttons before anything is typed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omzien.accounts.permissions import SYSTEM, door_people
from omzien.agenda.services import cancel_session
from omzien.attendance import queries, services
from omzien.attendance.models import Visit
from tests.attendance import door


def url(name, session):
    return reverse(f"attendance:{name}", args=[session.pk])


def earlier_sessions(session, count):
    """The activity's sessions of the days before, the latest first."""
    return [
        door.session_on(session.activity, session.date - timedelta(days=days))
        for days in range(1, count + 1)
    ]


def came(person, sessions):
    for session in sessions:
        Visit.objects.create(session=session, person=person)


def expected(session, user=SYSTEM):
    return queries.expected_people(session, door_people(user, session))


def names(people):
    return [person.first_name for person in people]


@pytest.fixture
def past(benring_today):
    return earlier_sessions(benring_today, 8)


def test_regulars_come_first_and_recent_visits_weigh_more(benring, benring_today, past):
    regular = door.person("Regina", "Vast", place=benring)
    lately = door.person("Lotte", "Laatst", place=benring)
    long_ago = door.person("Lange", "Tijdgeleden", place=benring)
    came(regular, past)  # all eight
    came(lately, past[:2])  # the last two: 1 + 0.8 of 4.16
    came(long_ago, past[5:7])  # six and seven sessions back: 0.33 + 0.26 of 4.16
    people = expected(benring_today)
    assert names(people) == ["Regina", "Lotte"]
    assert people[0].expected_share == pytest.approx(1.0)
    assert people[1].expected_share == pytest.approx(1.8 / sum(0.8**age for age in range(8)))


def test_only_the_latest_held_sessions_count(benring, benring_today):
    past = earlier_sessions(benring_today, 12)
    regular = door.person("Regina", "Vast", place=benring)
    gone = door.person("Gerda", "Weg", place=benring)
    came(regular, past[:8])
    came(gone, past[8:])  # came often, but before the eight latest sessions
    assert names(expected(benring_today)) == ["Regina"]


def test_cancelled_sessions_and_days_without_check_ins_do_not_count(benring, benring_today, past):
    regular = door.person("Regina", "Vast", place=benring)
    came(regular, past[2:])
    # The two latest sessions: one cancelled (after a visit was noted), one without
    # anybody checked in; they are not held sessions, so Regina is still a regular.
    came(door.person("Els", "Eenmalig", place=benring), past[:1])
    cancel_session(past[0], "Storm", acting_user=SYSTEM)
    assert queries.recent_held_sessions(benring_today) == [s.pk for s in past[2:]]
    assert expected(benring_today)[0].expected_share == pytest.approx(1.0)


def test_nobody_is_expected_at_a_first_session(benring, benring_today):
    assert expected(benring_today) == []


def test_people_without_the_names_consent_are_never_expected(benring, benring_today, past):
    came(door.person("Maria", "Zondernaam", place=benring, names=False), past)
    came(door.person("Marian", "Nooitgevraagd", place=benring, names=None), past)
    assert expected(benring_today) == []


def test_only_people_the_host_may_see(
    benring, benring_today, trefpunt, trefpunt_today, host_benring, coordinator_trefpunt
):
    came(door.person("Regina", "Vast", place=benring), earlier_sessions(benring_today, 4))
    came(door.person("Truus", "Trefpunt", place=trefpunt), earlier_sessions(trefpunt_today, 4))
    assert names(expected(benring_today, host_benring)) == ["Regina"]
    assert names(expected(trefpunt_today, host_benring)) == []  # no door people there
    assert names(expected(benring_today, coordinator_trefpunt)) == []


def test_at_most_the_cap_waiting_besides_those_already_in(benring, benring_today, past):
    people = [door.person(f"Vaste{number:02d}", "Bezoeker", place=benring) for number in range(30)]
    for person in people:
        came(person, past)
    for person in people[:3]:
        services.check_in(benring_today, person, acting_user=SYSTEM)
    shown = expected(benring_today)
    waiting = [person for person in shown if not person.is_checked_in]
    assert len(waiting) == queries.EXPECTED_LIMIT
    assert {person.pk for person in shown if person.is_checked_in} == {p.pk for p in people[:3]}


# --- The screen -----------------------------------------------------------------------


def test_the_screen_shows_the_expected_as_buttons_before_anything_is_typed(
    henk, benring, benring_today, past, mariette
):
    came(mariette, past)
    response = henk.get(url("check_in", benring_today))
    html = response.content.decode()
    assert [p.pk for p in response.context["expected"]] == [mariette.pk]
    assert 'id="expected-list"' in html
    item = html.split('id="expected-list"')[1]
    assert f'data-person="{mariette.pk}"' in item
    assert reverse("attendance:tap_check_in", args=[benring_today.pk]) in item


def test_one_tap_on_an_expected_name_without_javascript(henk, benring_today, past, mariette):
    came(mariette, past)
    response = henk.post(url("tap_check_in", benring_today), {"person": mariette.pk, "q": ""})
    assert response.status_code == 302
    assert Visit.objects.filter(session=benring_today, person=mariette).exists()
    screen = henk.get(response.url)
    assert [p.pk for p in screen.context["checked_in"]] == [mariette.pk]
    # Still in the expected list, marked in: hidden there, back when undone.
    (listed,) = screen.context["expected"]
    assert listed.is_checked_in
    assert 'id="everyone-expected-is-in">' in screen.content.decode()  # not hidden

    henk.post(url("tap_undo", benring_today), {"person": mariette.pk})
    screen = henk.get(url("check_in", benring_today))
    assert not screen.context["expected"][0].is_checked_in
    assert screen.context["checked_in"] == []


def test_the_screen_costs_the_same_queries_for_two_or_twenty_expected_people(
    henk, benring, benring_today, past
):
    def queries_for_screen():
        with CaptureQueriesContext(connection) as captured:
            response = henk.get(url("check_in", benring_today))
        assert response.status_code == 200
        return len(captured), len(response.context["expected"])

    for number in range(2):
        came(door.person(f"Ans{number}", "Vast", place=benring), past[number:])
    few, shown = queries_for_screen()
    assert shown == 2
    for number in range(18):
        came(door.person(f"Bob{number:02d}", "Vast", place=benring), past[: number % 8 + 1])
    many, shown = queries_for_screen()
    assert shown == 20
    assert many == few
    people = door_people(SYSTEM, benring_today)
    with CaptureQueriesContext(connection) as captured:
        assert len(queries.expected_people(benring_today, people)) == 20
    assert len(captured) == 2  # the held sessions, and the people with their weights
