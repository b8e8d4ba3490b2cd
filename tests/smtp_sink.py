"""A local SMTP server (aiosmtpd) that keeps what it receives: e-mails really leave by SMTP."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class SinkHandler:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 (aiosmtpd's hook name)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted"


class Sink:
    def __init__(self, host: str, port: int, handler: SinkHandler) -> None:
        self.host, self.port, self._handler = host, port, handler

    @property
    def received(self) -> list[Received]:
        return list(self._handler.received)


def start_sink() -> tuple[object, Sink]:
    """Start a sink on a free loopback port; returns (controller to stop, sink)."""
    from aiosmtpd.controller import Controller

    class AnyPortController(Controller):
        # aiosmtpd checks the server is up by connecting to `self.port`, which is still 0
        # when the system chose the port: read the chosen one first.
        def _trigger_server(self) -> None:
            self.port = self.server.sockets[0].getsockname()[1]
            super()._trigger_server()

    handler = SinkHandler()
    controller = AnyPortController(handler, hostname="127.0.0.1", port=0)
    controller.start()
    return controller, Sink("127.0.0.1", controller.port, handler)


@pytest.fixture
def smtp_sink(app, db, monkeypatch):
    """An SMTP server on a free loopback port; MAIL_SERVER/MAIL_PORT of the test apps
    (`app` and the one whose context the test runs in) point at it."""
    from flask import current_app

    controller, sink = start_sink()
    try:
        for config in (app.config, current_app.config):
            monkeypatch.setitem(config, "MAIL_SERVER", sink.host)
            monkeypatch.setitem(config, "MAIL_PORT", sink.port)
        yield sink
    finally:
        controller.stop()
