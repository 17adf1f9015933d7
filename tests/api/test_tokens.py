"""Personal access tokens: stored hashed, expiry, revoking, scope, and their pages."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from omzien.accounts.permissions import NotFound
from omzien.api import services
from omzien.api.models import AccessToken
from tests.api.helpers import bearer, token_for


def test_only_the_hash_is_stored(host_benring):
    token, secret = token_for(host_benring)
    assert secret.startswith(f"omz_{token.prefix}_")
    assert secret not in token.secret_hash
    assert token.secret_hash == services.hash_secret(secret)
    assert services.token_for_secret(secret) == token


def test_bad_choices_are_refused(host_benring):
    with pytest.raises(ValidationError):
        token_for(host_benring, days=10_000)
    with pytest.raises(ValidationError):
        token_for(host_benring, scope="admin")
    with pytest.raises(ValidationError):
        token_for(host_benring, name="  ")
    assert not AccessToken.objects.exists()


def test_expiry(host_benring):
    token, secret = token_for(host_benring, days=30)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert services.token_for_secret(secret) is None
    assert services.token_for_secret(secret) == token


def test_a_user_revokes_only_their_own(host_benring, coordinator_trefpunt):
    token, secret = token_for(host_benring)
    with pytest.raises(NotFound):
        services.revoke_token(token, acting_user=coordinator_trefpunt)
    assert services.revoke_token(token, acting_user=host_benring) is True
    assert services.revoke_token(token, acting_user=host_benring) is False
    assert services.token_for_secret(secret) is None


def test_last_used_is_written_at_most_once_a_minute(host_benring):
    token, secret = token_for(host_benring)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.token_for_secret(secret)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        services.token_for_secret(secret)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        services.token_for_secret(secret)
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)


def test_an_inactive_owner_token_is_refused(host_benring):
    _token, secret = token_for(host_benring)
    host_benring.is_active = False
    host_benring.save()
    assert services.token_for_secret(secret) is None


def test_the_pages_make_show_once_and_revoke(client, host_benring):
    client.force_login(host_benring)
    assert "API" in client.get("/start/", follow=True).content.decode()
    made = client.post(
        "/api-sleutels/nieuw/", {"name": "Tablet", "scope": "read-write", "days": "90"}
    )
    assert made.status_code == 200
    token = AccessToken.objects.get(owner=host_benring)
    secret = made.context["secret"]
    assert secret.startswith("omz_") and secret.encode() in made.content
    listed = client.get("/api-sleutels/")
    assert secret.encode() not in listed.content and token.prefix.encode() in listed.content
    confirm = client.get(f"/api-sleutels/intrekken/?sleutel={token.pk}")
    assert confirm.status_code == 200 and b"revoke-submit" in confirm.content
    token.refresh_from_db()
    assert token.revoked_at is None  # asking is not revoking
    client.post("/api-sleutels/intrekken/", {"sleutel": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_the_pages_refuse_someone_elses_token(client, host_benring, coordinator_trefpunt):
    token, _secret = token_for(host_benring)
    client.force_login(coordinator_trefpunt)
    assert client.get(f"/api-sleutels/intrekken/?sleutel={token.pk}").status_code == 404
    assert client.post("/api-sleutels/intrekken/", {"sleutel": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_bad_form_is_400_and_makes_nothing(client, host_benring):
    client.force_login(host_benring)
    answer = client.post("/api-sleutels/nieuw/", {"name": "", "scope": "x", "days": "7"})
    assert answer.status_code == 400
    assert not AccessToken.objects.exists()
