"""Loading an object for a view: 404 when it is missing, 403 when the rule refuses.

The shape of the Flask tutorial's `get_post(id, check_author=True)`: each area has one
loader per model built on `or_404`, reused by every view that needs the object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort

T = TypeVar("T")


def or_404(found: T | None, allowed: Callable[[T], bool] | None = None) -> T:
    """The object, or 404 if missing, or 403 if `allowed` (a permission rule) refuses it."""
    if found is None:
        abort(404)
    if allowed is not None and not allowed(found):
        abort(403)
    return found
