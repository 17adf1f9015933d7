"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

No downloaded browser is needed: the launch arguments point Playwright at
/usr/bin/chromium, and every browser test is skipped, with the reason, when that is
missing (install it with `apt-get install -y chromium`).
"""

import os
import re
from pathlib import Path

import pytest

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_MISSING

# Playwright's sync API runs an event loop in the main thread for the whole session, and
# Django refuses ORM calls from a thread with a running loop. The loop is Playwright's
# and the ORM calls (fixtures, teardown) are plain synchronous code, so this is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, with Debian's chromium instead of a download."""
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """An English browser on purpose: the site must stay Dutch until someone chooses."""
    return {
        **browser_context_args,
        "locale": "en-US",
        "timezone_id": "Europe/Amsterdam",
        "viewport": {"width": 1024, "height": 768},
    }


# Any address that is not this machine (the live server).
ELSEWHERE = re.compile(r"^(https?|wss?)://(?!(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/)")


@pytest.fixture(autouse=True)
def _nothing_from_elsewhere(request):
    """No browser test reaches the internet (map tiles, above all): the browser's
    requests to other hosts are aborted. A test may route them itself (later routes go
    first), as tests/e2e/test_map_browser.py does to see what was asked."""
    if "context" in request.fixturenames:
        request.getfixturevalue("context").route(ELSEWHERE, lambda route: route.abort())


@pytest.fixture
def artifacts_dir(pytestconfig) -> Path:
    """test-artifacts/ at the repository root, for screenshots to look at after a run."""
    folder = pytestconfig.rootpath / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def browser_problems(page) -> list[str]:
    """Console errors (CSP violations among them), uncaught errors and failed requests.

    Listens from the page's first navigation on; a test asserts the list stays empty.
    """
    problems: list[str] = []

    def on_console(message):
        if message.type in {"error", "assert"}:
            problems.append(f"console {message.type}: {message.text} ({message.location})")

    def on_response(response):
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught error: {error}"))

    def on_request_failed(request):
        # ERR_ABORTED is the browser dropping a request of a page it navigated away from
        # (a form sent before the favicon came); requests to other hosts are aborted by
        # _nothing_from_elsewhere with ERR_FAILED and still count.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"request failed: {request.url} ({request.failure})")

    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    return problems
