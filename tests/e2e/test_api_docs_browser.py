"""The API's docs page (Swagger UI, from ninja's own static files) in a real browser
under the site's strict CSP: it draws the operations, loads nothing from elsewhere and
has no console error (a CSP violation is one)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]


def test_the_docs_page_works_under_the_csp(transactional_db, live_server, page, browser_problems):
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Omzien API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert browser_problems == []
