"""The user's own API tokens: the list, making one (its secret shown once) and revoking
one after a confirmation. Writes go through `api.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from omzien.accounts import permissions
from omzien.api import services
from omzien.api.forms import TokenForm


def _list(request, form, status=200, secret=None):
    context = {
        "tokens": services.tokens_of(request.user),
        "form": form,
        "secret": secret,
    }
    return render(request, "api/tokens.html", context, status=status)


@require_GET
@login_required
def tokens(request):
    return _list(request, TokenForm())


@require_POST
@login_required
def create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _list(request, form, status=400)
    try:
        _token, secret = services.create_token(
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"],
            acting_user=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _list(request, form, status=400)
    # Shown on this answer only: the database keeps its hash.
    return _list(request, TokenForm(), secret=secret)


@require_http_methods(["GET", "POST"])
@login_required
def revoke(request):
    """GET: "Are you sure?" for ``?sleutel=<id>``; POST: revoke it."""
    source = request.POST if request.method == "POST" else request.GET
    token_id = permissions.primary_key(source.get("sleutel"))
    if token_id is None:
        # bandit B105 below: "token" is the page's token object (none here), not a password
        return render(request, "api/revoke.html", {"token": None}, status=400)  # nosec B105
    token = services.access_own_token(request.user, token_id)
    if request.method == "GET":
        return render(request, "api/revoke.html", {"token": token})
    if services.revoke_token(token, acting_user=request.user):
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
