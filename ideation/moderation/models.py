"""Reports: a participant's flag on an idea or a comment."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.db_types import UTCDateTime, utcnow
from ideation.extensions import Model

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


class Report(Model):
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
