"""The SMTP relay down, then hanging, then back (a real socket that never answers, then a
real aiosmtpd server): the page that queues an e-mail never waits for the relay, each
failed attempt waits longer before the next, and the e-mail is delivered once."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ideation import routines
from ideation.db_types import utcnow
from ideation.mail.models import Email, EmailStatus
from tests.factories import make_user
from tests.smtp_sink import start_sink


class HungRelay:
    """Accepts connections and never says a word (an overloaded or wedged relay)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            while True:
                self.held.append(self.sock.accept()[0])
        except OSError:
            return

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


def _email(db) -> Email:
    db.session.expire_all()
    return db.session.scalars(select(Email)).one()


def _due_now(db) -> None:
    """The backoff's wait has passed (the test does not sleep through minutes)."""
    db.session.execute(update(Email).values(next_attempt_at=utcnow()))
    db.session.commit()


def test_relay_hanging_then_down_then_back_delivers_once(app, db, client, monkeypatch):
    user = make_user(email="locataire@relais.test")
    db.session.commit()
    hung = HungRelay()
    for config in (app.config, current_app.config):
        monkeypatch.setitem(config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(config, "MAIL_PORT", hung.port)
        monkeypatch.setitem(config, "MAIL_TIMEOUT", 1)
    try:
        page = client.post("/mot-de-passe-oublie", data={"email": user.email})
        assert page.status_code == 200
        email = _email(db)
        # The page answered before anyone spoke to the relay: the e-mail waits, untried.
        assert (email.status, email.attempts) == (EmailStatus.PENDING, 0)

        assert routines.send_outbox() == (0, 1)  # the hung relay times out after 1 s
        email = _email(db)
        assert email.attempts == 1 and email.next_attempt_at > utcnow()
        assert "timed out" in (email.last_error or "")
        assert routines.send_outbox() == (0, 0)  # not before its backoff
    finally:
        hung.close()

    _due_now(db)
    assert routines.send_outbox() == (0, 1)  # nothing listens now: refused, backoff again
    email = _email(db)
    assert email.attempts == 2 and email.next_attempt_at - utcnow() > timedelta(seconds=90)

    controller, sink = start_sink()
    try:
        for config in (app.config, current_app.config):
            monkeypatch.setitem(config, "MAIL_PORT", sink.port)
        _due_now(db)
        assert routines.send_outbox() == (1, 0)
        _due_now(db)
        assert routines.send_outbox() == (0, 0)
        assert [m.rcpt_tos for m in sink.received] == [[user.email]]
        assert _email(db).status == EmailStatus.SENT
    finally:
        controller.stop()
