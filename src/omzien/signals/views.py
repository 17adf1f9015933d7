"""Follow-up pages: the open signals of one's places, and one signal with its log.

Coordinators see their places, professionals and administrators all; hosts and viewers
get 403. Every page that shows people is audit-logged. Each row of the list has its own
small assign form (plain POST, back to the list), so a coordinator hands out the week's
signals without opening each one; it goes through the same ``AssignForm`` and
``services.assign`` as the signal's page.

Hosts (and everyone who may host) have two forms of their own, reached from a person's
page at the door: "let op" (raise a signal by hand) and an announced absence. They are
scoped like the door: a person outside the user's places answers 404, a viewer 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from omzien.accounts import permissions
from omzien.attendance.models import Visit
from omzien.audit.services import record_view
from omzien.people.models import Purpose
from omzien.places.models import Place
from omzien.signals import notifications, services
from omzien.signals.forms import (
    AbsenceForm,
    AssignForm,
    CloseForm,
    ContactForm,
    LetOpForm,
    SnoozeForm,
)
from omzien.signals.models import Signal


def _require_overview(user):
    if not permissions.may_act_as(user, permissions.OVERVIEW_ROLES):
        raise PermissionDenied


@login_required
def signal_list(request):
    _require_overview(request.user)
    return _render_list(request)


def _row_prefix(signal):
    return f"assign-{signal.pk}"


def _render_list(request, failed=None, status=200):
    """The list, each row with its assign form; ``failed`` is a (signal, bound form) pair
    whose errors are shown, at its row and above the table."""
    signals = list(services.follow_up_list(request.user))
    users = services.assignable_users_by_place({signal.place_id for signal in signals})
    rows = []
    for signal in signals:
        if failed is not None and failed[0].pk == signal.pk:
            form = failed[1]
        else:
            form = AssignForm(
                prefix=_row_prefix(signal),
                users=services.assignable_users(signal.place),
                fetched=users[signal.place_id],
                initial={"user": signal.assigned_to_id},
            )
        # Screen readers hear whose signal the select is for, not just "Assign to".
        form.fields["user"].widget.attrs["aria-describedby"] = f"signal-{signal.pk}-person"
        rows.append({"signal": signal, "form": form, "waiting": services.is_waiting(signal)})
    waiting = sum(row["waiting"] for row in rows)
    record_view(request.user, "signal list", detail=f"{len(signals)} signals")
    return render(
        request,
        "signals/list.html",
        {
            "signals": signals,
            "rows": rows,
            "failed": failed,
            "waiting_notice": (
                notifications.not_picked_up_text(waiting, services.escalate_after_days())
                if waiting
                else ""
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def assign_from_list(request, pk):
    """Assign a signal from its row of the list, then back to the list."""
    _require_overview(request.user)
    signal = get_object_or_404(Signal.objects.select_related("person", "place"), pk=pk)
    if not services.can_follow_up(request.user, signal):
        raise PermissionDenied
    form = AssignForm(
        request.POST, prefix=_row_prefix(signal), users=services.assignable_users(signal.place)
    )
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.assign(signal, user, request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if user is None:
                text = _("The signal of %(name)s is not assigned to anyone now.") % {
                    "name": signal.person
                }
            else:
                text = _("%(name)s: assigned to %(user)s.") % {
                    "name": signal.person,
                    "user": form.fields["user"].label_from_instance(user),
                }
            messages.success(request, text)
            return redirect(f"{reverse('signals:list')}#signal-{signal.pk}")
    return _render_list(request, failed=(signal, form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def signal_detail(request, pk):
    signal = get_object_or_404(Signal.objects.select_related("person", "place"), pk=pk)
    if not services.can_follow_up(request.user, signal):
        raise PermissionDenied
    users = services.assignable_users(signal.place)
    forms = {
        "contact": ContactForm(prefix="contact"),
        "assign": AssignForm(prefix="assign", users=users, initial={"user": signal.assigned_to}),
        "snooze": SnoozeForm(prefix="snooze"),
        "close": CloseForm(prefix="close"),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        form_class = {
            "contact": ContactForm,
            "assign": AssignForm,
            "snooze": SnoozeForm,
            "close": CloseForm,
        }.get(action)
        if form_class is None:
            return redirect("signals:detail", pk=signal.pk)
        kwargs = {"users": users} if action == "assign" else {}
        form = form_class(request.POST, prefix=action, **kwargs)
        forms[action] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "contact":
                    services.log_contact(
                        signal, request.user, data["method"], data["outcome"], data["note"]
                    )
                elif action == "assign":
                    services.assign(signal, data["user"], request.user)
                elif action == "snooze":
                    services.snooze(signal, data["until"], request.user)
                else:
                    services.close(signal, data["outcome"], request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("signals:detail", pk=signal.pk)
    history = (
        Signal.objects.filter(person=signal.person)
        .exclude(pk=signal.pk)
        .select_related("place")
        .annotate(contact_count=Count("contacts"))
        .order_by("-raised_on")
    )
    record_view(request.user, "signal", person=signal.person, detail=f"#{signal.pk}")
    return render(
        request,
        "signals/detail.html",
        {
            "signal": signal,
            "contacts": signal.contacts.select_related("by"),
            "history": history,
            "forms": forms,
        },
    )


# --- At the door: "let op" and an announced absence -------------------------------------


def _hosted_person(request, person_id):
    """The person, if the user may host one of their places; viewers 403, others 404."""
    if not permissions.may_act_as(request.user, permissions.HOSTING_ROLES):
        raise PermissionDenied
    places = permissions.hosting_places(request.user)
    person = get_object_or_404(permissions.people_for_user(request.user), pk=person_id)
    return person, places


def _places_of(person, places, also=None):
    """The user's hosted places where the person is registered or has visited (or ``also``:
    the place of the session the host came from)."""
    visited = Visit.objects.filter(person=person).values("session__activity__place")
    where = Q(pk=person.registered_place_id) | Q(pk__in=visited)
    if also is not None:
        where |= Q(pk=also.pk)
    return Place.objects.filter(pk__in=places.values("pk")).filter(where)


def _chosen_place(request, places):
    """``?plek=`` (an id or a slug) among the user's places, or None; another place is 404."""
    value = request.GET.get("plek", "").strip()
    if not value:
        return None
    lookup = {"pk": int(value)} if value.isdigit() else {"slug": value}
    place = places.filter(**lookup).first()
    if place is None:
        raise Http404
    return place


def _door_form(request, person, subject, form, status=200, **context):
    """The form page; without follow-up consent it explains why there is no form."""
    followup = person.has_consent(Purpose.FOLLOWUP)
    if request.method == "GET":
        record_view(request.user, subject, person=person)
    return render(
        request,
        "signals/door_form.html",
        {"person": person, "form": form, "followup": followup, **context},
        status=status if followup else (400 if request.method == "POST" else 200),
    )


@login_required
@require_http_methods(["GET", "POST"])
def let_op(request, person_id):
    """A host raises a signal by hand after a conversation ("let op")."""
    person, hosted = _hosted_person(request, person_id)
    chosen = _chosen_place(request, hosted)
    places = _places_of(person, hosted, also=chosen)
    status = 200
    if request.method == "POST" and person.has_consent(Purpose.FOLLOWUP):
        form = LetOpForm(request.POST, places=places)
        if form.is_valid():
            try:
                services.raise_manual_signal(
                    person, form.cleaned_data["place"], form.cleaned_data["reason"], request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Noted: someone will ask how %(name)s is doing.") % {"name": person},
                )
                return redirect("attendance:person", person_id=person.pk)
        status = 400
    else:
        form = LetOpForm(places=places, initial={"place": chosen or places.first()})
    return _door_form(
        request,
        person,
        "let op form",
        form,
        status,
        chosen=chosen,
        heading=_("Let op"),
        lead=_(
            "Worried after a conversation? Say why in a few words. A coordinator will make "
            "sure someone asks how they are doing."
        ),
        form_id="let-op",
    )


@login_required
@require_http_methods(["GET", "POST"])
def absence(request, person_id):
    """A host records an absence the person announced ("op vakantie tot 12 mei")."""
    person, _places = _hosted_person(request, person_id)
    status = 200
    if request.method == "POST" and person.has_consent(Purpose.FOLLOWUP):
        form = AbsenceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_absence(
                    person, data["first_day"], data["last_day"], data["note"], request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Noted: %(name)s is away from %(first)s to %(last)s.")
                    % {
                        "name": person,
                        "first": date_format(data["first_day"], "j F Y"),
                        "last": date_format(data["last_day"], "j F Y"),
                    },
                )
                return redirect("attendance:person", person_id=person.pk)
        status = 400
    else:
        form = AbsenceForm()
    return _door_form(
        request,
        person,
        "absence form",
        form,
        status,
        heading=_("Announced absence"),
        lead=_(
            "Away for a while, and they told you so? Note when, so nobody worries about "
            "them meanwhile."
        ),
        form_id="absence",
    )
