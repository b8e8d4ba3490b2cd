"""Absolute links for e-mails, always on the configured BASE_URL.

A link built from the request (`url_for(..., _external=True)`) takes the request's Host
header: a password reset asked with `Host: attacker.example` would mail the victim a live
token on the attacker's site. Every absolute link that leaves the site is built here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def external_url(endpoint: str, **values: object) -> str:
    """The absolute URL of an endpoint on BASE_URL, inside or outside a request."""
    base = urlsplit(base_url())
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def absolute(path: str) -> str:
    """A site path ("/idees/3") as an absolute URL on BASE_URL."""
    return base_url() + (path if path.startswith("/") else "/" + path)
