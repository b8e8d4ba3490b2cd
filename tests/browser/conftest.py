"""axe-core on every page a browser journey loads, without anyone having to call it.

Every browser context a test opens (the `page` fixture's and the ones a test builds
itself, the no-JavaScript vote included) is watched: each "load" of a page marks it as
waiting for a check, and the check runs before the test's next Playwright call on any
page, locator, keyboard or mouse (and before a context closes). So the page is checked
as it loaded, before the test changes it, and nothing races with the test's own steps.
Explicit `check_a11y` calls stay useful for states reached after a load (a dragged
card, an open menu).

Pages without JavaScript cannot run axe-core themselves (its timers never fire): their
HTML, as loaded, is checked in a JavaScript-enabled page with the scripts removed and
the <noscript> content shown, which is what such a browser displays.

At the end of each test, every load must have been checked; `FABRIQUE_AXE_EVERY_LOAD=0`
turns the automatic checks off (the loads are still counted, to measure coverage).
"""

from __future__ import annotations

import functools
import os
import re
from html import escape

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ElementHandle,
    Frame,
    Keyboard,
    Locator,
    Mouse,
    Page,
)

from tests import a11y

AUTO = os.environ.get("FABRIQUE_AXE_EVERY_LOAD", "1") != "0"
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_NOSCRIPT = re.compile(r"<(/?)noscript\b", re.IGNORECASE)
# Calls that only read the watcher's own state, or that the check itself makes.
_PASSIVE = {"on", "once", "remove_listener", "is_closed", "url", "context", "page"}
_WATCHED_CLASSES = (Page, Locator, Keyboard, Mouse, Frame, ElementHandle)


class LoadWatcher:
    """Remembers loaded pages and checks them at the next Playwright call."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.pending: list[tuple[Page, bool, str]] = []
        self.loads = 0
        self.checked = 0
        self.busy = False
        self.checker: Page | None = None
        self.watched: set[int] = set()

    def watch(self, page: Page, javascript: bool) -> None:
        if id(page) in self.watched:
            return
        self.watched.add(id(page))
        page.on("load", lambda *_: self._loaded(page, javascript))

    def _loaded(self, page: Page, javascript: bool) -> None:
        self.loads += 1
        self.pending.append((page, javascript, page.url))

    def flush(self) -> None:
        if self.busy or not self.pending:
            return
        self.busy = True
        try:
            while self.pending:
                page, javascript, url = self.pending.pop(0)
                if not AUTO or page.is_closed():
                    continue
                self.check(page, javascript, url)
                self.checked += 1
        finally:
            self.busy = False

    def check(self, page: Page, javascript: bool, url: str) -> None:
        if javascript:
            # A test may narrow the rules of its pages' checks (test_layout_journey: WCAG A/AA).
            tags = getattr(page.context, "_fabrique_axe_tags", None)
            # A load that fired as the test was already leaving the page is checked on
            # the document that replaced it (tests/a11y.py).
            a11y.check_a11y(page, f"{url} (on load)", count=False, tags=tags)
            return
        html = _SCRIPT.sub("", page.content())
        html = _NOSCRIPT.sub(lambda m: f"<{m.group(1)}div", html)
        base = f'<base href="{escape(page.url, quote=True)}">'
        html = re.sub(r"<head(\s[^>]*)?>", lambda m: m.group(0) + base, html, count=1)
        if self.checker is None or self.checker.is_closed():
            self.checker = _ORIGINAL_NEW_CONTEXT(self.browser, bypass_csp=True).new_page()
        self.checker.set_content(html, wait_until="load")
        a11y.check_a11y(self.checker, f"{url} (on load, without JavaScript)", count=False)

    def close(self) -> None:
        if self.checker is not None:
            self.checker.context.close()


_ORIGINAL_NEW_CONTEXT = Browser.new_context
_ORIGINAL_NEW_PAGE = BrowserContext.new_page
_CURRENT: list[LoadWatcher] = []
SESSION = {"loads": 0, "checked": 0}


def _flushing(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        if _CURRENT:
            _CURRENT[0].flush()
        return method(*args, **kwargs)

    return wrapper


@pytest.fixture(autouse=True)
def axe_on_every_load(browser, monkeypatch):
    """Watch every context this test opens; fail if a loaded page went unchecked."""
    watcher = LoadWatcher(browser)

    def new_context(self, *args, **kwargs):
        context = _ORIGINAL_NEW_CONTEXT(self, *args, **kwargs)
        javascript = kwargs.get("java_script_enabled", True) is not False
        context.on("page", lambda page: watcher.watch(page, javascript))
        context._fabrique_javascript = javascript  # read by new_page below
        return context

    def new_page(self, *args, **kwargs):
        page = _ORIGINAL_NEW_PAGE(self, *args, **kwargs)
        watcher.watch(page, getattr(self, "_fabrique_javascript", True))
        return page

    monkeypatch.setattr(Browser, "new_context", new_context)
    monkeypatch.setattr(BrowserContext, "new_page", new_page)
    original_close = BrowserContext.close

    def close(self, *args, **kwargs):
        # A test may end on an element that appears before its page's "load": let the
        # load finish so that this last page is checked too.
        for page in self.pages:
            if not page.is_closed():
                page.wait_for_load_state("load")
        watcher.flush()
        return original_close(self, *args, **kwargs)

    monkeypatch.setattr(BrowserContext, "close", close)
    for cls in _WATCHED_CLASSES:
        for name, member in list(vars(cls).items()):
            if name.startswith("_") or name in _PASSIVE or not callable(member):
                continue
            monkeypatch.setattr(cls, name, _flushing(member))
    _CURRENT.append(watcher)
    try:
        yield watcher
        watcher.flush()
    finally:
        _CURRENT.remove(watcher)
        watcher.close()
        SESSION["loads"] += watcher.loads
        SESSION["checked"] += watcher.checked
    if AUTO:
        assert watcher.checked == watcher.loads, (
            f"{watcher.loads - watcher.checked} page load(s) not checked by axe-core"
        )


def pytest_terminal_summary(terminalreporter):
    if SESSION["loads"]:
        terminalreporter.write_line(
            f"axe-core: {SESSION['checked']} of {SESSION['loads']} page loads checked on load, "
            f"{a11y.EXPLICIT['calls']} explicit check_a11y calls; "
            f"{a11y.SUPERSEDED['count']} left midway, checked on the page that followed"
        )


@pytest.fixture(scope="session")
def user_agent(browser) -> str:
    """What Chromium sends as User-Agent (read with JavaScript on: some journeys' pages
    run without it)."""
    context = browser.new_context()
    try:
        return context.new_page().evaluate("navigator.userAgent")
    finally:
        context.close()


@pytest.fixture
def sign_in(live_app, live_server, user_agent):
    """`sign_in(page, email)`: the page's browser starts from a saved session, as if the
    person had logged in on this device earlier (issue 17: journeys not about logging in
    skip the form). The session is the one the login form would start: a record in the
    session store through `start_session`, in the cookie Flask signs, bound to this
    browser's address and user agent as Flask-Login checks. The login form itself is
    driven by `steps.log_in` in the journeys about logging in."""
    from flask import session
    from sqlalchemy import func, select

    from ideation.auth.models import User
    from ideation.auth.sessions import start_session
    from ideation.extensions import db

    def _sign_in(page: Page, email: str) -> None:
        environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": user_agent}
        with live_app.test_request_context("/", environ_base=environ):
            user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
            assert user is not None, f"no account {email}"
            start_session(user)
            db.session.commit()
            serializer = live_app.session_interface.get_signing_serializer(live_app)
            value = serializer.dumps(dict(session))
            db.session.remove()
        page.context.add_cookies(
            [
                {
                    "name": live_app.config["SESSION_COOKIE_NAME"],
                    "value": value,
                    "url": live_server,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )

    return _sign_in
