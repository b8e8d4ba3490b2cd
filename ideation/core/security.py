"""Small request-side helpers: the current actor, safe redirects, permission guard."""

from __future__ import annotations

from typing import TypeGuard
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import current_user

from ideation.domain.permissions import VISITOR, Actor


def current_actor() -> Actor:
    if current_user and current_user.is_authenticated:
        return current_user.actor
    return VISITOR


def require(allowed: bool) -> None:
    """Answer 403 unless the rule allowed the action."""
    if not allowed:
        abort(403)


def is_safe_path(target: str | None) -> TypeGuard[str]:
    """Only same-site absolute paths: no scheme, no host, no backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(default: str) -> str:
    target = request.values.get("next")
    return target if is_safe_path(target) else default
