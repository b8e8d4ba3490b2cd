"""My data: see what is kept, download it, delete my account."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ideation.auth.models import User
from ideation.extensions import db, limiter
from ideation.privacy.forms import EraseAccountForm
from ideation.privacy.readable import label, sections, shown
from ideation.privacy.services import EXPORT_FILENAME, erase_account, export_data, export_json

bp = Blueprint("privacy", __name__)


@bp.route("/compte/mes-donnees")
@login_required
def index():
    """What the Fabrique keeps about me, to read or print, with the same data as a file
    beside it and the way to delete my account."""
    user: User = current_user._get_current_object()
    return render_template(
        "privacy/index.html",
        user=user,
        sections=sections(export_data(user)),
        data_label=label,
        data_shown=shown,
    )


@bp.route("/compte/mes-donnees/" + EXPORT_FILENAME)
@login_required
def export():
    """Download all my data as one JSON file (only ever my own: no id in the URL)."""
    user: User = current_user._get_current_object()
    response = Response(export_json(user), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    response.headers["Cache-Control"] = "no-store"
    current_app.logger.info("privacy export user=%s", user.id)
    return response


def _erase_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def _erase_key() -> str:
    return f"erase-account:{current_user.id if current_user.is_authenticated else ''}"


def _failed(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code != 302


@bp.route("/compte/supprimer", methods=["GET", "POST"])
@login_required
@limiter.limit(_erase_limit, methods=["POST"], key_func=_erase_key, deduct_when=_failed)
def erase():
    """Delete my account: my password again and a box to tick; my contributions stay, unnamed."""
    user: User = current_user._get_current_object()
    form = EraseAccountForm()
    if form.validate_on_submit():
        if not user.check_password(form.password.data):
            form.password.errors.append(_("Le mot de passe est incorrect."))
        else:
            erase_account(user, actor=user)
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Votre compte est supprimé. Merci d'avoir participé à la Fabrique."), "success")
            return redirect(url_for("main.home"))
    return render_template("privacy/erase.html", form=form)
