"""Follow-up pages: the open signals of one's places, and one signal with its log.

Coordinators see their places, professionals and administrators all, and whoever a
signal is assigned to sees that one while they still work at its place; others get 403
on the list and 404 on a signal (as for one that does not exist). Every page that shows
people is audit-logged by the access functions of `accounts.permissions`. Each row of
the list has its own small assign form (plain POST, back to the list), so a coordinator
hands out the week's signals without opening each one; it goes through the same
``AssignForm`` and ``services.assign`` as the signal's page.

Hosts (and everyone who may host) have two forms of their own, reached from a person's
page at the door: "let op" (raise a signal by hand) and an announced absence. They are
scoped like the door: a person outside the user's places answers 404. And the door's
check-in screen asks them about first contacts ("Wie weet hoe het met Jan gaat?"): the
answers come to ``door_answer``, which sends them back to the screen.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.attendance.models import Visit
from omzien.people import services as people_services
from omzien.people.models import Purpose
from omzien.signals import notifications, services
from omzien.signals.first_contact import DoorAnswer
from omzien.signals.forms import (
    AbsenceForm,
    AssignForm,
    ClosedSignalsForm,
    CloseForm,
    ContactForm,
    DoorAnswerForm,
    LetOpForm,
    ReachForm,
    SnoozeForm,
)
from omzien.signals.models import Outcome


def _require_follow_up(user):
    if not permissions.may_start_follow_up(user):
        raise PermissionDenied


@login_required
def signal_list(request):
    _require_follow_up(request.user)
    return _render_list(request)


@login_required
def closed_signals(request):
    """The closed signals with their outcome, by place and by the days they were closed;
    a bad filter is a 400 with the form's Dutch messages."""
    _require_follow_up(request.user)
    form = ClosedSignalsForm(request.GET, services.follow_up_places(request.user))
    if not form.is_valid():
        return render(request, "signals/closed.html", {"form": form}, status=400)
    data = form.cleaned_data
    signals = list(
        services.closed_list(
            request.user, place=data["plek"], first_day=data["van"], last_day=data["tot"]
        )[: services.CLOSED_SHOWN + 1]
    )
    return render(
        request,
        "signals/closed.html",
        {
            "form": form,
            "signals": signals[: services.CLOSED_SHOWN],
            "more": len(signals) > services.CLOSED_SHOWN,
            "shown": services.CLOSED_SHOWN,
        },
    )


def _row_prefix(signal):
    return f"assign-{signal.pk}"


def _render_list(request, failed=None, status=200):
    """The list, each follow-up with its assign form; ``failed`` is a (signal, bound form)
    pair whose errors are shown, at its row and above the table. First contacts, still
    asked at the door, come in a section of their own: the ones the door did not know
    (already follow-ups) are in the table."""
    everything = list(services.follow_up_list(request.user))
    signals = [signal for signal in everything if not signal.is_first_contact]
    at_the_door = [
        {"signal": signal, "coordinator_day": services.coordinator_day(signal)}
        for signal in everything
        if signal.is_first_contact
    ]
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
    return render(
        request,
        "signals/list.html",
        {
            "signals": signals,
            "rows": rows,
            "at_the_door": at_the_door,
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
    signal = permissions.access_signal_for_user(request.user, pk, write=True)
    form = AssignForm(
        request.POST, prefix=_row_prefix(signal), users=services.assignable_users(signal.place)
    )
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.assign(signal, user, acting_user=request.user)
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
@require_http_methods(["POST"])
def take_over(request, pk):
    """ "Zelf opvolgen": a coordinator takes a first contact on without waiting for the door."""
    signal = permissions.access_signal_for_user(request.user, pk, write=True)
    try:
        services.take_over(signal, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("You follow up %(name)s now; the door is no longer asked.")
        messages.success(request, text % {"name": signal.person})
    return redirect(f"{reverse('signals:list')}#signal-{signal.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def signal_detail(request, pk):
    signal = permissions.access_signal_for_user(request.user, pk)
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
                        signal,
                        data["method"],
                        data["outcome"],
                        data["note"],
                        acting_user=request.user,
                    )
                elif action == "assign":
                    services.assign(signal, data["user"], acting_user=request.user)
                elif action == "snooze":
                    services.snooze(signal, data["until"], acting_user=request.user)
                else:
                    services.close(signal, data["outcome"], acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if action == "close" and data["outcome"] == Outcome.NEEDS_HELP:
                    # One step from noticing to a neighbour: the help request, prefilled.
                    return redirect("helping:from_signal", pk=signal.pk)
                return redirect("signals:detail", pk=signal.pk)
    history = (
        permissions.reachable_signals(request.user)
        .filter(person=signal.person)
        .exclude(pk=signal.pk)
        .select_related("place")
        .annotate(contact_count=Count("contacts"))
        .order_by("-raised_on")
    )
    return render(
        request,
        "signals/detail.html",
        {
            "signal": signal,
            "contacts": signal.contacts.select_related("by"),
            "history": history,
            "forms": forms,
            "reach": permissions.followup_contact_for_user(request.user, signal.person),
            "may_reach": permissions.may_reach_person(request.user, signal.person),
            "needs_help": signal.contacts.filter(outcome=Outcome.NEEDS_HELP).exists(),
        },
    )


# --- At the door: "let op" and an announced absence -------------------------------------


def _hosted_person(request, person_id, reading: str):
    """The person, if the user runs the door at one of their places (404 otherwise); a
    look at the form is audit-logged as ``reading``."""
    write = request.method == "POST"
    person = permissions.access_person_for_user(
        request.user, person_id, write=write, reading=reading
    )
    return person, permissions.places_for_user(request.user, Capability.DOOR)


def _places_of(person, places, also=None):
    """The user's hosted places where the person is registered or has visited (or ``also``:
    the place of the session the host came from)."""
    visited = Visit.objects.filter(person=person).values("session__activity__place")
    where = Q(pk=person.registered_place_id) | Q(pk__in=visited)
    if also is not None:
        where |= Q(pk=also.pk)
    return places.filter(where)


def _chosen_place(request, places):
    """``?plek=`` (an id or a slug) among the user's places, or None; another place is 404."""
    value = request.GET.get("plek", "").strip()
    if not value:
        return None
    if value.isdigit():
        return permissions.one_of(places, value)
    place = places.filter(slug=value).first()
    if place is None:
        raise Http404
    return place


def _door_form(request, person, form, status=200, **context):
    """The form page; without follow-up consent it explains why there is no form."""
    followup = person.has_consent(Purpose.FOLLOWUP)
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
    person, hosted = _hosted_person(request, person_id, reading="let op form")
    chosen = _chosen_place(request, hosted)
    places = _places_of(person, hosted, also=chosen)
    status = 200
    if request.method == "POST" and person.has_consent(Purpose.FOLLOWUP):
        form = LetOpForm(request.POST, places=places)
        if form.is_valid():
            try:
                services.raise_manual_signal(
                    person,
                    form.cleaned_data["place"],
                    form.cleaned_data["reason"],
                    acting_user=request.user,
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
    person, _places = _hosted_person(request, person_id, reading="absence form")
    status = 200
    if request.method == "POST" and person.has_consent(Purpose.FOLLOWUP):
        form = AbsenceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_absence(
                    person,
                    data["first_day"],
                    data["last_day"],
                    data["note"],
                    acting_user=request.user,
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
        form,
        status,
        heading=_("Announced absence"),
        lead=_(
            "Away for a while, and they told you so? Note when, so nobody worries about "
            "them meanwhile."
        ),
        form_id="absence",
    )


# --- At the door: "Wie weet hoe het met Jan gaat?" ---------------------------------------


def _door_thanks(answer: str, name: str, until) -> str:
    if answer == DoorAnswer.ALL_FINE:
        return _("Thank you: noted that %(name)s is doing fine.") % {"name": name}
    if answer == DoorAnswer.ILL:
        return _("Thank you: noted that %(name)s is ill. Nobody needs to worry for now.") % {
            "name": name
        }
    if answer == DoorAnswer.HOLIDAY:
        return _("Thank you: noted that %(name)s is on holiday until %(day)s.") % {
            "name": name,
            "day": date_format(until, "j F"),
        }
    if answer == DoorAnswer.MOVED:
        return _("Thank you: noted that %(name)s has moved.") % {"name": name}
    return _("Thank you. A coordinator will find out how %(name)s is doing.") % {"name": name}


def _holiday_page(request, session, signal, form, status=200):
    return render(
        request,
        "signals/door_holiday.html",
        {"session": session, "signal": signal, "name": signal.person.short_name, "form": form},
        status=status,
    )


def _refused_at_door(request, session, message):
    return render(
        request,
        "attendance/refused.html",
        {"message": message, "session": session},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def door_answer(request, session_id, pk):
    """A host's one tap on a first contact of the session's door, back to the screen with
    a thank-you. "Op vakantie" asks until when on a small page first (GET shows it)."""
    session = permissions.access_session_for_user(request.user, session_id)
    signal = permissions.access_door_signal_for_user(
        request.user, session, pk, reading=None if request.method == "POST" else "door holiday form"
    )
    if request.method == "GET":
        form = DoorAnswerForm(initial={"answer": DoorAnswer.HOLIDAY})
        return _holiday_page(request, session, signal, form)
    form = DoorAnswerForm(request.POST)
    if not form.is_valid():
        if request.POST.get("answer") == DoorAnswer.HOLIDAY:
            return _holiday_page(request, session, signal, form, status=400)
        unreadable = _("This tap could not be read; nothing was saved.")
        return _refused_at_door(request, session, unreadable)
    answer, until = form.cleaned_data["answer"], form.cleaned_data["until"]
    try:
        services.answer_at_door(signal, answer, until=until, acting_user=request.user)
    except ValidationError as error:
        if answer == DoorAnswer.HOLIDAY:
            form.add_error("until", error)
            return _holiday_page(request, session, signal, form, status=400)
        return _refused_at_door(request, session, " ".join(error.messages))
    messages.success(request, _door_thanks(answer, signal.person.short_name, until))
    # The screen offers "Ongedaan maken" for this answer, next to the thank-you.
    screen = reverse("attendance:check_in", args=[session.pk])
    return redirect(f"{screen}?beantwoord={signal.pk}#first-contacts")


@login_required
@require_http_methods(["POST"])
def door_undo(request, session_id, pk):
    """ "Ongedaan maken": a host takes their own answer back within a few minutes."""
    session = permissions.access_session_for_user(request.user, session_id)
    signal = permissions.access_door_signal_for_user(request.user, session, pk, answered=True)
    try:
        services.undo_door_answer(signal, acting_user=request.user)
    except ValidationError as error:
        return _refused_at_door(request, session, " ".join(error.messages))
    messages.success(
        request,
        _("Undone: the door is asked about %(name)s again.") % {"name": signal.person.short_name},
    )
    return redirect(f"{reverse('attendance:check_in', args=[session.pk])}#first-contacts")


# --- How to reach someone for follow-up --------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reach(request, person_id):
    """See and change how to reach a person: for those who follow them up only (404 for
    anyone else); the look is audit-logged, a change is audit-logged by the service."""
    write = request.method == "POST"
    person = permissions.access_reachable_person_for_user(request.user, person_id, write=write)
    status = 200
    if write:
        form = ReachForm(request.POST)
        if form.is_valid():
            try:
                people_services.set_followup_contact(
                    person,
                    phone=form.cleaned_data["phone"],
                    how_to_reach=form.cleaned_data["how_to_reach"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved how to reach %(name)s.") % {"name": person})
                return redirect(_back_from_reach(request, person))
        status = 400
    else:
        contact = getattr(person, "followup_contact", None)
        form = ReachForm(
            initial={
                "phone": contact.phone if contact else "",
                "how_to_reach": contact.how_to_reach if contact else "",
            }
        )
    return render(
        request,
        "signals/reach.html",
        {"person": person, "form": form, "back": _back_from_reach(request, person)},
        status=status,
    )


def _back_from_reach(request, person):
    """Back to the signal the user came from (``?signaal=``, if theirs), else the list."""
    try:
        signal = permissions.one_of(
            permissions.reachable_signals(request.user).filter(person=person),
            request.GET.get("signaal"),
        )
    except permissions.NotFound:
        return reverse("signals:list")
    return reverse("signals:detail", kwargs={"pk": signal.pk})
