"""The attendance overview for coordinators (their places) and professionals (all).

Figures only, never names. The page shows a table and three charts; each chart is an
SVG image of its own (``reports:chart``, same query parameters) so the page's strict
Content-Security-Policy stays intact (see ``reports.charts``).
"""

import hashlib

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.reports import labels
from omzien.reports.charts import KINDS, render_svg
from omzien.reports.forms import OverviewForm
from omzien.reports.statistics import (
    Grouping,
    Overview,
    PeriodFigures,
    attendance_by_activity,
    attendance_overview,
)


def _form(request) -> OverviewForm:
    if not permissions.can(request.user, Capability.FIGURES):
        raise PermissionDenied
    return OverviewForm(request.GET, request.user, today=timezone.localdate())


# The page computes the figures and keeps them this long for its three chart images, so
# the charts show the same numbers as the tables and the work is not done four times.
# The key holds the place ids the form allowed, so it is never shared across scopes.
CHART_CACHE_SECONDS = 120


def _cache_key(form: OverviewForm, as_of) -> str:
    data = form.cleaned_data
    places = ",".join(str(pk) for pk in sorted(place.pk for place in data["places"]))
    activity = data["activity"].pk if data["activity"] else "-"
    choices = f"{places}:{activity}:{data['grouping']}:{data['first_day']}:{data['last_day']}"
    digest = hashlib.sha256(f"{choices}:{as_of}".encode()).hexdigest()
    return f"omzien.reports.overview:{digest}"  # short enough for any cache backend


def _overview(form: OverviewForm, *, reuse: bool = False) -> Overview:
    """The figures for the form's choices; ``reuse`` takes those the page just computed."""
    data = form.cleaned_data
    as_of = timezone.localdate()
    key = _cache_key(form, as_of)
    if reuse and (cached := cache.get(key)) is not None:
        return cached
    figures = attendance_overview(
        data["places"],
        activity=data["activity"],
        grouping=data["grouping"],
        first_day=data["first_day"],
        last_day=data["last_day"],
        as_of=as_of,
    )
    cache.set(key, figures, CHART_CACHE_SECONDS)
    return figures


def _count(value) -> str:
    return number_format(value, force_grouping=True) if isinstance(value, int) else str(value)


def _share(figures: PeriodFigures) -> str:
    if not figures.returning_complete:
        return _("not yet complete")
    if isinstance(figures.returning_share, float):
        return f"{round(figures.returning_share * 100)}%"
    if figures.returning_share is None:  # nobody came
        return "–"
    return str(figures.returning_share)


def _rows(overview: Overview) -> list[dict]:
    return [
        {
            "label": labels.period_label(figures.start, overview.grouping),
            "dates": labels.period_dates(figures.start, figures.end)
            if overview.grouping == Grouping.WEEK
            else "",
            "running": figures.is_running,
            "complete": figures.returning_complete,
            "visits": _count(figures.visits),
            "named": _count(figures.named_visits),
            "anonymous": _count(figures.anonymous_visits),
            "unique": _count(figures.unique_visitors),
            "new": _count(figures.new_visitors),
            "returning": _count(figures.returning_visitors) if figures.returning_complete else "",
            "share": _share(figures),
        }
        for figures in overview.periods
    ]


@login_required
def overview(request):
    form = _form(request)
    if not form.is_valid():
        return render(request, "reports/overview.html", {"form": form}, status=400)
    figures = _overview(form)
    data = form.cleaned_data
    query = form.query_string()
    titles = labels.chart_titles(figures.grouping)
    alternatives = labels.chart_alternatives(figures.grouping, figures.first_day, figures.last_day)
    charts = {
        kind: {
            "title": titles[kind],
            "alt": alternatives[kind],
            "url": f"{reverse('reports:chart', args=[kind])}?{query}",
        }
        for kind in KINDS
    }
    activities = (
        attendance_by_activity(data["places"], figures.first_day, figures.last_day)
        if data["activity"] is None
        else []
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
                "visits": _count(figures.totals.visits),
                "anonymous": _count(figures.totals.anonymous_visits),
                "unique": _count(figures.totals.unique_visitors),
                "new": _count(figures.totals.new_visitors),
            },
            "charts": charts,
            "activities": activities,
            "several_places": len(data["places"]) > 1,
        },
    )


# The SVG is an image document of its own: it may use the inline styles matplotlib
# writes, and nothing else (no scripts, no loads).
@login_required
@csp({"default-src": [NONE], "style-src": [UNSAFE_INLINE]})
def chart(request, kind):
    if kind not in KINDS:
        raise Http404
    form = _form(request)
    if not form.is_valid():
        errors = "\n".join(message for messages in form.errors.values() for message in messages)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    figures = _overview(form, reuse=True)
    svg = render_svg(kind, figures, labels.chart_titles(figures.grouping)[kind])
    response = HttpResponse(svg, content_type="image/svg+xml")
    slug = (form.cleaned_data["plek"] or "alle-plekken").replace("/", "-")
    response["Content-Disposition"] = (
        f'inline; filename="{kind}-{slug}-{figures.first_day:%Y-%m-%d}'
        f'-{figures.last_day:%Y-%m-%d}.svg"'
    )
    patch_cache_control(response, private=True)
    return response
