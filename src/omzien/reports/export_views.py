"""Downloads of the impact report: the .xlsx at /overzicht/rapportage.xlsx (the PDF is
``reports.pdf``'s), with the page's query parameters and access
(``reports.forms.impact_form``). Every download is audit-logged with its parameters."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from omzien.reports import services
from omzien.reports.forms import ImpactForm, impact_form, impact_request
from omzien.reports.impact import build_report
from omzien.reports.xlsx import CONTENT_TYPE, render_xlsx


def form_errors(form) -> HttpResponse:
    """A 400 in words: a download has no page to show its form on."""
    errors = "\n".join(message for messages in form.errors.values() for message in messages)
    return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")


def download_name(form: ImpactForm, extension: str) -> str:
    data = form.cleaned_data
    return f"rapportage-{data['jaar']}-{data['indeling']}-per-{data['per']}.{extension}"


@require_safe
@login_required
def impact_xlsx(request):
    form, access = impact_form(request)
    if not form.is_valid():
        return form_errors(form)
    report_request = impact_request(form, access)
    content = render_xlsx(build_report(report_request))
    services.record_report(request.user, report_request, output="xlsx")
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download_name(form, "xlsx")}"'
    return response
