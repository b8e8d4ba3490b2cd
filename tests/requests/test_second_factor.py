"""Second factor (TOTP app codes) for staff, facilitators, landlord managers and admins."""

from __future__ import annotations

import time

import pytest

from ideation.domain import totp
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.helpers import unchanged


@pytest.fixture
def required(app):
    app.config["REQUIRE_SECOND_FACTOR"] = True
    yield
    app.config["REQUIRE_SECOND_FACTOR"] = False


def _enable(client, user):
    page = client.get("/compte/double-authentification")
    assert page.status_code == 200 and "data:image/svg+xml" in page.text
    with client.session_transaction() as session:
        secret = session["totp_pending"]
    assert totp.grouped(secret) in page.text
    response = client.post(
        "/compte/double-authentification", data={"code": totp.code_at(secret, time.time())}
    )
    assert response.status_code == 302
    return secret


def _password_step(client, user):
    return client.post("/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})


def test_enabling_needs_a_right_code(client, db, login):
    user = login(make_user(role="facilitator"))
    client.get("/compte/double-authentification")
    wrong = client.post("/compte/double-authentification", data={"code": "000000"})
    assert "ne correspond pas" in wrong.text
    db.session.refresh(user)
    assert user.totp_secret is None
    secret = _enable(client, user)
    db.session.refresh(user)
    assert user.totp_secret == secret


def test_enabling_signs_out_the_other_sessions(app, client, db, login):
    user = login(make_user(role="staff"))
    other = app.test_client()
    other.post("/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert other.get("/compte").status_code == 200
    _enable(client, user)
    assert client.get("/compte").status_code == 200
    assert other.get("/compte").status_code == 302


def test_login_asks_for_the_code_after_the_password(app, client, db, login):
    user = login(make_user(role="admin"))
    secret = _enable(client, user)
    client.post("/deconnexion")
    response = _password_step(client, user)
    assert response.headers["Location"] == "/connexion/code"
    assert client.get("/compte").status_code == 302  # not logged in yet
    bad = client.post("/connexion/code", data={"code": "123456"})
    assert "n&#39;est pas le bon" in bad.text
    # the code of the next step (the one used at setup is spent)
    code = totp.code_at(secret, time.time() + 30)
    assert client.post("/connexion/code", data={"code": code}).status_code == 302
    assert client.get("/compte").status_code == 200
    client.post("/deconnexion")
    _password_step(client, user)
    replay = client.post("/connexion/code", data={"code": code})
    assert replay.status_code == 200 and "déjà servi" in replay.text


def test_code_page_without_a_password_step_goes_back_to_login(client, db):
    assert client.get("/connexion/code").headers["Location"] == "/connexion"
    assert (
        client.post("/connexion/code", data={"code": "123456"}).headers["Location"] == "/connexion"
    )


def test_code_attempts_are_throttled(app, client, db, login):
    user = login(make_user(role="bailleur"))
    _enable(client, user)
    client.post("/deconnexion")
    app.config["RATELIMIT_SECOND_FACTOR"] = "3 per minute"
    try:
        _password_step(client, user)
        for _ in range(3):
            client.post("/connexion/code", data={"code": "000000"})
        with unchanged():
            assert client.post("/connexion/code", data={"code": "000000"}).status_code == 429
    finally:
        app.config["RATELIMIT_SECOND_FACTOR"] = "1000 per minute"


def test_where_required_privileged_accounts_must_set_it_up_first(client, db, login, required):
    login(make_user(role="facilitator"))
    for path in ("/", "/compte", "/admin/invitations"):
        response = client.get(path)
        assert (
            response.status_code == 302
            and response.headers["Location"] == "/compte/double-authentification"
        )
    assert client.get("/compte/double-authentification").status_code == 200


def test_tenants_are_exempt_even_where_required(client, db, login, required):
    login(make_user(role="tenant"))
    assert client.get("/compte").status_code == 200


def test_disabling_needs_password_and_code_and_is_refused_where_required(app, client, db, login):
    user = login(make_user(role="staff"))
    secret = _enable(client, user)
    next_code = totp.code_at(secret, time.time() + 30)
    bad = client.post(
        "/compte/double-authentification/desactiver",
        data={"password": "pas le bon", "code": next_code},
    )
    assert "incorrect" in bad.text
    app.config["REQUIRE_SECOND_FACTOR"] = True
    try:
        assert (
            client.post(
                "/compte/double-authentification/desactiver",
                data={"password": DEFAULT_PASSWORD, "code": next_code},
            ).status_code
            == 403
        )
    finally:
        app.config["REQUIRE_SECOND_FACTOR"] = False
    ok = client.post(
        "/compte/double-authentification/desactiver",
        data={"password": DEFAULT_PASSWORD, "code": next_code},
    )
    assert ok.status_code == 302
    db.session.refresh(user)
    assert user.totp_secret is None


def test_production_requires_the_second_factor_by_default():
    from config import DevelopmentConfig, ProductionConfig

    assert ProductionConfig.REQUIRE_SECOND_FACTOR is True
    assert DevelopmentConfig.REQUIRE_SECOND_FACTOR is False
