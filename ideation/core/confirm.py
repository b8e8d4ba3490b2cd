"""Asking "are you sure?" without JavaScript, for actions that cannot be undone.

The button of such an action (close a vote, archive a challenge, delete a comment)
posts to its route as before; without a `confirm` field the route acts on nothing and
answers a page that says what will happen, with a "Confirmer" button (the same POST,
with `confirm=1` and a fresh CSRF token) and an "Annuler" link back. Only the confirmed
POST acts. No new route, no state kept between the two requests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import render_template, request

CONFIRM_FIELD = "confirm"


def confirmed() -> bool:
    """Whether this POST carries the confirmation page's answer."""
    return request.form.get(CONFIRM_FIELD) == "1"


def confirmation_page(
    *,
    title: str,
    question: str,
    action: str,
    cancel: str,
    details: Sequence[str] = (),
    fields: Mapping[str, str] | None = None,
) -> str:
    """The page that asks; `fields` are posted again (e.g. the phase asked for)."""
    return render_template(
        "confirm.html",
        title=title,
        question=question,
        details=list(details),
        action=action,
        cancel=cancel,
        fields=dict(fields or {}),
        confirm_field=CONFIRM_FIELD,
    )
