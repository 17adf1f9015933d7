"""schema.org Event descriptions of sessions, for search engines and other agendas."""

from django.utils import timezone

from omzien.agenda.models import Session
from omzien.places.models import Place


def place_data(place: Place) -> dict:
    return {
        "@type": "Place",
        "name": place.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": place.street,
            "postalCode": place.postcode,
            "addressLocality": place.town,
            "addressCountry": "NL",
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": float(place.latitude),
            "longitude": float(place.longitude),
        },
    }


def event_data(session: Session, request) -> dict:
    activity = session.activity
    status = "EventScheduled" if session.takes_place else "EventCancelled"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": activity.title,
        "description": activity.description,
        "startDate": timezone.localtime(session.starts_at).isoformat(),
        "endDate": timezone.localtime(session.ends_at).isoformat(),
        "eventStatus": f"https://schema.org/{status}",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place_data(activity.place),
        "organizer": {"@type": "Organization", "name": activity.place.name},
        "isAccessibleForFree": activity.is_free,
        "offers": {
            "@type": "Offer",
            "price": str(activity.cost),
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock",
        },
        "url": request.build_absolute_uri(activity.get_absolute_url()),
    }
    if activity.capacity:
        data["maximumAttendeeCapacity"] = activity.capacity
    return data


def events_data(sessions, request) -> list[dict]:
    return [event_data(session, request) for session in sessions]
