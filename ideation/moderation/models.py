"""Reports, the team's public answers to ideas, and the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.db_types import UTCDateTime, utcnow
from ideation.extensions import db

DETAILS_MAX = 1000
REASON_MAX = 1000


class ReportReason(StrEnum):
    SPAM = "spam"
    ABUSE = "abuse"  # propos injurieux ou discriminatoires
    OFF_TOPIC = "off_topic"
    PERSONAL_DATA = "personal_data"
    OTHER = "other"


class ReportStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the item was hidden or refused
    DISMISSED = "dismissed"  # reviewed: nothing wrong


def _enum(cls, length: int = 20):  # type: ignore[no-untyped-def]
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Report(db.Model):
    """A participant's flag on an idea or a comment: one per user per item (database constraints)."""

    __tablename__ = "reports"
    __table_args__ = (
        # Exactly one target. NULLs are distinct in unique constraints on both databases,
        # so the two constraints below never clash across kinds.
        CheckConstraint(
            "(idea_id IS NULL AND comment_id IS NOT NULL) OR (idea_id IS NOT NULL AND comment_id IS NULL)",
            name="one_target",
        ),
        UniqueConstraint("idea_id", "reporter_id", name="uq_reports_idea_id_reporter_id"),
        UniqueConstraint("comment_id", "reporter_id", name="uq_reports_comment_id_reporter_id"),
        Index("ix_reports_status_idea_id", "status", "idea_id"),
        Index("ix_reports_status_comment_id", "status", "comment_id"),
        Index("ix_reports_reporter_id", "reporter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[ReportReason] = mapped_column(_enum(ReportReason))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus), default=ReportStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])


class IdeaAnswer(db.Model):
    """The team's public answer on an idea ("Réponse de l'équipe"), one per idea."""

    __tablename__ = "idea_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), unique=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class AuditEntry(db.Model):
    """One moderation or administration action. Written in the action's transaction; never edited."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_created_at", "created_at"),
        Index("ix_audit_entries_action_created_at", "action", "created_at"),
        Index("ix_audit_entries_target_type_target_id", "target_type", "target_id"),
        Index("ix_audit_entries_organisation_id_created_at", "organisation_id", "created_at"),
        Index("ix_audit_entries_actor_id", "actor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(80), default="")  # kept if the account goes
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int | None] = mapped_column()
    target_label: Mapped[str] = mapped_column(String(200), default="")
    # The organisation the target belongs to (None: regional or installation-wide): scopes the page.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
