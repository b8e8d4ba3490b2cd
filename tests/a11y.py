"""axe-core checks for browser tests (bundled by axe-playwright-python, no network)."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Error

BLOCKING = {"serious", "critical"}
# The WCAG 2.1 A and AA rules, the bar of the accessibility statement (RGAA 4.1 maps onto them).
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21aa"]
# Explicit calls made by the tests (the automatic checks on load are counted apart, in
# tests/browser/conftest.py).
EXPLICIT = {"calls": 0}
# What Playwright says when a page navigates while axe-core runs in it: a check made
# right after a click that follows a link, or an on-load check of a page the test was
# already leaving. Counted, and reported at the end of the browser tests.
LEFT_MIDWAY = re.compile(
    r"Execution context was destroyed|reading 'documentElement'|navigat", re.IGNORECASE
)
SUPERSEDED = {"count": 0}
_SCRIPT: list[str] = []


def _axe_script() -> str:
    if not _SCRIPT:
        from axe_playwright_python.sync_playwright import Axe

        _SCRIPT.append(Axe().axe_script)
    return _SCRIPT[0]


def blocking_violations(
    page, tags: list[str] | None = None, rules: list[str] | None = None, context: object = None
) -> list[dict]:
    """The serious and critical axe-core violations of the page as it is now.

    When the page navigates midway, the document that replaced it is checked once it has
    loaded: the test's next steps act on that one."""
    try:
        return _run_axe(page, tags, rules, context)
    except Error as error:
        if not LEFT_MIDWAY.search(str(error)):
            raise
        SUPERSEDED["count"] += 1
        page.wait_for_load_state("load")
        return _run_axe(page, tags, rules, context)


def _run_axe(page, tags: list[str] | None, rules: list[str] | None, context: object) -> list[dict]:
    """axe-core is injected once per document (a resized page is checked again without
    parsing the 500 kB script a second time)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_script())
    options: dict = {"resultTypes": ["violations"]}
    if tags:
        options["runOnly"] = {"type": "tag", "values": tags}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    where = json.dumps(context) if context is not None else "document"
    response = page.evaluate(f"axe.run({where}, {json.dumps(options)})")
    return [v for v in response["violations"] if v.get("impact") in BLOCKING]


def describe(violations: list[dict], label: str) -> str:
    lines = [f"axe-core on {label}:"]
    for v in violations:
        targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} → {targets}")
    return "\n".join(lines)


def check_a11y(page, label: str = "", count: bool = True, tags: list[str] | None = None) -> None:
    """Fail on any serious or critical axe-core violation of the current page (every rule,
    or only those of `tags`)."""
    if count:
        EXPLICIT["calls"] += 1
    violations = blocking_violations(page, tags)
    if violations:
        raise AssertionError(describe(violations, label or page.url))
