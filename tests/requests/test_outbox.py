"""The e-mail outbox: rows written with the action, claimed then delivered by the queue's
job or `flask outbox send` (concurrent senders: tests/test_outbox_races.py)."""

from __future__ import annotations

import smtplib
from collections import Counter
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from ideation.db_types import utcnow
from ideation.mail.models import Email, EmailStatus
from ideation.mail.services import backoff, claim_due, queue_email, send_pending
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


def test_queued_emails_reach_a_real_smtp_server_once_each(db, smtp_sink):
    """Through real SMTP (aiosmtpd on loopback): envelope, headers and both bodies."""
    _queue(db, n=2)
    db.session.add(
        Email(
            recipient="abonne@example.test",
            subject="Nouveautés",
            body_text="Texte brut",
            body_html="<p>Texte <b>riche</b></p>",
            list_unsubscribe="http://x/notifications/desabonner/jeton",
        )
    )
    db.session.commit()
    assert send_pending() == (3, 0)
    received = smtp_sink.received
    assert len(received) == 3
    first, _second, notification = received
    assert first.rcpt_tos == ["dest@example.test"]  # the injected "Bcc" went nowhere
    assert first.message["Bcc"] is None
    assert first.message["Subject"] == "Sujet Bcc: victim@example.test"
    assert first.message["From"] == current_app.config["MAIL_DEFAULT_SENDER"]
    assert first.message["To"] == "dest@example.test"
    assert first.message["Message-ID"] != _second.message["Message-ID"]
    assert "verifier/t" in first.message.get_body(("plain",)).get_content()
    assert first.message.get_body(("html",)).get_content().startswith("<!doctype html>")
    assert notification.message["List-Unsubscribe"] == "<http://x/notifications/desabonner/jeton>"
    assert notification.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notification.message.get_body(("plain",)).get_content().strip() == "Texte brut"
    assert send_pending() == (0, 0)  # sent once: nothing left to send
    assert len(smtp_sink.received) == 3


def test_an_unreachable_relay_keeps_the_email_for_a_later_attempt(db, smtp_sink, monkeypatch):
    _queue(db)
    monkeypatch.setitem(current_app.config, "MAIL_PORT", 1)  # nothing listens there
    assert send_pending() == (0, 1)
    db.session.expire_all()
    [email] = outbox()
    assert email.status == EmailStatus.PENDING and email.claimed_by is None
    assert email.last_error and email.next_attempt_at > utcnow()
    assert smtp_sink.received == []


def test_a_live_claim_is_left_alone_and_a_stale_one_taken_over(db):
    _queue(db, n=2)
    timeout = timedelta(seconds=current_app.config["MAIL_CLAIM_TIMEOUT"])
    alive, dead = outbox()
    alive.claimed_by, alive.claimed_at = "serveur-1:41:a", utcnow() - timedelta(seconds=5)
    dead.claimed_by, dead.claimed_at = "serveur-2:42:b", utcnow() - timeout - timedelta(seconds=5)
    db.session.commit()
    smtp = FakeSMTP()
    assert send_pending(connect=lambda: smtp) == (1, 0)
    assert [m["To"] for m in smtp.sent] == ["dest@example.test"]
    db.session.expire_all()
    alive, dead = outbox()
    assert alive.status == EmailStatus.PENDING and alive.claimed_by == "serveur-1:41:a"
    assert dead.status == EmailStatus.SENT and dead.claimed_by is None and dead.attempts == 1


def test_two_senders_in_turn_claim_disjoint_batches(db):
    _queue(db, n=5)
    first = claim_due(3, "premier")
    second = claim_due(3, "second")
    assert len(first) == 3 and len(second) == 2 and not set(first) & set(second)
    assert claim_due(3, "troisieme") == []
    db.session.expire_all()
    assert Counter(e.claimed_by for e in outbox()) == {"premier": 3, "second": 2}


def test_outbox_send_all_drains_batches(runner, db, monkeypatch):
    _queue(db, n=5)
    smtp = FakeSMTP()
    monkeypatch.setattr(smtplib, "SMTP", lambda *args, **kwargs: smtp)
    result = runner.invoke(args=["outbox", "send", "--limit", "2", "--all"])
    assert result.exit_code == 0, result.output
    assert "5 e-mail(s) envoyé(s), 0 échec(s)." in result.output
    assert len(smtp.sent) == 5


def test_a_sender_whose_claim_has_run_out_stops_sending(db, monkeypatch):
    _queue(db, n=2)
    monkeypatch.setitem(current_app.config, "MAIL_CLAIM_TIMEOUT", 0)  # out at once
    smtp = FakeSMTP()
    assert send_pending(connect=lambda: smtp) == (0, 0)
    assert smtp.sent == []
    db.session.expire_all()
    assert all(e.claimed_by and e.attempts == 0 for e in outbox())  # left for another sender
