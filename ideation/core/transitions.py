"""A refused state change, told to people in their language."""

from __future__ import annotations

from typing import Protocol

from flask_babel import gettext


class Refusal(Protocol):
    """What the domain's refusals carry: a French source string and its values."""

    message: str
    params: dict[str, object]


def refusal_message(error: Refusal) -> str:
    """The translated message of a refused transition (idea, pilot, challenge, ballot)."""
    return gettext(error.message, **{k: gettext(str(v)) for k, v in error.params.items()})
