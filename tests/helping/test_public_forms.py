"""The public help forms: plain Dutch, consent, bad input, honeypot and the rate limit."""

import pytest
from django.urls import reverse

from omzien.audit.models import AuditEvent
from omzien.helping.models import HelpOffer, HelpRequest

pytestmark = pytest.mark.django_db


def ask_data(where, **changes):
    data = {
        "categories": ["boodschappen", "vervoer"],
        "description": "Wie kan mij naar de huisarts brengen?",
        "village": where.pk,
        "urgency": "week",
        "days": ["di", "do"],
        "parts": ["ochtend"],
        "first_name": "Riet",
        "phone": "06 12 34 56 78",
        "email": "",
        "consent": "yes",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_start_page_offers_asking_and_offering(client, benring):
    page = client.get(reverse("help:start")).content.decode()
    assert "Hulp vragen of aanbieden" in page
    assert reverse("help:ask") in page and reverse("help:offer") in page


def test_the_ask_form_asks_the_consent_question_with_how_long(client, benring, settings):
    settings.OMZIEN_HELP_RETENTION_MONTHS = 12
    page = client.get(reverse("help:ask")).content.decode()
    assert "12 maanden" in page
    assert 'name="consent"' in page and 'name="website"' in page
    assert " je " not in page and " jouw " not in page


def test_anonymous_gets_write_nothing(client, benring, django_assert_max_num_queries):
    before = AuditEvent.objects.count()
    for name in ("help:start", "help:ask", "help:offer", "help:board"):
        assert client.get(reverse(name)).status_code == 200
    assert AuditEvent.objects.count() == before
    assert not HelpRequest.objects.exists()


def test_a_request_is_saved_with_its_answers(client, benring):
    response = client.post(reverse("help:ask"), ask_data(benring.village))
    assert response.status_code == 302 and response["Location"] == reverse("help:thanks")
    saved = HelpRequest.objects.get()
    assert saved.categories == ["boodschappen", "vervoer"]
    assert saved.days == ["di", "do"] and saved.urgency == "week"
    assert saved.phone == "0612345678" and saved.place == benring
    assert saved.source == "web" and not saved.on_board


def test_for_someone_else_needs_the_askers_own_name(client, benring):
    response = client.post(
        reverse("help:ask"), ask_data(benring.village, for_someone_else="on", asked_by_name="")
    )
    assert response.status_code == 400
    assert "Vul ook uw eigen naam in." in response.content.decode()
    assert not HelpRequest.objects.exists()
    client.post(
        reverse("help:ask"), ask_data(benring.village, for_someone_else="on", asked_by_name="Ans")
    )
    saved = HelpRequest.objects.get()
    assert saved.for_someone_else and saved.asked_by_name == "Ans"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "", "email": ""}, "telefoonnummer of een e-mailadres"),
        ({"phone": "12345"}, "Nederlands telefoonnummer"),
        ({"email": "riet@", "phone": ""}, "e-mailadres is niet compleet"),
        ({"categories": None}, "Kruis er minstens één aan."),
        ({"categories": ["tovenarij"]}, "Kies een van de getoonde antwoorden."),
        ({"village": "999999"}, "Kies uw dorp."),
        ({"village": "twello"}, "Kies uw dorp."),
        ({"urgency": "gisteren"}, "Kies een van de getoonde antwoorden."),
        ({"first_name": ""}, "Dit veld is verplicht."),
        ({"description": "x" * 1001}, "1000"),
        ({"consent": None}, "Kruis een antwoord aan."),
        ({"days": ["maandag"]}, "Kies een van de getoonde antwoorden."),
    ],
)
def test_bad_input_gets_a_dutch_error_and_saves_nothing(client, benring, changes, message):
    response = client.post(reverse("help:ask"), ask_data(benring.village, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_without_consent_nothing_is_kept_and_the_page_says_where_else(client, benring):
    response = client.post(reverse("help:ask"), ask_data(benring.village, consent="no"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "niets bewaard" in page.lower() or "Er is niets bewaard" in page
    assert "De Benring" in page  # where else to get help: a meeting place
    assert not HelpRequest.objects.exists()


def test_the_honeypot_refuses_the_form(client, benring):
    response = client.post(reverse("help:ask"), ask_data(benring.village, website="http://spam"))
    assert response.status_code == 400
    # Above the form, where a person would see it (the field itself is out of sight).
    assert (
        'help-error" role="alert">Dit formulier kon niet worden verstuurd'
        in response.content.decode()
    )
    assert not HelpRequest.objects.exists()


def test_the_rate_limit_per_address(client, benring, settings):
    settings.OMZIEN_HELP_FORM_LIMIT = 2
    for _ in range(2):
        assert client.post(reverse("help:ask"), ask_data(benring.village)).status_code == 302
    refused = client.post(reverse("help:ask"), ask_data(benring.village))
    assert refused.status_code == 429
    assert "probeer het over een uur" in refused.content.decode().lower()
    assert HelpRequest.objects.count() == 2
    # Another address is not affected.
    other = client.post(reverse("help:ask"), ask_data(benring.village), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_the_form_needs_its_csrf_token(benring):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("help:ask"), ask_data(benring.village)).status_code == 403
    assert not HelpRequest.objects.exists()


def test_an_offer_is_saved(client, benring, twello):
    response = client.post(
        reverse("help:offer"),
        {
            "categories": ["klusjes"],
            "village": benring.village.pk,
            "villages": [twello.pk],
            "max_km": "8",
            "days": ["za"],
            "parts": ["middag"],
            "max_per_month": "2",
            "has_car": "on",
            "first_name": "Jan",
            "email": "jan@example.org",
            "consent": "yes",
            "website": "",
        },
    )
    assert response.status_code == 302
    saved = HelpOffer.objects.get()
    assert (saved.max_km, saved.max_per_month, saved.has_car) == (8, 2, True)
    assert list(saved.villages.all()) == [twello]


def test_the_board_shows_only_approved_requests_and_no_text(client, benring):
    from tests import factories

    hidden = factories.HelpRequestFactory(
        first_name="Geheim", village=benring.village, place=benring
    )
    shown = factories.HelpRequestFactory(
        first_name="Riet",
        village=benring.village,
        place=benring,
        on_board=True,
        description="<script>alert(1)</script> mijn adres is Dorpsstraat 4",
    )
    no_consent = factories.HelpRequestFactory(
        first_name="Anoniem", village=benring.village, place=benring, on_board=True, consent_at=None
    )
    page = client.get(reverse("help:board")).content.decode()
    assert "Riet" in page and f"board-{shown.pk}" in page
    assert "Geheim" not in page and f"board-{hidden.pk}" not in page
    assert "Anoniem" not in page and f"board-{no_consent.pk}" in page
    assert "Dorpsstraat" not in page and "<script>alert" not in page
    assert "0612345678" not in page


def test_i_would_like_to_help_reaches_the_coordinator_not_the_requester(
    client, benring, coordinator_benring, django_capture_on_commit_callbacks, mailoutbox
):
    from tests import factories

    shown = factories.HelpRequestFactory(
        first_name="Riet",
        village=benring.village,
        place=benring,
        on_board=True,
        email="riet@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("help:board_offer", args=[shown.pk]),
            {
                "first_name": "Kees",
                "village": benring.village.pk,
                "phone": "0611111111",
                "consent": "yes",
                "website": "",
            },
        )
    assert response.status_code == 302
    offer = HelpOffer.objects.get()
    assert offer.for_request == shown and offer.categories == shown.categories
    assert [message.to for message in mailoutbox] == [["bea@benring.example"]]
    assert "Riet" not in mailoutbox[0].body and "Kees" not in mailoutbox[0].body


def test_a_request_off_the_board_cannot_be_answered(client, benring):
    from tests import factories

    hidden = factories.HelpRequestFactory(village=benring.village, place=benring)
    assert client.get(reverse("help:board_offer", args=[hidden.pk])).status_code == 404


def test_an_e_mail_address_longer_than_the_column_is_a_form_error(client, benring):
    # Django accepts addresses up to 320 characters; the column holds 254 (PostgreSQL
    # would refuse the row with a 500).
    long_address = "a" * 63 + "@" + ".".join(["b" * 60] * 4) + ".nl"
    response = client.post(reverse("help:ask"), ask_data(benring.village, email=long_address))
    assert response.status_code == 400
    assert not HelpRequest.objects.exists()
