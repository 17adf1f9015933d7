"""The impact report as a PDF a fund receives (WeasyPrint): a title page with the region
and the period, the contents, per section the chart and its table, the places' stories,
the method and the disclosure rule in words, and the national reference.

Made from the same :class:`~omzien.reports.impact.ImpactReport` and the same tables
(``presentation.report_tables``) as the page, so it shows the same figures and, for
viewers, the same hidden cells. Nothing is fetched: the charts are embedded as SVG and
the fonts are the machine's own (DejaVu Sans, which the charts use too).
"""

from __future__ import annotations

import base64

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

from omzien.reports.document import report_context
from omzien.reports.impact import ImpactReport
from omzien.reports.impact_charts import chart_alt, chart_note, render_table_svg
from omzien.reports.presentation import report_tables

PDF_CSS = "reports/impact_pdf.css"


def _svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def render_pdf(report: ImpactReport) -> bytes:
    """The report as PDF bytes (``omzien report --format pdf`` calls this too)."""
    import weasyprint  # slow to import, and needs Pango: only here

    viewer = report.min_cell is not None
    sections = [
        {
            "table": table,
            "chart_src": _svg_data_uri(render_table_svg(table, viewer=viewer)),
            "chart_alt": chart_alt(table, viewer),
            "chart_note": chart_note(table),
        }
        for table in report_tables(report)
    ]
    html = render_to_string("reports/impact_pdf.html", report_context(report, sections))
    stylesheet = weasyprint.CSS(filename=finders.find(PDF_CSS) or staticfiles_storage.path(PDF_CSS))
    # The document refers to nothing outside itself: only data: addresses (the charts).
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
