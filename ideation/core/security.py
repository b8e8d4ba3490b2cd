"""Small request-side helpers: the current actor, safe redirects, permission guard."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from flask import abort, make_response, render_template, request
from flask_login import current_user

from ideation.core.forms import EmptyForm
from ideation.domain.permissions import VISITOR, Actor, needs_confirmation


def current_actor() -> Actor:
    if current_user and current_user.is_authenticated:
        return current_user.actor
    return VISITOR


def require(allowed: bool) -> None:
    """Answer 403 unless the rule allowed the action."""
    if not allowed:
        abort(403)


def require_participation(rule: Callable[..., bool], *args: Any, **kwargs: Any) -> None:
    """Answer 403 unless `rule(actor, ...)` allows it; when only the unconfirmed address
    stands in the way, the 403 page says how to confirm it and offers to resend the e-mail."""
    actor = current_actor()
    if rule(actor, *args, **kwargs):
        return
    if needs_confirmation(actor) and rule(replace(actor, confirmed=True), *args, **kwargs):
        # Back to the page after the resend, when it is one that can be shown again.
        back = request.full_path.rstrip("?") if request.method == "GET" else None
        page = render_template("auth/confirm_needed.html", resend_form=EmptyForm(), next=back)
        abort(make_response(page, 403))
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
