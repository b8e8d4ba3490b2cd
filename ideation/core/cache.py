"""Anonymous pages: ETag and conditional GET everywhere, a shared page cache in Redis.

Only a handful of public pages (CACHEABLE_ENDPOINTS), only for visitors who are not
logged in, and only responses that neither set a cookie, nor carry a CSRF token or a
flash message: everything else keeps `Cache-Control: no-store` (logged in) or is simply
not stored. The visitor is judged from the request alone (no session record, no user
loader), so a cache hit costs one Redis round trip and no template.

- Always: a 200 HTML answer gets an ETag (the body's hash) and `If-None-Match` gets a
  304, which saves the bandwidth and the browser's work.
- With PAGE_CACHE_URL (or REDIS_URL and PAGE_CACHE=on): the rendered page is kept in
  Redis, shared by every worker and every server, for PAGE_CACHE_TTL seconds at most.
  A hit is answered (or 304'd) before any view runs. Every entry carries the content
  "generation" read before rendering; any commit that wrote a public table bumps the
  generation (an engine event, so ORM flushes, bulk updates and raw SQL all count), and
  an entry of an older generation is never served. The TTL bounds what no write
  announces: a phase that begins at a date, a deadline counted in days.
- Redis unreachable: the cache steps aside for REDIS_RETRY_SECONDS with one log line,
  pages are rendered as without it; on its return the generation is bumped, since
  writes made meanwhile could not announce themselves.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event

log = logging.getLogger(__name__)

# The public pages worth keeping; each renders the same for every anonymous visitor
# of a language (the challenge page's shuffle uses visitor_seed(), shared by them).
CACHEABLE_ENDPOINTS = frozenset(
    {
        "main.home",
        "challenges.index",
        "challenges.show",
        "ideas.show",
        "pilots.index",
        "pilots.show",
        "voting.results",
    }
)

# Tables no public page shows: writing them does not age the cached pages.
PRIVATE_TABLES = frozenset(
    {
        "user_sessions",
        "emails",
        "notifications",
        "notification_preferences",
        "audit_entries",
        "invitations",
        "alembic_version",
    }
)

REDIS_RETRY_SECONDS = 30.0
_MAX_QUERY = 512  # longer query strings are rendered, not stored (no cache flooding)
_WRITE = re.compile(r"^\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+\"?(\w+)", re.I)


def visitor_seed() -> int:
    """The idea shuffle's seed for visitors without an account: one per day for everyone.

    A seed per visitor would need a cookie on the first visit, and a page that sets a
    cookie cannot be shared. Logged-in members keep their own seed (in their session).
    """
    day = datetime.now(UTC).date().isoformat().encode()
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), day, hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") % 2_000_000_000 + 1


def _looks_anonymous() -> bool:
    """Not logged in, judged from the cookies alone (no database, no session record)."""
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    if remember in request.cookies:
        return False
    return "_user_id" not in session and "_flashes" not in session


def eligible() -> bool:
    """A GET of a cacheable page by an anonymous visitor."""
    return (
        request.method in ("GET", "HEAD")
        and request.endpoint in CACHEABLE_ENDPOINTS
        and len(request.query_string) <= _MAX_QUERY
        and _looks_anonymous()
    )


def _shareable(response: Response) -> bool:
    """Nothing in the answer belongs to this visitor: no cookie, no CSRF token, no flash."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and "Set-Cookie" not in response.headers
        and not session.modified
        and field not in g
        and "_flashes" not in session
    )


class PageCache:
    """The Redis side: one generation counter and one entry per page and language."""

    def __init__(self, url: str, prefix: str, ttl: int) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.5)
        self.errors = (redis.RedisError, OSError)
        self.prefix = prefix
        self.ttl = ttl
        self.down_until = 0.0
        self.generation_key = f"{prefix}generation"

    def _failed(self, error: Exception) -> None:
        if not self.down_until:
            log.warning("page cache: Redis unreachable (%s), pages rendered without it", error)
        self.down_until = time.monotonic() + REDIS_RETRY_SECONDS

    def available(self) -> bool:
        if not self.down_until:
            return True
        if time.monotonic() < self.down_until:
            return False
        try:  # back: writes made meanwhile were not announced, so age every entry
            self.redis.incr(self.generation_key)
        except self.errors as error:
            self._failed(error)
            return False
        log.warning("page cache: Redis reachable again")
        self.down_until = 0.0
        return True

    def key(self, locale: str) -> str:
        day = datetime.now(UTC).date().isoformat()
        raw = f"{locale}|{day}|{request.path}?{request.query_string.decode('latin-1')}"
        return self.prefix + "page:" + hashlib.sha256(raw.encode()).hexdigest()[:40]

    def lookup(self, key: str) -> tuple[bytes, bytes | None] | None:
        """(current generation, stored entry or None), or None when Redis is away."""
        if not self.available():
            return None
        try:
            # A synchronous client: mget returns the values, not an awaitable.
            generation, entry = cast(list[bytes | None], self.redis.mget(self.generation_key, key))
        except self.errors as error:
            self._failed(error)
            return None
        return generation or b"0", entry

    def store(self, key: str, generation: bytes, etag: str, body: bytes) -> None:
        self.put(key, generation, etag.encode() + b"\n" + body)

    def put(self, key: str, generation: bytes, value: bytes) -> None:
        """Keep `value` under `key`, valid while the generation stays `generation`."""
        if not self.available():
            return
        try:
            self.redis.set(key, generation + b"\n" + value, ex=self.ttl)
        except self.errors as error:
            self._failed(error)

    def bump(self) -> None:
        if not self.available():
            return
        try:
            self.redis.incr(self.generation_key)
        except self.errors as error:
            self._failed(error)


@dataclass
class Fragment:
    """A piece of a page shared between requests (see fragment()); `value` None: a miss,
    to be stored with keep() under the generation read before it was rendered."""

    key: str
    generation: bytes
    value: bytes | None


def fragment(name: str) -> Fragment | None:
    """The shared piece `name` (for the reader's language and today), or None when no
    page cache is configured or Redis is away. Same rules as whole pages: an entry is
    only served while no public table was written since it was rendered."""
    cache: PageCache | None = current_app.extensions.get("fabrique_page_cache")
    if cache is None:
        return None
    day = datetime.now(UTC).date().isoformat()
    # The language the piece is rendered in: a member's own (their profile), not only the
    # session's choice that visitors' pages go by.
    raw = f"{get_locale()}|{day}|{name}"
    key = cache.prefix + "fragment:" + hashlib.sha256(raw.encode()).hexdigest()[:40]
    found = cache.lookup(key)
    if found is None:
        return None
    generation, entry = found
    if entry is not None:
        stored_generation, _, value = entry.partition(b"\n")
        if stored_generation == generation:
            return Fragment(key, generation, value)
    return Fragment(key, generation, None)


def keep(piece: Fragment, value: bytes) -> None:
    """Store a piece that fragment() missed."""
    cache: PageCache | None = current_app.extensions.get("fabrique_page_cache")
    if cache is not None:
        cache.put(piece.key, piece.generation, value)


def _locale() -> str:
    lang = session.get("lang")
    return str(lang) if lang in current_app.config.get("LANGUAGES", ("fr",)) else "fr"


def serve_from_cache() -> Response | None:
    """before_request: the stored page (or a 304) for an anonymous visitor, else None."""
    cache: PageCache | None = current_app.extensions.get("fabrique_page_cache")
    if cache is None or not eligible():
        return None
    key = cache.key(_locale())
    found = cache.lookup(key)
    if found is None:
        return None
    generation, entry = found
    g.page_cache = (key, generation)  # after_request stores under the generation read now
    if entry is None:
        return None
    stored_generation, etag, body = entry.split(b"\n", 2)
    if stored_generation != generation:
        return None
    response = Response(body, mimetype="text/html")
    response.set_etag(etag.decode())
    response.headers["X-Page-Cache"] = "hit"
    g.page_cache = None
    return cast(Response, response.make_conditional(request))


def finish(response: Response) -> Response:
    """after_request: ETag and 304 for shareable anonymous pages; store them when caching."""
    if not eligible() or current_user.is_authenticated or not _shareable(response):
        return response
    if response.headers.get("X-Page-Cache") == "hit":
        response.headers["Cache-Control"] = "no-cache"
        return response
    body = response.get_data()
    etag = hashlib.sha256(body).hexdigest()[:32]
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"  # keep it, but ask each time (ETag)
    pending = g.pop("page_cache", None)
    cache: PageCache | None = current_app.extensions.get("fabrique_page_cache")
    if cache is not None and pending:
        key, generation = pending
        cache.store(key, generation, etag, body)
        response.headers["X-Page-Cache"] = "miss"
    # make_conditional is typed on Werkzeug's class; it returns this same Flask response.
    return cast(Response, response.make_conditional(request))


def _watch_writes(engine: Any, cache: PageCache) -> None:
    """Bump the generation after each commit that wrote a table a public page shows."""

    def note_write(conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        match = _WRITE.match(statement)
        if match and match.group(1).lower() not in PRIVATE_TABLES:
            conn.info["fabrique_public_write"] = True

    def bump_after_commit(conn: Any) -> None:
        if conn.info.pop("fabrique_public_write", False):
            cache.bump()

    def forget_on_rollback(conn: Any) -> None:
        conn.info.pop("fabrique_public_write", None)

    event.listen(engine, "before_cursor_execute", note_write)
    event.listen(engine, "commit", bump_after_commit)
    event.listen(engine, "rollback", forget_on_rollback)


def init_app(app: Flask) -> None:
    """Hooks for every app; the shared cache only when PAGE_CACHE_URL is set (off by default)."""
    app.before_request(serve_from_cache)
    app.after_request(finish)
    url = app.config.get("PAGE_CACHE_URL")
    if not url:
        return
    prefix = app.config.get("PAGE_CACHE_PREFIX", "fabrique:cache:")
    cache = PageCache(url, prefix, int(app.config.get("PAGE_CACHE_TTL", 60)))
    app.extensions["fabrique_page_cache"] = cache
    from ideation.extensions import db

    with app.app_context():
        _watch_writes(db.engine, cache)
    log.info("page cache: shared in Redis (%s)", cache.prefix)
