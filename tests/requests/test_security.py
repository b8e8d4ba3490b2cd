"""HTTP security baseline: CSRF on every POST, headers on every route, malformed input."""

from __future__ import annotations

import re

import pytest

from ideation import create_app
from tests.factories import make_user
from tests.helpers import unchanged


@pytest.fixture
def csrf_client(database_url, db):
    app = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True}
    )
    return app, app.test_client()


def _sample_path(rule) -> str:
    """Fill every URL argument with a plausible value so the rule matches."""
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg].__class__.__name__
        values[arg] = 1 if "Integer" in converter else "x"
    path = rule.rule
    for arg, value in values.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{arg}>", str(value), path)
    return path


def _post_rules(app):
    return [r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint != "static"]


def test_every_post_route_refuses_a_request_without_csrf_token(csrf_client, db):
    app, client = csrf_client
    rules = _post_rules(app)
    assert len(rules) >= 10
    user = make_user(role="admin")
    db.session.commit()
    for logged_in in (False, True):
        if logged_in:
            # log in through the form, token included, then forget to send one
            page = client.get("/connexion")
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(
                1
            )
            from tests.factories import DEFAULT_PASSWORD

            assert (
                client.post(
                    "/connexion",
                    data={"csrf_token": token, "email": user.email, "password": DEFAULT_PASSWORD},
                ).status_code
                == 302
            )
        for rule in rules:
            response = client.post(_sample_path(rule), data={"anything": "1"})
            assert response.status_code == 400, (
                f"{rule.rule} answered {response.status_code} without a CSRF token"
            )


def test_login_form_works_with_its_token(csrf_client, db):
    app, client = csrf_client
    user = make_user()
    db.session.commit()
    page = client.get("/connexion")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    from tests.factories import DEFAULT_PASSWORD

    response = client.post(
        "/connexion", data={"csrf_token": token, "email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


def _get_paths(app):
    return [
        _sample_path(r)
        for r in app.url_map.iter_rules()
        if "GET" in r.methods and r.endpoint != "static"
    ]


def test_security_headers_on_every_route_including_errors(app, client, db):
    paths = _get_paths(app) + ["/does-not-exist", "/admin/organisations"]
    for path in paths:
        response = client.get(path)
        csp = response.headers.get("Content-Security-Policy", "")
        assert (
            "script-src 'self'" in csp
            and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        ), path
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, (path, directive)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"], path


def test_pages_for_logged_in_users_are_not_cached(client, db, login):
    login(make_user())
    assert client.get("/compte").headers["Cache-Control"] == "no-store"
    assert client.get("/does-not-exist").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client, db, login):
    user = make_user()
    db.session.commit()
    from tests.factories import DEFAULT_PASSWORD

    response = client.post("/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_config_hardens_cookies_and_refuses_missing_secrets(monkeypatch):
    from config import ProductionConfig

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production")
    assert (
        ProductionConfig.SESSION_COOKIE_SECURE
        and ProductionConfig.SESSION_COOKIE_NAME.startswith("__Host-")
    )
    assert ProductionConfig.REMEMBER_COOKIE_SECURE


def test_production_sends_hsts(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("BASE_URL", "https://fabrique.example")
    app = create_app(
        {
            "CONFIG": "production",
            "BASE_URL": "https://fabrique.example",
            "SECRET_KEY": "x" * 40,
        }
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'p.db'}"
    response = app.test_client().get("/sante", base_url="https://fabrique.example")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_nul_byte_in_a_form_is_a_400_not_a_500(client, db):
    with unchanged():
        response = client.post("/connexion", data={"email": "a\x00b@example.test", "password": "x"})
        assert response.status_code == 400


def test_invalid_utf8_in_a_form_is_a_400(client, db):
    with unchanged():
        response = client.post(
            "/connexion",
            data=b"email=%FF%FE&password=x",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 400


def test_invalid_utf8_in_the_query_string_is_a_400(client, db):
    assert client.get("/admin/utilisateurs?q=%FF").status_code == 400


def test_nul_byte_in_the_query_string_is_a_400(client, db):
    assert client.get("/?q=%00").status_code == 400


def test_oversized_body_is_refused(client, db):
    with unchanged():
        response = client.post(
            "/connexion", data={"email": "a@b.c", "password": "x" * (3 * 1024 * 1024)}
        )
        assert response.status_code == 413
    assert "trop volumineux" in response.text


def test_error_pages_are_in_the_sites_design(client, db):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.text and 'class="site-header"' in response.text


def test_server_error_page_is_generic(database_url, db):
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url})

    @app.route("/__boom")
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/__boom")
    assert response.status_code == 500
    assert "secret internals" not in response.text and "Erreur du serveur" in response.text
    assert "Content-Security-Policy" in response.headers
