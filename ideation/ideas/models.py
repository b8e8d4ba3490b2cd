"""Ideas, their supports and their revisions."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.challenges.models import Challenge, Theme
from ideation.db_types import UTCDateTime, utcnow
from ideation.domain.idea_states import PUBLIC, IdeaStatus
from ideation.extensions import Model
from ideation.orgs.models import Residence

TITLE_MAX = 120
SUMMARY_MAX = 300

# Shuffle keys are drawn in [0, SHUFFLE_KEY_SPACE): a positive 32-bit integer on both databases.
SHUFFLE_KEY_SPACE = 2**31 - 1

# What every list filters on, carried by each list index after its sort columns so that
# the page's ids are found by an index-only scan, never by reading the ideas' texts.
# Who may see an idea (ideas.services._visible) is decided by the first three.
_VISIBILITY_COLUMNS = ("status", "hidden_at", "author_id")
_LIST_COLUMNS = (*_VISIBILITY_COLUMNS, "theme_id", "residence_id")


def new_shuffle_key() -> int:
    """A random key drawn once per idea, at insert: the stable shuffle walks the ideas by it."""
    return secrets.randbelow(SHUFFLE_KEY_SPACE)


class Idea(Model):
    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint("supports_count >= 0", name="supports_count_not_negative"),
        CheckConstraint("comments_count >= 0", name="comments_count_not_negative"),
        Index("ix_ideas_challenge_id_status", "challenge_id", "status"),
        # One index per order of the challenge page (ideation.ideas.services.list_ideas):
        # the challenge, the sort key, the id (tie-break), then the filtered columns.
        # Newest first sorts on an expression: its index follows the class.
        Index("ix_ideas_list_shuffle", "challenge_id", "shuffle_key", "id", *_LIST_COLUMNS),
        Index("ix_ideas_list_supports", "challenge_id", "supports_count", "id", *_LIST_COLUMNS),
        Index("ix_ideas_list_comments", "challenge_id", "comments_count", "id", *_LIST_COLUMNS),
        # The filters' values (services.filter_values walks them from one value to the
        # next): the challenge, the value, then what decides who sees the idea.
        Index("ix_ideas_values_theme", "challenge_id", "theme_id", *_VISIBILITY_COLUMNS),
        Index("ix_ideas_values_residence", "challenge_id", "residence_id", *_VISIBILITY_COLUMNS),
        # A search's matches are ideas by id: this index tells which are listed without
        # reading the rows (on SQLite an idea's three bodies push its status past them,
        # onto overflow pages: 5 µs a row, 5 ms for a word found in 1,000 ideas).
        Index("ix_ideas_search", "id", "challenge_id", *_LIST_COLUMNS),
        Index("ix_ideas_author_id", "author_id"),
        Index("ix_ideas_theme_id", "theme_id"),
        Index("ix_ideas_residence_id", "residence_id"),
        # Full-text search: a GIN index on PostgreSQL and an FTS5 table on SQLite, both
        # created in migration 0002 (dialect-specific, so not declared here).
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX))
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    body_text: Mapped[str] = mapped_column(Text, default="")  # plain words, for search
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    residence_id: Mapped[int | None] = mapped_column(
        ForeignKey("residences.id", ondelete="SET NULL")
    )
    status: Mapped[IdeaStatus] = mapped_column(
        Enum(
            IdeaStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
        ),
        default=IdeaStatus.DRAFT,
    )
    status_reason: Mapped[str | None] = mapped_column(
        Text
    )  # rejection / merge, shown to the author
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    # The closest look-alike found when it was sent (no foreign key: a hint for moderators,
    # read with an outer join; ideas are never deleted, only erased or hidden).
    likely_duplicate_of_id: Mapped[int | None] = mapped_column()
    # Entered at a workshop (issue 13, ideation/assisted): by a host for the author who was
    # present and agreed (entered_by_id set), or the idea of the workshop as a whole (the
    # host is its author, entered_by_id empty). No foreign keys: added without a rebuild.
    entered_by_id: Mapped[int | None] = mapped_column()
    workshop_id: Mapped[int | None] = mapped_column(index=True)
    # Moderation (issue 4): hidden pending review (reports) or by a facilitator, with the reason.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    # Denormalised counters keep list pages to a constant number of queries and let
    # "most supported" / "most discussed" use an index.
    supports_count: Mapped[int] = mapped_column(default=0)
    comments_count: Mapped[int] = mapped_column(default=0)
    # The stable random order's key (see list_ideas). Every ORM or Core insert draws one;
    # the server default only keeps a raw SQL insert valid (its ideas then sort by id).
    shuffle_key: Mapped[int] = mapped_column(default=new_shuffle_key, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last edit after sending

    challenge: Mapped[Challenge] = relationship()
    author: Mapped[User | None] = relationship()
    theme: Mapped[Theme | None] = relationship()
    residence: Mapped[Residence | None] = relationship()
    merged_into: Mapped[Idea | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC and self.hidden_at is None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def __repr__(self) -> str:
        return f"<Idea {self.id} {self.status}>"

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this idea (type, id, label, organisation)."""
        return "idea", self.id, self.title, self.challenge.organisation_id


# Newest first: the date an idea was published, or written for one's own pending ideas. It
# also carries both dates: PostgreSQL only scans an expression index "index-only" when the
# columns under the expression are in it too.
Index(
    "ix_ideas_list_recent",
    Idea.challenge_id,
    func.coalesce(Idea.published_at, Idea.created_at),
    Idea.id,
    *(Idea.__table__.c[name] for name in _LIST_COLUMNS),
    Idea.published_at,
    Idea.created_at,
)


class Support(Model):
    """A user's "I back this" on an idea: one per user per idea, by a database constraint."""

    __tablename__ = "supports"
    __table_args__ = (
        UniqueConstraint("idea_id", "user_id", name="uq_supports_idea_id_user_id"),
        Index("ix_supports_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Given at a workshop by a host for the present participant (ideation/assisted).
    entered_by_id: Mapped[int | None] = mapped_column()
    workshop_id: Mapped[int | None] = mapped_column()


class IdeaRevision(Model):
    """The text of an idea before one of its author's edits."""

    __tablename__ = "idea_revisions"
    __table_args__ = (Index("ix_idea_revisions_idea_id_created_at", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX))
    body_source: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdeaAnswer(Model):
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
