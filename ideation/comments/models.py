"""Comments on ideas: one level of replies, sanitised once at save."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.db_types import UTCDateTime, utcnow
from ideation.extensions import Model
from ideation.ideas.models import Idea

BODY_MAX = 3000


class Comment(Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_idea_id_parent_id_created_at", "idea_id", "parent_id", "created_at"),
        Index("ix_comments_parent_id", "parent_id"),
        Index("ix_comments_author_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    # None: a comment on the idea; else a reply to that top-level comment (one level only).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by its author: text blanked
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by reports or a facilitator
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    # Written at a workshop by a host for the present participant (ideation/assisted).
    entered_by_id: Mapped[int | None] = mapped_column()
    workshop_id: Mapped[int | None] = mapped_column()

    author: Mapped[User | None] = relationship()
    idea: Mapped[Idea] = relationship()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None

    def __repr__(self) -> str:
        return f"<Comment {self.id} on idea {self.idea_id}>"

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this comment (type, id, label, organisation)."""
        organisation_id = self.idea.challenge.organisation_id if self.idea else None
        return "comment", self.id, (self.body_source or "")[:80], organisation_id
