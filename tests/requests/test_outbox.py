"""The e-mail outbox: rows written with the action, delivered by `flask outbox send`."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from ideation.db_types import utcnow
from ideation.mail.models import Email, EmailStatus
from ideation.mail.services import backoff, queue_email, send_pending
from tests.factories import make_invitation, make_user
from tests.helpers import outbox


class FakeSMTP:
    def __init__(self, fail: bool = False):
        self.fail = fail
        self.sent = []

    def send_message(self, msg):
        if self.fail:
            raise smtplib.SMTPServerDisconnected("relais injoignable")
        self.sent.append(msg)

    def quit(self):
        pass


def _queue(db, n=1):
    with current_app.test_request_context():
        user = make_user(email="dest@example.test", display_name="Dest")
        for _ in range(n):
            queue_email(
                user.email,
                "Sujet\r\nBcc: victim@example.test",
                "verify_email",
                user=user,
                link="http://x/verifier/t",
            )
        db.session.commit()


def test_email_rows_are_written_in_the_same_transaction_as_the_action(client, db):
    make_invitation(code="CODE")
    db.session.commit()
    client.post(
        "/inscription",
        data={
            "code": "CODE",
            "display_name": "Zoé",
            "email": "zoe@example.test",
            "password": "des tomates sur le balcon",
            "password_confirm": "des tomates sur le balcon",
        },
    )
    [email] = outbox()
    assert email.recipient == "zoe@example.test" and email.status == EmailStatus.PENDING
    assert email.body_html.startswith("<!doctype html>") and "verifier" in email.body_text


def test_failed_action_leaves_no_email(db):
    with current_app.test_request_context():
        user = make_user()
        queue_email(user.email, "Sujet", "verify_email", user=user, link="http://x")
        db.session.rollback()
    assert outbox() == []


def test_headers_cannot_be_injected(db):
    _queue(db)
    [email] = outbox()
    assert "\n" not in email.subject and "\r" not in email.subject


def test_send_pending_delivers_and_marks_sent(db):
    _queue(db, n=2)
    smtp = FakeSMTP()
    with current_app.app_context():
        sent, failed = send_pending(connect=lambda: smtp)
    assert (sent, failed) == (2, 0)
    assert len(smtp.sent) == 2 and smtp.sent[0]["To"] == "dest@example.test"
    db.session.expire_all()
    assert {e.status for e in outbox()} == {EmailStatus.SENT}
    assert all(e.sent_at is not None and e.attempts == 1 for e in outbox())


def test_failures_are_retried_with_backoff_then_given_up(db):
    _queue(db)
    app = current_app._get_current_object()
    with app.app_context():
        sent, failed = send_pending(connect=lambda: FakeSMTP(fail=True))
    assert (sent, failed) == (0, 1)
    db.session.expire_all()
    [email] = outbox()
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert "relais injoignable" in email.last_error
    assert email.next_attempt_at > utcnow()
    # not due yet: nothing is tried
    with app.app_context():
        assert send_pending(connect=lambda: FakeSMTP(fail=True)) == (0, 0)
    for attempt in range(2, app.config["MAIL_MAX_ATTEMPTS"] + 1):
        email.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        with app.app_context():
            send_pending(connect=lambda: FakeSMTP(fail=True))
        db.session.expire_all()
        email = outbox()[0]
        assert email.attempts == attempt
    assert email.status == EmailStatus.FAILED


def test_backoff_grows_and_is_capped():
    assert backoff(1) == timedelta(minutes=1)
    assert backoff(3) == timedelta(minutes=4)
    assert backoff(30) == timedelta(hours=6)


def test_outbox_send_command_uses_smtp_settings(app, runner, db, monkeypatch):
    _queue(db)
    seen = {}

    class RecordingSMTP(FakeSMTP):
        def __init__(self, host, port, timeout=None):
            super().__init__()
            seen["server"] = (host, port)

        def send_message(self, msg):
            seen["subject"] = msg["Subject"]

    monkeypatch.setattr(smtplib, "SMTP", RecordingSMTP)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "1 e-mail(s) envoyé(s)" in result.output
    assert seen["server"] == (app.config["MAIL_SERVER"], app.config["MAIL_PORT"])
    db.session.expire_all()
    assert db.session.scalar(select(Email)).status == EmailStatus.SENT


@pytest.mark.parametrize("console", [True, False])
def test_console_copy_in_development(db, capsys, console):
    app = current_app._get_current_object()
    app.config["MAIL_CONSOLE"] = console
    try:
        _queue(db)
    finally:
        app.config["MAIL_CONSOLE"] = False
    assert ("dest@example.test" in capsys.readouterr().err) is console
