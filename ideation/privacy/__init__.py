"""Privacy (RGPD): the export of one's data, account erasure, retention of inactive accounts."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)


def blueprint() -> Blueprint:
    """The blueprint with its routes; views are imported here, not at import time,
    so that importing the area's services (CLI, admin) never pulls in views."""
    from ideation.privacy import views  # noqa: F401

    return bp
