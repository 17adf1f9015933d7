"""The pages of proposed activities with the test client: the public board and forms
(consent, honeypot, rate limit, nothing written by a GET or a robot, escaped free text, no
unapproved proposal by guessing its id) and the staff pages (every denial)."""

import pytest
from django.urls import reverse

from omzien.agenda.models import Activity
from omzien.audit.models import AuditEvent
from omzien.proposals.models import Interest, Proposal
from tests import factories

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


def propose_data(where, **changes):
    data = {
        "title": "Samen koken",
        "description": "Elke week een ander gerecht.",
        "category": "eten",
        "village": where.pk,
        "when": "donderdagavond",
        "days": ["do"],
        "parts": ["avond"],
        "bring": "Mijn recepten",
        "first_name": "Gerda",
        "phone": "06 12 34 56 78",
        "email": "",
        "consent": "yes",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def join_data(**changes):
    data = {
        "how": "contact",
        "first_name": "Jan",
        "phone": "",
        "email": "jan@example.org",
        "consent": "yes",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Public ------------------------------------------------------------------------------------


def test_public_gets_write_nothing(client, benring, approved):
    before = AuditEvent.objects.count()
    for url in (
        reverse("plans:board"),
        reverse("plans:new"),
        reverse("plans:thanks"),
        reverse("plans:detail", args=[approved.pk]),
        reverse("plans:joined", args=[approved.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert " je " not in text and " jouw " not in text
    assert AuditEvent.objects.count() == before
    assert Proposal.objects.count() == 1 and not Interest.objects.exists()


def test_the_form_asks_the_consent_question_with_how_long(client, benring, settings):
    settings.OMZIEN_PROPOSAL_STALE_MONTHS = 6
    page = client.get(reverse("plans:new")).content.decode()
    assert "6 maanden" in page and 'name="consent"' in page and 'name="website"' in page
    assert "csrfmiddlewaretoken" in page


def test_a_proposal_is_saved_waiting_and_not_public(client, benring):
    response = client.post(reverse("plans:new"), propose_data(benring.village))
    assert response.status_code == 302 and response["Location"] == reverse("plans:thanks")
    proposal = Proposal.objects.get()
    assert proposal.status == "wacht" and proposal.phone == "0612345678"
    assert proposal.days == ["do"] and proposal.category == "eten"
    assert "Samen koken" not in client.get(reverse("plans:board")).content.decode()
    assert client.get(reverse("plans:detail", args=[proposal.pk])).status_code == 404


def test_without_consent_nothing_is_kept(client, benring):
    response = client.post(reverse("plans:new"), propose_data(benring.village, consent="no"))
    assert response.status_code == 200
    assert "Er is niets bewaard" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "", "email": ""}, "telefoonnummer of een e-mailadres"),
        ({"title": ""}, "Zeg in een paar woorden wat u graag zou doen."),
        ({"village": "999999"}, "Kies het dorp."),
        ({"consent": None}, "Kruis een antwoord aan."),
        ({"category": "feest"}, "Kies een van de getoonde antwoorden."),
    ],
)
def test_bad_input_gets_a_dutch_message_and_saves_nothing(client, benring, changes, message):
    response = client.post(reverse("plans:new"), propose_data(benring.village, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_robot_filling_the_honeypot_saves_nothing(client, benring):
    data = propose_data(benring.village, website="http://spam.example")
    response = client.post(reverse("plans:new"), data)
    assert response.status_code == 400
    assert "kon niet worden verstuurd" in response.content.decode()
    assert not Proposal.objects.exists()
    response = client.post(reverse("plans:detail", args=[Proposal.objects.count() or 1]), {})
    assert response.status_code == 404


def test_the_form_needs_its_csrf_token(benring):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("plans:new"), propose_data(benring.village))
    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_the_hourly_limit_per_address(client, benring, approved, settings):
    settings.OMZIEN_PROPOSAL_FORM_LIMIT = 2
    for _number in range(2):
        assert client.post(reverse("plans:new"), propose_data(benring.village)).status_code == 302
    refused = client.post(reverse("plans:new"), propose_data(benring.village))
    assert refused.status_code == 429 and "Te veel formulieren" in refused.content.decode()
    assert Proposal.objects.count() == 3  # the approved one and two
    # "Ik doe mee" is counted apart; past its own limit nothing is written either.
    url = reverse("plans:detail", args=[approved.pk])
    for _number in range(2):
        assert client.post(url, {"how": "tel"}).status_code == 302
    assert client.post(url, {"how": "tel"}).status_code == 429
    assert approved.interests.count() == 2


def test_free_text_is_escaped_everywhere(client, benring, coordinator_benring):
    proposal = factories.ProposalFactory(
        village=benring.village,
        places=[benring],
        status="goedgekeurd",
        title=SCRIPT,
        description=SCRIPT,
        bring=SCRIPT,
        when=SCRIPT,
        first_name=SCRIPT,
    )
    factories.InterestFactory(proposal=proposal, first_name=SCRIPT)
    pages = [reverse("plans:board"), reverse("plans:detail", args=[proposal.pk])]
    texts = [client.get(url).content.decode() for url in pages]
    client.force_login(coordinator_benring)
    staff_pages = [reverse("proposals:manage"), reverse("proposals:detail", args=[proposal.pk])]
    texts += [client.get(url).content.decode() for url in staff_pages]
    for text in texts:
        assert SCRIPT not in text
        assert "&lt;script&gt;" in text


def test_the_board_shows_no_contact_details(client, approved):
    factories.InterestFactory(proposal=approved, first_name="Jan", email="jan@example.org")
    for url in (reverse("plans:board"), reverse("plans:detail", args=[approved.pk])):
        text = client.get(url).content.decode()
        assert approved.title in text
        for private in ("Gerda", "gerda@example.org", "0612345678", "Jan", "jan@example.org"):
            assert private not in text


@pytest.mark.parametrize("status", ["wacht", "afgewezen", "activiteit", "verlopen"])
def test_anonymous_cannot_reach_a_proposal_off_the_board_by_its_id(client, benring, status):
    proposal = factories.ProposalFactory(village=benring.village, places=[benring], status=status)
    for name in ("plans:detail", "plans:joined"):
        assert client.get(reverse(name, args=[proposal.pk])).status_code == 404
    assert (
        client.post(reverse("plans:detail", args=[proposal.pk]), {"how": "tel"}).status_code == 404
    )
    assert client.get(reverse("plans:detail", args=[proposal.pk + 1000])).status_code == 404
    assert not Interest.objects.exists()


def test_joining_with_details_or_only_counted(client, approved):
    url = reverse("plans:detail", args=[approved.pk])
    response = client.post(url, join_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:joined", args=[approved.pk])
    # Only counted: whatever was typed is not kept, and no consent is needed.
    assert client.post(url, join_data(how="tel", consent=None)).status_code == 302
    jan, counted = approved.interests.order_by("pk")
    assert jan.first_name == "Jan" and jan.email == "jan@example.org" and jan.consent_at
    assert (counted.first_name, counted.email, counted.consent_at) == ("", "", None)
    assert "2 mensen doen mee" in client.get(url).content.decode()


def test_joining_with_details_needs_the_consent_and_a_way_to_reach(client, approved):
    url = reverse("plans:detail", args=[approved.pk])
    refused = client.post(url, join_data(consent="no"))
    assert refused.status_code == 200 and "Er is niets bewaard" in refused.content.decode()
    assert "Tel mij mee" in refused.content.decode()
    missing = client.post(url, join_data(email=""))
    assert missing.status_code == 400
    assert "telefoonnummer of een e-mailadres" in missing.content.decode()
    no_answer = client.post(url, join_data(consent=None))
    assert no_answer.status_code == 400
    assert not approved.interests.exists()


# --- Staff ---------------------------------------------------------------------------------


def test_the_coordinator_sees_what_waits_with_the_contact_details(
    client, waiting, coordinator_benring
):
    client.force_login(coordinator_benring)
    listed = client.get(reverse("proposals:manage")).content.decode()
    assert f"proposal-{waiting.pk}" in listed
    page = client.get(reverse("proposals:detail", args=[waiting.pk])).content.decode()
    assert "gerda@example.org" in page and "approve-submit" in page
    assert AuditEvent.objects.filter(subject="proposal", detail=f"#{waiting.pk}").exists()


def test_others_cannot_see_or_decide(client, waiting, coordinator_trefpunt, host_benring, viewer):
    for outsider in (coordinator_trefpunt, host_benring, viewer):
        client.force_login(outsider)
        for name in ("proposals:detail", "proposals:start_activity"):
            assert client.get(reverse(name, args=[waiting.pk])).status_code == 404
        for name in ("proposals:approve", "proposals:reject"):
            response = client.post(reverse(name, args=[waiting.pk]), {"reason": "Nee"})
            assert response.status_code == 404
        expected = 200 if outsider == coordinator_trefpunt else 403
        assert client.get(reverse("proposals:manage")).status_code == expected
    waiting.refresh_from_db()
    assert waiting.status == "wacht" and waiting.first_name == "Gerda"
    client.force_login(coordinator_trefpunt)
    assert f"proposal-{waiting.pk}" not in client.get(reverse("proposals:manage")).content.decode()


def test_anonymous_is_sent_to_log_in(client, waiting):
    for name in ("proposals:manage", "proposals:record"):
        assert client.get(reverse(name))["Location"].startswith("/inloggen/")
    response = client.post(reverse("proposals:approve", args=[waiting.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    waiting.refresh_from_db()
    assert waiting.status == "wacht"


def test_approve_and_reject(client, benring, waiting, coordinator_benring):
    other = factories.ProposalFactory(village=benring.village, places=[benring])
    client.force_login(coordinator_benring)
    client.post(reverse("proposals:approve", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.status == "goedgekeurd"
    assert waiting.title in client.get(reverse("plans:board")).content.decode()
    no_reason = client.post(reverse("proposals:reject", args=[other.pk]), {"reason": ""})
    assert no_reason.status_code == 302
    other.refresh_from_db()
    assert other.status == "wacht"
    client.post(reverse("proposals:reject", args=[other.pk]), {"reason": "Bestaat al."})
    other.refresh_from_db()
    assert other.status == "afgewezen" and other.contact_forgotten_at and other.phone == ""


def test_a_host_writes_a_proposal_down_for_a_resident(client, benring, host_benring):
    client.force_login(host_benring)
    assert client.get(reverse("proposals:record")).status_code == 200
    data = propose_data(benring.village, consent="no", phone="", first_name="")
    data.pop("website")
    response = client.post(reverse("proposals:record"), data)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.source == "staff" and proposal.created_by == host_benring
    assert proposal.status == "wacht" and proposal.phone == ""


def test_a_viewer_cannot_write_one_down(client, benring, viewer):
    client.force_login(viewer)
    assert client.get(reverse("proposals:record")).status_code == 403
    assert (
        client.post(reverse("proposals:record"), propose_data(benring.village)).status_code == 403
    )
    assert not Proposal.objects.exists()


def test_the_coordinator_makes_it_an_activity_and_gets_the_call_list(
    client, benring, approved, coordinator_benring
):
    factories.InterestFactory(proposal=approved, first_name="Kees", email="", phone="0698765432")
    client.force_login(coordinator_benring)
    url = reverse("proposals:start_activity", args=[approved.pk])
    form = client.get(url).content.decode()
    assert approved.title in form  # prefilled
    bad = client.post(url, {"place": benring.pk, "title": "Samen koken", "category": "eten"})
    assert bad.status_code == 400 and not Activity.objects.exists()
    response = client.post(
        url,
        {
            "place": benring.pk,
            "title": "Samen koken",
            "description": "Elke donderdag",
            "category": "eten",
            "first_date": "2030-03-07",
            "start_time": "18:00",
            "weekly": "on",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kees" in text and "0698765432" in text
    activity = Activity.objects.get()
    assert activity.place == benring
    approved.refresh_from_db()
    assert approved.status == "activiteit" and approved.activity == activity
    assert approved.interests.get().phone == ""
    # Afterwards nobody's details are on its page any more.
    page = client.get(reverse("proposals:detail", args=[approved.pk])).content.decode()
    assert "0698765432" not in page and "Kees" not in page


def test_the_board_reads_a_fixed_number_of_queries(client, benring, django_assert_max_num_queries):
    for number in range(20):
        proposal = factories.ProposalFactory(
            village=benring.village, places=[benring], status="goedgekeurd", title=f"Plan {number}"
        )
        factories.InterestFactory(proposal=proposal)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("plans:board"))
    assert page.content.decode().count('class="card"') == 20
