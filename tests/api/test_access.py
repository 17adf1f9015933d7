"""Every API endpoint, called with each role's token: the answer follows the role table.

The API's counterpart of tests/accounts/test_url_access.py, in the same world (one user
per role, De Benring's session, person and signal). `ENDPOINTS` says what each operation
needs; what each role may do is read off `accounts.permissions.ROLE_TABLE`. An operation
of the OpenAPI schema without an entry fails `test_every_endpoint_has_an_entry`.

The answers: allowed is 200 (or a 400 for a refused choice); no token is 401; a role
without the capability gets 403 for an endpoint that names no object, and for one that
names an object out of reach 404, the same as for an object that does not exist.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern

from omzien.accounts import permissions
from omzien.accounts.permissions import Capability
from omzien.api.endpoints import api
from omzien.api.models import AccessToken
from omzien.attendance.models import Visit
from tests.accounts.test_url_access import ROLES, every_url, world  # noqa: F401 (fixture)
from tests.api.helpers import bearer, token_for

C = Capability
PUBLIC, TOKEN = "public", "token"


@dataclass(frozen=True)
class Endpoint:
    needs: tuple | str  # capabilities (any of them), PUBLIC, or TOKEN (any valid token)
    at: str | None = None  # the object the path names
    body: dict = field(default_factory=dict)  # values "person": the world's
    # How a user with the capability elsewhere, or without it anywhere, is refused.
    writes: bool = False


ENDPOINTS: dict[tuple[str, str], Endpoint] = {
    ("GET", "/api/v1/villages"): Endpoint(PUBLIC),
    ("GET", "/api/v1/places"): Endpoint(PUBLIC),
    ("GET", "/api/v1/activities"): Endpoint(PUBLIC),
    ("GET", "/api/v1/sessions"): Endpoint(PUBLIC),
    ("GET", "/api/v1/agenda"): Endpoint(PUBLIC),
    ("GET", "/api/v1/me"): Endpoint(TOKEN),
    ("GET", "/api/v1/door/sessions"): Endpoint((C.DOOR,)),
    ("GET", "/api/v1/door/sessions/{session_id}/people"): Endpoint((C.DOOR,), at="session"),
    ("POST", "/api/v1/door/sessions/{session_id}/check-ins"): Endpoint(
        (C.DOOR,), at="session", body={"person": "person"}, writes=True
    ),
    ("DELETE", "/api/v1/door/sessions/{session_id}/check-ins/{person_id}"): Endpoint(
        (C.DOOR,), at="session", writes=True
    ),
    ("POST", "/api/v1/door/sessions/{session_id}/anonymous"): Endpoint(
        (C.DOOR,), at="session", writes=True
    ),
    ("GET", "/api/v1/signals"): Endpoint((C.FOLLOW_UP,)),
    ("GET", "/api/v1/figures/report"): Endpoint((C.FIGURES, C.AGGREGATES)),
    # Exact figures of free ranges: not for viewers (as the overview page).
    ("GET", "/api/v1/figures/overview"): Endpoint((C.FIGURES,)),
}

# The API's URLs that are no operation: its root (a 404 problem), schema, docs page, and
# the 404 for every other address.
NOT_OPERATIONS = {"api:api-root", "api:openapi-json", "api:openapi-view", "api:not_found"}


def operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method.upper(), path


def test_every_endpoint_has_an_entry():
    found = set(operations())
    assert not sorted(found - set(ENDPOINTS)), "endpoints without an entry in ENDPOINTS"
    assert not sorted(set(ENDPOINTS) - found), "entries for endpoints that no longer exist"


def test_every_api_url_is_an_operation_or_known():
    names = {key for key, _route, pattern in every_url(api=True) if key.startswith("api:")}
    routes = {
        key
        for key, _route, pattern in every_url(api=True)
        if isinstance(pattern, URLPattern) and key.startswith("api:")
    }
    assert names == routes
    # ninja names each path after its first view; everything else must be known.
    view_names = {f"api:{operation.view_func.__name__}" for operation in _all_operations()}
    assert names - view_names <= NOT_OPERATIONS, names - view_names - NOT_OPERATIONS


def _all_operations():
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def expected(endpoint: Endpoint, user, place) -> int:
    if endpoint.needs == PUBLIC:
        return 200
    if user is None:
        return 401
    if endpoint.needs == TOKEN:
        return 200
    if endpoint.at is None:
        return 200 if any(permissions.can(user, c) for c in endpoint.needs) else 403
    return 200 if any(permissions.can(user, c, place) for c in endpoint.needs) else 404


def _url(path: str, objects, missing=False) -> str:
    shift = 100_000 if missing else 0
    return path.format(session_id=objects["session"].pk + shift, person_id=objects["person"].pk)


def _call(client, method, url, body, secret):
    headers = bearer(secret) if secret else {}
    if method == "GET":
        return client.get(url, **headers)
    send = getattr(client, method.lower())
    return send(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("key", sorted(ENDPOINTS))
def test_each_role_gets_what_the_table_allows(key, world, client):  # noqa: F811
    users, objects = world
    method, path = key
    endpoint = ENDPOINTS[key]
    body = {
        name: objects[value].pk if value in objects else value
        for name, value in endpoint.body.items()
    }
    outcomes = {}
    for role in ROLES:
        user = users.get(role)
        secret = token_for(user, name=role)[1] if user is not None else None
        if user is not None:
            permissions.forget_cached_memberships(user)
        got = _call(client, method, _url(path, objects), body, secret).status_code
        want = expected(endpoint, user, objects["place"])
        if endpoint.at and want == 404:
            missing = _call(client, method, _url(path, objects, True), body, secret)
            if missing.status_code != got:
                got = f"{got}, but {missing.status_code} when missing"
        outcomes[role] = (got, want)
    wrong = {role: outcome for role, outcome in outcomes.items() if outcome[0] != outcome[1]}
    assert not wrong, f"{method} {path}: (answer, expected) per role: {wrong}"


@pytest.mark.parametrize("key", sorted(key for key, e in ENDPOINTS.items() if e.writes))
def test_read_only_tokens_change_nothing(key, world, client):  # noqa: F811
    users, objects = world
    method, path = key
    endpoint = ENDPOINTS[key]
    body = {name: objects[value].pk for name, value in endpoint.body.items()}
    visits = sorted(Visit.objects.values_list("pk", flat=True))
    for role in ("host", "coordinator", "administrator"):
        secret = token_for(users[role], scope=AccessToken.Scope.READ, name=role)[1]
        answer = _call(client, method, _url(path, objects), body, secret)
        assert answer.status_code == 403, (role, answer.content)
    assert sorted(Visit.objects.values_list("pk", flat=True)) == visits
