"""Queue e-mails in the outbox (same transaction as the action) and deliver them."""

from __future__ import annotations

import smtplib
import sys
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from sqlalchemy import select

from ideation.db_types import utcnow
from ideation.extensions import db
from ideation.mail.models import Email, EmailStatus


def _clean_header(value: str) -> str:
    # No CR/LF in headers: a display name must never inject a Bcc.
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def queue_email(
    recipient: str,
    subject: str,
    template: str,
    list_unsubscribe: str | None = None,
    **context: object,
) -> Email:
    """Add an e-mail to the outbox; the caller's commit makes it real."""
    text = render_template(f"emails/{template}.txt", **context)
    html = render_template(f"emails/{template}.html", **context)
    email = Email(
        recipient=_clean_header(recipient),
        subject=_clean_header(subject),
        body_text=text,
        body_html=html,
        list_unsubscribe=list_unsubscribe,
    )
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
    smtp = cls(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30)
    if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
        smtp.starttls()
    if cfg.get("MAIL_USERNAME"):
        smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
    return smtp


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8… minutes between attempts, capped at six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def send_pending(limit: int = 200, connect=_connect) -> tuple[int, int]:
    """Deliver due pending e-mails; return (sent, failed attempts). Commits per e-mail."""
    now = utcnow()
    due = db.session.scalars(
        select(Email)
        .where(Email.status == EmailStatus.PENDING, Email.next_attempt_at <= now)
        .order_by(Email.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    smtp = None
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    for email in due:
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
        db.session.commit()
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return sent, failed
