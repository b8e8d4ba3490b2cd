"""Server-side session records: logout ends this device's session for good (ASVS 7.4.1).

Flask's session is a signed cookie, so "logging out" only asked the browser to forget it:
a copy taken before logout (and the remember-me cookie, for 30 days) still opened the
account. Now every login creates a record here, named by a random key that the session and
the remember-me cookie both carry (in the user's alternative id, see User.get_id); the
user loader refuses a key without a live record. Logout deletes this device's record;
"log out of every device", password changes, erasure and deactivation end them all (the
last two through User.session_token, which every cookie also carries).

The records live in the database by default, or in Redis with SESSION_STORE=redis.

Redis down with SESSION_STORE=redis: a session that cannot be checked is never trusted,
and not ended either. Visitors without a session browse as usual; a logged-in person, and
anyone logging in, gets the short "temporarily unavailable" page (503, Retry-After,
ideation/core/outage.py) until Redis answers, then carries on logged in as before. The
database store (the default) has no such dependency: prefer it unless the database is
the bottleneck.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from flask import Flask, current_app
from flask_login import current_user, login_user
from sqlalchemy import ColumnElement, Select, and_, bindparam, delete, select

from ideation.auth.models import User, UserSession
from ideation.core.numbers import parse_id
from ideation.db_types import utcnow
from ideation.extensions import db


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# Figures about the logged-in account that every page shows (the unread count in the
# header). An area above this one registers a scalar subquery of `users.id`; the user
# loader reads them all in its own query and leaves them in `User.facts`, so a logged-in
# page pays one round trip for the account and its figures instead of one each (each
# query costs about a millisecond of a request: building, sending, waiting, reading).
_FACTS: dict[str, Callable[[Any], ColumnElement[Any]]] = {}
_statements: dict[bool, Select[Any]] = {}


def account_fact(name: str, column: Callable[[Any], ColumnElement[Any]]) -> None:
    """Read `column(User.id)` with the account at every request, as `user.facts[name]`."""
    _FACTS[name] = column
    _statements.clear()


def _account_query(with_record: bool) -> Select[Any]:
    """The user loader's statement, built once (bound parameters: user_id, key_hash)."""
    if with_record not in _statements:
        facts = [make(User.id).label(name) for name, make in _FACTS.items()]
        if with_record:
            query = select(User, UserSession.expires_at, *facts).outerjoin(
                UserSession,
                and_(
                    UserSession.user_id == User.id,
                    UserSession.key_hash == bindparam("key_hash"),
                ),
            )
        else:
            query = select(User, *facts)
        _statements[with_record] = query.where(User.id == bindparam("user_id"))
    return _statements[with_record]


def _with_facts(user: User, row: Any, start: int) -> User:
    user.facts = dict(zip(_FACTS, row[start:], strict=True))  # type: ignore[assignment]
    return user


class SessionStore(Protocol):
    def add(self, user_id: int, key: str, expires_at: datetime) -> None: ...
    def alive(self, user_id: int, key: str) -> bool: ...
    def user_and_alive(self, user_id: int, key: str) -> tuple[User | None, bool]: ...
    def remove(self, user_id: int, key: str) -> None: ...
    def remove_all(self, user_id: int) -> None: ...


class DatabaseStore:
    """Rows of user_sessions, written in the request's transaction (the view commits)."""

    def add(self, user_id: int, key: str, expires_at: datetime) -> None:
        # Forget this account's expired records while we are here: the table stays small.
        db.session.execute(
            delete(UserSession).where(
                UserSession.user_id == user_id, UserSession.expires_at < utcnow()
            )
        )
        db.session.add(UserSession(user_id=user_id, key_hash=_hash(key), expires_at=expires_at))

    def alive(self, user_id: int, key: str) -> bool:
        expires_at = db.session.scalar(
            select(UserSession.expires_at).where(
                UserSession.user_id == user_id, UserSession.key_hash == _hash(key)
            )
        )
        return expires_at is not None and expires_at > utcnow()

    def user_and_alive(self, user_id: int, key: str) -> tuple[User | None, bool]:
        """The account, its facts and whether this device's record lives, in one query
        (every logged-in request asks: a join instead of two round trips)."""
        row = db.session.execute(
            _account_query(with_record=True), {"user_id": user_id, "key_hash": _hash(key)}
        ).first()
        if row is None:
            return None, False
        user, expires_at = row[0], row[1]
        return _with_facts(user, row, 2), expires_at is not None and expires_at > utcnow()

    def remove(self, user_id: int, key: str) -> None:
        db.session.execute(
            delete(UserSession).where(
                UserSession.user_id == user_id, UserSession.key_hash == _hash(key)
            )
        )

    def remove_all(self, user_id: int) -> None:
        db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))


class RedisStore:
    """One key per session (expiring by itself) and one set per account to end them all."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        # Short timeouts: a Redis away answers the request within a second (the 503 page).
        self.redis = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1)
        self.prefix = prefix

    def _key(self, user_id: int, key: str) -> str:
        return f"{self.prefix}{user_id}:{_hash(key)}"

    def _set(self, user_id: int) -> str:
        return f"{self.prefix}{user_id}"

    def add(self, user_id: int, key: str, expires_at: datetime) -> None:
        seconds = max(int((expires_at - utcnow()).total_seconds()), 1)
        name = self._key(user_id, key)
        with self.redis.pipeline() as pipe:
            pipe.set(name, b"1", ex=seconds)
            pipe.sadd(self._set(user_id), name)
            # Every record has the same lifetime: the newest one outlives the others.
            pipe.expire(self._set(user_id), seconds)
            pipe.execute()

    def alive(self, user_id: int, key: str) -> bool:
        return bool(self.redis.exists(self._key(user_id, key)))

    def user_and_alive(self, user_id: int, key: str) -> tuple[User | None, bool]:
        row = db.session.execute(_account_query(with_record=False), {"user_id": user_id}).first()
        if row is None:
            return None, False
        return _with_facts(row[0], row, 1), self.alive(user_id, key)

    def remove(self, user_id: int, key: str) -> None:
        name = self._key(user_id, key)
        with self.redis.pipeline() as pipe:
            pipe.delete(name)
            pipe.srem(self._set(user_id), name)
            pipe.execute()

    def remove_all(self, user_id: int) -> None:
        # A synchronous client: smembers returns the set itself, not an awaitable.
        names = list(cast(set[bytes], self.redis.smembers(self._set(user_id))))
        self.redis.delete(self._set(user_id), *names)


def init_app(app: Flask) -> None:
    """Choose the store named by SESSION_STORE."""
    kind = app.config.get("SESSION_STORE", "database")
    if kind == "redis":
        url = app.config.get("SESSION_REDIS_URL")
        if not url:
            raise RuntimeError("SESSION_STORE=redis needs SESSION_REDIS_URL (or REDIS_URL)")
        store: SessionStore = RedisStore(
            url, app.config.get("SESSION_REDIS_PREFIX", "fabrique:session:")
        )
    elif kind == "database":
        store = DatabaseStore()
    else:
        raise RuntimeError(f"SESSION_STORE must be 'database' or 'redis', not {kind!r}")
    app.extensions["fabrique_sessions"] = store


def store() -> SessionStore:
    return current_app.extensions["fabrique_sessions"]


def lifetime() -> timedelta:
    return timedelta(seconds=int(current_app.config["SESSION_RECORD_LIFETIME"]))


def start_session(user: User, remember: bool = False) -> None:
    """Log this device in with a fresh record (the caller commits)."""
    key = secrets.token_urlsafe(32)
    store().add(user.id, key, utcnow() + lifetime())
    user.session_key = key  # type: ignore[assignment]  # a plain attribute (User.session_key)
    login_user(user, remember=remember)


def load_session_user(alternative_id: str) -> User | None:
    """Flask-Login's user loader: the account's token and a live record for this device."""
    user_id, _, rest = alternative_id.partition(":")
    token, _, key = rest.partition(":")
    uid = parse_id(user_id)
    if uid is None or not token or not key:
        return None
    user, alive = store().user_and_alive(uid, key)
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    if not alive:
        return None
    user.session_key = key  # type: ignore[assignment]  # a plain attribute (User.session_key)
    return user


def end_this_session() -> None:
    """Delete this device's record (logout); other devices stay logged in."""
    if current_user.is_authenticated and current_user.session_key:
        store().remove(current_user.id, current_user.session_key)


def end_every_session(user: User) -> None:
    """Every device of the account is logged out: new token, no record left."""
    user.rotate_session_token()
    store().remove_all(user.id)
