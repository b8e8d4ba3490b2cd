"""Small helpers for request tests."""

from __future__ import annotations

import re

from sqlalchemy import select

from ideation.extensions import db
from ideation.mail.models import Email


def outbox(recipient: str | None = None) -> list[Email]:
    query = select(Email).order_by(Email.id)
    if recipient:
        query = query.where(Email.recipient == recipient)
    return list(db.session.scalars(query))


def link_in(email: Email, fragment: str) -> str:
    """The path of the first link of an e-mail's text body containing `fragment`."""
    for url in re.findall(r"https?://\S+", email.body_text):
        if fragment in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no link with {fragment!r} in: {email.body_text}")


def without_tokens(html: str, *secrets: str) -> str:
    """A page with its CSRF tokens and the given strings blanked, to compare two answers."""
    html = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", html)
    for secret in secrets:
        html = html.replace(secret, "X")
    return html
