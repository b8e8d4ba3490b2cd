"""Login, registration and reset are throttled: temporary, per address and per account."""

from __future__ import annotations

import time

import pytest

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.helpers import unchanged, without_tokens


@pytest.fixture
def limits(app):
    saved = {
        k: app.config[k]
        for k in (
            "RATELIMIT_LOGIN",
            "RATELIMIT_LOGIN_ACCOUNT",
            "RATELIMIT_REGISTER",
            "RATELIMIT_REGISTER_ATTEMPTS",
            "RATELIMIT_RESET",
        )
    }

    def _set(**values):
        app.config.update(values)

    yield _set
    app.config.update(saved)


class _Clock:
    """time.time() shifted forward on demand, for the limiter's windows."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def __getattr__(self, name):
        return getattr(time, name)


@pytest.fixture
def advance(app, monkeypatch):
    """advance(seconds): move the rate limiter's clock on instead of sleeping."""
    import limits.storage.memory
    import limits.strategies

    from ideation.extensions import limiter

    if not isinstance(limiter.storage, limits.storage.memory.MemoryStorage):
        return time.sleep  # a shared storage (Redis) keeps its own clock
    clock = _Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(limits.strategies, "time", clock)

    def _advance(seconds: float) -> None:
        clock.offset += seconds

    return _advance


def test_repeated_failed_logins_get_429_then_work_after_the_window(client, db, limits, advance):
    limits(RATELIMIT_LOGIN_ACCOUNT="3 per 2 seconds")
    user = make_user(email="victim@example.test")
    db.session.commit()
    for _ in range(3):
        assert (
            client.post(
                "/connexion", data={"email": user.email, "password": "mauvais mot de passe"}
            ).status_code
            == 200
        )
    with unchanged():
        blocked = client.post(
            "/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD}
        )
        assert blocked.status_code == 429
    assert "Trop de tentatives" in blocked.text and "quelques minutes" in blocked.text
    advance(2.1)
    assert (
        client.post(
            "/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD}
        ).status_code
        == 302
    )


def test_account_throttling_answers_the_same_for_unknown_accounts(client, db, limits):
    limits(RATELIMIT_LOGIN_ACCOUNT="2 per minute")
    make_user(email="known@example.test")
    db.session.commit()
    answers = {}
    for email in ("known@example.test", "ghost@example.test"):
        for _ in range(2):
            client.post("/connexion", data={"email": email, "password": "mauvais mot de passe"})
        answers[email] = client.post(
            "/connexion", data={"email": email, "password": "mauvais mot de passe"}
        )
    known, ghost = answers["known@example.test"], answers["ghost@example.test"]
    assert known.status_code == ghost.status_code == 429
    assert without_tokens(known.text) == without_tokens(ghost.text)


def test_successful_logins_do_not_count_against_the_account(client, db, limits):
    limits(RATELIMIT_LOGIN_ACCOUNT="2 per minute")
    user = make_user()
    db.session.commit()
    for _ in range(4):
        assert (
            client.post(
                "/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD}
            ).status_code
            == 302
        )
        client.post("/deconnexion")


def test_login_is_throttled_per_address(client, db, limits):
    limits(RATELIMIT_LOGIN="3 per minute")
    for i in range(3):
        client.post(
            "/connexion", data={"email": f"u{i}@example.test", "password": "mauvais mot de passe"}
        )
    with unchanged():
        assert (
            client.post(
                "/connexion", data={"email": "u9@example.test", "password": "x"}
            ).status_code
            == 429
        )
    # a GET of the form is never throttled
    assert client.get("/connexion").status_code == 200


def test_registration_is_throttled(client, db, limits):
    limits(RATELIMIT_REGISTER_ATTEMPTS="2 per minute")
    for _ in range(2):
        client.post("/inscription", data={"code": "NOPE"})
    with unchanged():
        assert client.post("/inscription", data={"code": "NOPE"}).status_code == 429


def test_reset_requests_are_throttled(client, db, limits):
    limits(RATELIMIT_RESET="2 per minute")
    for _ in range(2):
        client.post("/mot-de-passe-oublie", data={"email": "a@example.test"})
    with unchanged():
        assert (
            client.post("/mot-de-passe-oublie", data={"email": "a@example.test"}).status_code == 429
        )


def test_redis_storage_is_used_when_redis_url_is_set(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    reloaded = importlib.reload(config)
    try:
        assert reloaded.Config.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(config)
