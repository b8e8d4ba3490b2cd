"""axe-core checks for browser tests (bundled by axe-playwright-python, no network)."""

from __future__ import annotations

BLOCKING = {"serious", "critical"}
# Explicit calls made by the tests (the automatic checks on load are counted apart, in
# tests/browser/conftest.py).
EXPLICIT = {"calls": 0}


def check_a11y(page, label: str = "", count: bool = True) -> None:
    """Fail on any serious or critical axe-core violation of the current page."""
    if count:
        EXPLICIT["calls"] += 1
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    if violations:
        lines = [f"axe-core on {label or page.url}:"]
        for v in violations:
            targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} → {targets}")
        raise AssertionError("\n".join(lines))
