"""A message written to the participants of a scope, kept as it was sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.db_types import UTCDateTime, utcnow
from ideation.domain.outreach import MessageKind, ScopeKind
from ideation.extensions import Model


def _enum(cls):  # type: ignore[no-untyped-def]
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Message(Model):
    """Written by a facilitator or a landlord manager; the queue sends it (sent_at claims it)."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_organisation_id_created_at", "organisation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[MessageKind] = mapped_column(_enum(MessageKind))
    scope_kind: Mapped[ScopeKind] = mapped_column(_enum(ScopeKind))
    # The chosen ids of the scope's kind (an organisation, residences, a challenge…).
    scope_ids: Mapped[list[int]] = mapped_column(JSON)
    scope_label: Mapped[str] = mapped_column(String(300))
    # The organisation the scope belongs to (None: several, or regional): who lists it.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    recipients_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this message (type, id, label, organisation)."""
        return "message", self.id, self.subject, self.organisation_id
