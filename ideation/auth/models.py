"""Accounts."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ideation.db_types import UTCDateTime, utcnow
from ideation.domain.permissions import Actor
from ideation.domain.roles import Role
from ideation.extensions import Model
from ideation.mail.services import UNDELIVERABLE_DOMAIN
from ideation.orgs.models import Organisation, Residence

PRIVILEGED_ROLES = frozenset({Role.STAFF, Role.FACILITATOR, Role.BAILLEUR, Role.ADMIN})

# 24 characters from a 62-letter alphabet: about 143 bits of salt (ASVS asks for 128).
SALT_LENGTH = 24


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


# Erasure (ideation/privacy) blanks an account's address to this placeholder. It lives
# with the model so every page can tell an erased author from the row itself, at display
# time, without importing the privacy area.
ERASED_DOMAIN = UNDELIVERABLE_DOMAIN  # never delivered: .fabrique is no registered TLD


def erased_email(user_id: int) -> str:
    """The placeholder address of an erased account: unique (by id) and undeliverable."""
    return f"supprime-{user_id}@{ERASED_DOMAIN}"


def assisted_email() -> str:
    """The placeholder address of an assisted account (no e-mail yet): unique, undeliverable,
    replaced when the person claims the account."""
    return f"accompagne-{secrets.token_hex(8)}@{ERASED_DOMAIN}"


def hash_password(password: str) -> str:
    """scrypt with the configured work factor and a 143-bit salt."""
    from flask import current_app, has_app_context

    method = (
        current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    )
    return generate_password_hash(password, method=method, salt_length=SALT_LENGTH)


class User(UserMixin, Model):
    __tablename__ = "users"
    __table_args__ = (
        # E-mails are stored lowercased; the functional index guards against any path
        # that would forget to.
        Index("uq_users_email_lower", func.lower("email"), unique=True),
        Index("ix_users_organisation_id_role", "organisation_id", "role"),
        Index("ix_users_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Role.TENANT,
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    residence_id: Mapped[int | None] = mapped_column(
        ForeignKey("residences.id", ondelete="SET NULL")
    )
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    active: Mapped[bool] = mapped_column(default=True)
    email_verified: Mapped[bool] = mapped_column(default=False)
    # A facilitator met the person (workshop): participation without a confirmed e-mail.
    verified_in_person_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Registered with a dwelling's letter code (issue 13): a verified household.
    household_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Rotated at password change and logout-everywhere: every session and remember-me
    # cookie carries it, so the old ones stop working on the server side.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    # Second factor (TOTP app codes): the base32 secret, and the last time step used so a
    # code works once.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column()
    # Part of every unsubscribe token: raised at re-subscription, so older links stop working.
    unsubscribe_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the "your account will be anonymised" e-mail left (RGPD retention, ideation/privacy).
    inactivity_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The newsletter (issue 12): sent only to those who ticked an unchecked box; when.
    newsletter_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Joined: every byline shows the organisation's partner badge, so a list of authors
    # must not load their organisations one by one.
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    residence: Mapped[Residence | None] = relationship()

    @property
    def is_household_verified(self) -> bool:
        """A verified household: a dwelling's letter code, or a host met the person."""
        return self.household_verified_at is not None or self.verified_in_person_at is not None

    @property
    def is_confirmed(self) -> bool:
        """May take part: the e-mail address answered, or someone verified the person."""
        return bool(self.email_verified or self.verified_in_person_at is not None)

    # The device's server-side session record (ideation/auth/sessions.py), set at login and
    # by the user loader; not a column.
    # str once known. Not annotated: SQLAlchemy would take an annotation for a column.
    session_key = None
    # What the user loader read with the account (ideation/auth/sessions.py, account_fact):
    # {} when the account was loaded some other way. Not a column either.
    facts = {}  # type: ignore[var-annotated]  # noqa: RUF012  (replaced per account, never mutated)

    # Flask-Login: the "alternative id" (in the session and the remember-me cookie) names the
    # account's token, which ends every session when it changes, and this device's record,
    # which logout deletes.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}:{self.session_key or ''}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def needs_second_factor(self) -> bool:
        """Staff, facilitators, landlord managers and admins (tenants are exempt by choice)."""
        return self.role in PRIVILEGED_ROLES

    @property
    def is_erased(self) -> bool:
        """Erased at the person's request: bylines show « Participant·e supprimé·e »."""
        return self.email == erased_email(self.id)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    @property
    def actor(self) -> Actor:
        org = self.organisation
        return Actor(
            id=self.id,
            role=self.role,
            organisation_id=self.organisation_id,
            organisation_is_regional=bool(org is not None and org.is_regional),
            organisation_is_partner=bool(org is not None and org.is_partner),
            residence_id=self.residence_id,
            confirmed=self.is_confirmed,
            household_verified=self.is_household_verified,
        )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this account (type, id, label, organisation)."""
        return "user", self.id, self.display_name, self.organisation_id


class UserSession(Model):
    """One logged-in device: logout deletes it, so a copied cookie is worthless afterwards."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the key the cookie carries: a copy of the table opens no session.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
