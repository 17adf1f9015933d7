"""A signal someone closed explains its absence up to that day: the nightly run raises the
same absence again only once it has grown unusual again from then on, and never after
"verhuisd of bewust gestopt"."""

from datetime import UTC, date, datetime, timedelta

import pytest

from omzien.people.models import Purpose
from omzien.signals import services
from omzien.signals.models import Outcome, Signal
from tests import factories
from tests.signals.conftest import AS_OF, visit
from tests.signals.test_command import run

NEXT_DAY = AS_OF + timedelta(days=1)


def night(day):
    run("--as-of", day.isoformat(), "--save")
    return list(Signal.objects.order_by("pk").values_list("status", flat=True))


@pytest.fixture
def raised(regular, time_machine):
    """Riet's signal of 3 April, and the next morning."""
    time_machine.move_to(datetime.combine(AS_OF, datetime.min.time(), UTC), tick=False)
    assert night(AS_OF) == ["open"]
    time_machine.move_to(datetime.combine(NEXT_DAY, datetime.min.time(), UTC) + timedelta(hours=9))
    return Signal.objects.get()


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", [Outcome.ALL_FINE, Outcome.NO_CONTACT, Outcome.MOVED])
def test_a_closed_signal_is_not_raised_again_the_next_night(raised, professional, outcome):
    services.close(raised, outcome, acting_user=professional)
    assert night(NEXT_DAY) == ["closed"]


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["all_fine", "ill", "holiday", "moved"])
def test_an_answer_at_the_door_that_closes_is_not_raised_again_the_next_night(
    raised, regular, trefpunt, host_trefpunt, answer
):
    visible_at_the_door(regular, trefpunt)
    until = NEXT_DAY + timedelta(days=20) if answer == "holiday" else None
    services.answer_at_door(raised, answer, until=until, acting_user=host_trefpunt)
    assert night(NEXT_DAY) == ["closed"]


def first_night_raised_again(days, time_machine):
    for day in days:
        time_machine.move_to(datetime.combine(day, datetime.min.time(), UTC) + timedelta(days=1))
        if night(day).count("open"):
            return day
    return None


@pytest.mark.django_db
def test_after_all_fine_the_absence_counts_from_the_closing_day(raised, professional, time_machine):
    services.close(raised, Outcome.ALL_FINE, acting_user=professional)
    tuesdays = [date(2026, 4, 8) + timedelta(weeks=w) for w in range(7)]
    # Three Tuesdays missed again after the call, as before the first signal.
    assert first_night_raised_again(tuesdays, time_machine) == date(2026, 4, 22)
    again = Signal.objects.get(status=Signal.Status.OPEN)
    assert again.missed == 3
    assert again.reason.endswith(
        "laatst gezien 43 dagen geleden; "
        "3 bijeenkomsten gemist sinds 4 april, toen een eerder signaal werd afgesloten."
    )


@pytest.mark.django_db
def test_after_moved_the_absence_is_never_raised_again(raised, professional, time_machine):
    services.close(raised, Outcome.MOVED, acting_user=professional)
    tuesdays = [date(2026, 4, 8) + timedelta(weeks=w) for w in range(7)]
    assert first_night_raised_again(tuesdays, time_machine) is None


@pytest.mark.django_db
@pytest.mark.parametrize("closed", [True, False])
def test_an_explained_absence_they_came_back_from_explains_nothing_now(
    raised, regular, coffee, professional, time_machine, closed
):
    if closed:
        services.close(raised, Outcome.ALL_FINE, acting_user=professional)
    visit(regular, coffee[1], [date(2026, 4, 14), date(2026, 4, 21)])
    tuesdays = [date(2026, 4, 22) + timedelta(weeks=w) for w in range(6)]
    # Gone again after 21 April: she came back from five weeks away once, so it takes
    # five Tuesdays, whether or not someone closed the first signal.
    assert first_night_raised_again(tuesdays, time_machine) == date(2026, 5, 27)
    assert Signal.objects.get(status=Signal.Status.OPEN).reason.endswith(
        "; 5 bijeenkomsten gemist."
    )


# --- An absence recorded on the person's page answers the door too ----------------------


def visible_at_the_door(person, place):
    """The door shows people registered at its place who agreed to show their names."""
    person.registered_place = place
    person.save()
    factories.ConsentFactory(person=person, purpose=Purpose.NAMES, given=True)


@pytest.mark.django_db
def test_an_absence_that_has_begun_closes_the_first_contact(
    raised, regular, trefpunt, host_trefpunt
):
    visible_at_the_door(regular, trefpunt)
    services.record_absence(
        regular, NEXT_DAY, NEXT_DAY + timedelta(days=20), "vakantie", acting_user=host_trefpunt
    )
    raised.refresh_from_db()
    assert (raised.status, raised.outcome) == (Signal.Status.CLOSED, Outcome.ILL_OR_AWAY)
    assert raised.closed_by == host_trefpunt
    assert night(NEXT_DAY) == ["closed"]


@pytest.mark.django_db
def test_an_absence_still_to_come_and_a_coordinators_follow_up_stay_open(
    raised, regular, trefpunt, host_trefpunt
):
    visible_at_the_door(regular, trefpunt)
    later = NEXT_DAY + timedelta(days=30)
    services.record_absence(
        regular, later, later + timedelta(days=7), "", acting_user=host_trefpunt
    )
    assert Signal.objects.get().status == Signal.Status.OPEN
    Signal.objects.update(follow_up_since=NEXT_DAY)
    services.record_absence(
        regular, NEXT_DAY, NEXT_DAY + timedelta(days=7), "", acting_user=host_trefpunt
    )
    assert Signal.objects.get().status == Signal.Status.OPEN


@pytest.mark.django_db
def test_only_the_first_contacts_of_places_whose_door_they_run(
    raised, regular, trefpunt, benring, host_trefpunt
):
    visible_at_the_door(regular, trefpunt)
    elsewhere = Signal.objects.create(
        person=regular, place=benring, raised_on=AS_OF, reason="-", probability=0.4
    )
    services.record_absence(
        regular, NEXT_DAY, NEXT_DAY + timedelta(days=7), "", acting_user=host_trefpunt
    )
    elsewhere.refresh_from_db()
    raised.refresh_from_db()
    assert (raised.status, elsewhere.status) == (Signal.Status.CLOSED, Signal.Status.OPEN)
