"""Reading invitations for the pages: public (no personal data) and staff-side."""

from datetime import date, timedelta

from django.db.models import Prefetch

from omzien.accounts import permissions
from omzien.accounts.permissions import EVERYWHERE
from omzien.visiting.models import Invitation, InvitedPlace

# The feed keeps the recent past too, so a calendar that subscribed sees a cancellation.
FEED_HISTORY = timedelta(days=90)


def _with_places(invitations):
    guests = InvitedPlace.objects.select_related("place__village").order_by("place__name")
    return invitations.select_related("host__village", "activity").prefetch_related(
        Prefetch("guests", queryset=guests)
    )


def open_days(today: date):
    """The public calendar: invitations from today on, cancelled ones marked."""
    return _with_places(Invitation.objects.filter(date__gte=today, host__is_active=True))


def feed_invitations(today: date):
    return _with_places(
        Invitation.objects.filter(date__gte=today - FEED_HISTORY, host__is_active=True)
    )


def public_invitation(invitation_id) -> Invitation:
    """Any invitation of an active host place, for everyone (no personal data)."""
    return permissions.one_of(
        _with_places(Invitation.objects.filter(host__is_active=True)), invitation_id
    )


def invited_to(place, today: date):
    """The coming invitations a place received (its public page)."""
    return (
        Invitation.objects.coming(today)
        .filter(guests__place=place, host__is_active=True)
        .select_related("host__village")
    )


def staff_lists(user, today: date) -> dict:
    """Sent and received by the user's places, coming first, then the past, audit-logged
    (the lists show how many come)."""
    permissions.record_view(user, "invitations")
    where = permissions.invitation_places(user)
    visible = _with_places(permissions.invitations(user))
    if where is EVERYWHERE:
        sent, received = visible, visible.none()
    else:
        sent = visible.filter(host__in=sorted(where))
        received = visible.filter(guests__place__in=sorted(where)).exclude(host__in=sorted(where))
    return {
        "sent_coming": sent.filter(date__gte=today),
        "sent_past": sent.filter(date__lt=today).order_by("-date", "-start_time"),
        "received_coming": received.filter(date__gte=today).distinct(),
        "received_past": received.filter(date__lt=today).order_by("-date").distinct(),
        "everywhere": where is EVERYWHERE,
    }
