"""/overzicht/rapportage/: the impact report page and its charts, for each audience.

The ``town`` fixture (conftest.py): Trefpunt Duistervoorde (Twello) with 17 people in
the first quarter of 2026, De Benring (Voorst) with 2 (Biljarten, 6 January). Time stands
still on 15 April 2026. In the first quarter, for the whole region: 84 visits (3
anonymous), 19 different people, 11 new; De Benring: 2 visits of 2 new people, which a
viewer never sees.
"""

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from omzien.accounts.models import Role
from omzien.audit.models import AuditEvent
from omzien.reports import protection
from omzien.reports.audience import Audience
from omzien.reports.cube import PeriodKind
from omzien.reports.impact import By, ReportRequest, build_report
from omzien.reports.models import PlaceStory
from omzien.reports.presentation import HIDDEN
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("reports:impact")
SVG = "{http://www.w3.org/2000/svg}"
GGD = (
    "GGD Gezondheidsmonitor Volwassenen en Ouderen 2022 (RIVM/GGD GHOR): 48,6% van de "
    "volwassenen voelt zich eenzaam, 14,2% ernstig eenzaam"
)


@pytest.fixture(autouse=True)
def _mid_april():
    with time_machine.travel(datetime(2026, 4, 15, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))):
        yield


REPORT_URLS = (URL, reverse("reports:impact_pdf"), reverse("reports:impact_chart", args=["reach"]))


def page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def chart(client, user, section="reach", **params):
    client.force_login(user)
    return client.get(reverse("reports:impact_chart", args=[section]), params)


def cells(response) -> dict[str, str]:
    """The table cells by their key (group|period|measure) and what they say."""
    html = response.content.decode()
    return {
        key: text.strip()
        for key, text in re.findall(r'<td[^>]*data-cell="([^"]+)"[^>]*>(.*?)</td>', html, re.S)
    }


def svg_ids(response) -> set[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    tree = ET.fromstring(response.content)
    return {element.get("id") for element in tree.iter() if element.get("id")}


def report_for(audience, *, by=By.PLACE, kind=PeriodKind.QUARTER, place_ids=None):
    from datetime import date

    request = ReportRequest(
        date(2026, 1, 1), date(2026, 4, 15), by, kind, audience, place_ids=place_ids
    )
    return build_report(request, as_of=date(2026, 4, 15))


def impact_events():
    return AuditEvent.objects.filter(subject="impact report")


def test_a_professional_sees_the_exact_figures_of_the_whole_region(client, town, professional):
    response = page(client, professional, jaar="2026", per="kwartaal", indeling="plek")
    assert response.status_code == 200
    shown = cells(response)
    assert shown["region|2026-Q1|visits"] == "84"
    assert shown["region|2026-Q1|anonymous_visits"] == "3"
    assert shown["region|2026-Q1|people"] == "19"
    assert shown["region|2026-Q1|new_people"] == "11"
    assert shown["trefpunt-duistervoorde|2026-Q1|visits"] == "82"
    assert shown["de-benring|2026-Q1|people"] == "2"
    assert shown["voorst|2026-Q1|visits"] == "2"
    # This year's report goes up to today: the second quarter, not the third.
    assert "region|2026-Q2|visits" in shown and "region|2026-Q3|visits" not in shown
    assert HIDDEN not in shown.values()
    html = response.content.decode()
    assert "Voorst" in html and "1 januari 2026 – 15 april 2026" in html
    assert GGD in html
    assert "geen aselecte steekproef" in html
    assert 'id="rule"' not in html  # the disclosure rule is the viewers'


def test_the_viewer_sees_hidden_markers_and_never_a_hidden_value(client, town, viewer):
    response = page(client, viewer, jaar="2026", per="kwartaal", indeling="plek")
    assert response.status_code == 200
    shown = cells(response)
    report = report_for(Audience.VIEWER)
    hidden = {"|".join(key) for key, cell in report.cells.items() if cell.suppressed}
    assert hidden, "the town has cells a viewer must not see"
    for key in hidden:
        assert shown[key] == HIDDEN, key
    # De Benring's 2 people and their 2 visits are hidden, the region's figures are not.
    assert shown["de-benring|2026-Q1|people"] == HIDDEN
    assert shown["de-benring|2026-Q1|visits"] == HIDDEN
    assert shown["region|2026-Q1|visits"] == "84"
    # Every cell that is not hidden says what the report holds for it, no more.
    exact = report_for(Audience.PROFESSIONAL).cells
    for key, text in shown.items():
        if key not in hidden:
            assert text != HIDDEN
            assert report.cells[tuple(key.split("|"))].value == exact[tuple(key.split("|"))].value
    html = response.content.decode()
    assert 'id="rule"' in html and 'id="privacy"' in html


def test_the_viewers_chart_draws_no_hidden_cell_and_marks_each(client, town, viewer):
    params = {"jaar": "2026", "per": "kwartaal", "indeling": "plek"}
    response = page(client, viewer, **params)
    table = next(t for t in response.context["sections"] if t["table"].section == "reach")["table"]
    ids = svg_ids(chart(client, viewer, "reach", **params))
    hidden_seen = 0
    for index, row in enumerate(table.rows):
        for column, entry in enumerate(row.entries):
            if entry.value == HIDDEN:
                hidden_seen += 1
                assert f"bar-{index}-{column}" not in ids
                assert f"hidden-{index}-{column}" in ids
            elif isinstance(entry.value, int) and entry.value > 0:
                assert f"bar-{index}-{column}" in ids
    assert hidden_seen
    assert "alt=" in response.content.decode()
    alt = re.search(r'<img src="[^"]*reach[^"]*" alt="([^"]+)"', response.content.decode())[1]
    assert "tabel" in alt and HIDDEN in alt


def test_the_chart_cache_is_kept_per_audience(client, town, professional, viewer):
    """The page keeps its report for its charts: never for another reader."""
    params = {"jaar": "2026", "per": "kwartaal", "indeling": "plek"}
    page(client, professional, **params)
    client.logout()
    viewer_ids = svg_ids(chart(client, viewer, "reach", **params))
    assert any(name.startswith("hidden-") for name in viewer_ids)

    client.logout()
    page(client, viewer, **params)
    client.logout()
    professional_ids = svg_ids(chart(client, professional, "reach", **params))
    assert not any(name.startswith("hidden-") for name in professional_ids)


def test_a_coordinator_sees_only_their_own_places_and_no_region(client, town, coordinator_trefpunt):
    response = page(client, coordinator_trefpunt, jaar="2026")
    assert response.status_code == 200
    shown = cells(response)
    groups = {key.split("|")[0] for key in shown}
    assert groups == {"trefpunt-duistervoorde"}
    assert shown["trefpunt-duistervoorde|2026-Q1|visits"] == "82"
    html = response.content.decode()
    assert "Hele regio" not in html and "De Benring" not in html
    options = re.findall(r'<option value="([^"]*)"', html.partition('name="indeling"')[2])
    assert options[0] == "plek"
    assert "regio" not in options and "dorp" not in options
    assert page(client, coordinator_trefpunt, indeling="regio").status_code == 400


def test_a_coordinator_who_is_also_a_viewer_sees_their_place_exactly_and_nothing_more(
    client, town, coordinator_trefpunt
):
    factories.MembershipFactory(user=coordinator_trefpunt, role=Role.VIEWER, place=None)
    response = page(client, coordinator_trefpunt, per="maand")
    shown = cells(response)
    assert {key.split("|")[0] for key in shown} == {"trefpunt-duistervoorde"}
    assert HIDDEN not in shown.values()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"jaar": "2027"}, "Er is geen rapportage over het jaar"),
        ({"jaar": "1999"}, "Er is geen rapportage over het jaar"),
        ({"jaar": "twintig"}, "Er is geen rapportage over het jaar"),
        ({"per": "week"}, "Kies per maand, per kwartaal of per jaar"),
        ({"indeling": "gemeente"}, "Kies uit de lijst"),
        ({"jaar": "9" * 40}, "Er is geen rapportage over het jaar"),
    ],
)
def test_bad_choices_get_a_dutch_error_and_log_nothing(client, town, viewer, params, message):
    for url in (URL, reverse("reports:impact_pdf")):
        client.force_login(viewer)
        response = client.get(url, params)
        assert response.status_code == 400
        assert message in response.content.decode()
    response = chart(client, viewer, "reach", **params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not impact_events().exists()


def test_the_years_to_choose_are_those_with_sessions_up_to_this_year(client, town, viewer):
    html = page(client, viewer).content.decode()
    years = re.findall(r'<option value="(\d{4})"', html)
    assert years == ["2026", "2025"]  # the first sessions were in December 2025
    # The defaults: this year, per quarter, the whole region.
    form = page(client, viewer).context["form"]
    assert form.cleaned_data["jaar"] == 2026
    assert form.cleaned_data["by"] == By.REGION
    assert form.cleaned_data["period_kind"] == PeriodKind.QUARTER
    assert page(client, viewer, jaar="2025", per="maand").status_code == 200


def test_every_report_is_audit_logged_with_its_parameters(client, town, viewer):
    page(client, viewer, jaar="2026", per="maand", indeling="dorp")
    client.get(reverse("reports:impact_pdf"), {"jaar": "2025", "per": "jaar"})
    details = list(impact_events().order_by("pk").values_list("detail", flat=True))
    assert len(details) == 2
    assert details[0].startswith("page ")
    assert "from=2026-01-01 to=2026-04-15 by=village period=month audience=viewer" in details[0]
    assert details[1].startswith("pdf ")
    assert "from=2025-01-01 to=2025-12-31 by=region period=year audience=viewer" in details[1]
    assert all(event.user == viewer for event in impact_events())


def test_the_stories_method_and_reference_are_on_the_page(client, town, viewer):
    PlaceStory.objects.create(
        place=town["trefpunt"],
        period="2026-Q1",
        went_well="De handwerkclub groeide van nul naar zes.",
        learned="Dinsdag is beter dan donderdag.",
    )
    PlaceStory.objects.create(place=town["benring"], period="2025", went_well="Een oud verhaal.")
    html = page(client, viewer, jaar="2026").content.decode()
    assert "De handwerkclub groeide van nul naar zes." in html
    assert "Dinsdag is beter dan donderdag." in html
    assert "Een oud verhaal." not in html  # another year
    assert "Mensen die voor het eerst ooit kwamen." in html  # a measure's help text
    assert GGD in html
    assert escape(protection.rule_text(5)) in html


@pytest.mark.parametrize("section", ["reach", "activity_mix"])
def test_a_chart_of_a_section_there_is(client, town, professional, section):
    assert chart(client, professional, section).status_code == 200


def test_a_chart_of_a_section_there_is_not(client, town, professional):
    assert chart(client, professional, "no-such-section").status_code == 404


def test_the_attendance_overview_sends_viewers_to_the_report(client, town, viewer):
    client.force_login(viewer)
    response = client.get(reverse("reports:overview"), {"van": "2026-01-01", "tot": "2026-02-28"})
    assert response.status_code == 302
    assert response.url == URL
    assert client.get(reverse("reports:chart", args=["bezoeken"])).status_code == 403


def test_a_user_whose_membership_was_removed_may_not(client, town, viewer):
    assert page(client, viewer).status_code == 200
    viewer.memberships.all().delete()
    for url in (
        URL,
        reverse("reports:impact_pdf"),
        reverse("reports:impact_chart", args=["reach"]),
    ):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("who", ["host_benring", None])
def test_hosts_and_anonymous_visitors_get_no_report(client, town, request, settings, who):
    settings.LOGIN_URL = "/inloggen/"
    if who is not None:
        client.force_login(request.getfixturevalue(who))
    for url in (
        URL,
        reverse("reports:impact_pdf"),
        reverse("reports:impact_chart", args=["reach"]),
    ):
        response = client.get(url)
        if who is None:
            assert response.status_code == 302
            assert response.url.startswith("/inloggen/?next=")
        else:
            assert response.status_code == 403
    assert not impact_events().exists()


def test_the_cache_key_holds_the_reader_and_the_choices():
    from datetime import date

    from omzien.reports.views import _impact_cache_key

    def key(audience=Audience.VIEWER, place_ids=None, kind=PeriodKind.QUARTER, by=By.REGION):
        request = ReportRequest(
            date(2026, 1, 1), date(2026, 4, 15), by, kind, audience, place_ids=place_ids
        )
        return _impact_cache_key(request, date(2026, 4, 15))

    keys = {
        key(),
        key(audience=Audience.PROFESSIONAL),
        key(audience=Audience.PROFESSIONAL, place_ids=frozenset({1})),
        key(audience=Audience.PROFESSIONAL, place_ids=frozenset({2})),
        key(kind=PeriodKind.MONTH),
        key(by=By.PLACE),
    }
    assert len(keys) == 6
    assert key() == key()
