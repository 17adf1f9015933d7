"""The attendance overview: coordinators (their places) and professionals (all) see the
exact figures, viewers (municipality, fund) all places with small cells hidden.

Figures only, never names. Who reads as which audience is ``reports.audience``'s
business; the page computes one overview for that audience, hidden cells included, and
shows it in a table per chart, the totals and a table per activity. Each chart is an SVG
image of its own (``reports:chart``, same query parameters) so the page's strict
Content-Security-Policy stays intact (see ``reports.charts``).
"""

import hashlib

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.reports import impact_charts, labels
from omzien.reports.audience import Audience, OverviewAccess, overview_access
from omzien.reports.charts import KINDS, render_svg
from omzien.reports.disclosure import Hidden
from omzien.reports.document import report_context, report_filename
from omzien.reports.forms import OverviewForm, impact_form, impact_request
from omzien.reports.impact import (
    SECTIONS,
    ImpactReport,
    ReportRequest,
    build_report,
    network_min_cell,
)
from omzien.reports.network import place_bridging, village_network
from omzien.reports.network_drawing import network_context
from omzien.reports.pdf import render_pdf
from omzien.reports.presentation import report_tables
from omzien.reports.services import record_report
from omzien.reports.snapshots import year_figures
from omzien.reports.statistics import Grouping, Overview, PeriodFigures


def _form(request) -> tuple[OverviewForm, Audience]:
    access: OverviewAccess | None = overview_access(request.user)
    if access is None or access.audience == Audience.VIEWER:
        # Viewers read the impact report's fixed periods only: free date ranges beside
        # them would let one report's hidden figure be subtracted from another's.
        raise PermissionDenied
    form = OverviewForm(request.GET, access.places, today=timezone.localdate())
    return form, access.audience


# The page computes the figures and keeps them this long for its three chart images, so
# the charts show the same numbers as the tables and the work is not done four times.
# The key holds the audience and the place ids the form allowed, so figures are never
# shared across audiences (a viewer never gets a professional's exact figures) or scopes.
CHART_CACHE_SECONDS = 120


def _cache_key(form: OverviewForm, audience: Audience, as_of) -> str:
    data = form.cleaned_data
    places = ",".join(str(pk) for pk in sorted(place.pk for place in data["places"]))
    activity = data["activity"].pk if data["activity"] else "-"
    choices = f"{places}:{activity}:{data['grouping']}:{data['first_day']}:{data['last_day']}"
    reader = f"{audience.value}:{audience.min_cell}"
    digest = hashlib.sha256(f"{reader}:{choices}:{as_of}".encode()).hexdigest()
    return f"omzien.reports.overview:{digest}"  # short enough for any cache backend


def _overview(form: OverviewForm, audience: Audience, *, reuse: bool = False) -> Overview:
    """The figures for the form's choices as the audience may see them; ``reuse`` takes
    those the page just computed for the same audience."""
    data = form.cleaned_data
    as_of = timezone.localdate()
    key = _cache_key(form, audience, as_of)
    if reuse and (cached := cache.get(key)) is not None:
        return cached
    figures = form.overview(
        as_of=as_of,
        # The table per activity adds up to the totals, so it is hidden with them.
        by_activity=data["activity"] is None,
        suppress_below=audience.min_cell,
    )
    cache.set(key, figures, CHART_CACHE_SECONDS)
    return figures


def _share(figures: PeriodFigures, threshold: int | None) -> str:
    if not figures.returning_complete:
        return _("not yet complete")
    if isinstance(figures.returning_share, float):
        return f"{round(figures.returning_share * 100)}%"
    if isinstance(figures.returning_share, Hidden):
        return labels.hidden(figures.returning_share, threshold)
    return "–"  # nobody came


def _rows(overview: Overview) -> list[dict]:
    threshold = overview.suppressed_below

    def count(value) -> str:
        return labels.count(value, threshold)

    return [
        {
            "label": labels.period_label(figures.start, overview.grouping),
            "dates": labels.period_dates(figures.start, figures.end)
            if overview.grouping == Grouping.WEEK
            else "",
            "running": figures.is_running,
            "complete": figures.returning_complete,
            "visits": count(figures.visits),
            "named": count(figures.named_visits),
            "anonymous": count(figures.anonymous_visits),
            "unique": count(figures.unique_visitors),
            "new": count(figures.new_visitors),
            "returning": count(figures.returning_visitors) if figures.returning_complete else "",
            "share": _share(figures, threshold),
        }
        for figures in overview.periods
    ]


def _activity_rows(overview: Overview) -> list[dict]:
    threshold = overview.suppressed_below
    return [
        {
            "title": figures.title,
            "place": figures.place,
            "visits": labels.count(figures.visits, threshold),
            "anonymous": labels.count(figures.anonymous_visits, threshold),
            "unique": labels.count(figures.unique_visitors, threshold),
        }
        for figures in overview.activities
    ]


def _bridging_min_cell(user) -> int | None:
    """Exact for who sees the whole region's figures; a coordinator's other villages are
    thresholded, as the village network is for them (``impact.network_min_cell``)."""
    if permissions.reach(user, Capability.FIGURES) is permissions.EVERYWHERE:
        return None
    return settings.OMZIEN_MIN_CELL


@login_required
def overview(request):
    access = overview_access(request.user)
    if access is not None and access.audience == Audience.VIEWER:
        return redirect("reports:impact")
    form, audience = _form(request)
    if not form.is_valid():
        return render(request, "reports/overview.html", {"form": form}, status=400)
    figures = _overview(form, audience)
    data = form.cleaned_data
    query = form.query_string()
    titles = labels.chart_titles(figures.grouping)
    alternatives = labels.chart_alternatives(
        figures.grouping, figures.first_day, figures.last_day, figures.suppressed_below
    )
    charts = {
        kind: {
            "title": titles[kind],
            "alt": alternatives[kind],
            "url": f"{reverse('reports:chart', args=[kind])}?{query}",
        }
        for kind in KINDS
    }
    totals = figures.totals
    # One place chosen (not one of its activities): its bridging in the same range.
    one_place = len(data["places"]) == 1 and data["activity"] is None
    bridging_min_cell = _bridging_min_cell(request.user)
    bridging = (
        place_bridging(
            data["places"][0], figures.first_day, figures.last_day, min_cell=bridging_min_cell
        )
        if one_place
        else None
    )
    return render(
        request,
        "reports/overview.html",
        {
            "form": form,
            "overview": figures,
            "scope_name": form.scope_name,
            "range": labels.range_label(figures.first_day, figures.last_day),
            "per_week": figures.grouping == Grouping.WEEK,
            "rows": _rows(figures),
            "totals": {
                name: labels.count(value, figures.suppressed_below)
                for name, value in (
                    ("visits", totals.visits),
                    ("anonymous", totals.anonymous_visits),
                    ("unique", totals.unique_visitors),
                    ("new", totals.new_visitors),
                )
            },
            "charts": charts,
            "activities": _activity_rows(figures),
            "several_places": len(data["places"]) > 1,
            "bridging": bridging,
            "bridging_min_cell": bridging_min_cell,
            "bridging_place": data["places"][0] if bridging else None,
            "min_cell": figures.suppressed_below,
        },
    )


# The SVG is an image document of its own: it may use the inline styles matplotlib
# writes, and nothing else (no scripts, no loads).
@login_required
@csp({"default-src": [NONE], "style-src": [UNSAFE_INLINE]})
def chart(request, kind):
    if kind not in KINDS:
        raise Http404
    form, audience = _form(request)
    if not form.is_valid():
        errors = "\n".join(message for messages in form.errors.values() for message in messages)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    figures = _overview(form, audience, reuse=True)
    svg = render_svg(kind, figures, labels.chart_titles(figures.grouping)[kind])
    response = HttpResponse(svg, content_type="image/svg+xml")
    slug = (form.cleaned_data["plek"] or "alle-plekken").replace("/", "-")
    response["Content-Disposition"] = (
        f'inline; filename="{kind}-{slug}-{figures.first_day:%Y-%m-%d}'
        f'-{figures.last_day:%Y-%m-%d}.svg"'
    )
    patch_cache_control(response, private=True)
    return response


# The impact report (reports.impact): a page with a chart per section, the charts as
# images of their own, and the PDF. The choices are fixed (ImpactForm); the figures
# come from the year's snapshot, with the viewer's hidden cells already hidden.


def _impact_cache_key(report_request: ReportRequest, as_of) -> str:
    """Who reads (audience, the smallest count shown, the places) and what they chose:
    a viewer is never served a report made for a professional or for other places."""
    places = (
        "all"
        if report_request.place_ids is None
        else ",".join(map(str, sorted(report_request.place_ids)))
    )
    reader = f"{report_request.audience.value}:{report_request.audience.min_cell}:{places}"
    choices = (
        f"{report_request.first_day}:{report_request.last_day}:{report_request.by}:"
        f"{report_request.period_kind}"
    )
    digest = hashlib.sha256(f"{reader}:{choices}:{as_of}".encode()).hexdigest()
    return f"omzien.reports.impact:{digest}"


def _impact_report(
    request, report_request: ReportRequest, *, output: str, reuse: bool = False
) -> ImpactReport:
    """The report for the reader's choices; ``reuse``: the one the page just made for
    the same reader (its charts), else a new one, audit-logged as ``output``."""
    as_of = timezone.localdate()
    key = _impact_cache_key(report_request, as_of)
    if reuse and (cached := cache.get(key)) is not None:
        return cached
    report = build_report(report_request, as_of=as_of)
    record_report(request.user, report_request, output=output)
    cache.set(key, report, CHART_CACHE_SECONDS)
    return report


def _form_errors(form) -> str:
    return "\n".join(message for messages in form.errors.values() for message in messages)


@login_required
def impact(request):
    form, access = impact_form(request)
    if not form.is_valid():
        return render(request, "reports/impact.html", {"form": form}, status=400)
    report_request = impact_request(form, access)
    report = _impact_report(request, report_request, output="page")
    query = form.query_string()
    viewer = access.audience == Audience.VIEWER
    sections = [
        {
            "table": table,
            "chart_url": f"{reverse('reports:impact_chart', args=[table.section])}?{query}",
            "chart_alt": impact_charts.chart_alt(table, viewer),
            "chart_note": impact_charts.chart_note(table),
        }
        for table in report_tables(report)
    ]
    return render(
        request,
        "reports/impact.html",
        {
            "form": form,
            "query": query,
            **report_context(report, sections),
        },
    )


@login_required
@csp({"default-src": [NONE], "style-src": [UNSAFE_INLINE]})
def impact_chart(request, section):
    if section not in SECTIONS:
        raise Http404
    form, access = impact_form(request)
    if not form.is_valid():
        return HttpResponse(
            _form_errors(form), status=400, content_type="text/plain; charset=utf-8"
        )
    report = _impact_report(request, impact_request(form, access), output="chart", reuse=True)
    table = next((table for table in report_tables(report) if table.section == section), None)
    if table is None:
        raise Http404
    svg = impact_charts.render_table_svg(table, viewer=access.audience == Audience.VIEWER)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{report_filename(report, section)}.svg"'
    patch_cache_control(response, private=True)
    return response


@login_required
def impact_pdf(request):
    form, access = impact_form(request)
    if not form.is_valid():
        return render(request, "reports/impact.html", {"form": form}, status=400)
    report = _impact_report(request, impact_request(form, access), output="pdf")
    response = HttpResponse(render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report)}.pdf"'
    patch_cache_control(response, private=True)
    return response


@login_required
def network(request):
    """The village network of a year (the report's ``jaar``): exact for the whole
    region's exact audience, thresholded without counts for everyone else who may see
    figures (viewers, coordinators), as in the report."""
    form, access = impact_form(request)
    if not form.is_valid():
        return render(request, "reports/network.html", {"form": form}, status=400)
    report_request = impact_request(form, access)
    figures = year_figures(report_request.first_day.year)
    village_net = village_network(figures.cube, min_cell=network_min_cell(report_request))
    record_report(request.user, report_request, output="network")
    return render(
        request,
        "reports/network.html",
        {
            "form": form,
            "year": report_request.first_day.year,
            "networks": [network_context(village_net, element_id="network")],
        },
    )
