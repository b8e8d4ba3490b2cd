"""Challenges (défis), each in a house of an edition."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    column,
    false,
    func,
    select,
    table,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ideation.db_types import UTCDateTime, utcnow
from ideation.domain.challenge_phases import (
    Phase,
    PhaseError,
    Schedule,
    opens_vote,
    scheduled_phase,
    vote_opening_refusal,
)
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import Scope
from ideation.domain.voting.registry import DEFAULT as DEFAULT_VOTE_METHOD
from ideation.domain.voting.registry import VoteMethod
from ideation.extensions import Model, db
from ideation.fabrique.models import Edition, House
from ideation.orgs.models import Organisation, Residence

# The ideas table, named without importing the ideas area (which sits above this one):
# only to count a challenge's shortlist, which decides whether its vote may open.
_ideas = table("ideas", column("challenge_id"), column("status"))

# A theme is a house of an edition (ideation/fabrique/models.py); the old name stays.
Theme = House


challenge_residences = Table(
    "challenge_residences",
    db.metadata,
    Column("challenge_id", ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "residence_id",
        ForeignKey("residences.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Challenge(Model):
    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint("vote_winners >= 1", name="vote_winners_positive"),
        CheckConstraint(
            "vote_max_ranks IS NULL OR vote_max_ranks >= 1", name="vote_max_ranks_positive"
        ),
        Index("ix_challenges_phase", "phase"),
        Index("ix_challenges_organisation_id", "organisation_id"),
        Index("ix_challenges_theme_id", "theme_id"),
        Index("ix_challenges_created_at", "created_at"),
        Index("ix_challenges_edition_id", "edition_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(300))
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    # None: a regional challenge, open to every organisation's participants.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("editions.id", ondelete="SET NULL"))
    phase: Mapped[Phase] = mapped_column(
        Enum(Phase, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Phase.DRAFT,
    )
    premoderation: Mapped[bool] = mapped_column(default=True)
    ideation_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ideation_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voting_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Placeholders the voting feature reads: method, rank cap, winners.
    # One of the registry's shipped methods (ideation/domain/voting/registry.py); stored
    # as its code value, like every enum here (no CHECK: a new method needs no migration).
    vote_method: Mapped[VoteMethod] = mapped_column(
        Enum(
            VoteMethod,
            native_enum=False,
            length=20,
            validate_strings=True,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=DEFAULT_VOTE_METHOD,
    )
    vote_max_ranks: Mapped[int | None] = mapped_column()
    vote_winners: Mapped[int] = mapped_column(default=3)
    # « Vote réservé aux foyers vérifiés » (issue 13): only verified households vote.
    vote_verified_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    theme: Mapped[House | None] = relationship()
    edition: Mapped[Edition | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    residences: Mapped[list[Residence]] = relationship(
        secondary=challenge_residences, order_by="Residence.name"
    )

    # Loaded only when asked (deferred): by the opening of the vote, by hand or by date.
    shortlisted_count: Mapped[int] = column_property(
        select(func.count())
        .select_from(_ideas)
        .where(_ideas.c.challenge_id == id, _ideas.c.status == IdeaStatus.SHORTLISTED.value)
        .correlate_except(_ideas)
        .scalar_subquery(),
        deferred=True,
    )

    def opening_refusal(self) -> PhaseError | None:
        """Why the vote may not open now, or None."""
        return vote_opening_refusal(self.shortlisted_count, self.vote_winners)

    @property
    def schedule(self) -> Schedule:
        return Schedule(
            ideation_ends_at=self.ideation_ends_at,
            voting_starts_at=self.voting_starts_at,
            voting_ends_at=self.voting_ends_at,
            review_ends_at=self.review_ends_at,
        )

    def current_phase(self, now: datetime | None = None) -> Phase:
        """The phase at `now`, the calendar applied (evaluated on read, stored by the CLI).

        The calendar opens the vote only when the shortlist allows it; the shortlist is
        counted only then (a challenge reaching its opening date, not yet stored).
        """
        now = now or utcnow()
        phase = scheduled_phase(self.phase, self.schedule, now)
        if opens_vote(self.phase, phase) and self.opening_refusal() is not None:
            phase = scheduled_phase(self.phase, self.schedule, now, vote_ready=False)
        return phase

    @property
    def scope(self) -> Scope:
        """Needs `residences` loaded (views load it with selectinload)."""
        return Scope(
            organisation_id=self.organisation_id,
            residence_ids=frozenset(r.id for r in self.residences),
        )

    def __repr__(self) -> str:
        return f"<Challenge {self.slug} {self.phase}>"
