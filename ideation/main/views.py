"""Public pages that belong to no feature area: home, privacy, health."""

from __future__ import annotations

from flask import render_template

from ideation.main import bp


@bp.route("/")
def home():
    """The home page: what the Fabrique is, how to take part, and the challenges open now."""
    from ideation.challenges.services import current_challenges, public_idea_counts
    from ideation.core.security import current_actor

    challenges = current_challenges(current_actor(), limit=3)
    return render_template(
        "main/home.html",
        challenges=challenges,
        counts=public_idea_counts([c.id for c in challenges]),
    )


@bp.route("/confidentialite")
def privacy():
    """What personal data is kept, why, for how long, and whom to ask."""
    return render_template("main/privacy.html")


@bp.route("/sante")
def health():
    """A bare endpoint for load balancers and load-test baselines."""
    return {"status": "ok"}
