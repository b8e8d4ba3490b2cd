"""Small helpers for request tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, select

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


def _rows(tables: list[Table]) -> dict[str, list[Any]]:
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in tables
    }


@contextmanager
def unchanged(*models: Any) -> Iterator[None]:
    """Assert that the block (a refused write) leaves the rows of `models` as they were.

    With no model, every table is compared. The test's own changes are committed first
    (the requests run in their own sessions), and the read transaction is ended before
    the block so that the second read sees what the requests committed.
    """
    tables = [m.__table__ for m in models] or list(db.metadata.sorted_tables)
    db.session.commit()
    before = _rows(tables)
    db.session.commit()
    yield
    db.session.rollback()
    db.session.expire_all()
    after = _rows(tables)
    db.session.commit()
    for name in before:
        assert after[name] == before[name], f"table {name} changed by a refused write"


def plain(text: str) -> str:
    """The text with French typography's no-break spaces (narrow or not) read as spaces, so
    that an assertion names the words without caring how « … » are spaced."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")
