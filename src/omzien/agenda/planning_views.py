"""The coordinators' planning pages at /planning/: their places' activities (list, new,
edit, with a preview of the dates), the coming sessions (cancel, move, reinstate, add
an extra one) and closures of a place.

Who may use them is `Capability.MANAGE_PLACE` (`accounts.permissions`): a page that
names no object answers 403 to anyone who manages no place; an activity, session or
closure out of reach answers 404, as for one that does not exist. Every write goes
through a service (`agenda.services`, `places.services`) with the acting user.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.agenda import services
from omzien.agenda.models import Activity, Session
from omzien.agenda.planning_forms import (
    ActivityPlanForm,
    CancelForm,
    ClosureForm,
    SessionTimeForm,
)
from omzien.agenda.queries import attach_closures, closures_by_place
from omzien.places import services as place_services
from omzien.places.models import PlaceClosure

PREVIEW_DATES = 8
FORM_TEMPLATE = "agenda/planning/activity_form.html"
PREVIEW_TEMPLATE = "agenda/planning/_preview.html"
FRAGMENT_HEADER = "X-Omzien-Fragment"


def _managed_places(user):
    return permissions.places_for_user(user, Capability.MANAGE_PLACE).order_by("name")


managers_only = permissions.capability_required(
    Capability.MANAGE_PLACE, gettext_lazy("Only coordinators of a meeting place can plan.")
)


def _activities_of(user):
    return Activity.objects.filter(
        permissions.in_reach(user, Capability.MANAGE_PLACE, "place")
    ).select_related("place")


@managers_only
def activity_list(request):
    activities = _activities_of(request.user).order_by("place__name", "-is_active", "title")
    return render(request, "agenda/planning/activities.html", {"activities": activities})


@managers_only
def activity_new(request):
    return _activity_form(request, Activity())


@login_required
def activity_edit(request, activity_id):
    activity = permissions.access_activity_for_user(request.user, activity_id, write=True)
    return _activity_form(request, activity)


def _activity_form(request, activity):
    """The form; "Bekijk de data" shows the next dates without saving, "Opslaan" saves."""
    places = _managed_places(request.user)
    today = timezone.localdate()
    # The form changes its instance as it reads the answers; the page shows the saved one.
    answers = copy.copy(activity)
    if request.method != "POST":
        form = ActivityPlanForm(instance=answers, places=places)
        return _render_form(request, form, activity)
    form = ActivityPlanForm(request.POST, instance=answers, places=places)
    if request.headers.get(FRAGMENT_HEADER) == "preview":
        # planning.js asks for the preview alone while the coordinator answers.
        preview = form.preview(today, PREVIEW_DATES) if form.is_valid() else None
        return _render_form(request, form, activity, preview, template=PREVIEW_TEMPLATE)
    if not form.is_valid():
        return _render_form(request, form, activity, status=400)
    if "save" not in request.POST:
        return _render_form(request, form, activity, preview=form.preview(today, PREVIEW_DATES))
    candidate = form.save(commit=False)
    try:
        services.save_activity(candidate, acting_user=request.user)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render_form(request, form, activity, status=400)
    messages.success(
        request,
        _("%(title)s is saved: %(when)s.")
        % {"title": candidate.title, "when": candidate.rule_description},
    )
    return redirect("planning:activities")


def _render_form(request, form, activity, preview=None, status=200, template=FORM_TEMPLATE):
    closures = {}
    if preview and form.instance.place_id:
        found = closures_by_place(
            [form.instance.place_id], preview[0].date(), preview[-1].date()
        ).get(form.instance.place_id, [])
        closures = {
            start: next((c for c in found if c.first_day <= start.date() <= c.last_day), None)
            for start in preview
        }
    return render(
        request,
        template,
        {
            "form": form,
            "activity": activity,
            "preview": [(start, closures.get(start)) for start in preview or []],
            "previewed": preview is not None,
            "described": form.instance.rule_description if preview is not None else "",
        },
        status=status,
    )


@managers_only
def session_list(request):
    """The coming sessions of the user's places, from today to the end of the window.

    They are made rows first (as the nightly run would), so each can be changed.
    """
    today = timezone.localdate()
    last_day = services.session_window(today)[1]
    places = _managed_places(request.user)
    chosen = places.filter(slug=request.GET.get("plek", "")).first()
    activities = _activities_of(request.user).filter(is_active=True)
    if chosen is not None:
        activities = activities.filter(place=chosen)
    services.materialise_sessions(today, last_day, activities=list(activities))
    sessions = list(
        Session.objects.filter(activity__in=activities).between(today, last_day).with_details()
    )
    place_ids = {session.activity.place_id for session in sessions}
    attach_closures(sessions, closures_by_place(place_ids, today, last_day))
    return render(
        request,
        "agenda/planning/sessions.html",
        {
            "sessions": sessions,
            "places": places,
            "chosen": chosen,
            "last_day": last_day,
            "today": today,
        },
    )


def _back_to(session) -> str:
    return f"{reverse('planning:sessions')}#session-{session.pk}"


def _session_name(session) -> str:
    local = timezone.localtime(session.starts_at)
    return f"{session.activity.title}, {date_format(local, 'l j F')} {local:%H:%M}"


@login_required
def session_cancel(request, session_id):
    """Confirm with a reason; afterwards the list offers "Toch laten doorgaan" (undo)."""
    session = permissions.access_session_for_user(request.user, session_id, write=True)
    form = CancelForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.cancel_session(session, form.cleaned_data["reason"], acting_user=request.user)
            messages.success(
                request,
                _("%(session)s is cancelled. Changed your mind? Choose 'Let it take place'.")
                % {"session": _session_name(session)},
            )
            return redirect(_back_to(session))
        status = 400
    else:
        status = 200
    return render(
        request,
        "agenda/planning/session_cancel.html",
        {"session": session, "form": form},
        status=status,
    )


@login_required
@require_POST
def session_reinstate(request, session_id):
    session = permissions.access_session_for_user(request.user, session_id, write=True)
    if session.is_cancelled:
        services.reinstate_session(session, acting_user=request.user)
        messages.success(
            request, _("%(session)s takes place again.") % {"session": _session_name(session)}
        )
    return redirect(_back_to(session))


@login_required
def session_move(request, session_id):
    session = permissions.access_session_for_user(request.user, session_id, write=True)
    local_start = timezone.localtime(session.starts_at)
    initial = {
        "day": local_start.date(),
        "start_time": local_start.time(),
        "end_time": timezone.localtime(session.ends_at).time(),
    }
    form = SessionTimeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            moved = services.move_session(session, starts_at, ends_at, acting_user=request.user)
        except ValidationError as error:
            form.add_error("day", error)
        else:
            messages.success(request, _("Moved: %(session)s.") % {"session": _session_name(moved)})
            return redirect(_back_to(moved))
    return render(
        request,
        "agenda/planning/session_time.html",
        {"form": form, "session": session, "activity": session.activity, "moving": True},
        status=400 if form.errors else 200,
    )


@login_required
def session_add(request, activity_id):
    """An extra session of an activity, on a date of the coordinator's choosing."""
    activity = permissions.access_activity_for_user(request.user, activity_id, write=True)
    initial = {"start_time": activity.start_time, "end_time": activity.end_time}
    form = SessionTimeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            added = services.add_extra_session(
                activity, starts_at, ends_at, acting_user=request.user
            )
        except ValidationError as error:
            form.add_error("day", error)
        else:
            messages.success(request, _("Added: %(session)s.") % {"session": _session_name(added)})
            return redirect(_back_to(added))
    return render(
        request,
        "agenda/planning/session_time.html",
        {"form": form, "activity": activity, "moving": False},
        status=400 if form.errors else 200,
    )


def _closures_of(user):
    return PlaceClosure.objects.filter(
        permissions.in_reach(user, Capability.MANAGE_PLACE, "place")
    ).select_related("place")


@managers_only
def closure_list(request):
    """The current and coming closures of the user's places, and a form for a new one."""
    today = timezone.localdate()
    places = _managed_places(request.user)
    form = ClosureForm(request.POST or None, places=places, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            closure = place_services.save_closure(form.save(commit=False), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("%(place)s is closed from %(first)s to %(last)s.")
                % {
                    "place": closure.place,
                    "first": date_format(closure.first_day, "j F Y"),
                    "last": date_format(closure.last_day, "j F Y"),
                },
            )
            return redirect("planning:closures")
    closures = _closures_of(request.user).filter(last_day__gte=today).order_by("first_day")
    return render(
        request,
        "agenda/planning/closures.html",
        {"form": form, "closures": closures},
        status=400 if form.errors else 200,
    )


@login_required
def closure_delete(request, closure_id):
    """Open after all: confirm first."""
    closure = permissions.one_of(_closures_of(request.user), closure_id)
    if request.method == "POST":
        place_services.delete_closure(closure, acting_user=request.user)
        messages.success(
            request,
            _("The closure of %(place)s from %(first)s is removed: open as usual.")
            % {"place": closure.place, "first": date_format(closure.first_day, "j F Y")},
        )
        return redirect("planning:closures")
    return render(request, "agenda/planning/closure_delete.html", {"closure": closure})
