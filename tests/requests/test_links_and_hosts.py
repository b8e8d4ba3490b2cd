"""Absolute links in e-mails come from BASE_URL, never from the request's Host header;
production answers 400 to a Host it does not serve (issue 10, item 1)."""

from __future__ import annotations

import re

import pytest
from flask import current_app

from ideation import create_app
from ideation.notifications.models import Delivery, NotificationKind
from ideation.notifications.services import notify, set_preference
from tests.factories import make_org, make_user
from tests.helpers import outbox

BASE = "https://fabrique.example"
ATTACKER = {"Host": "attacker.example"}


@pytest.fixture
def base_url(app, data_app):
    """BASE_URL on both apps: requests run in `app`, services called by tests in `data_app`."""
    saved = app.config["BASE_URL"]
    for each in (app, data_app):
        each.config["BASE_URL"] = BASE
    yield BASE
    for each in (app, data_app):
        each.config["BASE_URL"] = saved


def _links(email) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", email.body_text + email.body_html)


def _all_on_base(email) -> bool:
    links = _links(email)
    return bool(links) and all(link.startswith(BASE + "/") for link in links)


def test_reset_asked_with_a_foreign_host_mails_a_link_on_base_url(client, db, base_url):
    make_user(email="victim@example.test")
    db.session.commit()
    response = client.post(
        "/mot-de-passe-oublie", data={"email": "victim@example.test"}, headers=ATTACKER
    )
    assert response.status_code == 200
    [email] = outbox("victim@example.test")
    assert any(link.startswith(BASE + "/reinitialiser/") for link in _links(email))
    assert "attacker.example" not in email.body_text + email.body_html


def test_verification_sent_during_a_foreign_host_request_links_to_base_url(db, base_url):
    from ideation.auth.services import send_verification

    user = make_user(email="new@example.test", verified=False)
    with current_app.test_request_context("/verifier", method="POST", headers=ATTACKER):
        send_verification(user)
    db.session.commit()
    [email] = outbox(user.email)
    assert _all_on_base(email)


def test_account_exists_notice_links_to_base_url(db, base_url):
    from ideation.auth.services import send_account_exists_notice

    user = make_user(email="known@example.test")
    with current_app.test_request_context("/inscription", method="POST", headers=ATTACKER):
        send_account_exists_notice(user)
    db.session.commit()
    [email] = outbox("known@example.test")
    assert _all_on_base(email)


def test_notification_email_links_and_unsubscribe_are_on_base_url(db, base_url):
    user = make_user(org=make_org(), email="note@example.test")
    set_preference(user.id, NotificationKind.IDEA_PUBLISHED, Delivery.IMMEDIATE)
    with current_app.test_request_context("/", headers=ATTACKER):
        notify(user, NotificationKind.IDEA_PUBLISHED, "Votre idée est publiée", "/idees/1")
    db.session.commit()
    [email] = outbox("note@example.test")
    assert _all_on_base(email)
    assert email.list_unsubscribe.startswith(BASE + "/notifications/desabonner/")


@pytest.fixture
def production(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BASE_URL", BASE)
    return create_app(
        {
            "CONFIG": "production",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "BASE_URL": BASE,
            "SECRET_KEY": "x" * 40,
        }
    )


def test_production_refuses_an_unknown_host(production, db):
    response = production.test_client().get("/sante", base_url="https://attacker.example")
    assert response.status_code == 400


def test_production_serves_the_base_url_host(production, db):
    assert production.config["TRUSTED_HOSTS"] == ["fabrique.example"]
    assert production.test_client().get("/sante", base_url=BASE).status_code == 200


def test_production_needs_base_url(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app("production")
