"""A coordinator merges a duplicate visitor on a tablet (Debian chromium): find the pair,
compare, choose the record to keep, confirm, see the result, and undo it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from omzien.accounts.models import Role
from omzien.attendance.models import Visit
from omzien.people.models import Person
from tests import factories
from tests.attendance import door
from tests.e2e.browser import CHROMIUM, CHROMIUM_MISSING

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
]

PASSWORD = "omzien-test"  # tests.factories.UserFactory's password
TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def duplicates(transactional_db, benring):
    """Cora coordinates De Benring, where Jannie Kamphuis came twice and, typed by a host
    as "Janie", once more."""
    factories.MembershipFactory(user__username="cora", role=Role.COORDINATOR, place=benring)
    jannie = door.person("Jannie", "Kamphuis", place=benring, followup=True)
    janie = door.person("Janie", "Kamphuis", place=benring)
    door.person("Gerrit", "Bos", place=benring)
    activity = door.daily_activity(benring)
    today = timezone.localdate()
    for days_ago, who in ((14, jannie), (7, jannie), (1, janie)):
        session = door.session_on(activity, today - timedelta(days=days_ago))
        factories.VisitFactory(session=session, person=who)
    return jannie, janie


def serious_accessibility_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_coordinator_merges_two_records_and_undoes_it(
    page, live_server, duplicates, browser_problems, artifacts_dir
):
    jannie, janie = duplicates
    page.set_viewport_size(TABLET)
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("#id_username", "cora")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")

    # The menu leads to the pair.
    page.get_by_role("link", name="Dubbele bezoekers").click()
    pair = page.locator("#pairs .pair")
    expect(pair).to_have_count(1)
    expect(pair).to_contain_text("Jannie Kamphuis")
    expect(pair).to_contain_text("Janie Kamphuis")
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=artifacts_dir / "merge-pairs.png", full_page=True)

    # Side by side: Jannie has two visits, Janie one; keep Jannie.
    pair.get_by_role("link").click()
    expect(page.locator(f"#record-{jannie.pk} .visit-count")).to_have_text("2")
    expect(page.locator(f"#record-{janie.pk} .visit-count")).to_have_text("1")
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=artifacts_dir / "merge-compare.png", full_page=True)
    page.click(f"#keep-{jannie.pk}")

    # Asked first; nothing has changed yet.
    expect(page.locator("#confirm-merge")).to_contain_text("Janie Kamphuis")
    assert Person.objects.filter(pk=janie.pk).exists()
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=artifacts_dir / "merge-confirm.png", full_page=True)
    page.click("#confirm-merge-button")

    # The result: one record with three visits, and an undo button for a day.
    expect(page.locator("#door-messages")).to_contain_text("Samengevoegd")
    expect(page.locator("#no-pairs")).to_be_visible()
    assert not Person.objects.filter(pk=janie.pk).exists()
    assert Visit.objects.filter(person=jannie).count() == 3
    undo = page.locator("#recent-merges button")
    expect(undo).to_have_count(1)
    page.screenshot(path=artifacts_dir / "merge-done.png", full_page=True)

    undo.click()
    expect(page.locator("#door-messages")).to_contain_text("Ongedaan gemaakt")
    expect(page.locator("#pairs .pair")).to_have_count(1)
    assert Visit.objects.filter(person_id=janie.pk).count() == 1
    assert Visit.objects.filter(person=jannie).count() == 2
    assert browser_problems == []
