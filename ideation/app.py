"""The application factory: configuration, extensions, blueprints, security headers."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask, abort, g, render_template, request, session
from flask_babel import format_date, format_datetime, format_decimal, format_number
from flask_login import current_user

from ideation.extensions import babel, csrf, db, limiter, login_manager, migrate

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def _load_config(app: Flask, config: Any) -> None:
    from config import CONFIGS

    if config is None:
        config = os.environ.get("FLASK_CONFIG", "development")
    overrides: dict[str, Any] = {}
    if isinstance(config, dict):
        overrides = config
        config = overrides.pop("CONFIG", os.environ.get("FLASK_CONFIG", "testing"))
    if isinstance(config, str):
        config = CONFIGS[config]
    config.validate()
    app.config.from_object(config)
    app.config.update(overrides)


def build_app(config: Any = None) -> Flask:
    app = Flask(
        __name__.split(".")[0],
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    _load_config(app, config)
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Europe/Paris")
    login_manager.init_app(app)
    _configure_login(app)
    from ideation.core.queue import init_queue

    init_queue(app)

    from ideation import models  # noqa: F401  (every table known to Alembic)
    from ideation.admin import bp as admin_bp
    from ideation.auth import bp as auth_bp
    from ideation.challenges import blueprint as challenges_blueprint
    from ideation.comments import blueprint as comments_blueprint
    from ideation.dashboard import blueprint as dashboard_blueprint
    from ideation.ideas import blueprint as ideas_blueprint
    from ideation.main import bp as main_bp
    from ideation.moderation import blueprint as moderation_blueprint
    from ideation.notifications import bp as notifications_bp
    from ideation.pilots import blueprint as pilots_blueprint
    from ideation.privacy import blueprint as privacy_blueprint
    from ideation.voting import blueprint as voting_blueprint

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(notifications_bp)
    app.register_blueprint(challenges_blueprint())
    app.register_blueprint(ideas_blueprint())
    app.register_blueprint(voting_blueprint())
    app.register_blueprint(comments_blueprint())
    app.register_blueprint(moderation_blueprint())
    app.register_blueprint(pilots_blueprint())
    app.register_blueprint(dashboard_blueprint(), url_prefix="/tableau-de-bord")
    app.register_blueprint(privacy_blueprint())

    _register_hooks(app)
    _register_errors(app)
    _register_template_helpers(app)

    from ideation.cli import register_cli

    register_cli(app)
    return app


def _select_locale() -> str:
    languages = ("fr", "en")
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return "fr"


def _configure_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from ideation.auth.models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(alternative_id: str) -> User | None:
        user_id, _, token = alternative_id.partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_token != token or not user.active:
            return None
        return user


def _reject_malformed_input() -> None:
    """A NUL byte or invalid UTF-8 in the query or a form is a bad request, never a 500."""
    raw_parts = [request.query_string]
    if request.mimetype == "application/x-www-form-urlencoded":
        raw_parts.append(request.get_data(cache=True))
    for raw in raw_parts:
        if not raw:
            continue
        try:
            pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            abort(400)
        for key, value in pairs:
            if "\x00" in key or "\x00" in value:
                abort(400)
    if request.mimetype == "multipart/form-data":
        for key, value in request.form.items(multi=True):
            if "\x00" in value or "\ufffd" in value or "\x00" in key:
                abort(400)


def _register_hooks(app: Flask) -> None:
    app.before_request(_reject_malformed_input)

    @app.after_request
    def security_headers(response):  # type: ignore[no-untyped-def]
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if current_user and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
        return response


def _register_errors(app: Flask) -> None:
    """Errors in the site's design; titles and texts live in templates/errors/error.html."""

    def handler(error):  # type: ignore[no-untyped-def]
        code = getattr(error, "code", 500) or 500
        if code == 500:
            db.session.rollback()
        g.error_code = code
        return render_template("errors/error.html", code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, handler)

    from flask_wtf.csrf import CSRFError

    app.register_error_handler(CSRFError, handler)


def _register_template_helpers(app: Flask) -> None:
    from ideation.core.security import current_actor
    from ideation.domain import permissions

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"actor": current_actor(), "perm": permissions}

    from flask_babel import format_time, get_locale

    def format_when(value):  # type: ignore[no-untyped-def]
        """A date and time for people: "31 mai 2026, 14:05" / "May 31, 2026, 2:05 PM"."""
        return f"{format_date(value, 'long')}, {format_time(value, 'short')}"

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        get_locale=get_locale,
        format_when=format_when,
        format_date=format_date,
        format_datetime=format_datetime,
        format_number=format_number,
        format_decimal=format_decimal,
    )
