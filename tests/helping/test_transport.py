"""Getting there: "Ik wil mee maar heb geen vervoer" from an activity page becomes a help
request for transport, handled by the place nearest to where the resident lives."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import QueryDict
from django.urls import reverse

from omzien.audit.models import AuditEvent
from omzien.helping import services, transport
from omzien.helping.models import Category, HelpRequest
from omzien.helping.services import Details
from tests import factories

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, morning; the coffee morning at De Benring is on Tuesdays at 10:00.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TUESDAY = date(2026, 3, 3)
DESCRIPTION = (
    "Vervoer naar Koffieochtend bij De Benring, Dorpsstraat 1, 7391 AA Voorst, "
    "op dinsdag 3 maart 2026 om 10:00"
)


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def wilp(db):
    """A village without a meeting place, nearer to Twello than to Voorst."""
    return factories.VillageFactory(
        name="Wilp", slug="wilp", latitude="52.218000", longitude="6.140000"
    )


@pytest.fixture
def coffee(benring):
    return factories.ActivityFactory(place=benring, title="Koffieochtend", slug="koffie")


def query(**values):
    q = QueryDict(mutable=True)
    q.update(values)
    return q


def link(**values):
    return f"{reverse('help:transport')}?{query(**values).urlencode()}"


def form_data(village, **changes):
    data = {
        "place": "",
        "wanted_on": "",
        "village": village.pk,
        "first_name": "Gerrit",
        "phone": "06 12 34 56 78",
        "email": "",
        "description": "",
        "consent": "yes",
        "website": "",
    }
    data.update(changes)
    return data


# --- The destination from the link -----------------------------------------------------------


def test_the_link_gives_place_day_activity_and_start(benring, coffee):
    found = transport.from_query(
        query(plek=str(benring.pk), datum="2026-03-03", activiteit=str(coffee.pk))
    )
    assert (found.place, found.day, found.activity) == (benring, TUESDAY, coffee)
    assert found.start_time() == "10:00"
    assert found.description() == DESCRIPTION


def test_a_stored_session_gives_its_own_moved_start(benring, coffee):
    moved = factories.SessionFactory(
        activity=coffee,
        date=TUESDAY,
        starts_at=datetime(2026, 3, 3, 14, 0, tzinfo=ZoneInfo("Europe/Amsterdam")),
        ends_at=datetime(2026, 3, 3, 16, 0, tzinfo=ZoneInfo("Europe/Amsterdam")),
        is_rescheduled=True,
    )
    found = transport.from_query(query(sessie=str(moved.pk)))
    assert (found.place, found.day, found.activity) == (benring, TUESDAY, coffee)
    assert found.start_time() == "14:00" and found.part_of_day() == ["middag"]


@pytest.mark.parametrize(
    "values",
    [
        {"plek": "abc", "datum": "3 maart"},
        {"plek": "999999", "datum": "2026-02-30"},
        {"plek": "-1", "datum": "2026-03-01"},  # yesterday
        {"plek": "1" * 40, "datum": "2099-01-01"},  # years ahead
        {"activiteit": "999999", "sessie": "x"},
        # Digits that str.isdigit() accepts and int() refuses.
        {"plek": "²", "activiteit": "³", "sessie": "¹"},
        {"plek": "", "datum": "", "activiteit": "", "sessie": ""},
        {},
    ],
)
def test_bad_or_unknown_parameters_give_no_prefill(benring, values):
    found = transport.from_query(query(**values))
    assert (found.place, found.day, found.activity, found.starts_at) == (None, None, None, None)


def test_an_inactive_place_is_not_offered(benring, coffee):
    benring.is_active = False
    benring.save()
    found = transport.from_query(query(plek=str(benring.pk), activiteit=str(coffee.pk)))
    assert found.place is None and found.activity is None


def test_a_link_that_contradicts_itself_keeps_the_place(benring, trefpunt, coffee):
    found = transport.from_query(
        query(plek=str(trefpunt.pk), datum="2026-03-03", activiteit=str(coffee.pk))
    )
    assert (found.place, found.day, found.activity) == (trefpunt, TUESDAY, None)
    assert found.description() == (
        "Vervoer naar Trefpunt Duistervoorde, Dorpsstraat 1, 7391 AA Twello, "
        "op dinsdag 3 maart 2026"
    )


def test_a_day_without_the_activity_has_no_time(benring, coffee):
    found = transport.from_query(
        query(plek=str(benring.pk), datum="2026-03-04", activiteit=str(coffee.pk))
    )
    assert found.activity == coffee and found.starts_at is None


# --- The service ------------------------------------------------------------------------------


def test_the_service_notes_one_transport_request_for_the_nearest_place(
    benring, trefpunt, coffee, wilp
):
    destination = transport.Destination(place=benring, day=TUESDAY, activity=coffee).matching(
        benring, TUESDAY
    )
    details = Details(
        village=wilp, categories=[], first_name="Gerrit", phone="0612345678", consent=True
    )
    saved = services.ask_for_transport(
        details, destination, acting_user=None, note="Ik loop met een rollator."
    )
    assert HelpRequest.objects.get() == saved
    assert saved.categories == [Category.TRANSPORT] and saved.wanted_on == TUESDAY
    assert saved.description == f"{DESCRIPTION}\nIk loop met een rollator."
    # Routed like every request from the website: the place nearest to where they live.
    assert saved.place == trefpunt and saved.village == wilp
    assert saved.days == ["di"] and saved.parts == ["ochtend"] and saved.urgency == "week"
    assert saved.source == "web" and not saved.on_board


def test_the_service_refuses_a_day_in_the_past_and_a_missing_destination(benring, wilp):
    details = Details(village=wilp, categories=[], phone="0612345678", consent=True)
    with pytest.raises(services.ValidationError):
        services.ask_for_transport(
            details, transport.Destination(place=benring, day=date(2026, 3, 1)), acting_user=None
        )
    with pytest.raises(services.ValidationError):
        services.ask_for_transport(details, transport.Destination(), acting_user=None)
    assert not HelpRequest.objects.exists()


# --- The page ---------------------------------------------------------------------------------


def test_the_page_shows_the_destination_in_words(client, benring, coffee):
    page = client.get(link(plek=benring.pk, datum="2026-03-03", activiteit=coffee.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ik wil mee maar heb geen vervoer" in html
    assert "Koffieochtend" in html and "Dorpsstraat 1, 7391 AA Voorst" in html
    assert "dinsdag 3 maart 2026, 10:00" in html
    assert f'<option value="{benring.pk}" selected>' in html
    assert 'value="2026-03-03"' in html
    assert 'name="consent"' in html and 'name="website"' in html


def test_bad_parameters_still_give_the_form(client, benring):
    page = client.get(reverse("help:transport") + "?plek=%3Cscript%3E&datum=morgen&sessie=9")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="transport-destination"' not in html and "<script>" not in html
    assert 'name="wanted_on"' in html


@pytest.mark.parametrize("value", ["²", "١٢", "0", "-3", "9" * 30])
def test_odd_numbers_in_the_link_still_give_the_form(client, benring, value):
    page = client.get(link(plek=value, activiteit=value, sessie=value))
    assert page.status_code == 200 and 'name="wanted_on"' in page.content.decode()


def test_an_anonymous_get_writes_nothing(client, benring, coffee):
    before = AuditEvent.objects.count()
    assert client.get(link(plek=benring.pk, datum="2026-03-03")).status_code == 200
    assert AuditEvent.objects.count() == before and not HelpRequest.objects.exists()


def test_the_form_notes_exactly_one_request(client, benring, trefpunt, coffee, wilp):
    response = client.post(
        link(plek=benring.pk, datum="2026-03-03", activiteit=coffee.pk),
        form_data(wilp, place=benring.pk, wanted_on="2026-03-03"),
    )
    assert response.status_code == 302 and response["Location"] == reverse("help:thanks")
    saved = HelpRequest.objects.get()
    assert saved.description == DESCRIPTION and saved.place == trefpunt
    assert saved.categories == ["vervoer"] and saved.phone == "0612345678"


def test_without_the_link_the_resident_chooses_place_and_day(client, benring, wilp):
    response = client.post(
        reverse("help:transport"), form_data(wilp, place=benring.pk, wanted_on="14-03-2026")
    )
    assert response.status_code == 302
    saved = HelpRequest.objects.get()
    assert saved.wanted_on == date(2026, 3, 14) and saved.urgency == "maand"
    assert saved.description.startswith("Vervoer naar De Benring, Dorpsstraat 1")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"wanted_on": "2026-03-01"}, "Kies een dag vanaf vandaag."),
        ({"wanted_on": ""}, "Kies de dag waarop u wilt gaan."),
        ({"place": ""}, "Kies waar u naartoe wilt."),
        ({"phone": "", "email": ""}, "telefoonnummer of een e-mailadres"),
    ],
)
def test_bad_input_is_a_dutch_error_and_keeps_nothing(client, benring, wilp, changes, message):
    data = form_data(wilp, place=benring.pk, wanted_on="2026-03-03")
    data.update(changes)
    response = client.post(reverse("help:transport"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_without_consent_nothing_is_kept(client, benring, wilp):
    data = form_data(wilp, place=benring.pk, wanted_on="2026-03-03", consent="no")
    response = client.post(reverse("help:transport"), data)
    assert response.status_code == 200 and "niets bewaard" in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_the_honeypot_refuses(client, benring, wilp):
    data = form_data(wilp, place=benring.pk, wanted_on="2026-03-03", website="http://spam")
    response = client.post(reverse("help:transport"), data)
    assert response.status_code == 400
    assert "Dit formulier kon niet worden verstuurd" in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_the_rate_limit_is_the_one_of_the_help_forms(client, benring, wilp, settings):
    settings.OMZIEN_HELP_FORM_LIMIT = 1
    data = form_data(wilp, place=benring.pk, wanted_on="2026-03-03")
    assert client.post(reverse("help:transport"), data).status_code == 302
    refused = client.post(reverse("help:transport"), {**data, "first_name": "Anna"})
    assert refused.status_code == 429 and HelpRequest.objects.count() == 1


def test_csrf_is_required(benring, wilp):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    data = form_data(wilp, place=benring.pk, wanted_on="2026-03-03")
    assert strict.post(reverse("help:transport"), data).status_code == 403
    assert not HelpRequest.objects.exists()


def test_the_coordinator_sees_it_with_free_text_escaped(
    client, benring, trefpunt, wilp, coordinator_trefpunt
):
    data = form_data(wilp, place=benring.pk, wanted_on="2026-03-03", description="<b>rollator</b>")
    client.post(reverse("help:transport"), data)
    saved = HelpRequest.objects.get()
    client.force_login(coordinator_trefpunt)
    listed = client.get(reverse("helping:manage")).content.decode()
    assert reverse("helping:request", args=[saved.pk]) in listed
    page = client.get(reverse("helping:request", args=[saved.pk])).content.decode()
    assert "Vervoer naar De Benring" in page and "dinsdag 3 maart 2026" in page
    assert "&lt;b&gt;rollator&lt;/b&gt;" in page and "<b>rollator</b>" not in page


# --- The link on the activity page ------------------------------------------------------------


def test_the_activity_page_links_each_session_without_a_csrf_token(client, benring, coffee):
    page = client.get(coffee.get_absolute_url()).content.decode()
    assert "Ik wil mee maar heb geen vervoer" in page
    assert (
        f"{reverse('help:transport')}?plek={benring.pk}&amp;datum=2026-03-03"
        f"&amp;activiteit={coffee.pk}"
    ) in page
    assert "csrfmiddlewaretoken" not in page  # the page stays cacheable for everyone
    followed = client.get(link(plek=benring.pk, datum="2026-03-03", activiteit=coffee.pk))
    assert "dinsdag 3 maart 2026, 10:00" in followed.content.decode()
