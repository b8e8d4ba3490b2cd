from flask import Blueprint

bp = Blueprint("dashboard", __name__)


def blueprint() -> Blueprint:
    """The blueprint with its routes (views imported here, not at import time)."""
    from ideation.dashboard import views  # noqa: F401

    return bp
