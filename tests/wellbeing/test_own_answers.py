"""A person sees their own questionnaire answers (AVG art. 15) with a one-time link that
staff make on the privacy-rights page and hand over unopened: it opens once, in a browser
where nobody is logged in, and shows that person's answers and nobody else's; staff
never see an answer; forged, expired and used links change nothing; withdrawal and
forgetting take the links along."""

import html
import io
import re
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from omzien.accounts.models import Role
from omzien.accounts.permissions import SYSTEM, NotFound
from omzien.audit.models import AuditEvent
from omzien.people.models import Purpose
from omzien.people.services import record_consent
from omzien.privacy import services as privacy_services
from omzien.privacy.forgetting import forget_people
from omzien.wellbeing import own_answers, services
from omzien.wellbeing.instruments import INSTRUMENTS
from omzien.wellbeing.models import AnswersViewing, Response
from tests import factories
from tests.attendance.door import person
from tests.wellbeing.helpers import LONELY, NOT_LONELY, answered

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)
ROW = re.compile(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", re.S)


@pytest.fixture
def jannie(benring):
    someone = person("Jannie", "Kamphuis", place=benring)
    answered(someone, benring, DAY, LONELY, health="gaat wel")
    return someone


@pytest.fixture
def gerrit(benring):
    someone = person("Gerrit", "Wolters", place=benring)
    answered(someone, benring, DAY, NOT_LONELY, health="zeer slecht")
    return someone


@pytest.fixture
def coordinator(benring):
    return factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user


@pytest.fixture
def staff(client, coordinator):
    client.force_login(coordinator)
    return client


def make_link(staff, someone) -> str:
    """The address the staff page shows, as a path on this site."""
    response = staff.post(reverse("privacy_rights:own_answers_link", args=[someone.pk]))
    assert response.status_code == 200
    return urlparse(response.context["address"]).path


def rows(content: str) -> list[tuple[str, str]]:
    return [(html.unescape(q), html.unescape(a)) for q, a in ROW.findall(content)]


def expected_rows(djg6, health) -> list[tuple[str, str]]:
    """Every question in its published Dutch words, with the answer given."""
    djg = [
        (item.dutch, answer) for item, answer in zip(INSTRUMENTS["djg6"].items, djg6, strict=True)
    ]
    return [*djg, (INSTRUMENTS["health"].items[0].dutch, health)]


def changes(viewing_pk):
    viewing = AnswersViewing.objects.filter(pk=viewing_pk).values_list("opened_at").first()
    return viewing, AuditEvent.objects.count()


# --- Opening the link ---------------------------------------------------------------------


def test_the_link_opens_once_and_shows_exactly_that_persons_answers(staff, jannie, gerrit):
    address = make_link(staff, jannie)
    phone = Client()
    start = phone.get(address)
    assert start.status_code == 200
    assert 'id="show-own-answers"' in start.content.decode()
    shown = phone.post(address)
    assert shown.status_code == 200
    content = shown.content.decode()
    assert rows(content) == expected_rows(LONELY, "gaat wel")
    assert "zeer slecht" not in content  # Gerrit's answer
    for name in ("Jannie", "Kamphuis", "Gerrit"):
        assert name not in content  # the page knows no name
    assert AnswersViewing.objects.get().opened_at is not None
    again = phone.post(address)
    assert again.status_code == 410
    assert 'id="refusal"' in again.content.decode()
    assert rows(again.content.decode()) == []
    assert phone.get(address).status_code == 410


def test_the_page_shows_date_wave_place_and_the_score_in_neutral_words(staff, jannie, benring):
    content = Client().post(make_link(staff, jannie)).content.decode()
    assert "10 maart 2026" in content
    assert benring.name in content
    assert "eerste keer" in content  # the baseline
    # 6 lonely answers of 6: the manual's 5-6, "severely lonely", and its bands.
    assert "Score: 6 (kan 0 tot 6 zijn)" in content
    assert "ernstig eenzaam" in content
    assert "een score van 0 tot 1: niet eenzaam" in content


def test_the_answers_page_is_kept_by_nobody(staff, jannie):
    address = make_link(staff, jannie)
    phone = Client()
    for response in (phone.get(address), phone.post(address), phone.post(address)):
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_looking_at_the_link_does_not_use_it_up(staff, jannie):
    address = make_link(staff, jannie)
    viewing = AnswersViewing.objects.get()
    before = changes(viewing.pk)
    phone = Client()
    for _ in range(3):  # a messaging app's preview, then the person, twice
        assert phone.get(address).status_code == 200
    assert changes(viewing.pk) == before
    assert phone.post(address).status_code == 200


def test_a_forged_link_changes_nothing(staff, jannie):
    address = make_link(staff, jannie)
    viewing = AnswersViewing.objects.get()
    before = changes(viewing.pk)
    signed = address.rstrip("/").rsplit("/", 1)[1]
    forged = [
        "not-a-link",
        signed[:-1] + ("A" if signed[-1] != "A" else "B"),
        # The questionnaire link's signature over the same token (another salt).
        signing.dumps(viewing.token, salt=services.LINK_SALT, compress=True),
    ]
    phone = Client()
    for token in forged:
        url = reverse("wellbeing_link:own_answers", args=[token])
        for send in (phone.get, phone.post):
            response = send(url)
            assert response.status_code == 400
            assert "Dit is geen geldige link" in response.content.decode()
    assert changes(viewing.pk) == before


def test_an_expired_link_changes_nothing(staff, jannie, settings):
    settings.OMZIEN_OWN_ANSWERS_LINK_DAYS = 7
    address = make_link(staff, jannie)
    viewing = AnswersViewing.objects.get()
    before = changes(viewing.pk)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = Client().post(address)
        assert response.status_code == 410
        assert "verlopen" in response.content.decode()
        assert rows(response.content.decode()) == []
    assert changes(viewing.pk) == before
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert Client().post(address).status_code == 200  # within the week it still works


def test_a_used_link_changes_nothing(staff, jannie):
    address = make_link(staff, jannie)
    Client().post(address)
    viewing = AnswersViewing.objects.get()
    before = changes(viewing.pk)
    response = Client().post(address)  # another browser, too
    assert response.status_code == 410
    assert changes(viewing.pk) == before


def test_a_new_link_replaces_one_not_opened(staff, jannie):
    first = make_link(staff, jannie)
    second = make_link(staff, jannie)
    assert Client().post(first).status_code == 410
    assert Client().post(second).status_code == 200
    assert AnswersViewing.objects.count() == 1


def test_a_browser_where_staff_are_logged_in_opens_nothing(staff, jannie):
    address = make_link(staff, jannie)
    for send in (staff.get, staff.post):
        response = send(address)
        assert response.status_code == 403
        assert 'id="not-here"' in response.content.decode()
        assert rows(response.content.decode()) == []
    assert AnswersViewing.objects.get().opened_at is None
    assert Client().post(address).status_code == 200  # still works on the person's phone


# --- Making the link: who may ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator_elsewhere", "host", "viewer", "anonymous"])
def test_only_who_may_produce_the_inzage_makes_the_link(
    role, jannie, benring, trefpunt, host_benring, viewer, coordinator_trefpunt
):
    user = {
        "coordinator_elsewhere": coordinator_trefpunt,
        "host": host_benring,
        "viewer": viewer,
        "anonymous": AnonymousUser(),
    }[role]
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        services.make_own_answers_link(jannie, acting_user=user)
    with pytest.raises(NotFound):
        services.has_own_answers(jannie, acting_user=user)
    assert not AnswersViewing.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["coordinator_elsewhere", "host", "viewer"])
def test_the_page_refuses_the_others_as_if_the_person_did_not_exist(
    role, client, jannie, host_benring, viewer, coordinator_trefpunt
):
    user = {"coordinator_elsewhere": coordinator_trefpunt, "host": host_benring, "viewer": viewer}
    client.force_login(user[role])
    response = client.post(reverse("privacy_rights:own_answers_link", args=[jannie.pk]))
    assert response.status_code == 404
    assert not AnswersViewing.objects.exists()


def test_anonymous_is_sent_to_log_in(client, jannie):
    response = client.post(reverse("privacy_rights:own_answers_link", args=[jannie.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
    assert not AnswersViewing.objects.exists()


def test_a_professional_and_the_coordinator_may(jannie, coordinator, professional):
    for user in (coordinator, professional):
        assert services.has_own_answers(jannie, acting_user=user)
        assert services.make_own_answers_link(jannie, acting_user=user)


def test_the_link_is_a_post(staff, jannie):
    url = reverse("privacy_rights:own_answers_link", args=[jannie.pk])
    assert staff.get(url).status_code == 405
    assert not AnswersViewing.objects.exists()


def test_without_answers_there_is_no_link(staff, benring, coordinator):
    riet = person("Riet", "Bos", place=benring)
    services.start(riet, benring, consent=True, acting_user=SYSTEM, today=DAY)  # begun only
    page = staff.get(reverse("privacy_rights:person", args=[riet.pk])).content.decode()
    assert 'id="no-own-answers"' in page
    assert 'id="own-answers"' not in page
    with pytest.raises(services.Refused):
        services.make_own_answers_link(riet, acting_user=coordinator)
    response = staff.post(reverse("privacy_rights:own_answers_link", args=[riet.pk]), follow=True)
    assert "Er zijn geen antwoorden op de vragenlijst van deze persoon." in (
        response.content.decode()
    )
    assert not AnswersViewing.objects.exists()


# --- Staff never see an answer --------------------------------------------------------------


def test_the_staff_pages_never_show_an_answer(staff, jannie):
    person_page = staff.get(reverse("privacy_rights:person", args=[jannie.pk]))
    assert 'id="own-answers"' in person_page.content.decode()
    link_page = staff.post(reverse("privacy_rights:own_answers_link", args=[jannie.pk]))
    assert 'id="hand-over"' in link_page.content.decode()
    assert "<svg" in link_page.content.decode()  # the QR code
    for response in (person_page, link_page):
        content = html.unescape(response.content.decode())
        assert rows(content) == []
        for item in INSTRUMENTS["djg6"].items + INSTRUMENTS["health"].items:
            assert item.dutch not in content
        assert "gaat wel" not in content
        assert "eenzaam" not in content
        assert "Score" not in content


def test_the_slip_names_nobody(staff, jannie):
    content = staff.post(
        reverse("privacy_rights:own_answers_link", args=[jannie.pk])
    ).content.decode()
    slip = content.split('id="slip"', 1)[1].split("</section>", 1)[0]
    assert "Jannie" not in slip and "Kamphuis" not in slip
    assert 'id="own-answers-address"' in slip


# --- The audit log -------------------------------------------------------------------------


def test_making_and_opening_are_audit_logged_without_an_answer(staff, jannie, coordinator):
    address = make_link(staff, jannie)
    made = AuditEvent.objects.get(subject=services.OWN_ANSWERS_LINK_SUBJECT)
    assert (made.user, made.person_id, made.action) == (coordinator, jannie.pk, "create")
    Client().post(address)
    shown = AuditEvent.objects.get(subject=services.OWN_ANSWERS_SHOWN_SUBJECT)
    assert (shown.user, shown.person_id, shown.action) == (None, jannie.pk, "view")
    for event in (made, shown):
        assert "severe" not in event.detail and "gaat wel" not in event.detail
        assert "ja" not in event.detail.split()


# --- Withdrawal, forgetting, the nightly run ------------------------------------------------


def test_withdrawing_consent_takes_the_links_along(staff, jannie, gerrit):
    jannies = make_link(staff, jannie)
    gerrits = make_link(staff, gerrit)
    record_consent(jannie, Purpose.QUESTIONNAIRES, False, acting_user=SYSTEM)
    assert AnswersViewing.objects.count() == 1  # Gerrit's stays
    assert Client().post(jannies).status_code == 410
    assert Client().post(gerrits).status_code == 200


def test_forgetting_takes_the_links_along(staff, jannie):
    address = make_link(staff, jannie)
    forget_people([jannie.pk], acting_user=SYSTEM, subject="test")
    assert not AnswersViewing.objects.exists()
    assert not Response.objects.exists()
    response = Client().post(address)
    assert response.status_code == 410
    assert rows(response.content.decode()) == []


def test_the_nightly_run_deletes_links_past_their_lifetime(jannie, coordinator, settings):
    settings.OMZIEN_OWN_ANSWERS_LINK_DAYS = 7
    with time_machine.travel("2026-04-01 10:00 +02:00", tick=False):
        services.make_own_answers_link(jannie, acting_user=coordinator)
    with time_machine.travel("2026-04-08 09:59 +02:00", tick=False):
        call_command("forget_inactive_people", stdout=io.StringIO())
        assert AnswersViewing.objects.count() == 1
    with time_machine.travel("2026-04-08 10:01 +02:00", tick=False):
        out = io.StringIO()
        call_command("forget_inactive_people", stdout=out)
        assert not AnswersViewing.objects.exists()
        assert "1 verlopen links" in out.getvalue() or "1 links to" in out.getvalue()


# --- The sheet (pure) ----------------------------------------------------------------------


def test_a_sheet_reads_the_response_as_its_instrument_says(jannie):
    djg6 = Response.objects.select_related("place").get(instrument="djg6")
    with translation.override("en"):
        sheet = own_answers.sheet(djg6)
    assert (sheet.total, sheet.lowest, sheet.highest, sheet.meaning) == (
        6,
        0,
        6,
        "severely lonely",
    )
    assert [answered.answer for answered in sheet.answers] == [
        "yes",
        "no",
        "no",
        "yes",
        "no",
        "yes",
    ]
    assert sheet.subscales == [("emotional loneliness", 3, 3), ("social loneliness", 3, 3)]
    assert [reading.scores for reading in sheet.readings] == [
        "a score from 0 to 1",
        "a score from 2 to 4",
        "a score from 5 to 6",
    ]


def test_a_skipped_question_and_a_missing_total_say_so(benring):
    someone = person("Dirk", place=benring)
    answered(someone, benring, DAY, ["ja", None, None, "ja", "nee", "ja"])
    djg6 = Response.objects.select_related("place").get(instrument="djg6")
    sheet = own_answers.sheet(djg6)
    assert djg6.total is None  # more than one of six missing: no total (the manual's rule)
    assert [answered.answer for answered in sheet.answers][1:3] == ["", ""]
    assert sheet.meaning == ""


def test_merging_keeps_the_kept_persons_link_and_drops_the_duplicates(staff, benring, coordinator):
    kept = person("Jannie", "Kamphuis", place=benring)
    duplicate = person("Janie", "Kamphuis", place=benring)
    answered(kept, benring, DAY, LONELY, health="gaat wel")
    answered(duplicate, benring, date(2026, 10, 1), NOT_LONELY, health="goed")
    kept_link = make_link(staff, kept)
    duplicate_link = make_link(staff, duplicate)
    privacy_services.merge_people(kept, duplicate, acting_user=coordinator)
    assert Client().post(duplicate_link).status_code == 410
    shown = Client().post(kept_link)
    assert shown.status_code == 200
    # Both records' answers are one person's now: the baseline and the later one.
    assert rows(shown.content.decode()) == [
        *expected_rows(LONELY, "gaat wel"),
        *expected_rows(NOT_LONELY, "goed"),
    ]
