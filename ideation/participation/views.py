"""My space ("Mes participations")."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ideation.core.security import current_actor
from ideation.db_types import utcnow
from ideation.domain.challenge_phases import Phase
from ideation.participation.services import my_space
from ideation.workshops.services import registrations_of

bp = Blueprint("participation", __name__)


@bp.route("/compte/mes-participations")
@login_required
def index():
    """Everything I took part in, what waits for someone, and what is left for me to do."""
    now = utcnow()
    return render_template(
        "participation/index.html",
        space=my_space(current_actor(), current_user._get_current_object(), now),
        now=now,
        voting=Phase.VOTING,
        workshops=registrations_of(current_user.id),
    )
