"""Queue e-mails in the outbox (same transaction as the action) and deliver them."""

from __future__ import annotations

import os
import secrets
import smtplib
import socket
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from sqlalchemy import and_, or_, select, update

from ideation.db_types import utcnow
from ideation.extensions import db
from ideation.mail.models import Email, EmailStatus


def clean_header(value: str) -> str:
    # No CR/LF in headers: a display name must never inject a Bcc.
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


# Placeholder addresses (erased accounts, assisted accounts without e-mail) live here:
# .fabrique is no registered top-level domain, and the outbox refuses it.
UNDELIVERABLE_DOMAIN = "invalid.fabrique"


def undeliverable(recipient: str) -> bool:
    return recipient.lower().endswith("@" + UNDELIVERABLE_DOMAIN)


def queue_email(
    recipient: str,
    subject: str,
    template: str,
    list_unsubscribe: str | None = None,
    **context: object,
) -> Email:
    """Add an e-mail to the outbox; the caller's commit makes it real.

    An address on the reserved domain (erased and assisted accounts) never enters it.
    """
    text = render_template(f"emails/{template}.txt", **context)
    html = render_template(f"emails/{template}.html", **context)
    email = Email(
        recipient=clean_header(recipient),
        subject=clean_header(subject),
        body_text=text,
        body_html=html,
        list_unsubscribe=list_unsubscribe,
    )
    if undeliverable(email.recipient):
        return email  # never added: nothing to send, nothing to retry
    db.session.add(email)
    if current_app.config.get("MAIL_CONSOLE"):
        print(
            f"\n--- e-mail to {email.recipient} ---\nSubject: {email.subject}\n\n{text}\n---",
            file=sys.stderr,
        )
    return email


def _message(email: Email) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = email.recipient
    msg["Subject"] = email.subject
    msg["Message-ID"] = make_msgid(domain="fabrique")
    if email.list_unsubscribe:
        msg["List-Unsubscribe"] = f"<{email.list_unsubscribe}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(email.body_text)
    msg.add_alternative(email.body_html, subtype="html")
    return msg


def _connect() -> smtplib.SMTP:
    cfg = current_app.config
    cls = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    smtp = cls(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg.get("MAIL_TIMEOUT", 30))
    if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
        smtp.starttls()
    if cfg.get("MAIL_USERNAME"):
        smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
    return smtp


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8… minutes between attempts, capped at six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


# Tests set this to a function called with "claiming" (claim taken, its transaction still
# open) and "claimed" (claim committed, nothing sent yet), so race tests hit both windows
# on every run. Never set in production.
PAUSE_HOOK: Callable[[str], None] | None = None


def new_claimer() -> str:
    """A name for one delivery run: host and process (to find it in the table), then
    random bits so two runs of one process never share a claim."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"[:64]


def _claimable(now: datetime, stale: datetime):  # type: ignore[no-untyped-def]
    return and_(
        Email.status == EmailStatus.PENDING,
        Email.next_attempt_at <= now,
        or_(Email.claimed_at.is_(None), Email.claimed_at < stale),
    )


def claim_due(limit: int, claimer: str, now: datetime | None = None) -> list[int]:
    """Take up to `limit` due e-mails for `claimer` and commit the claim; returns their ids.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` then mark them, so concurrent
    senders take disjoint rows without waiting for each other. SQLite: ``BEGIN IMMEDIATE``
    (one writer at a time) then one conditional UPDATE. Either way a row carries one
    live claim at a time; a claim older than MAIL_CLAIM_TIMEOUT belongs to a sender that
    died and is taken over.
    """
    now = now or utcnow()
    stale = now - timedelta(seconds=current_app.config["MAIL_CLAIM_TIMEOUT"])
    due = select(Email.id).where(_claimable(now, stale)).order_by(Email.id).limit(limit)
    if db.session.get_bind().dialect.name == "sqlite":
        connection = db.session.connection()
        if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        db.session.execute(
            update(Email)
            .where(Email.id.in_(due.scalar_subquery()), _claimable(now, stale))
            .values(claimed_by=claimer, claimed_at=now),
            execution_options={"synchronize_session": False},
        )
        ids = list(db.session.scalars(select(Email.id).where(Email.claimed_by == claimer)))
    else:
        ids = list(db.session.scalars(due.with_for_update(skip_locked=True)))
        if ids:
            db.session.execute(
                update(Email).where(Email.id.in_(ids)).values(claimed_by=claimer, claimed_at=now),
                execution_options={"synchronize_session": False},
            )
    if PAUSE_HOOK is not None and ids:
        PAUSE_HOOK("claiming")
    db.session.commit()
    return sorted(ids)


def send_pending(
    limit: int = 200, connect: Callable[[], smtplib.SMTP] = _connect
) -> tuple[int, int]:
    """Deliver due pending e-mails; return (sent, failed attempts).

    Claims its batch first (claim_due), then sends and records each attempt, committing
    per e-mail, so that a crash loses at most the claim (taken over after the timeout)
    and several senders on several servers never send one e-mail twice.
    """
    claimer = new_claimer()
    claimed_at = utcnow()
    ids = claim_due(limit, claimer, claimed_at)
    if PAUSE_HOOK is not None and ids:
        PAUSE_HOOK("claimed")
    sent = failed = 0
    smtp = None
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    # Stop before our claim could be taken over: past this moment another sender may
    # already hold the rest of the batch (left untouched, they are taken over as stale).
    deadline = claimed_at + timedelta(seconds=current_app.config["MAIL_CLAIM_TIMEOUT"] * 0.8)
    emails = (
        db.session.scalars(select(Email).where(Email.id.in_(ids)).order_by(Email.id)).all()
        if ids
        else []
    )
    for email in emails:
        # Each commit below expires the rows: this reads the claim afresh every time.
        if email.claimed_by != claimer or utcnow() > deadline:
            break
        email.attempts += 1
        try:
            if smtp is None:
                smtp = connect()
            smtp.send_message(_message(email))
        except (OSError, smtplib.SMTPException) as exc:
            failed += 1
            email.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            if email.attempts >= max_attempts:
                email.status = EmailStatus.FAILED
            else:
                email.next_attempt_at = utcnow() + backoff(email.attempts)
            smtp = None
        else:
            sent += 1
            email.status = EmailStatus.SENT
            email.sent_at = utcnow()
            email.last_error = None
        email.claimed_by = None
        email.claimed_at = None
        db.session.commit()
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return sent, failed
