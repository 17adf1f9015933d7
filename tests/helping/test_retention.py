"""Help's personal data is forgotten a set time after the request closed; counts stay."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from omzien.accounts.permissions import SYSTEM
from omzien.audit.models import AuditEvent
from omzien.core.dates import shift_months
from omzien.helping.models import HelpOffer, HelpRequest
from omzien.privacy import retention
from omzien.privacy.forgetting import forget_people
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2028, 3, 31), -1, date(2028, 2, 29)),
        (date(2026, 1, 15), -12, date(2025, 1, 15)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_shift_months(day, months, expected):
    assert shift_months(day, months) == expected


def closed(benring, closed_at, **fields):
    return factories.HelpRequestFactory(
        village=benring.village,
        place=benring,
        status="afgerond",
        closed_at=closed_at,
        email="riet@example.org",
        asked_by_name="Ans",
        **fields,
    )


def test_contact_data_is_forgotten_twelve_months_after_closing(benring, settings):
    settings.OMZIEN_HELP_RETENTION_MONTHS = 12
    old = closed(benring, datetime(2025, 11, 20, 12, tzinfo=UTC))
    recent = closed(benring, datetime(2025, 11, 28, 12, tzinfo=UTC))
    waiting = factories.HelpRequestFactory(village=benring.village, place=benring)
    board_offer = factories.HelpOfferFactory(
        village=benring.village, place=benring, for_request=old
    )
    with time_machine.travel(datetime(2026, 11, 24, 3, 30, tzinfo=UTC), tick=False):
        assert retention.forget_closed_help(TODAY, acting_user=SYSTEM) == 1
    old.refresh_from_db()
    assert (old.first_name, old.phone, old.email, old.description, old.asked_by_name) == ("",) * 5
    assert old.contact_forgotten_at is not None and old.categories == ["boodschappen"]
    assert old.status == "afgerond"  # still counts in the reports
    recent.refresh_from_db()
    waiting.refresh_from_db()
    assert recent.phone and waiting.phone
    board_offer.refresh_from_db()
    assert board_offer.phone == "" and board_offer.first_name == ""
    assert AuditEvent.objects.filter(subject="retention", detail__contains="1 forgotten").exists()


def test_the_nightly_command_forgets_help_too(benring):
    old = closed(benring, datetime(2024, 1, 1, tzinfo=UTC))
    out = StringIO()
    call_command("forget_inactive_people", stdout=out)
    old.refresh_from_db()
    assert old.phone == ""
    assert "hulpvragen" in out.getvalue()


def test_forgetting_a_person_keeps_their_help_as_anonymous_counts(benring):
    riet = factories.PersonFactory(first_name="Riet", registered_place=benring)
    asked = factories.HelpRequestFactory(person=riet, village=benring.village, place=benring)
    offered = factories.HelpOfferFactory(person=riet, village=benring.village, place=benring)
    forgotten = forget_people([riet.pk], acting_user=SYSTEM, subject="test")
    assert forgotten["help requests"] == 1 and forgotten["help offers"] == 1
    asked = HelpRequest.objects.get(pk=asked.pk)
    offered = HelpOffer.objects.get(pk=offered.pk)
    assert asked.person is None and asked.phone == "" and asked.first_name == ""
    assert offered.person is None and offered.phone == ""


def test_merging_moves_help_to_the_kept_person(benring, coordinator_benring):
    from omzien.privacy import services as privacy

    kept = factories.PersonFactory(first_name="Riet", last_name="Bos", registered_place=benring)
    duplicate = factories.PersonFactory(
        first_name="Riet", last_name="Bosch", registered_place=benring
    )
    for person in (kept, duplicate):
        factories.ConsentFactory(person=person)
    asked = factories.HelpRequestFactory(person=duplicate, village=benring.village, place=benring)
    offered = factories.HelpOfferFactory(person=duplicate, village=benring.village, place=benring)
    merge = privacy.merge_people(kept, duplicate, acting_user=coordinator_benring).merge
    asked.refresh_from_db()
    offered.refresh_from_db()
    assert asked.person == kept and offered.person == kept
    privacy.undo_merge(merge, acting_user=coordinator_benring)
    asked.refresh_from_db()
    assert asked.person_id == duplicate.pk
