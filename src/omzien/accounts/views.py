"""Logging in and out for hosts, coordinators and staff (not the admin's log-in page)."""

from django.contrib.auth import views as auth_views

from omzien.accounts.forms import DoorAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = DoorAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule): a link or a prefetch cannot log anybody out."""
