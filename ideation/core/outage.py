"""A part is down (the database restarting, the sessions' Redis away): a short 503 page.

The request's transaction is rolled back (nothing half-applied: the view commits once, at
its end, so a failure before or at the commit stores nothing), the visitor reads in plain
words that the site is back in a moment, and `Retry-After` tells browsers and proxies when
to try again. No stack trace is ever shown. The page is rendered without the database:
no user loader, no context processors (they read the account), the language from the
session cookie only.

After the part returns, nothing needs restarting: the connection pool checks each
connection before use (`pool_pre_ping`) and replaces the dead ones.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, session
from flask_babel import force_locale
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import InterfaceError, OperationalError

from ideation.extensions import db, login_manager

log = logging.getLogger(__name__)

# Failures that say "a part is unreachable", not "the code is wrong" (SQLite's "database
# is locked" is an OperationalError too: trying again later is the right advice there).
OUTAGE_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)


def unavailable_page(error: BaseException):  # type: ignore[no-untyped-def]
    """The 503 answer for an outage."""
    log.warning("part unavailable, answered 503: %s", type(error).__name__)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  (the connection is gone: the pool discards it)
        db.session.remove()
    # Never ask the user loader again in this request (after_request hooks read current_user).
    g._login_user = login_manager.anonymous_user()
    lang = session.get("lang") if session.get("lang") in ("fr", "en") else "fr"
    with force_locale(lang):
        body = current_app.jinja_env.get_template("errors/unavailable.html").render(lang=lang)
    retry = str(int(current_app.config.get("OUTAGE_RETRY_AFTER", 30)))
    return (
        body,
        503,
        {
            "Retry-After": retry,
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
        },
    )


def init_app(app: Flask) -> None:
    for error in OUTAGE_ERRORS:
        app.register_error_handler(error, unavailable_page)
