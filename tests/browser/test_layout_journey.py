"""Every page of every demo role at 320, 360 and 1280 px: the layout holds on a phone.

The pages are the role × route matrix's (tests/requests/test_access_matrix.py), on its
world (tests/matrix_world.py): each GET route the role may open (a 200 cell), with the
world's ids. A new route joins this test when it joins the matrix. Each page is loaded
once per role (one browser, one context per role, logged in once), at 320 px; then the
same page is resized to 360 and 1280 px. At each width:

- no horizontal scroll: `document.scrollingElement.scrollWidth <= innerWidth` (a long
  word or URL wraps, a wide table scrolls inside its own box);
- on phones (320 and 360 px), the header with its folded menu takes at most 15 % of the
  first screen;
- every visible tap target (link, button, field, list, <summary>, the label of a checkbox
  or a radio button) is at least 44 × 44 px. Exempt, as WCAG 2.5.8 exempts them ("the
  target is in a sentence"): a link inside running text, i.e. an inline link whose
  paragraph (its nearest block) holds other words than its own. A checkbox or a radio
  button counts by its label, which is what a finger taps;
- axe-core (wcag2a, wcag2aa, wcag21aa): no serious or critical violation. At 320 px the
  automatic check on load (tests/browser/conftest.py) runs these rules; at 360 px and
  at 1280 px (past site.css's one breakpoint, 48rem, where the menu opens) they all run
  again on the resized page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.a11y import WCAG_AA, blocking_violations, check_a11y, describe
from tests.browser.steps import open_menu
from tests.matrix_world import build_world, user_for
from tests.requests.test_access_matrix import MATRIX

pytestmark = pytest.mark.e2e

# The demo roles (ideation/seed.py): a visitor, a tenant, a landlord's staff member, a
# facilitator, a landlord manager ("bailleur") and an administrator.
ROLES = ["visitor", "tenant", "staff", "facilitator", "bailleur", "admin"]
# Routes that answer something else than a page (files, JSON, images).
NOT_PAGES = {
    "main.health",
    "main.readiness",
    "voting.download",
    "privacy.export",
    "dashboard.export",
    "pages.robots",
    "photos.serve",
    "workshops.calendar",
}
WIDTHS = [(320, 568), (360, 740), (1280, 900)]
PHONE_WIDTHS = {320, 360}
MENU_SHARE = 0.15
BREAKPOINT = 768  # px: 48rem, site.css's one breakpoint
LAYOUT_RULES = ["color-contrast", "scrollable-region-focusable"]
TAP = 44

# The measures taken in the page, in one call per width.
MEASURE = """(TAP) => {
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display === "inline") node = node.parentElement;
    return node;
  };
  // WCAG 2.5.8's inline exception: a link in a sentence, sized by the line's text.
  const inSentence = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    const block = blockOf(el);
    if (!block) return false;
    const own = el.textContent.replace(/\\s+/g, "");
    const all = block.textContent.replace(/\\s+/g, "");
    return all.length > own.length;
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return null;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return null;  // hidden, or visually hidden
    if (r.bottom + window.scrollY <= 0 || r.right + window.scrollX <= 0) return null;  // skip link
    return r;
  };
  const name = (el) => {
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || el.name || "")
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${text}"`;
  };
  const small = [];
  const targets = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, label"
  );
  for (const el of targets) {
    if (el.tagName === "LABEL") {
      const control = el.control;
      if (!control || !["checkbox", "radio"].includes(control.type)) continue;
    }
    if (el.tagName === "INPUT" && ["checkbox", "radio"].includes(el.type)) {
      // Counted by its label (above); a bare one counts by itself.
      if (el.labels && el.labels.length) continue;
    }
    const r = shown(el);
    if (!r || inSentence(el)) continue;
    if (r.width < TAP - 0.5 || r.height < TAP - 0.5) {
      small.push(`${name(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  const header = document.querySelector(".site-header").getBoundingClientRect();
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    width: window.innerWidth,
    height: window.innerHeight,
    header: header.height,
    small: small,
  };
}"""


def pages_of(role: str, world: dict) -> list[tuple[str, str]]:
    """(endpoint, path) of every page the role may open, from the access matrix."""
    found = []
    for endpoint, (path_of, cells) in MATRIX.items():
        if endpoint.split(":")[0] in NOT_PAGES or cells[role] != 200:
            continue
        found.append((endpoint, path_of(world)))
    return found


def layout_failures(page, label: str, width: int) -> list[str]:
    m = page.evaluate(MEASURE, TAP)
    failures = []
    if m["scrollWidth"] > m["width"]:
        failures.append(f"{label}: scrolls sideways ({m['scrollWidth']} px wide)")
    if width in PHONE_WIDTHS and m["header"] > MENU_SHARE * m["height"]:
        failures.append(
            f"{label}: the header takes {m['header']:.0f} px, "
            f"more than {MENU_SHARE:.0%} of {m['height']} px"
        )
    if m["small"]:
        failures.append(f"{label}: tap targets under {TAP} px: " + "; ".join(m["small"][:8]))
    return failures


@pytest.mark.parametrize("role", ROLES)
def test_every_page_holds_on_a_phone(browser, live_server, db, role, sign_in):
    world = build_world()
    user = user_for(role, world)
    db.session.commit()
    width, height = WIDTHS[0]
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": height},
        bypass_csp=True,
        locale="fr-FR",
    )
    context._fabrique_axe_tags = WCAG_AA  # the automatic check on load (conftest.py)
    page = context.new_page()
    page.set_default_timeout(10_000)
    if user is not None:
        sign_in(page, user.email)
    failures: list[str] = []
    pages = pages_of(role, world)
    assert len(pages) >= 15, pages
    for endpoint, path in pages:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{endpoint} {path}"
        assert "text/html" in response.headers.get("content-type", ""), (
            f"{endpoint} is not a page: add it to NOT_PAGES"
        )
        for w, h in WIDTHS:
            label = f"{role} {path} at {w} px"
            if w != width:
                page.set_viewport_size({"width": w, "height": h})
                violations = blocking_violations(page, WCAG_AA)
                if violations:
                    failures.append(describe(violations, label))
            failures += layout_failures(page, label, w)
    context.close()
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)


def test_the_folded_menu_works_without_javascript_and_by_keyboard(browser, live_server, db):
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 740},
        java_script_enabled=False,
        locale="fr-FR",
    )
    page = context.new_page()
    page.goto("/")
    challenges = page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Défis"
    )
    expect(challenges).to_be_hidden()
    # Tab: the skip link, the brand, then the menu's button; Enter opens it.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    expect(challenges).to_be_visible()
    challenges.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/defis")
    # Still folded on the next page, and Space opens it too.
    page.locator("details.menu > summary").focus()
    page.keyboard.press(" ")
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()
    context.close()


@pytest.mark.parametrize("width, opened", [(360, False), (1280, True)])
def test_the_menu_is_open_on_wide_screens_only(browser, live_server, db, width, opened):
    context = browser.new_context(
        base_url=live_server, viewport={"width": width, "height": 800}, locale="fr-FR"
    )
    page = context.new_page()
    page.goto("/")
    assert page.locator("details.menu").evaluate("menu => menu.open") is opened
    assert page.get_by_role("link", name="Innovations").is_visible() is opened
    if not opened:
        open_menu(page)
        expect(page.get_by_role("link", name="Innovations")).to_be_visible()
        check_a11y(page, "the menu opened on a phone")
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    context.close()
