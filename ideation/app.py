"""The application factory: configuration, extensions, blueprints, security headers."""

from __future__ import annotations

import ipaddress
import os
import secrets
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import click
from flask import Flask, abort, has_request_context, render_template, request, session
from flask.globals import request_ctx
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_number,
    format_time,
    get_locale,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from config import CONFIGS
from ideation import models  # noqa: F401  (every table known to Alembic)
from ideation.admin.views import bp as admin_bp
from ideation.assisted.views import bp as assisted_bp
from ideation.auth import sessions
from ideation.auth.views import bp as auth_bp
from ideation.challenges.views import bp as challenges_bp
from ideation.cli import register_cli
from ideation.comments.views import bp as comments_bp
from ideation.core import cache as page_cache
from ideation.core import logs, outage, transactions, uploads
from ideation.core.forms import label_stem
from ideation.core.limits import limits_lifted
from ideation.core.numbers import BoundedIntegerConverter
from ideation.core.security import current_actor
from ideation.dashboard.views import bp as dashboard_bp
from ideation.desks import paper as paper_services
from ideation.desks.paper_views import bp as paper_bp
from ideation.desks.views import bp as desks_bp
from ideation.domain import permissions
from ideation.extensions import babel, csrf, db, limiter, login_manager, migrate
from ideation.fabrique.views import bp as fabrique_bp
from ideation.ideas import services as idea_services
from ideation.ideas.views import bp as ideas_bp
from ideation.main.views import bp as main_bp
from ideation.moderation.views import bp as moderation_bp
from ideation.notifications import listeners as notification_listeners
from ideation.notifications.views import bp as notifications_bp
from ideation.outreach.views import bp as outreach_bp
from ideation.pages.views import bp as pages_bp
from ideation.participation.views import bp as participation_bp
from ideation.photos import services as photo_services
from ideation.photos.models import PhotoOwner
from ideation.photos.views import bp as photos_bp
from ideation.pilots import services as pilot_services
from ideation.pilots.views import bp as pilots_bp
from ideation.printed.views import bp as printed_bp
from ideation.privacy.views import bp as privacy_bp
from ideation.voting import services as voting_services
from ideation.voting.views import bp as voting_bp
from ideation.workshops import services as workshop_services
from ideation.workshops.views import bp as workshops_bp

# Every area's blueprint with its URL prefix, registered in this order by the factory.
BLUEPRINTS = [
    (main_bp, None),
    (auth_bp, None),
    (admin_bp, "/admin"),
    (notifications_bp, None),
    (challenges_bp, None),
    (ideas_bp, None),
    (voting_bp, None),
    (comments_bp, None),
    (moderation_bp, None),
    (pilots_bp, None),
    (photos_bp, None),
    (fabrique_bp, None),
    (dashboard_bp, "/tableau-de-bord"),
    (privacy_bp, None),
    (pages_bp, None),
    (participation_bp, None),
    (outreach_bp, None),
    (workshops_bp, None),
    (assisted_bp, None),
    (printed_bp, None),
    # Paper ballots and closure records of the voting desks (issue 14, items 2 and 3).
    (paper_bp, None),
    # Voting desks: open one, record a participant's ranking, tick the paper voters.
    (desks_bp, None),
]

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


def _instance_secret_key(path: str) -> str:
    """The development key: random, written once (mode 0600) under instance/, then reused."""
    try:
        with open(path, encoding="ascii") as existing:
            key = existing.read().strip()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        key = ""
    fresh = secrets.token_urlsafe(48)
    temporary = f"{path}.{os.getpid()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as new:
        new.write(fresh + "\n")
    try:
        if key:  # a damaged file: replace it
            os.replace(temporary, path)
            return fresh
        # link() fails if another process wrote the key meanwhile: then use theirs.
        os.link(temporary, path)
    except FileExistsError:
        with open(path, encoding="ascii") as theirs:
            return theirs.read().strip()
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return fresh


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


EXPOSED_WARNING = (
    "\n" + "!" * 72 + "\n"
    "  DEVELOPMENT CONFIGURATION REACHABLE FROM OTHER MACHINES (%s).\n"
    "  Debug mode, demo accounts and console e-mails are not for a network.\n"
    "  Set FLASK_CONFIG=production (see README, Production) or listen on 127.0.0.1.\n" + "!" * 72
)


def _warn_if_exposed(app: Flask) -> None:
    """Warn loudly when a development app listens (or is reached) beyond loopback."""
    if not app.config.get("DEBUG") or app.config.get("TESTING"):
        return
    # `flask run --host 0.0.0.0`: the app is built inside the click command that serves it.
    context = click.get_current_context(silent=True)
    if context is not None and context.command.name == "run":
        host = context.params.get("host") or "127.0.0.1"
        if not _is_loopback(str(host)):
            app.logger.warning(EXPOSED_WARNING, f"flask run --host {host}")
    warned: list[str] = []

    @app.before_request
    def warn_on_a_remote_peer() -> None:
        # Any other server (gunicorn -b 0.0.0.0 with FLASK_CONFIG unset): the first visitor
        # from another machine proves the exposure.
        peer = request.remote_addr
        if not warned and peer and not _is_loopback(peer):
            warned.append(peer)
            app.logger.warning(EXPOSED_WARNING, f"request from {peer}")


def _finish_config(app: Flask) -> None:
    """Settings computed once the configuration is loaded."""
    if not app.config.get("SECRET_KEY"):
        if not app.config.get("GENERATE_SECRET_KEY"):
            raise RuntimeError("SECRET_KEY is required outside development")
        path = app.config.get("SECRET_KEY_FILE") or os.path.join(app.instance_path, "secret_key")
        app.config["SECRET_KEY"] = _instance_secret_key(path)
    if app.config.get("TRUSTED_HOSTS_FROM_BASE_URL") and not app.config.get("TRUSTED_HOSTS"):
        # Flask 3.1 answers 400 to any other Host header.
        app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["BASE_URL"]).hostname]
    x_for, x_proto = int(app.config["PROXY_X_FOR"]), int(app.config["PROXY_X_PROTO"])
    if x_for or x_proto:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only the client address and scheme: the host comes from BASE_URL/TRUSTED_HOSTS.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto)  # type: ignore[method-assign]
    _warn_if_exposed(app)


def build_app(config: Any = None) -> Flask:
    app = Flask(
        __name__.split(".")[0],
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    _load_config(app, config)
    os.makedirs(app.instance_path, exist_ok=True)
    # Before any route: `<int:…>` takes ASCII digits within the database's range, else 404.
    app.url_map.converters["int"] = BoundedIntegerConverter
    _finish_config(app)
    logs.init_app(app)  # first: the request id exists for every later hook and log line

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    # A device a host opened in workshop mode is never stopped by the per-address limits.
    if limits_lifted not in limiter._request_filters:  # one limiter for every app built
        limiter.request_filter(limits_lifted)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Europe/Paris")
    login_manager.init_app(app)
    _configure_login(app)
    from ideation.core.queue import init_queue

    init_queue(app)

    for blueprint, prefix in BLUEPRINTS:
        app.register_blueprint(blueprint, url_prefix=prefix)

    voting_services.connect_signals()
    # The vote is counted only once its desks are closed and their records frozen.
    if paper_services.close_guard not in voting_services.CLOSE_GUARDS:
        voting_services.CLOSE_GUARDS.append(paper_services.close_guard)
    # What photos illustrate, by kind (ideation/photos/services.py OWNERS).
    photo_services.register_owner(PhotoOwner.IDEA, idea_services.photo_owner)
    photo_services.register_owner(PhotoOwner.PILOT_UPDATE, pilot_services.update_photo_owner)
    photo_services.register_owner(PhotoOwner.WORKSHOP, workshop_services.photo_owner)
    notification_listeners.connect_signals()
    _register_hooks(app)
    page_cache.init_app(app)  # ETag/304 for anonymous pages, the Redis page cache if set
    transactions.init_app(app)  # a request that only read commits (prepared statements kept)
    _register_errors(app)
    outage.init_app(app)  # a part down: the short 503 page, never a trace
    _register_template_helpers(app)
    uploads.install(app)  # first of the before-request hooks: ahead of the CSRF check

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
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"

    sessions.init_app(app)
    # The account's token and this device's server-side record (ideation/auth/sessions.py).
    login_manager.user_loader(sessions.load_session_user)


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
        if has_request_context() and request_ctx.url_adapter is None:
            # A Host outside TRUSTED_HOSTS: no URL can be built for the page, so a bare answer.
            return "Bad Request", code, {"Content-Type": "text/plain; charset=utf-8"}
        return render_template("errors/error.html", code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, handler)

    app.register_error_handler(CSRFError, handler)


def _register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"actor": current_actor(), "perm": permissions}

    def format_when(value):  # type: ignore[no-untyped-def]
        """A date and time for people: "31 mai 2026, 14:05" / "May 31, 2026, 2:05 PM"."""
        return f"{format_date(value, 'long')}, {format_time(value, 'short')}"

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        get_locale=get_locale,
        format_when=format_when,
        format_date=format_date,
        format_datetime=format_datetime,
        format_time=format_time,
        format_number=format_number,
        format_decimal=format_decimal,
        label_stem=label_stem,
    )
