"""What the report page and the PDF say around the tables: the title, the stories, the
method, the disclosure rule in words and the national reference. One function for both,
so the page and the PDF cannot tell a different story about the same figures."""

from __future__ import annotations

from django.utils.formats import date_format, number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.reports import protection
from omzien.reports.cube import PeriodKind
from omzien.reports.impact import By, ImpactReport
from omzien.reports.labels import range_label
from omzien.reports.network_drawing import network_context
from omzien.reports.presentation import HIDDEN, NOT_YET, SECTION_TITLES, period_label

# The national figure beside the wellbeing figures (issue 12), cited in full.
REFERENCE_SOURCE = "GGD Gezondheidsmonitor Volwassenen en Ouderen 2022 (RIVM/GGD GHOR)"
REFERENCE_LONELY = 48.6  # % of adults (18+) lonely
REFERENCE_SEVERELY_LONELY = 14.2  # % severely lonely

PER_WORDS = {
    PeriodKind.MONTH: gettext_lazy("per month"),
    PeriodKind.QUARTER: gettext_lazy("per quarter"),
    PeriodKind.YEAR: gettext_lazy("per year"),
}
BY_WORDS = {
    By.REGION: gettext_lazy("the whole region"),
    By.VILLAGE: gettext_lazy("per village"),
    By.PLACE: gettext_lazy("per meeting place"),
}
# In file names: the words of the address (reports.forms).
PER_SLUGS = {PeriodKind.MONTH: "maand", PeriodKind.QUARTER: "kwartaal", PeriodKind.YEAR: "jaar"}
BY_SLUGS = {By.REGION: "regio", By.VILLAGE: "dorp", By.PLACE: "plek"}


def region():
    from omzien.places.models import Region

    return Region.objects.order_by("pk").first()


def reference_text() -> str:
    return _("%(source)s: %(lonely)s of adults feel lonely, %(severely)s severely lonely.") % {
        "source": REFERENCE_SOURCE,
        "lonely": f"{number_format(REFERENCE_LONELY, decimal_pos=1)}%",
        "severely": f"{number_format(REFERENCE_SEVERELY_LONELY, decimal_pos=1)}%",
    }


def caveat_text() -> str:
    return _(
        "Be careful when comparing. The people who filled in the questionnaire are not a "
        "random sample of the residents: they chose to take part, and they come to the "
        "meeting places. And when their answers change, that is no proof that the meeting "
        "place caused it: much else happens in a year of someone's life."
    )


def scope_text(report: ImpactReport) -> str:
    """'per quarter, per village' or, for a coordinator, their places by name."""
    request = report.request
    if request.place_ids is not None:
        places = ", ".join(group.name for group in report.groups)
        return f"{PER_WORDS[request.period_kind]}, {places}"
    return f"{PER_WORDS[request.period_kind]}, {BY_WORDS[request.by]}"


def _method(report: ImpactReport) -> list[dict]:
    """Per section, what each measure that has an explanation means."""
    method = []
    for section in dict.fromkeys(measure.section for measure in report.measures):
        explained = [
            {"label": str(measure.label), "help": str(measure.help_text)}
            for measure in report.section_measures(section)
            if measure.help_text
        ]
        if explained:
            method.append(
                {"title": str(SECTION_TITLES.get(section, section)), "measures": explained}
            )
    return method


def _stories(report: ImpactReport) -> list[dict]:
    by_place: dict[str, dict] = {}
    for story in report.stories:
        place = by_place.setdefault(story.place, {"name": story.place_name, "stories": []})
        place["stories"].append(
            {
                "period": period_label(story.period),
                "went_well": story.went_well,
                "learned": story.learned,
            }
        )
    return list(by_place.values())


def report_context(report: ImpactReport, sections: list[dict]) -> dict:
    """The template context of the page and the PDF; ``sections``: per table, the table
    and its chart (an address on the page, the SVG itself in the PDF)."""
    the_region = region()
    viewer = report.min_cell is not None
    return {
        "report": report,
        "sections": sections,
        "region_name": the_region.name if the_region else "",
        "range": range_label(report.request.first_day, report.request.last_day),
        "year": report.request.first_day.year,
        "scope": scope_text(report),
        "as_of": date_format(report.as_of, "j F Y"),
        "viewer": viewer,
        "min_cell": report.min_cell,
        "rule_text": protection.rule_text(report.min_cell) if viewer else "",
        "hidden_marker": HIDDEN,
        "not_yet_marker": NOT_YET,
        "method": _method(report),
        "place_stories": _stories(report),
        "reference": reference_text(),
        "caveat": caveat_text(),
        "networks": [
            network_context(network, element_id=f"network-{network.year}")
            for network in report.networks
        ],
        "has_wellbeing": any(section["table"].section == "wellbeing" for section in sections),
    }


def report_filename(report: ImpactReport, section: str | None = None) -> str:
    """E.g. ``rapportage-voorst-2026-per-kwartaal-dorp`` (no extension)."""
    the_region = region()
    request = report.request
    parts = ["grafiek-" + section.replace("_", "-") if section else "rapportage"]
    if the_region is not None:
        parts.append(slugify(the_region.name))
    parts += [
        str(request.first_day.year),
        "per",
        PER_SLUGS[request.period_kind],
        "plekken" if request.place_ids is not None else BY_SLUGS[request.by],
    ]
    return "-".join(part for part in parts if part)
