"""The inzage as a printable PDF (WeasyPrint, as ``reports.pdf``): the same
`AccessRequest` the JSON is made from, a table per record, nothing fetched."""

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

from omzien.privacy.access_request import AccessRequest

PDF_CSS = "privacy/access_request_pdf.css"


def render_html(access_request: AccessRequest) -> str:
    return render_to_string("privacy/rights/access_request_pdf.html", {"inzage": access_request})


def render_pdf(access_request: AccessRequest) -> bytes:
    import weasyprint  # slow to import, and needs Pango: only here

    stylesheet = weasyprint.CSS(filename=finders.find(PDF_CSS) or staticfiles_storage.path(PDF_CSS))
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    html = weasyprint.HTML(string=render_html(access_request), url_fetcher=fetcher)
    return html.write_pdf(stylesheets=[stylesheet])
