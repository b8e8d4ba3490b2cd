"""Fabrique: the participatory platform of the Fabrique de la proximité.

This module stays light on purpose: `python -m ideation.recount` imports the
package and must not pull in Flask or SQLAlchemy. `create_app` imports them lazily.
"""

from __future__ import annotations

from typing import Any


def create_app(config: Any = None) -> Any:
    """Build the Flask application (see ideation/app.py)."""
    from ideation.app import build_app

    return build_app(config)
