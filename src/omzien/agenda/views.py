from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.agenda import ical, jsonld, queries
from omzien.agenda.forms import AgendaFilterForm
from omzien.agenda.models import Activity
from omzien.agenda.recurrence import week_bounds
from omzien.core.jsonld import to_script
from omzien.places.models import Region


def week_agenda(request):
    form = AgendaFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "agenda/week.html", {"form": form}, status=400)
    monday = form.cleaned_data["week"] or week_bounds(timezone.localdate())[0]
    sessions = queries.sessions_of_week(monday, **form.filters())
    return render(
        request,
        "agenda/week.html",
        {
            "form": form,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "days": queries.group_by_day(sessions),
            "current_week": _iso_week(monday),
            "today": timezone.localdate(),
            "this_week": week_bounds(timezone.localdate())[0] == monday,
            "previous_week": _iso_week(monday - timedelta(weeks=1)),
            "next_week": _iso_week(monday + timedelta(weeks=1)),
            "json_ld": to_script(jsonld.events_data(sessions, request)),
        },
    )


def _iso_week(day) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def activity_detail(request, place_slug, slug):
    activity = get_object_or_404(
        Activity.objects.active().select_related("place__village"),
        place__slug=place_slug,
        slug=slug,
    )
    sessions = queries.upcoming_sessions([activity], timezone.localdate(), weeks=8)
    return render(
        request,
        "agenda/activity.html",
        {
            "activity": activity,
            "place": activity.place,
            "sessions": sessions,
            "json_ld": to_script(jsonld.events_data(sessions, request)),
        },
    )


def calendar_response(activities, name: str, request) -> HttpResponse:
    body = ical.build_calendar(activities, name, request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


def network_feed(request):
    form = AgendaFilterForm(request.GET)
    if not form.is_valid():
        errors = "\n".join(message for messages in form.errors.values() for message in messages)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    activities = queries.filter_activities(Activity.objects.active(), **form.filters())
    region = Region.objects.order_by("pk").first()
    name = _("Meeting places %(region)s") % {"region": region} if region else _("Meeting places")
    return calendar_response(activities, name, request)
