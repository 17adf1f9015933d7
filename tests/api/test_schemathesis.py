"""Schemathesis against the API (the running app, through its WSGI application): every
operation of the OpenAPI schema, anonymously and with every role's token. No answer is
a 500, and every answer conforms to the schema: its status code is documented, its
content type and body are as the schema says.

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
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as failure:
            failure.add_note(f"with the token of: {role or 'nobody (anonymous)'}")
            raise
