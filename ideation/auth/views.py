"""Register, verify, log in and out, reset and change password, profile, language."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user
from limits import parse as parse_limit
from sqlalchemy import select

from ideation.auth.forms import (
    ChangePasswordForm,
    DisableSecondFactorForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    SecondFactorForm,
)
from ideation.auth.models import User
from ideation.auth.passwords import password_errors
from ideation.auth.services import (
    InvitationUsedUp,
    change_password,
    find_usable_invitation,
    find_user_by_email,
    normalise_email,
    send_reset,
    send_verification,
    use_second_factor_code,
)
from ideation.auth.services import register as register_account
from ideation.auth.sessions import end_every_session, end_this_session, start_session
from ideation.auth.tokens import read_reset_token, read_verify_token, reset_token_matches
from ideation.core.forms import EmptyForm
from ideation.core.limits import limits_lifted
from ideation.core.limits import strategy as limits_strategy
from ideation.core.security import is_safe_path, safe_next
from ideation.db_types import utcnow
from ideation.domain import totp
from ideation.domain.roles import OrganisationKind
from ideation.extensions import csrf, db, limiter
from ideation.orgs.models import Organisation, Residence
from ideation.orgs.services import DwellingCodeUsedUp, find_usable_dwelling_code

bp = Blueprint("auth", __name__)

# A hash to check against when the e-mail is unknown, so both answers take as long.
_DUMMY_HASH = "scrypt:32768:8:1$aaaaaaaaaaaaaaaaaaaaaaaa$" + "0" * 128


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _login_account_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def _account_key() -> str:
    return "login-account:" + normalise_email(request.form.get("email", ""))


def _failed(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code != 302


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login():
    """Log in with e-mail and password; the same answer whether the account exists or not."""
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("main.home")))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None:
            from werkzeug.security import check_password_hash

            check_password_hash(_DUMMY_HASH, form.password.data)
        elif user.active and user.check_password(form.password.data):
            target = safe_next(url_for("main.home"))
            session.clear()  # a fresh session at login (no fixation)
            if user.totp_secret:
                # Password right: now the app code, before any session is opened.
                session["second_factor"] = {
                    "u": user.id,
                    "t": user.session_token,
                    "r": bool(form.remember.data),
                    "n": target,
                }
                return redirect(url_for("auth.second_factor"))
            return _complete_login(user, bool(form.remember.data), target)
        current_app.logger.info("login failed")
        form.form_errors.append(_("E-mail ou mot de passe incorrect."))
    return render_template("auth/login.html", form=form, next=request.args.get("next", ""))


def _complete_login(user: User, remember: bool, target: str):
    start_session(user, remember=remember)
    user.last_login_at = utcnow()
    db.session.commit()
    current_app.logger.info("login user=%s", user.id)
    flash(_("Bonjour %(name)s, vous êtes connecté·e.", name=user.display_name), "success")
    if needs_second_factor_setup(user):
        return redirect(url_for("auth.second_factor_setup"))
    return redirect(target)


def needs_second_factor_setup(user: User) -> bool:
    return bool(
        current_app.config["REQUIRE_SECOND_FACTOR"]
        and user.needs_second_factor
        and not user.totp_secret
    )


def _second_factor_limit() -> str:
    return current_app.config["RATELIMIT_SECOND_FACTOR"]


def _second_factor_key() -> str:
    pending = session.get("second_factor") or {}
    return f"second-factor:{pending.get('u')}"


@bp.route("/connexion/code", methods=["GET", "POST"])
@limiter.limit(
    _second_factor_limit, methods=["POST"], key_func=_second_factor_key, deduct_when=_failed
)
def second_factor():
    """Second step of the login for accounts with app codes."""
    pending = session.get("second_factor")
    user = db.session.get(User, pending["u"]) if pending else None
    if (
        user is None
        or not user.active
        or user.session_token != pending.get("t")
        or not user.totp_secret
    ):
        session.pop("second_factor", None)
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        if not use_second_factor_code(user, form.code.data, time.time()):
            current_app.logger.info("second factor failed user=%s", user.id)
            form.code.errors.append(
                _("Ce code n'est pas le bon, ou il a déjà servi. Attendez le suivant.")
            )
        else:
            session.pop("second_factor", None)
            return _complete_login(
                user, pending["r"], pending["n"] if is_safe_path(pending["n"]) else "/"
            )
    return render_template("auth/second_factor.html", form=form)


@bp.route("/compte/double-authentification", methods=["GET", "POST"])
@login_required
def second_factor_setup():
    """Set up app codes: scan the QR code (or type the key), then confirm with a code."""
    user: User = current_user._get_current_object()
    if user.totp_secret:
        return render_template(
            "auth/second_factor_on.html",
            form=DisableSecondFactorForm(),
            required=needs_second_factor_setup_if_removed(user),
        )
    secret = session.get("totp_pending") or totp.new_secret()
    session["totp_pending"] = secret
    form = SecondFactorForm()
    if form.validate_on_submit():
        step = totp.verify(secret, form.code.data, time.time())
        if step is None:
            form.code.errors.append(
                _("Ce code ne correspond pas. Vérifiez l'heure du téléphone et réessayez.")
            )
        else:
            user.totp_secret = secret
            user.totp_last_step = step
            end_every_session(user)  # other sessions were opened without the second factor
            start_session(user)
            db.session.commit()
            session.pop("totp_pending", None)
            flash(_("La double authentification est activée."), "success")
            return redirect(url_for("auth.profile"))
    uri = totp.provisioning_uri(secret, user.email, current_app.config["SITE_NAME"])
    return render_template(
        "auth/second_factor_setup.html",
        form=form,
        secret=totp.grouped(secret),
        qr=qr_data_uri(uri),
        required=needs_second_factor_setup(user),
    )


def needs_second_factor_setup_if_removed(user: User) -> bool:
    return bool(current_app.config["REQUIRE_SECOND_FACTOR"] and user.needs_second_factor)


@bp.route("/compte/double-authentification/desactiver", methods=["POST"])
@login_required
def second_factor_disable():
    """Turn app codes off (not allowed where they are required)."""
    user: User = current_user._get_current_object()
    if not user.totp_secret or needs_second_factor_setup_if_removed(user):
        abort(403)
    form = DisableSecondFactorForm()
    if form.validate_on_submit():
        if not user.check_password(form.password.data):
            form.password.errors.append(_("Le mot de passe est incorrect."))
        elif (
            totp.verify(user.totp_secret, form.code.data, time.time(), user.totp_last_step) is None
        ):
            form.code.errors.append(
                _("Ce code n'est pas le bon, ou il a déjà servi. Attendez le suivant.")
            )
        else:
            user.totp_secret = None
            user.totp_last_step = None
            db.session.commit()
            flash(_("La double authentification est désactivée."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/second_factor_on.html", form=form, required=False), 200


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the CSP allows data: images, not inline scripts)."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=5, border=2)


# Pages a privileged account may open before it has set up its second factor.
SETUP_ALLOWED = {
    "auth.second_factor_setup",
    "auth.logout",
    "auth.logout_everywhere",
    "auth.set_language",
    "static",
    "main.privacy",
}


@bp.before_app_request
def require_second_factor_setup():
    """Where app codes are required, an account without them sets them up first."""
    if (
        current_user.is_authenticated
        and request.endpoint not in SETUP_ALLOWED
        and needs_second_factor_setup(current_user)
    ):
        return redirect(url_for("auth.second_factor_setup"))
    return None


@bp.route("/deconnexion", methods=["POST"])
def logout():
    """Log out this device: its server-side session ends, the remember-me cookie goes."""
    end_this_session()
    db.session.commit()
    _forget_this_device()
    flash(_("Vous êtes déconnecté·e. À bientôt !"), "success")
    return redirect(url_for("main.home"))


def _forget_this_device() -> None:
    # Clear first: logout_user() then marks the remember-me cookie for deletion, which
    # clearing afterwards would undo.
    session.clear()
    logout_user()


@bp.route("/compte/deconnecter-partout", methods=["POST"])
@login_required
def logout_everywhere():
    """Log out of every device (a lost phone, a shared computer), this one included."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    user: User = current_user._get_current_object()
    end_every_session(user)
    db.session.commit()
    current_app.logger.info("logout everywhere user=%s", user.id)
    _forget_this_device()
    flash(_("Vous êtes déconnecté·e de tous vos appareils."), "success")
    return redirect(url_for("auth.login"))


def _register_checks(code: str) -> list[tuple[str, tuple[str, ...]]]:
    """The registration counters that apply: (setting, identifiers)."""
    address = limiter._key_func()  # the client address as every other limit keys it
    checks: list[tuple[str, tuple[str, ...]]] = [
        ("RATELIMIT_REGISTER_ATTEMPTS", ("register-attempt", address)),
        ("RATELIMIT_REGISTER", ("register-account", address)),
    ]
    if code:
        checks.append(("RATELIMIT_REGISTER_CODE", ("register-code", code)))
    return checks


def _registration_wait(code: str, *, accounts: bool) -> int | None:
    """Seconds until this client may register again, or None when it may now."""
    if limits_lifted():  # a device a host opened in workshop mode
        return None
    strategy = limits_strategy()
    wait = 0
    for setting, ids in _register_checks(code):
        if not accounts and setting != "RATELIMIT_REGISTER_ATTEMPTS":
            continue
        item = parse_limit(current_app.config[setting])
        if not strategy.test(item, *ids):
            reset_at = strategy.get_window_stats(item, *ids).reset_time
            wait = max(wait, int(reset_at - time.time()) + 1)
    return wait or None


def _count_registration(code: str, *, accounts: bool) -> None:
    if limits_lifted():
        return
    strategy = limits_strategy()
    for setting, ids in _register_checks(code):
        if accounts == (setting != "RATELIMIT_REGISTER_ATTEMPTS"):
            strategy.hit(parse_limit(current_app.config[setting]), *ids)


def _wait_text(seconds: int) -> str:
    minutes = -(-seconds // 60)
    if minutes <= 1:
        return _("Réessayez dans une minute.")
    if minutes < 120:
        return ngettext(
            "Réessayez dans %(num)d minute.", "Réessayez dans %(num)d minutes.", minutes
        )
    hours = -(-minutes // 60)
    return ngettext("Réessayez dans %(num)d heure.", "Réessayez dans %(num)d heures.", hours)


@bp.route("/inscription", methods=["GET", "POST"])
def register():
    """Create an account with an invitation code (or freely, if the installation allows it)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    open_registration = current_app.config["ALLOW_SELF_REGISTRATION"]
    organisations = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind == OrganisationKind.LANDLORD)
        .order_by(Organisation.name)
    ).all()
    form.organisation.choices = [(0, _("— Choisissez —"))] + [(o.id, o.name) for o in organisations]
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:32]

    def page(status: int = 200):  # type: ignore[no-untyped-def]
        return render_template(
            "auth/register.html", form=form, open_registration=open_registration
        ), status

    if request.method == "POST":
        code = (request.form.get("code") or "").strip().upper()[:32]
        wait = _registration_wait(code, accounts=False)
        if wait is None:
            _count_registration(code, accounts=False)
        else:
            # The form is bound to what was posted: its fields keep it (never the passwords).
            form.form_errors.append(
                _("Trop de tentatives d'inscription depuis cette connexion.")
                + " "
                + _wait_text(wait)
            )
            return page(429)
    if form.is_submitted():
        # Every check runs on every submission, so all the mistakes show at once (the
        # fields' own validators, the code and the password's strength together).
        valid = form.validate()
        invitation = find_usable_invitation(form.code.data or "")
        # A dwelling's letter (issue 13): a verified household of that residence.
        dwelling_code = (
            find_usable_dwelling_code(
                form.code.data or "", current_app.config["DWELLING_MAX_ACCOUNTS"]
            )
            if invitation is None
            else None
        )
        organisation = None
        if invitation is not None:
            organisation = invitation.organisation
        elif dwelling_code is not None:
            organisation = dwelling_code.dwelling.residence.organisation
        elif form.code.data:
            form.code.errors.append(_("Ce code d'invitation n'est pas valable ou a expiré."))
        elif open_registration:
            organisation = next((o for o in organisations if o.id == form.organisation.data), None)
            if organisation is None:
                form.organisation.errors.append(_("Choisissez votre bailleur."))
        else:
            form.code.errors.append(_("Saisissez le code d'invitation reçu de votre bailleur."))
        if form.password.data and not form.password.errors:
            form.password.errors = list(form.password.errors) + password_errors(
                form.password.data,
                form.display_name.data,
                form.email.data,
                organisation.name if organisation else None,
            )
        if valid and organisation is not None and not form.errors:
            code = invitation.code if invitation else dwelling_code.code if dwelling_code else ""
            wait = _registration_wait(code, accounts=True)
            if wait is not None:
                form.form_errors.append(
                    _(
                        "Beaucoup de comptes viennent d'être créés depuis cette connexion ou avec ce code."
                    )
                    + " "
                    + _wait_text(wait)
                )
                return page(429)
            try:
                user = register_account(
                    email=form.email.data,
                    display_name=form.display_name.data,
                    password=form.password.data,
                    organisation=organisation,
                    invitation=invitation,
                    locale=session.get("lang", "fr"),
                    dwelling_code=dwelling_code,
                )
            except DwellingCodeUsedUp:
                db.session.rollback()
                form.code.errors.append(
                    _("Ce code du courrier a déjà servi. Demandez-en un autre à votre bailleur.")
                )
                return page()
            except InvitationUsedUp:
                db.session.rollback()
                form.code.errors.append(
                    _(
                        "Ce code d'invitation vient de servir pour la dernière fois. Demandez-en un autre à votre bailleur."
                    )
                )
                return page()
            if user is not None:
                current_app.logger.info("register user=%s", user.id)
            db.session.commit()
            _count_registration(code, accounts=True)
            # Same page whether the address was new or known: nothing is revealed.
            return render_template("auth/check_email.html", email=normalise_email(form.email.data))
    return page()


@bp.route("/verifier/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    """Confirm an e-mail address. GET shows a button: mail scanners must not confirm it."""
    data = read_verify_token(token)
    user = db.session.get(User, data["u"]) if data else None
    if data is None or user is None or user.email != data["e"]:
        return render_template("auth/token_invalid.html"), 400
    form = EmptyForm()
    if form.validate_on_submit():
        user.email_verified = True
        db.session.commit()
        flash(_("Merci, votre adresse e-mail est confirmée."), "success")
        return redirect(
            url_for("main.home") if current_user.is_authenticated else url_for("auth.login")
        )
    return render_template("auth/verify.html", form=form, user=user)


def _resend_key() -> str:
    return f"resend-verification:{current_user.get_id() if current_user else ''}"


@bp.route("/verifier", methods=["POST"])
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_RESET"], key_func=_resend_key)
def resend_verification():
    """Send the verification e-mail again (as often as reset links: the outbox is not a
    megaphone)."""
    form = EmptyForm()
    if form.validate_on_submit() and not current_user.email_verified:
        send_verification(current_user)
        db.session.commit()
        flash(_("Un nouvel e-mail de confirmation vient de partir."), "success")
    return redirect(safe_next(url_for("auth.profile")))


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_RESET"]


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def forgot_password():
    """Send a reset link; the same answer whether the e-mail has an account or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None and user.active:
            send_reset(user)
            db.session.commit()
        return render_template(
            "auth/check_email.html", email=normalise_email(form.email.data), reset=True
        )
    return render_template("auth/forgot.html", form=form)


@bp.route("/reinitialiser/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from an e-mailed link that expires and works once."""
    data = read_reset_token(token)
    user = db.session.get(User, data["u"]) if data else None
    if (
        data is None
        or user is None
        or not user.active
        or not reset_token_matches(data, user.password_hash)
    ):
        return render_template("auth/token_invalid.html", reset=True), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        form.password.errors.extend(
            password_errors(form.password.data, user.display_name, user.email)
        )
        if not form.password.errors:
            change_password(user, form.password.data)
            user.email_verified = True  # the link reached the mailbox
            db.session.commit()
            _forget_this_device()
            flash(_("Votre mot de passe est changé. Vous pouvez vous connecter."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.route("/compte", methods=["GET", "POST"])
@login_required
def profile():
    """Change my display name, residence and language."""
    user: User = current_user._get_current_object()
    form = ProfileForm(obj=user if request.method == "GET" else None)
    residences = (
        db.session.scalars(
            select(Residence)
            .where(Residence.organisation_id == user.organisation_id)
            .order_by(Residence.name)
        ).all()
        if user.organisation_id
        else []
    )
    form.residence.choices = [(0, _("— Aucune —"))] + [(r.id, r.label) for r in residences]
    if request.method == "GET":
        form.residence.data = user.residence_id or 0
        form.locale.data = user.locale
    if form.validate_on_submit():
        if form.residence.data and form.residence.data not in {r.id for r in residences}:
            form.residence.errors.append(_("Choisissez une résidence de votre bailleur."))
        else:
            user.display_name = form.display_name.data
            user.residence_id = form.residence.data or None
            user.locale = form.locale.data
            session["lang"] = user.locale
            db.session.commit()
            flash(_("Vos informations sont enregistrées."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, user=user, resend_form=EmptyForm())


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password_view():
    """Change my password; my other sessions are signed out."""
    user: User = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Le mot de passe actuel est incorrect."))
        else:
            form.password.errors.extend(
                password_errors(form.password.data, user.display_name, user.email)
            )
        if not form.errors:
            change_password(user, form.password.data)
            # Keep this device logged in with a new record; the others are now invalid.
            start_session(user, remember=False)
            db.session.commit()
            flash(_("Mot de passe changé. Vos autres sessions sont déconnectées."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


def _same_origin() -> bool:
    """The browser says the form was posted from this site (Origin, else Sec-Fetch-Site)."""
    origin = request.headers.get("Origin")
    if origin:
        return urlsplit(origin).netloc == request.host
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


@bp.route("/langue", methods=["POST"])
@csrf.exempt
def set_language():
    """Switch the interface between French and English.

    Members post the usual CSRF token (the choice is saved on their account). Visitors'
    pages carry no token, so that the page cache can share them (ideation/core/cache.py):
    a forged switch could only change a visitor's display language, and the browser's
    Origin must still name this site.
    """
    if current_user.is_authenticated:
        form = EmptyForm()
        if not form.validate_on_submit():
            abort(400)
    elif not _same_origin():
        abort(400)
    lang = request.form.get("lang", "fr")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.locale = lang
        db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_path(target) else url_for("main.home"))
