"""The coordinators' texts for the impact report: reports.services.save_story and the pages
at /overzicht/verhalen/. Time stands still on 15 April 2026: 2026-Q2 and April have
started, May has not."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from omzien.accounts.models import Role
from omzien.accounts.permissions import NotFound
from omzien.audit.models import AuditEvent
from omzien.reports.audience import Audience
from omzien.reports.cube import PeriodKind
from omzien.reports.impact import By, ReportRequest, build_report
from omzien.reports.models import PlaceStory
from omzien.reports.services import STORY_MAX_LENGTH, save_story
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = reverse("reports:stories")


@pytest.fixture(autouse=True)
def _mid_april():
    with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        yield


def story_url(place, period=None):
    url = reverse("reports:story", args=[place.slug])
    return f"{url}?periode={period}" if period else url


def save(user, place, period="2026-Q1", went_well="Veel nieuwe gezichten.", learned="Meer koffie."):
    return save_story(
        acting_user=user, place=place, period=period, went_well=went_well, learned=learned
    )


def story_events():
    return list(AuditEvent.objects.filter(subject="place story").order_by("pk"))


# --- The service ---------------------------------------------------------------------------


def test_a_coordinator_writes_changes_and_removes_a_text(coordinator_trefpunt, trefpunt):
    story = save(coordinator_trefpunt, trefpunt)
    assert (story.period, story.went_well, story.learned) == (
        "2026-Q1",
        "Veel nieuwe gezichten.",
        "Meer koffie.",
    )
    assert story.written_by == coordinator_trefpunt
    save(coordinator_trefpunt, trefpunt, learned="Meer koffie en thee.")
    assert PlaceStory.objects.get().learned == "Meer koffie en thee."
    save(coordinator_trefpunt, trefpunt, learned="Meer koffie en thee.")  # the same again
    assert save(coordinator_trefpunt, trefpunt, went_well=" ", learned="") is None
    assert not PlaceStory.objects.exists()
    events = story_events()
    assert [event.action for event in events] == ["create", "change", "delete"]
    assert all(event.user == coordinator_trefpunt for event in events)
    assert events[0].detail == "trefpunt-duistervoorde 2026-Q1"
    assert "koffie" not in " ".join(event.detail for event in events)  # not the words


@pytest.mark.parametrize("period", ["2026", "2026-Q2", "2026-04", "2025-12", " 2026-Q1 "])
def test_any_period_that_has_started(coordinator_trefpunt, trefpunt, period):
    assert save(coordinator_trefpunt, trefpunt, period=period).period == period.strip()


@pytest.mark.parametrize(
    "period", ["2026-05", "2026-Q3", "2027", "2026-Q5", "2026-13", "2026-1", "26", "", "Q1", "1999"]
)
def test_a_period_that_does_not_parse_or_has_not_started(coordinator_trefpunt, trefpunt, period):
    with pytest.raises(ValidationError):
        save(coordinator_trefpunt, trefpunt, period=period)
    assert not PlaceStory.objects.exists() and not story_events()


def test_texts_have_a_maximum_length(coordinator_trefpunt, trefpunt):
    save(coordinator_trefpunt, trefpunt, went_well="x" * STORY_MAX_LENGTH)
    with pytest.raises(ValidationError, match=str(STORY_MAX_LENGTH)):
        save(coordinator_trefpunt, trefpunt, learned="x" * (STORY_MAX_LENGTH + 1))
    assert PlaceStory.objects.get().learned == "Meer koffie."


@pytest.mark.parametrize("role", [Role.HOST, Role.VIEWER, Role.PROFESSIONAL, "elsewhere"])
def test_only_who_manages_the_place_writes(trefpunt, benring, role):
    if role == "elsewhere":
        user = factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user
    else:
        place = None if role in (Role.VIEWER, Role.PROFESSIONAL) else trefpunt
        user = factories.MembershipFactory(role=role, place=place).user
    with pytest.raises(NotFound):
        save(user, trefpunt)
    assert not PlaceStory.objects.exists() and not story_events()


def test_an_administrator_writes_for_every_place(trefpunt, benring):
    admin = factories.MembershipFactory(role=Role.ADMIN, place=None).user
    save(admin, benring)
    assert PlaceStory.objects.get().place == benring


def test_the_report_shows_the_texts_of_its_range(coordinator_trefpunt, trefpunt):
    save(coordinator_trefpunt, trefpunt, period="2026-Q1")
    save(coordinator_trefpunt, trefpunt, period="2026-04", went_well="April was druk.")
    request = ReportRequest(
        first_day=date(2026, 1, 1),
        last_day=date(2026, 3, 31),
        by=By.PLACE,
        period_kind=PeriodKind.QUARTER,
        audience=Audience.VIEWER,
    )
    stories = build_report(request, as_of=date(2026, 4, 15)).stories
    assert [(story.place, story.period.key) for story in stories] == [
        ("trefpunt-duistervoorde", "2026-Q1")
    ]


# --- The pages -----------------------------------------------------------------------------


def test_the_list_names_the_places_and_warns_about_names(client, coordinator_trefpunt, trefpunt):
    save(coordinator_trefpunt, trefpunt)
    client.force_login(coordinator_trefpunt)
    response = client.get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trefpunt Duistervoorde" in html and "De Benring" not in html
    assert "geen namen" in html
    assert "K1 2026" in html
    assert f'{story_url(trefpunt)}?periode=2026-Q1"' in html
    assert '<option value="2026-04"' in html and '<option value="2026-05"' not in html


def test_writing_on_the_page(client, coordinator_trefpunt, trefpunt):
    client.force_login(coordinator_trefpunt)
    page = client.get(story_url(trefpunt, "2026-Q1"))
    assert page.status_code == 200
    assert 'name="went_well"' in page.content.decode() and "<script" not in page.content.decode()
    response = client.post(
        story_url(trefpunt),
        {"period": "2026-Q1", "went_well": "Een nieuwe groep.", "learned": "Vroeg beginnen."},
    )
    assert response.status_code == 302 and response["Location"] == LIST_URL
    story = PlaceStory.objects.get()
    assert (story.period, story.went_well) == ("2026-Q1", "Een nieuwe groep.")
    assert "Opgeslagen" in client.get(LIST_URL).content.decode()
    again = client.get(story_url(trefpunt, "2026-Q1"))
    assert "Een nieuwe groep." in again.content.decode()


def test_emptying_a_text_asks_first(client, coordinator_trefpunt, trefpunt):
    save(coordinator_trefpunt, trefpunt)
    client.force_login(coordinator_trefpunt)
    emptied = {"period": "2026-Q1", "went_well": "", "learned": "Meer koffie."}
    response = client.post(story_url(trefpunt), emptied)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wat ging goed" in html and 'name="confirmed"' in html
    assert PlaceStory.objects.get().went_well == "Veel nieuwe gezichten."
    back = client.post(story_url(trefpunt), {**emptied, "back": "yes"})
    assert back.status_code == 200 and 'name="went_well"' in back.content.decode()
    assert PlaceStory.objects.get().went_well == "Veel nieuwe gezichten."
    confirmed = client.post(story_url(trefpunt), {**emptied, "confirmed": "yes"})
    assert confirmed.status_code == 302
    assert PlaceStory.objects.get().went_well == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "2026-05"}, "begonnen"),
        ({"period": "2026-Q9"}, "2026-Q9"),
        ({"period": "2026-Q1", "learned": "x" * (STORY_MAX_LENGTH + 1)}, str(STORY_MAX_LENGTH)),
    ],
)
def test_bad_input_on_the_page_is_a_400_in_words(
    client, coordinator_trefpunt, trefpunt, data, message
):
    client.force_login(coordinator_trefpunt)
    response = client.post(story_url(trefpunt), {"went_well": "Goed.", "learned": "", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlaceStory.objects.exists() and not story_events()


def test_a_bad_period_in_the_address_is_a_400(client, coordinator_trefpunt, trefpunt):
    client.force_login(coordinator_trefpunt)
    response = client.get(story_url(trefpunt, "volgend-jaar"))
    assert response.status_code == 400 and "volgend-jaar" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "host", "viewer", "professional", "elsewhere"])
def test_who_may_not_write_gets_nothing(client, trefpunt, benring, role):
    users = {
        "host": factories.MembershipFactory(role=Role.HOST, place=trefpunt).user,
        "viewer": factories.MembershipFactory(role=Role.VIEWER, place=None).user,
        "professional": factories.MembershipFactory(role=Role.PROFESSIONAL, place=None).user,
        "elsewhere": factories.MembershipFactory(role=Role.COORDINATOR, place=benring).user,
    }
    user = users.get(role)
    if user is not None:
        client.force_login(user)
    data = {"period": "2026-Q1", "went_well": "Goed.", "learned": ""}
    page, post = client.get(story_url(trefpunt, "2026-Q1")), client.post(story_url(trefpunt), data)
    listing = client.get(LIST_URL)
    if role == "anonymous":
        assert {page.status_code, post.status_code, listing.status_code} == {302}
        assert "/inloggen/" in post["Location"]
    else:
        assert (page.status_code, post.status_code) == (404, 404)
        assert listing.status_code == (200 if role == "elsewhere" else 403)
        if role == "elsewhere":  # their own place only
            assert "Trefpunt" not in listing.content.decode()
    assert not PlaceStory.objects.exists() and not story_events()


def test_coordinators_find_the_page_from_the_door_and_planning(client, coordinator_trefpunt):
    client.force_login(coordinator_trefpunt)
    assert LIST_URL in client.get(reverse("attendance:door")).content.decode()
    assert LIST_URL in client.get(reverse("planning:activities")).content.decode()


def test_hosts_see_no_link_at_the_door(client, host_benring):
    client.force_login(host_benring)
    assert LIST_URL not in client.get(reverse("attendance:door")).content.decode()


def test_a_line_break_counts_as_one_character(client, coordinator_trefpunt, trefpunt):
    """The browser stops typing at 2,000 characters with a line break as one; it posts the
    break as two."""
    text = "x" * 1000 + "\r\n" + "x" * (STORY_MAX_LENGTH - 1001)
    client.force_login(coordinator_trefpunt)
    response = client.post(
        story_url(trefpunt), {"period": "2026-Q1", "went_well": text, "learned": ""}
    )
    assert response.status_code == 302
    assert len(PlaceStory.objects.get().went_well) == STORY_MAX_LENGTH
