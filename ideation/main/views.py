"""Public pages that belong to no feature area: home, privacy, health."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ideation.challenges.services import current_challenges
from ideation.core.security import current_actor
from ideation.ideas.services import public_idea_counts
from ideation.participation.services import todo

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
    """A bare endpoint for load balancers and load-test baselines."""
    return {"status": "ok"}
