"""Logging in and out for hosts, coordinators and staff, and the page each role starts on."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_GET

from omzien.accounts import permissions
from omzien.accounts.forms import DoorAuthenticationForm
from omzien.accounts.permissions import Capability


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = DoorAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Without a ``next``: straight to the start page of the user's role."""
        return resolve_url(start_page(self.request.user) or "accounts:start")


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule): a link or a prefetch cannot log anybody out."""


def start_page(user) -> str | None:
    """The URL name of the page a user starts on: the main page their role may use."""
    if permissions.can(user, Capability.DOOR):
        return "attendance:door"
    if permissions.may_start_follow_up(user):
        return "signals:list"
    if permissions.can(user, Capability.FIGURES):
        return "reports:overview"
    if permissions.can(user, Capability.AGGREGATES):
        return "reports:impact"  # viewers read the report, not the overview of free ranges
    if permissions.may_use_admin(user):
        return "admin:index"
    return None


@require_GET
@login_required
def start(request):
    """After logging in: on to the user's start page, or a word on why there is none."""
    page = start_page(request.user)
    if page is not None:
        return redirect(page)
    return render(request, "accounts/no_role.html")
