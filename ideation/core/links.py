"""Links outside a request: a command or a job builds them against the site's address."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, has_request_context


@contextmanager
def site_links() -> Iterator[None]:
    """Inside a request, nothing to do; from cron or a job, a request context on
    BASE_URL so that `url_for` and templates work and links point to the site."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        yield
