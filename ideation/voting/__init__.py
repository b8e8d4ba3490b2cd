"""Ranked voting: ballots, closing, results (the tally itself is in ideation.domain.voting)."""

from flask import Blueprint

bp = Blueprint("voting", __name__)


def blueprint() -> Blueprint:
    """The blueprint with its routes; views are imported here so that importing the
    area's models (Alembic, other areas) never pulls in views."""
    from ideation.voting import views  # noqa: F401

    return bp
