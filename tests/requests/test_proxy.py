"""Behind a configured reverse proxy, limits key on the client, IPv6 on its /64 (issue 10,
item 5, proxy part)."""

from __future__ import annotations

import pytest

from ideation import create_app
from ideation.extensions import client_address_key

WRONG = {"email": "someone@example.test", "password": "mauvais mot de passe"}


def _app(database_url, **overrides):
    return create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_LOGIN": "2 per minute",
            **overrides,
        }
    )


@pytest.fixture
def behind_proxy(database_url, db):
    return _app(database_url, PROXY_X_FOR=1, PROXY_X_PROTO=1)


def _login_from(app, forwarded_for: str | None = None, remote: str = "10.0.0.1") -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    client = app.test_client()
    return client.post(
        "/connexion", data=WRONG, headers=headers, environ_base={"REMOTE_ADDR": remote}
    ).status_code


def test_two_clients_behind_the_proxy_have_separate_login_limits(behind_proxy):
    for _ in range(2):
        assert _login_from(behind_proxy, "203.0.113.5") == 200
    assert _login_from(behind_proxy, "203.0.113.5") == 429
    assert _login_from(behind_proxy, "203.0.113.6") == 200


def test_without_a_configured_proxy_the_header_is_ignored(database_url, db):
    app = _app(database_url)
    for n in range(2):
        assert _login_from(app, f"203.0.113.{n}") == 200
    assert _login_from(app, "203.0.113.99") == 429  # a forged header changes nothing


def test_the_forwarded_scheme_and_client_are_believed_when_configured(behind_proxy):
    from werkzeug.test import EnvironBuilder

    seen: dict = {}
    proxy = behind_proxy.wsgi_app  # ProxyFix around the Flask app
    proxy.app = lambda environ, start_response: seen.update(environ) or []
    environ = EnvironBuilder(
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1, 203.0.113.5"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    ).get_environ()
    proxy(environ, lambda *args: None)
    # One trusted hop: the address the proxy saw, not what the client claimed before it.
    assert (seen["wsgi.url_scheme"], seen["REMOTE_ADDR"]) == ("https", "203.0.113.5")


def test_ipv6_addresses_in_one_64_share_a_login_limit(database_url, db):
    app = _app(database_url)
    assert _login_from(app, remote="2001:db8:1:2::5") == 200
    assert _login_from(app, remote="2001:db8:1:2:ffff:ffff:ffff:9") == 200
    assert _login_from(app, remote="2001:db8:1:2:abcd::1") == 429
    assert _login_from(app, remote="2001:db8:1:3::1") == 200  # the next /64 is someone else


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        (None, "unknown"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_client_address_key(address, key):
    assert client_address_key(address) == key
