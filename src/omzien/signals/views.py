"""Follow-up pages: the open signals of one's places, and one signal with its log.

Coordinators see their places, professionals and administrators all; hosts and viewers
get 403. Every page that shows people is audit-logged.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from omzien.accounts import permissions
from omzien.accounts.models import Role
from omzien.audit.services import record_view
from omzien.signals import services
from omzien.signals.forms import AssignForm, CloseForm, ContactForm, SnoozeForm
from omzien.signals.models import Signal


def _require_overview(user):
    if not permissions.may_act_as(user, permissions.OVERVIEW_ROLES):
        raise PermissionDenied


@login_required
def signal_list(request):
    _require_overview(request.user)
    signals = list(
        services.visible_signals(request.user)
        .active()
        .select_related("person", "place", "assigned_to")
        .by_urgency()
    )
    record_view(request.user, "signal list", detail=f"{len(signals)} signals")
    return render(request, "signals/list.html", {"signals": signals})


def _assignable_users(signal):
    place_roles = Q(
        memberships__place=signal.place, memberships__role__in=[Role.HOST, Role.COORDINATOR]
    )
    regional = Q(
        memberships__place__isnull=True, memberships__role__in=[Role.PROFESSIONAL, Role.ADMIN]
    )
    return get_user_model().objects.filter(is_active=True).filter(place_roles | regional).distinct()


@login_required
@require_http_methods(["GET", "POST"])
def signal_detail(request, pk):
    signal = get_object_or_404(Signal.objects.select_related("person", "place"), pk=pk)
    if not services.can_follow_up(request.user, signal):
        raise PermissionDenied
    users = _assignable_users(signal)
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
