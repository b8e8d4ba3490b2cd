from flask import Blueprint

bp = Blueprint("pilots", __name__)


def blueprint() -> Blueprint:
    """The blueprint with its routes; views are imported here, not at import time,
    so that importing the area's models (Alembic, other areas) never pulls in views."""
    from ideation.pilots import views  # noqa: F401

    return bp
