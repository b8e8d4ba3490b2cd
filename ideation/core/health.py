"""What the health endpoints and `flask doctor` check: the database, Redis, the queue.

Liveness (`/sante`) says the process answers; it touches nothing. Readiness
(`/sante/pret`) says whether this server should receive visitors: 503 when the database
does not answer, or when the Redis that holds the sessions (SESSION_STORE=redis) does
not, since then nobody can stay logged in. A Redis used only for rate limits, the page
cache or the queue is reported "degraded" with a 200: the pages still work without it
(ideation/core/outage.py, limits, cache), and taking every server out of the load balancer
would be worse. A queue backlog over HEALTH_QUEUE_BACKLOG_MAX is "degraded" too (the
workers are behind or stopped: e-mails and result notices wait, nothing is lost).
"""

from __future__ import annotations

from dataclasses import dataclass

import redis
from flask import current_app
from sqlalchemy import text

from ideation.core.queue import huey
from ideation.extensions import db

OK, DEGRADED, DOWN = "ok", "degraded", "down"


@dataclass(frozen=True)
class Check:
    name: str
    state: str
    detail: str = ""


def redis_urls() -> dict[str, str]:
    """Each use of Redis the configuration makes, by purpose."""
    cfg = current_app.config
    found: dict[str, str] = {}
    if cfg.get("SESSION_STORE") == "redis" and cfg.get("SESSION_REDIS_URL"):
        found["sessions"] = cfg["SESSION_REDIS_URL"]
    for purpose, key in (
        ("rate_limits", "RATELIMIT_STORAGE_URI"),
        ("page_cache", "PAGE_CACHE_URL"),
        ("queue", "QUEUE_URL"),
    ):
        url = cfg.get(key) or ""
        if url.startswith(("redis://", "rediss://", "unix://")):
            found[purpose] = url
    return found


def ping_redis(url: str) -> str:
    """ "" when this Redis answers, else what went wrong (for people)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        client.ping()
        return ""
    except (redis.RedisError, OSError) as error:
        return f"{type(error).__name__}: {error}"
    finally:
        client.close()


def check_database() -> Check:
    try:
        db.session.execute(text("select 1"))
        db.session.rollback()
        return Check("database", OK)
    except Exception as error:  # noqa: BLE001  (any failure means "not ready")
        db.session.rollback()
        return Check("database", DOWN, type(error).__name__)


def check_redis() -> list[Check]:
    checks = []
    for purpose, url in redis_urls().items():
        problem = ping_redis(url)
        if not problem:
            checks.append(Check(f"redis_{purpose}", OK))
        else:
            state = DOWN if purpose == "sessions" else DEGRADED
            checks.append(Check(f"redis_{purpose}", state, problem.split(":")[0]))
    return checks


def check_queue() -> Check:
    if huey.immediate:
        return Check("queue", OK, "immediate")
    try:
        backlog = int(huey.pending_count())
    except Exception as error:  # noqa: BLE001  (the queue's storage away: degraded)
        return Check("queue", DEGRADED, type(error).__name__)
    limit = int(current_app.config.get("HEALTH_QUEUE_BACKLOG_MAX", 1000))
    return Check("queue", OK if backlog <= limit else DEGRADED, f"{backlog} waiting")


def readiness() -> tuple[str, list[Check]]:
    """The overall state (ok, degraded or down) and each check."""
    checks = [check_database(), *check_redis(), check_queue()]
    states = {c.state for c in checks}
    overall = DOWN if DOWN in states else DEGRADED if DEGRADED in states else OK
    return overall, checks
