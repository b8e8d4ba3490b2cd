"""Public pages that belong to no feature area: home, privacy, health."""

from __future__ import annotations

from flask import render_template

from ideation.main import bp


@bp.route("/")
def home():
    """The home page: what the Fabrique is and how to take part."""
    return render_template("main/home.html")


@bp.route("/confidentialite")
def privacy():
    """What personal data is kept, why, for how long, and whom to ask."""
    return render_template("main/privacy.html")


@bp.route("/defis")
def challenges():
    """The list of challenges (filled in by the challenges area)."""
    return render_template("main/coming.html", title_key="challenges")


@bp.route("/projets-pilotes")
def pilots():
    """The list of pilot projects (filled in by the pilots area)."""
    return render_template("main/coming.html", title_key="pilots")


@bp.route("/sante")
def health():
    """A bare endpoint for load balancers and load-test baselines."""
    return {"status": "ok"}
