"""Logout ends the session on the server (ASVS 7.4.1, issue 10 item 2): a session cookie
or remember-me cookie copied before logout opens nothing afterwards; only this device
ends; "log out of every device" ends them all. Database store by default, Redis by
configuration (the same tests run on both)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from ideation import create_app
from ideation.auth.models import UserSession
from tests.conftest import need
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.helpers import unchanged

REDIS_URL = "redis://127.0.0.1:6379/1"


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001  (any failure means: no Redis here)
        return False


@pytest.fixture(params=["database", "redis"])
def site(request, app, database_url, db):
    """The app under test with each session store."""
    if request.param == "database":
        yield app
        return
    need(_redis_available(), f"Redis is not reachable at {REDIS_URL}")
    prefix = f"test-session:{uuid.uuid4().hex}:"
    redis_app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SESSION_STORE": "redis",
            "SESSION_REDIS_URL": REDIS_URL,
            "SESSION_REDIS_PREFIX": prefix,
        }
    )
    yield redis_app
    store = redis_app.extensions["fabrique_sessions"].redis
    for name in store.scan_iter(f"{prefix}*"):
        store.delete(name)


def _logged_in(site, user, remember: bool = False):
    client = site.test_client()
    data = {"email": user.email, "password": DEFAULT_PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/connexion", data=data).status_code == 302
    assert client.get("/compte").status_code == 200
    return client


def _replay(site, name: str, value: str) -> int:
    """A fresh browser holding only this copied cookie opens /compte: 200 or 302."""
    thief = site.test_client()
    thief.set_cookie(name, value)
    return thief.get("/compte").status_code


def test_cookies_copied_before_logout_are_worthless_after_it(site, db):
    user = make_user()
    db.session.commit()
    client = _logged_in(site, user, remember=True)
    session_cookie = client.get_cookie("session").value
    remember_cookie = client.get_cookie("remember_token").value
    assert _replay(site, "remember_token", remember_cookie) == 200  # the copy works before
    client.post("/deconnexion")
    assert (
        _replay(site, "session", session_cookie),
        _replay(site, "remember_token", remember_cookie),
    ) == (302, 302)


def test_logout_removes_the_remember_me_cookie(site, db):
    user = make_user()
    db.session.commit()
    client = _logged_in(site, user, remember=True)
    client.post("/deconnexion")
    assert client.get_cookie("remember_token") is None


def test_logout_ends_only_this_device(site, db):
    user = make_user()
    db.session.commit()
    phone, laptop = _logged_in(site, user), _logged_in(site, user)
    phone.post("/deconnexion")
    assert (phone.get("/compte").status_code, laptop.get("/compte").status_code) == (302, 200)


def test_log_out_of_every_device(site, db):
    user = make_user()
    db.session.commit()
    phone, laptop = _logged_in(site, user, remember=True), _logged_in(site, user)
    remember_cookie = phone.get_cookie("remember_token").value
    response = laptop.post("/compte/deconnecter-partout")
    assert response.status_code == 302 and response.headers["Location"] == "/connexion"
    assert [c.get("/compte").status_code for c in (phone, laptop)] == [302, 302]
    assert _replay(site, "remember_token", remember_cookie) == 302
    assert _logged_in(site, user).get("/compte").status_code == 200  # logging in again works


def test_log_out_of_every_device_needs_a_csrf_token(database_url, db):
    csrf_app = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True}
    )
    user = make_user()
    db.session.commit()
    client = csrf_app.test_client()
    login_page = client.get("/connexion").text
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/connexion",
        data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    with unchanged():
        assert client.post("/compte/deconnecter-partout").status_code == 400
    assert client.get("/compte").status_code == 200


def test_the_account_page_shows_the_every_device_button(client, db, login):
    login(make_user())
    page = client.get("/compte").text
    assert 'action="/compte/deconnecter-partout"' in page
    assert "Se déconnecter de tous les appareils" in page


def test_password_change_ends_the_other_devices_remember_me(site, db):
    user = make_user()
    db.session.commit()
    client, other = _logged_in(site, user), _logged_in(site, user, remember=True)
    remember_cookie = other.get_cookie("remember_token").value
    new = "mon nouveau mot de passe secret"
    client.post(
        "/compte/mot-de-passe",
        data={"current_password": DEFAULT_PASSWORD, "password": new, "password_confirm": new},
    )
    assert client.get("/compte").status_code == 200
    assert _replay(site, "remember_token", remember_cookie) == 302


def test_deactivation_ends_every_session(site, db):
    user = make_user()
    db.session.commit()
    client = _logged_in(site, user, remember=True)
    remember_cookie = client.get_cookie("remember_token").value
    user.active = False
    user.rotate_session_token()  # what the admin's deactivation and erasure do
    db.session.commit()
    assert client.get("/compte").status_code == 302
    assert _replay(site, "remember_token", remember_cookie) == 302


def test_database_records_come_and_go_with_logins(client, db):
    user = make_user()
    db.session.commit()

    def records() -> int:
        db.session.expire_all()
        return db.session.scalar(
            select(func.count()).select_from(UserSession).where(UserSession.user_id == user.id)
        )

    client.post("/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert records() == 1
    stored = db.session.scalar(select(UserSession.key_hash))
    assert stored not in client.get_cookie("session").value  # only a hash is kept
    client.post("/deconnexion")
    assert records() == 0


def test_an_expired_record_opens_nothing(client, db):
    from datetime import timedelta

    from ideation.db_types import utcnow

    user = make_user()
    db.session.commit()
    client.post("/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    db.session.scalar(select(UserSession)).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/compte").status_code == 302
