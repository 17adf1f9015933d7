"""axe-core in the browser tests: a page passes when axe finds no serious or critical
violation. axe-playwright-python bundles axe-core, so nothing is fetched at run time.

Use it on any page a test has open::

    from tests.e2e.accessibility import assert_no_serious_axe_violations

    page.goto(url)
    assert_no_serious_axe_violations(page)

``known`` names rule ids to pass over on that page, each with a reason in a comment,
until the page is fixed.
"""

from collections.abc import Iterable

from axe_playwright_python.sync_playwright import Axe

FAILING_IMPACTS = frozenset({"serious", "critical"})
# axe's default rules, plus one it still calls experimental: a control's accessible name
# must contain its visible text (WCAG 2.5.3), or speech users cannot say what they see.
OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}

_axe = Axe()


def serious_axe_violations(page, *, known: Iterable[str] = ()) -> list[dict]:
    """axe's serious and critical violations on the page as it is now, without the
    rules in ``known``."""
    known = set(known)
    violations = _axe.run(page, options=OPTIONS).response["violations"]
    return [v for v in violations if v["impact"] in FAILING_IMPACTS and v["id"] not in known]


def describe(violations: list[dict]) -> str:
    """Rule id, impact, what it asks and the nodes it concerns, one block per rule."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            lines.append(f"    {target}: {node['html'][:160]}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(page, *, known: Iterable[str] = ()) -> None:
    violations = serious_axe_violations(page, known=known)
    assert not violations, f"axe on {page.url}:\n{describe(violations)}"
