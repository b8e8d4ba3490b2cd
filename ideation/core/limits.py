"""Per-user hourly limits on writing ideas, comments and reports.

Checked in the view (not with a decorator) so a refused form comes back with a clear
French message and the text the user typed, instead of the generic 429 page.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse
from limits.strategies import RateLimiter

from ideation.extensions import limiter

CONFIG_KEYS = {
    "ideas": "RATELIMIT_IDEAS",
    "comments": "RATELIMIT_COMMENTS",
    "reports": "RATELIMIT_REPORTS",
}

MESSAGES = {
    "ideas": _l(
        "Vous avez proposé beaucoup d'idées en peu de temps. Merci de patienter une heure "
        "avant d'en envoyer une autre : votre texte est gardé ci-dessous."
    ),
    "comments": _l(
        "Vous avez écrit beaucoup de commentaires en peu de temps. Merci de patienter un peu "
        "avant d'en écrire un autre : votre texte est gardé ci-dessous."
    ),
    "reports": _l(
        "Vous avez fait beaucoup de signalements en peu de temps. Merci de patienter un peu : "
        "votre texte est gardé ci-dessous."
    ),
}


log = logging.getLogger(__name__)


class _Guarded:
    """The limiter's strategy, falling back to the per-process memory store like the
    decorators do when the shared store (Redis) fails in the middle of a call."""

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return getattr(limiter.limiter, name)(*args, **kwargs)
            except Exception:
                # Flask-Limiter's own switch (no public setter): the decorated limits and
                # these calls then count in memory until the storage answers its check.
                if not limiter._in_memory_fallback_enabled or limiter._storage_dead:
                    raise
                log.warning("rate limits: storage unreachable, counting in this process")
                limiter._storage_dead = True
                return getattr(limiter.limiter, name)(*args, **kwargs)

        return call


def strategy() -> RateLimiter:
    """The rate-limit strategy for counts made by hand (test, hit, window stats)."""
    return _Guarded()  # type: ignore[return-value]


def _item(kind: str):  # type: ignore[no-untyped-def]
    return parse(current_app.config[CONFIG_KEYS[kind]])


def _enabled() -> bool:
    return bool(limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True))


# --- workshop mode (issue 13) ---------------------------------------------------------
# A room of 40 people on one Wi-Fi registers in ten minutes: a host opens the room's
# devices in "workshop mode" (ideation/assisted), a signed cookie naming the workshop,
# the host and the end of the workshop. While it holds, the per-address limits meant for
# attackers (Flask-Limiter's, through a request filter, and the counts made by hand here
# and at registration) do not apply on that device; everywhere else they hold.

WORKSHOP_COOKIE = "fabrique_atelier"


def _mode_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="workshop-mode")


def workshop_mode_value(workshop_id: int, host_id: int, until: datetime) -> str:
    """The cookie's value: signed, and carrying its own end (the workshop's)."""
    return _mode_serializer().dumps({"w": workshop_id, "h": host_id, "u": int(until.timestamp())})


def workshop_mode() -> dict | None:
    """The workshop mode this request's device is in, or None (absent, forged or over)."""
    if not has_request_context():
        return None
    raw = request.cookies.get(WORKSHOP_COOKIE)
    if not raw:
        return None
    try:
        data = _mode_serializer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data if data["u"] > time.time() else None


def limits_lifted() -> bool:
    """Flask-Limiter's request filter: True exempts the request from every decorated limit."""
    return workshop_mode() is not None


def limit_reached(kind: str, user_id: int) -> bool:
    """Has this user used up their allowance for this kind of writing?"""
    if not _enabled() or limits_lifted():
        return False
    return not strategy().test(_item(kind), "write", kind, str(user_id))


def count(kind: str, user_id: int) -> None:
    """Count one more piece of writing (after it was saved)."""
    if _enabled() and not limits_lifted():
        strategy().hit(_item(kind), "write", kind, str(user_id))


def message(kind: str) -> str:
    return str(MESSAGES[kind])
