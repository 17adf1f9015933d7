from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from omzien.agenda import jsonld, queries
from omzien.agenda.views import calendar_response
from omzien.core.jsonld import to_script
from omzien.places.models import Place


def place_list(request):
    places = Place.objects.active().select_related("village").order_by("village__name", "name")
    return render(request, "places/list.html", {"places": places})


def place_detail(request, slug):
    place = get_object_or_404(Place.objects.active().select_related("village"), slug=slug)
    activities = place.activities.active().order_by("title")
    sessions = queries.upcoming_sessions(activities, timezone.localdate(), weeks=2)
    return render(
        request,
        "places/detail.html",
        {
            "place": place,
            "activities": activities,
            "sessions": sessions,
            "json_ld": to_script(jsonld.place_data(place) | {"@context": "https://schema.org"}),
        },
    )


def place_feed(request, slug):
    place = get_object_or_404(Place.objects.active(), slug=slug)
    return calendar_response(place.activities.active(), place.name, request)
