"""Structured logs: one JSON object a line, each with the request id, user id and route.

LOG_FORMAT=json (the production default) puts every log record of the process on
standard error as JSON; each request adds one access line (method, route, endpoint,
status, duration). What is logged is chosen, never dumped: the route is the URL *rule*
(`/reinitialiser/<token>`), not the path, so no token, query string or form field (no
password, no ballot) ever reaches a log. The user is named by their id only, and only if
the request already loaded them (a log line never queries the database).

The request id comes from the proxy (`X-Request-Id`, nginx's `$request_id`) when it looks
like one, else it is made here; it is sent back in the answer's `X-Request-Id`, so a
user's screenshot of an error leads to the log lines of their request.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

ACCESS = logging.getLogger("fabrique.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_context() -> dict[str, Any]:
    """The request's id, user id and route, for a log line (empty outside a request)."""
    if not has_request_context():
        return {}
    context: dict[str, Any] = {"request_id": g.get("request_id")}
    rule = request.url_rule
    context["route"] = rule.rule if rule is not None else None
    user = g.get("_login_user")  # set by Flask-Login once the request loaded its user
    if user is not None and getattr(user, "is_authenticated", False):
        context["user_id"] = user.id
    return context


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(request_context())
        for key in ("method", "endpoint", "status", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _install_json_handler() -> None:
    root = logging.getLogger()
    if any(getattr(handler, "fabrique_json", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.fabrique_json = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)


def _start() -> None:
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    ACCESS.info(
        "%s %s %s",
        request.method,
        request.url_rule.rule if request.url_rule is not None else "-",
        response.status_code,
        extra={
            "method": request.method,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": duration,
        },
    )
    return response


def init_app(app: Flask) -> None:
    """Request ids and access lines for every app; JSON on standard error with LOG_FORMAT=json."""
    app.before_request(_start)
    app.after_request(_finish)
    if app.config.get("LOG_FORMAT") == "json":
        _install_json_handler()
        # Flask's own handler would print each record a second time, as text.
        app.logger.handlers.clear()
        app.logger.propagate = True
