"""The public site: home page, week agenda, activity and place pages, the iCalendar feeds.

These views only read (``agenda.queries``): no visitor's GET writes a row. Anonymous
visitors get them from the cache (``core.public_cache.public_page``).
"""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.agenda import ical, jsonld, place_sections, queries
from omzien.agenda.forms import PARAMETER_ALIASES, PARAMETERS, AgendaFilterForm
from omzien.agenda.models import Activity
from omzien.agenda.recurrence import iso_week, week_bounds
from omzien.core.jsonld import to_script
from omzien.core.public_cache import canonical_query, changes_at, public_page
from omzien.places import map as places_map
from omzien.places.models import Place, Region, Village
from omzien.places.queries import has_place, nearest_places

# The week agenda and the network feed read the filter parameters; the other pages none.
filtered_page = public_page(PARAMETERS, PARAMETER_ALIASES)
FEED_PARAMETERS = tuple(name for name in PARAMETERS if name != "week")


@public_page()
def home(request):
    today = timezone.localdate()
    monday, sunday = week_bounds(today)
    week = queries.sessions_of_week(monday, today=today)
    return render(
        request,
        "agenda/home.html",
        {
            "today": today,
            "today_sessions": [s for s in week if s.date == today],
            "coming_sessions": [s for s in week if s.date > today],
            "sunday": sunday,
        },
    )


@filtered_page
def week_agenda(request):
    today = timezone.localdate()
    form = AgendaFilterForm(request.GET, today=today)
    if not form.is_valid():
        return render(request, "agenda/week.html", {"form": form}, status=400)
    this_monday = week_bounds(today)[0]
    monday = form.cleaned_data["week"] or this_monday
    first_monday, last_sunday = queries.agenda_range(today)
    previous_monday, next_monday = monday - timedelta(weeks=1), monday + timedelta(weeks=1)
    sunday = monday + timedelta(days=6)
    sessions = queries.sessions_of_week(monday, **form.filters(), today=today)
    village = form.cleaned_data["dorp"]
    # A village without a meeting place of its own: say where the nearest ones are.
    nearby = None if village is None or has_place(village) else nearest_places(village)
    return render(
        request,
        "agenda/week.html",
        {
            "form": form,
            "monday": monday,
            "sunday": sunday,
            # "29 december 2025 tot en met 4 januari 2026": the year on both sides of New Year.
            "first_day_format": "j F" if monday.year == sunday.year else "j F Y",
            "days": queries.group_by_day(sessions),
            "current_week": iso_week(monday),
            "today": today,
            "this_week": this_monday == monday,
            # No links out of the agenda's range: a crawler following them stops there.
            "previous_week": iso_week(previous_monday) if previous_monday >= first_monday else None,
            "next_week": iso_week(next_monday) if next_monday <= last_sunday else None,
            "json_ld": to_script(jsonld.events_data(sessions, request)),
            "village": village,
            "nearby": nearby,
            "feed": feed_links(request, network_feed_path(request.GET)),
        },
    )


def network_feed_path(query) -> str:
    """The network feed with the agenda's filters (not its week: a feed has no week)."""
    filters = canonical_query(query, FEED_PARAMETERS, PARAMETER_ALIASES)
    path = reverse("feed")
    return f"{path}?{filters.urlencode()}" if filters else path


@public_page()
def activity_detail(request, place_slug, slug):
    activity = get_object_or_404(
        Activity.objects.active().select_related("place__village"),
        place__slug=place_slug,
        slug=slug,
    )
    sessions = queries.coming_sessions([activity], timezone.now(), weeks=8)
    changes_at(request, queries.first_end(sessions))
    return render(
        request,
        "agenda/activity.html",
        {
            "today": timezone.localdate(),
            "activity": activity,
            "place": activity.place,
            "sessions": sessions,
            "json_ld": to_script(jsonld.events_data(sessions, request)),
        },
    )


@places_map.map_csp
@public_page()
def place_list(request):
    places = Place.objects.active().select_related("village").order_by("village__name", "name")
    return render(
        request,
        "agenda/place_list.html",
        {
            "places": places,
            "villages": Village.objects.order_by("name"),
            "map_data": places_map.map_data([places_map.place_marker(p) for p in places]),
        },
    )


@places_map.map_csp
@public_page()
def village_places(request, village_slug):
    """The meeting places seen from one village: all of them, nearest first."""
    village = get_object_or_404(Village, slug=village_slug)
    nearby = nearest_places(village, count=None)
    markers = [places_map.place_marker(near.place, near.distance_km) for near in nearby]
    return render(
        request,
        "agenda/village.html",
        {
            "village": village,
            "nearby": nearby,
            "own_places": [near for near in nearby if near.place.village_id == village.pk],
            "map_data": places_map.map_data(markers, village=village),
        },
    )


@places_map.map_csp
@public_page()
def place_detail(request, slug):
    place = get_object_or_404(Place.objects.active().select_related("village"), slug=slug)
    activities = place.activities.active().order_by("title")
    sessions = queries.coming_sessions(activities, timezone.now(), weeks=2)
    changes_at(request, queries.first_end(sessions))
    today = timezone.localdate()
    return render(
        request,
        "agenda/place_detail.html",
        {
            "today": today,
            "place": place,
            "sections": place_sections.sections_for(place, today),
            "activities": activities,
            "sessions": sessions,
            "json_ld": to_script(jsonld.place_data(place) | {"@context": "https://schema.org"}),
            "feed": feed_links(request, reverse("places:feed", args=[place.slug])),
            "map_data": places_map.map_data([places_map.place_marker(place)]),
        },
    )


def feed_links(request, path: str) -> dict[str, str]:
    """The feed as webcal:// (phones subscribe to it and keep it up to date; http(s)
    links import it once) and as its own address (to download, or to paste into Google
    Calendar's "From URL")."""
    address = request.build_absolute_uri(path)
    return {"webcal": "webcal://" + address.split("://", 1)[1], "https": address}


def calendar_response(activities, name: str, request) -> HttpResponse:
    body = ical.build_calendar(activities, name, request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


@filtered_page
def network_feed(request):
    form = AgendaFilterForm(request.GET)
    if not form.is_valid():
        errors = "\n".join(message for messages in form.errors.values() for message in messages)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    activities = queries.filter_activities(Activity.objects.active(), **form.filters())
    region = Region.objects.order_by("pk").first()
    name = _("Meeting places %(region)s") % {"region": region} if region else _("Meeting places")
    return calendar_response(activities, name, request)


@public_page()
def place_feed(request, slug):
    place = get_object_or_404(Place.objects.active(), slug=slug)
    return calendar_response(place.activities.active(), place.name, request)
