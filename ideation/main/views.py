"""Public pages that belong to no feature area: home, privacy, health."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ideation.challenges.services import current_challenges
from ideation.core import health as checks
from ideation.core.security import current_actor
from ideation.ideas.services import public_idea_counts
from ideation.participation.services import todo
from ideation.workshops.services import upcoming

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """The home page: what the Fabrique is, how to take part, and the challenges open now."""
    actor = current_actor()
    challenges = current_challenges(actor, limit=3)
    return render_template(
        "main/home.html",
        challenges=challenges,
        counts=public_idea_counts([c.id for c in challenges]),
        upcoming_workshops=upcoming(),
        # A participant's "À faire": the vote not cast, the draft left (none for visitors).
        todo=todo(actor, current_user._get_current_object())
        if current_user.is_authenticated
        else [],
    )


@bp.route("/confidentialite")
def privacy():
    """What personal data is kept, why, for how long, and whom to ask."""
    return render_template("main/privacy.html")


@bp.route("/sante")
def health():
    """Liveness: the process answers (touches nothing; load-test baselines use it too)."""
    return {"status": "ok"}


@bp.route("/sante/pret")
def readiness():
    """Readiness: database, Redis (when configured) and the queue's backlog, one by one.

    503 when this server cannot serve (database or the sessions' Redis down), else 200
    with "ok" or "degraded" (docs/operations.md#health-checks). Names no host or password.
    """
    overall, found = checks.readiness()
    body = {
        "status": overall,
        "checks": {c.name: {"state": c.state, "detail": c.detail} for c in found},
    }
    return body, 503 if overall == checks.DOWN else 200, {"Cache-Control": "no-store"}
