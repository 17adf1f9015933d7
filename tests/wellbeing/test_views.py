"""Taking a questionnaire through the pages: on the tablet, with a personal link, on paper;
whose repeat is due. No page shows a score."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from omzien.audit.models import AuditEvent
from omzien.people.models import Purpose
from omzien.wellbeing import services
from omzien.wellbeing.models import Draft, Mode, Response
from tests.attendance.door import person, today_session
from tests.wellbeing.helpers import LONELY, answered

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(benring):
    return today_session(benring)


@pytest.fixture
def jannie(benring):
    return person("Jannie", "Kamphuis", place=benring)


@pytest.fixture
def host(client, host_benring):
    client.force_login(host_benring)
    return client


def start_url(session, someone):
    return reverse("wellbeing:start", args=[session.pk, someone.pk])


def answer_all(client, token, djg6, health="goed", gp=None):
    """Answer every question; the GP question (its own consent) when ``gp`` is given."""
    for number, answer in enumerate([*djg6, health, *([] if gp is None else [gp])], start=1):
        response = client.post(
            reverse("wellbeing:question", args=[token, number]),
            {"answer": answer, "direction": "forward"},
        )
        assert response.status_code == 302
    return client.post(reverse("wellbeing:finish", args=[token]))


def test_the_gp_question_is_asked_only_with_its_own_consent(host, session, jannie):
    host.post(start_url(session, jannie), {"consent": "ja", "mode": "tablet"})
    draft = Draft.objects.get()
    assert draft.asks_gp_visit is False
    first = host.get(reverse("wellbeing:question", args=[draft.token, 1])).content.decode()
    assert "Vraag 1 van 7" in first
    # There is no eighth question to answer, and no GP answer is kept.
    assert host.get(reverse("wellbeing:question", args=[draft.token, 8])).status_code == 404
    assert answer_all(host, draft.token, LONELY).url == reverse("wellbeing:thanks")
    assert set(Response.objects.values_list("instrument", flat=True)) == {"djg6", "health"}


def test_the_door_person_page_offers_the_questionnaire(host, session, jannie):
    page = host.get(reverse("attendance:person", args=[jannie.pk]) + f"?terug={session.pk}")
    assert start_url(session, jannie) in page.content.decode()


def test_consent_page_says_what_why_apart_how_long_and_no_changes_nothing(host, session, jannie):
    page = host.get(start_url(session, jannie)).content.decode()
    for words in ("nooit met uw naam", "verandert er voor u niets", "jaar na uw laatste bezoek"):
        assert words in page


def test_no_means_no_questionnaire(host, session, jannie):
    response = host.post(start_url(session, jannie), {"consent": "nee", "mode": "tablet"})
    assert response.status_code == 200
    assert not Draft.objects.exists()
    assert not jannie.has_consent(Purpose.QUESTIONNAIRES)


def test_no_choice_is_a_clear_error_and_saves_nothing(host, session, jannie):
    response = host.post(start_url(session, jannie), {})
    assert "Kies ja of nee" in response.content.decode()
    assert not jannie.consents.filter(purpose=Purpose.QUESTIONNAIRES).exists()


def test_tablet_flow_one_question_per_screen_with_back(host, session, jannie):
    consent = {"consent": "ja", "gp_visit": "ja", "mode": "tablet"}
    response = host.post(start_url(session, jannie), consent)
    draft = Draft.objects.get()
    assert response.url == reverse("wellbeing:question", args=[draft.token, 1])
    first = host.get(response.url).content.decode()
    assert "Ik ervaar een leegte om me heen" in first
    assert "Vraag 1 van 8" in first
    host.post(response.url, {"answer": "ja", "direction": "forward"})
    back = host.post(
        reverse("wellbeing:question", args=[draft.token, 2]),
        {"answer": "nee", "direction": "back"},
    )
    assert back.url == reverse("wellbeing:question", args=[draft.token, 1])
    draft.refresh_from_db()
    assert draft.answers["djg6"][:2] == ["ja", "nee"]  # saved as given, also going back
    again = host.get(back.url).content.decode()
    assert re.search(r'value="ja"[^>]*checked', again)
    done = answer_all(host, draft.token, LONELY, gp="")
    assert done.url == reverse("wellbeing:thanks")
    djg6 = Response.objects.get(instrument="djg6")
    assert (djg6.total, djg6.category, djg6.mode) == (6, "severe", Mode.TABLET)
    assert not Response.objects.filter(instrument="gp_visit").exists()  # skipped
    thanks = host.get(done.url).content.decode()
    assert "severe" not in thanks and "ernstig" not in thanks


def test_nothing_is_lost_when_the_tablet_sleeps(host, client, session, jannie, host_benring):
    host.post(start_url(session, jannie), {"consent": "ja", "mode": "tablet"})
    draft = Draft.objects.get()
    host.post(reverse("wellbeing:question", args=[draft.token, 1]), {"answer": "ja"})
    host.logout()
    host.force_login(host_benring)  # a new browser session: the answers are on the server
    page = host.get(reverse("wellbeing:question", args=[draft.token, 1])).content.decode()
    assert re.search(r'value="ja"[^>]*checked', page)


def test_an_unknown_answer_is_refused(host, session, jannie):
    host.post(start_url(session, jannie), {"consent": "ja", "mode": "tablet"})
    draft = Draft.objects.get()
    response = host.post(reverse("wellbeing:question", args=[draft.token, 1]), {"answer": "x"})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.answers == {}


def test_questions_out_of_range_and_unknown_tokens_are_404(host, session, jannie):
    host.post(start_url(session, jannie), {"consent": "ja", "mode": "tablet"})
    draft = Draft.objects.get()
    assert host.get(reverse("wellbeing:question", args=[draft.token, 99])).status_code == 404
    assert host.get(reverse("wellbeing:question", args=["nope", 1])).status_code == 404


def test_a_host_elsewhere_cannot_open_the_draft(client, session, jannie, coordinator_trefpunt):
    draft = services.start(
        jannie, session.activity.place, consent=True, acting_user=SYSTEM_USER(), today=TODAY()
    )
    client.force_login(coordinator_trefpunt)
    assert client.get(reverse("wellbeing:question", args=[draft.token, 1])).status_code == 404
    assert client.get(start_url(session, jannie)).status_code == 404


def test_anonymous_without_the_link_is_sent_to_log_in(client, session, jannie):
    draft = services.start(
        jannie, session.activity.place, consent=True, acting_user=SYSTEM_USER(), today=TODAY()
    )
    response = client.get(reverse("wellbeing:question", args=[draft.token, 1]))
    assert response.status_code == 302
    assert response.url.startswith("/inloggen/")


def test_every_look_at_a_draft_is_audit_logged(host, session, jannie):
    host.post(start_url(session, jannie), {"consent": "ja", "mode": "tablet"})
    draft = Draft.objects.get()
    before = AuditEvent.objects.filter(subject="questionnaire").count()
    host.get(reverse("wellbeing:question", args=[draft.token, 1]))
    host.get(reverse("wellbeing:question", args=[draft.token, 2]))
    assert AuditEvent.objects.filter(subject="questionnaire").count() == before + 2


# --- The personal link -----------------------------------------------------------------------


def personal_link(host, session, someone):
    response = host.post(start_url(session, someone), {"consent": "ja", "mode": "link"})
    draft = Draft.objects.get()
    assert response.url == reverse("wellbeing:link", args=[draft.token])
    page = host.get(response.url).content.decode()
    start = page.index("http://testserver/v/")
    return page[start : page.index('"', start)], draft


def test_the_personal_link_opens_once_without_an_account(host, client, session, jannie):
    address, draft = personal_link(host, session, jannie)
    host.logout()
    phone = client
    opened = phone.post(address)
    assert opened.url == reverse("wellbeing:question", args=[draft.token, 1])
    assert "Ik ervaar een leegte" in phone.get(opened.url).content.decode()
    done = answer_all(phone, draft.token, LONELY)
    assert done.status_code == 302
    assert Response.objects.get(instrument="djg6").mode == Mode.LINK
    again = phone.get(address)
    assert again.status_code == 400


def test_looking_at_a_personal_link_does_not_use_it(host, client, session, jannie):
    # A messaging app fetches a link for its preview: only "Begin" (a POST) uses it.
    address, draft = personal_link(host, session, jannie)
    before = AuditEvent.objects.count()
    host.logout()
    for _ in range(2):
        page = client.get(address)
        assert page.status_code == 200
        assert 'id="link-begin"' in page.content.decode()
    draft.refresh_from_db()
    assert draft.link_opened_at is None
    assert AuditEvent.objects.count() == before
    assert client.post(address).url == reverse("wellbeing:question", args=[draft.token, 1])


def test_a_second_browser_cannot_use_an_opened_link(host, client, session, jannie):
    from django.test import Client

    address, _draft = personal_link(host, session, jannie)
    assert client.post(address).status_code == 302
    other = Client()
    refused = other.get(address)
    assert refused.status_code == 400
    assert "al gebruikt" in refused.content.decode()


def test_an_expired_or_forged_link_opens_nothing(host, client, session, jannie, settings):
    settings.OMZIEN_QUESTIONNAIRE_LINK_DAYS = 14
    address, _draft = personal_link(host, session, jannie)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert client.get(address).status_code == 400
    assert client.get(address[:-3] + "xyz/").status_code == 400
    assert client.post(address[:-3] + "xyz/").status_code == 400
    assert client.post(address).status_code == 302  # still valid today


# --- Repeats due, paper ---------------------------------------------------------------------


def test_the_coordinator_sees_whose_repeat_is_due_by_name_never_a_score(client, benring):
    from tests import factories

    coordinator = factories.MembershipFactory(role="coordinator", place=benring).user
    due = person("Gerda", "Jansen", place=benring)
    answered(due, benring, date(2025, 1, 6), LONELY)
    nameless = person("Anoniem", "Iemand", place=benring)
    answered(nameless, benring, date(2025, 1, 6))
    factories.ConsentFactory(  # later, no longer wants the name shown
        person=nameless, purpose=Purpose.NAMES, given=False, recorded_at=timezone.now()
    )
    recent = person("Kees", "Recent", place=benring)
    answered(recent, benring, timezone.localdate())
    client.force_login(coordinator)
    page = client.get(reverse("wellbeing:repeats_due")).content.decode()
    assert "Gerda Jansen" in page
    assert "Iemand" not in page
    assert "Kees" not in page
    assert "ernstig" not in page and "severe" not in page
    assert AuditEvent.objects.filter(subject="questionnaire repeats due").exists()


def test_a_host_may_not_see_the_repeats(host):
    assert host.get(reverse("wellbeing:repeats_due")).status_code == 403


def test_paper_entry(host, session, jannie):
    data = {f"djg6_{n}": answer for n, answer in enumerate(LONELY, start=1)}
    data.update({"health_1": "slecht", "gp_visit_1": "ja", "taken_on": "2026-01-05"})
    with time_machine.travel("2026-01-10 10:00 +01:00", tick=False):
        response = host.post(reverse("wellbeing:paper_entry", args=[session.pk, jannie.pk]), data)
    assert response.status_code == 302
    assert Response.objects.filter(mode=Mode.PAPER).count() == 3
    assert Response.objects.get(instrument="djg6").taken_on == date(2026, 1, 5)
    assert jannie.has_consent(Purpose.QUESTIONNAIRES)


def test_paper_entry_refuses_an_empty_form(host, session, jannie):
    response = host.post(
        reverse("wellbeing:paper_entry", args=[session.pk, jannie.pk]),
        {"taken_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert not Response.objects.exists()
    assert not jannie.consents.filter(purpose=Purpose.QUESTIONNAIRES).exists()


def test_the_paper_form_prints(host):
    response = host.get(reverse("wellbeing:paper_pdf"))
    assert response.status_code == 200
    if response["Content-Type"] == "application/pdf":
        assert response.content.startswith(b"%PDF")


def SYSTEM_USER():
    from omzien.accounts.permissions import SYSTEM

    return SYSTEM


def TODAY():
    return timezone.localdate()


# --- Found by trying it as an attacker would ---------------------------------------------


def test_the_host_never_sees_or_changes_what_a_resident_answers_by_personal_link(
    host, session, jannie
):
    from django.test import Client

    address, draft = personal_link(host, session, jannie)
    question = reverse("wellbeing:question", args=[draft.token, 1])
    assert host.get(question).status_code == 404  # before the resident opens it
    phone = Client()
    phone.post(address)
    phone.post(question, {"answer": "ja", "direction": "forward"})
    assert host.get(question).status_code == 404
    assert host.post(question, {"answer": "nee"}).status_code == 404
    assert host.post(reverse("wellbeing:finish", args=[draft.token])).status_code == 404
    draft.refresh_from_db()
    assert draft.answers["djg6"][0] == "ja"
    # The host may still show the link again.
    assert host.get(reverse("wellbeing:link", args=[draft.token])).status_code == 200


def test_a_consent_page_sent_twice_opens_one_questionnaire(host, session, jannie):
    for _ in range(2):
        host.post(start_url(session, jannie), {"consent": "ja", "mode": "tablet"})
    draft = Draft.objects.get()
    answer_all(host, draft.token, LONELY)
    assert Response.objects.filter(instrument="djg6").count() == 1


@time_machine.travel("2026-03-01 10:00 +01:00", tick=False)
def test_a_paper_form_older_than_a_year_is_refused(host, session, jannie):
    data = {f"djg6_{n}": answer for n, answer in enumerate(LONELY, start=1)}
    url = reverse("wellbeing:paper_entry", args=[session.pk, jannie.pk])
    for day in ("0001-01-01", "2025-02-28"):
        response = host.post(url, {**data, "taken_on": day})
        assert response.status_code == 400
    assert not Response.objects.exists()
    assert host.post(url, {**data, "taken_on": "2025-03-01"}).status_code == 302
