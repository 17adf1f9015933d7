"""Logging in and out for hosts, coordinators and staff, the page each role starts on, and
the two-factor log-in (see two_factor.py)."""

import django_otp
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from omzien.accounts import passkeys, permissions, services, two_factor
from omzien.accounts.forms import AppCodeForm, CodeForm, DoorAuthenticationForm
from omzien.accounts.permissions import Capability


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = DoorAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Without a ``next``: straight to the start page of the user's role."""
        return resolve_url(start_page(self.request.user) or "accounts:start")

    def form_valid(self, form):
        """A right password logs in at once, unless the user has an authenticator app:
        then the code page asks for its code first."""
        user = form.get_user()
        if not two_factor.asks_second_step(user):
            return super().form_valid(form)
        two_factor.start_second_step(self.request, user, self.get_redirect_url())
        return redirect("accounts:two_factor_verify")


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


# --- Two-factor log-in ---------------------------------------------------------------------


def _safe_next(request, url: str) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def _onwards(request, next_url: str = ""):
    return redirect(_safe_next(request, next_url) or "accounts:start")


def _too_many_codes(request):
    minutes = two_factor.cool_off_seconds() // 60
    return render(request, "accounts/code_locked_out.html", {"minutes": minutes}, status=429)


@require_http_methods(["GET", "POST"])
def verify_code(request):
    """The second step: the code of the authenticator app (or a recovery code, used up)
    for the user who gave the right password a moment ago, or for a logged-in session
    that has not used the app yet (e.g. logged in at /beheer/login/)."""
    if request.user.is_authenticated:
        user, pending = request.user, False
        needed = two_factor.step_needed(user)
        if needed is None:
            return _onwards(request, request.GET.get("next", ""))
        if needed == two_factor.SETUP:
            return redirect("accounts:two_factor_setup")
    else:
        user, pending = two_factor.pending_user(request), True
        if user is None:
            return redirect("accounts:login")
    if two_factor.too_many_failures(user):
        if pending:
            two_factor.forget_second_step(request)
        return _too_many_codes(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.device_for_code(user, form.cleaned_data["code"])
        if device is not None:
            two_factor.forget_failures(user)
            next_url = request.session.get(two_factor.PENDING_NEXT, "") if pending else ""
            if pending:
                two_factor.forget_second_step(request)
                login(request, user, backend=user.backend)
            django_otp.login(request, device)
            return _onwards(request, next_url or request.GET.get("next", ""))
        two_factor.count_failure(user, request)
        if two_factor.too_many_failures(user):
            if pending:
                two_factor.forget_second_step(request)
            return _too_many_codes(request)
        form.add_error("code", _("This code is not right (or was used already). Try again."))
    has_passkey = two_factor.has_passkey(user)
    context = {
        "form": form,
        "has_app": two_factor.app_device(user) is not None,
        "passkey": has_passkey and passkeys.usable_here(request),
        "passkey_elsewhere": passkeys.where_usable()
        if has_passkey and not passkeys.usable_here(request)
        else "",
    }
    return render(request, "accounts/verify_code.html", context)


def _recovery_codes_page(request, codes, next_url: str = ""):
    context = {
        "codes": [two_factor.shown(code) for code in codes],
        "next": _safe_next(request, next_url) or resolve_url("accounts:start"),
    }
    return render(request, "accounts/recovery_codes.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def set_up(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a
    code; the recovery codes are shown once."""
    user = request.user
    if not permissions.may_use_two_factor(user):
        return render(request, "accounts/two_factor_not_for_door.html")
    if two_factor.step_needed(user) == two_factor.VERIFY:
        # Only a session that used the current app may replace it.
        return redirect("accounts:two_factor_verify")
    key = two_factor.setup_key(request.session)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.too_many_failures(user):
            return _too_many_codes(request)
        try:
            device, codes = services.set_up_app(
                acting_user=user, key_hex=key, code=form.cleaned_data["code"]
            )
        except services.WrongCode:
            two_factor.count_failure(user, request)
            form.add_error("code", _("This code is not right. Check the time on your phone."))
        else:
            request.session.pop(two_factor.SETUP_KEY, None)
            two_factor.forget_failures(user)
            django_otp.login(request, device)
            # The form posts to this address, ?next= and all: on to the page asked for.
            return _recovery_codes_page(request, codes, request.GET.get("next", ""))
    uri = two_factor.otpauth_uri(user, key)
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(uri),
        "secret": two_factor.secret_for_typing(key),
        "required": permissions.two_factor_required(user),
        "replacing": two_factor.app_device(user) is not None,
        **_passkey_context(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _passkey_context(request) -> dict:
    """The passkey section of the set-up and overview pages: the user's keys, whether a
    passkey works on this address (else where it does), and the page to go on to once
    one is added."""
    next_url = _safe_next(request, request.GET.get("next", ""))
    done = resolve_url("accounts:two_factor")
    return {
        "passkeys": list(two_factor.passkeys(request.user)),
        "passkey_usable_here": passkeys.usable_here(request),
        "passkey_where": passkeys.where_usable(),
        "passkey_done_url": f"{done}?{urlencode({'next': next_url})}" if next_url else done,
    }


@require_GET
@login_required
def overview(request):
    """The user's two-factor log-in: on or off, recovery codes left, what to do."""
    user = request.user
    if not permissions.may_use_two_factor(user):
        return render(request, "accounts/two_factor_not_for_door.html")
    next_url = _safe_next(request, request.GET.get("next", ""))
    context = {
        "active": two_factor.has_second_factor(user),
        "has_app": two_factor.app_device(user) is not None,
        "required": permissions.two_factor_required(user),
        "codes_left": two_factor.unused_recovery_codes(user),
        "next": next_url,
        **_passkey_context(request),
    }
    return render(request, "accounts/two_factor.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def remove_passkey(request):
    """GET: "Are you sure?" for ``?passkey=<id>`` (one of the user's own); POST: remove
    it. The last second step of a user whose role needs one is not removed."""
    if not permissions.may_use_two_factor(request.user):
        return render(request, "accounts/two_factor_not_for_door.html")
    source = request.POST if request.method == "POST" else request.GET
    if permissions.primary_key(source.get("passkey")) is None:
        return render(request, "accounts/passkey_remove.html", {"device": None}, status=400)
    device = services.own_passkey(request.user, source.get("passkey"))
    context = {"device": device, "allowed": services.may_remove_passkey(request.user, device)}
    if request.method == "GET":
        return render(request, "accounts/passkey_remove.html", context)
    try:
        services.remove_passkey(acting_user=request.user, passkey_id=device.pk)
    except services.LastSecondFactor:
        return render(request, "accounts/passkey_remove.html", context, status=409)
    messages.success(request, _("The key or passkey has been removed."))
    return redirect("accounts:two_factor")


@require_http_methods(["GET", "POST"])
@login_required
def recovery_codes(request):
    """New recovery codes (POST), shown once; the old ones stop working."""
    if not two_factor.has_second_factor(request.user):
        return redirect("accounts:two_factor_setup")
    if request.method == "POST":
        codes = services.regenerate_recovery_codes(acting_user=request.user)
        return _recovery_codes_page(request, codes)
    return render(request, "accounts/recovery_codes_new.html")


@require_http_methods(["GET", "POST"])
@login_required
def reset(request, user_id):
    """An administrator resets a user's two-factor log-in (a lost phone), after a
    confirmation; the audit log keeps who did it."""
    permissions.require(request.user, Capability.MANAGE_REGION)
    pk = permissions.primary_key(user_id)
    account = get_object_or_404(get_user_model(), pk=pk) if pk else None
    if account is None:
        raise permissions.NotFound
    if request.method == "POST":
        services.reset_two_factor(account, acting_user=request.user)
        messages.success(
            request,
            _("The two-factor log-in of %(user)s has been reset.") % {"user": account},
        )
        return redirect("admin:auth_user_change", account.pk)
    context = {"account": account, "active": two_factor.has_second_factor(account)}
    return render(request, "accounts/two_factor_reset.html", context)
