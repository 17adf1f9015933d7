"""Schemathesis against the API (the running app, through its WSGI application): every
operation of the OpenAPI schema, anonymously and with every role's token. No answer is
a 500, and every answer conforms to the schema: its status code is documented, its
content type and body are as the schema says. Then again with the world's real ids in
the parameters that name a session, person, place or village, where every operation must
also reach its success path (a 2xx for at least one role).

Kept short for CI (it runs on SQLite and PostgreSQL): a few examples per operation,
derandomised, so a run is the same every time. The world is De Benring's from the
pages' access test, committed (``transactional_db``) since the WSGI application opens
its own requests as a server does.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.accounts.test_url_access import ROLES
from tests.accounts.test_url_access import world as _world  # noqa: F401 (fixture)
from tests.api.helpers import token_for

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def secrets(transactional_db, settings, _world):  # noqa: F811
    """A read-and-write token per role (None: anonymous); no rate limit in the way."""
    settings.OMZIEN_API_TOKEN_RATE = settings.OMZIEN_API_ANONYMOUS_RATE = 10**9
    users, _objects = _world
    return {role: token_for(users[role], name=role)[1] if role in users else None for role in ROLES}


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_with_every_role(case, secrets):
    for role, secret in secrets.items():
        call_and_validate_as(case, role, secret)


def call_and_validate_as(case, role, secret):
    """The case with the role's token (none: anonymous), checked; a failure names the role."""
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    try:
        return case.call_and_validate(headers=headers, checks=CHECKS)
    except Exception as failure:
        failure.add_note(f"with the token of: {role or 'nobody (anonymous)'}")
        raise


def world_ids(objects) -> dict:
    """The world's real ids and slugs, by the name of the parameter that takes them."""
    return {
        "session_id": objects["session"].pk,
        "person_id": objects["person"].pk,
        "person": objects["person"].pk,
        "place": objects["place"].slug,
        "plek": objects["place"].slug,
        "village": objects["village"].slug,
    }


def with_world_ids(case, ids: dict) -> None:
    """The case with the world's ids wherever a parameter names one, and its other
    query parameters left to their defaults: random ids and dates seldom name anything
    that exists, so without this the success paths would hardly be reached."""
    if case.path_parameters:
        case.path_parameters = {
            name: ids.get(name, value) for name, value in case.path_parameters.items()
        }
    if case.query:
        case.query = {name: ids[name] for name in case.query if name in ids}
    if isinstance(case.body, dict) and "person" in case.body:
        case.body = {**case.body, "person": ids["person"]}


@pytest.fixture
def world_secrets(secrets, _world):  # noqa: F811
    """The tokens, the world's ids, and the roles that reached a 2xx answer: once the
    operation's examples have run (hypothesis keeps this fixture for all of them), at
    least one role must have."""
    _users, objects = _world
    succeeded = []
    yield secrets, world_ids(objects), succeeded
    assert succeeded, "no role reached a 2xx answer with the world's ids"


@schema.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_reaches_its_success_path_with_real_ids(case, world_secrets):
    """With the world's session, person and place, every operation answers 2xx to at
    least one role (the fixture checks), and conforms to the schema for every role."""
    secrets, ids, succeeded = world_secrets
    with_world_ids(case, ids)
    for role, secret in secrets.items():
        response = call_and_validate_as(case, role, secret)
        if response.status_code < 300:
            succeeded.append(role)
