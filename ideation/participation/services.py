"""What "Mes participations" and the home page's "À faire" strip show: a fixed number of
queries whatever a person's history (each list is bounded, its total counted apart)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.challenges.services import visible_challenges
from ideation.comments.models import Comment
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import Actor
from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from ideation.pilots.models import Pilot, PilotFollower
from ideation.voting.models import Ballot
from ideation.workshops.models import Workshop
from ideation.workshops.services import next_place_of

# How many of each list the page shows (the totals say how many there are in all).
LIST_LIMIT = 20
IDEAS_LIMIT = 100

_PUBLIC = {IdeaStatus.PUBLISHED, IdeaStatus.SHORTLISTED, IdeaStatus.SELECTED, IdeaStatus.PILOTED}
_ENDED = {IdeaStatus.MERGED, IdeaStatus.NOT_SELECTED, IdeaStatus.WITHDRAWN}


@dataclass
class MyIdeas:
    drafts: list[Idea] = field(default_factory=list)
    pending: list[Idea] = field(default_factory=list)
    published: list[Idea] = field(default_factory=list)
    rejected: list[Idea] = field(default_factory=list)
    ended: list[Idea] = field(default_factory=list)


@dataclass
class MySpace:
    ideas: MyIdeas
    supports: list[Idea]
    supports_total: int
    comments: list[tuple[Comment, Idea]]
    comments_total: int
    votes_to_cast: list[Challenge]
    votes_cast: list[tuple[Ballot, Challenge]]
    pilots: list[Pilot]


@dataclass(frozen=True)
class Todo:
    kind: str  # "vote", "workshop" or "draft": the template words each
    challenge: Challenge | None = None
    idea: Idea | None = None
    workshop: Workshop | None = None


def _my_ideas(user: User) -> MyIdeas:
    ideas = db.session.scalars(
        select(Idea)
        .options(selectinload(Idea.challenge))
        .where(Idea.author_id == user.id)
        .order_by(func.coalesce(Idea.edited_at, Idea.created_at).desc(), Idea.id.desc())
        .limit(IDEAS_LIMIT)
    ).all()
    mine = MyIdeas()
    for idea in ideas:
        if idea.status == IdeaStatus.DRAFT:
            mine.drafts.append(idea)
        elif idea.status == IdeaStatus.SUBMITTED:
            mine.pending.append(idea)
        elif idea.status in _PUBLIC:
            mine.published.append(idea)
        elif idea.status == IdeaStatus.REJECTED:
            mine.rejected.append(idea)
        else:
            mine.ended.append(idea)
    return mine


def votes_to_cast(actor: Actor, user: User, now: datetime) -> list[Challenge]:
    """Open votes the person may take part in and has not yet."""
    open_votes = [
        c
        for c in visible_challenges(actor, now)
        if c.current_phase(now) == Phase.VOTING
        and rules.can_vote(actor, Phase.VOTING, c.scope, c.vote_verified_only)
    ]
    if not open_votes:
        return []
    voted = set(
        db.session.scalars(
            select(Ballot.challenge_id).where(
                Ballot.voter_id == user.id, Ballot.challenge_id.in_([c.id for c in open_votes])
            )
        )
    )
    return [c for c in open_votes if c.id not in voted]


def my_space(actor: Actor, user: User, now: datetime | None = None) -> MySpace:
    now = now or utcnow()
    supports = db.session.scalars(
        select(Idea)
        .join(Support, Support.idea_id == Idea.id)
        .options(selectinload(Idea.challenge))
        .where(Support.user_id == user.id)
        .order_by(Support.created_at.desc(), Support.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    supports_total = db.session.scalar(
        select(func.count()).select_from(Support).where(Support.user_id == user.id)
    )
    comments = db.session.execute(
        select(Comment, Idea)
        .join(Idea, Idea.id == Comment.idea_id)
        .where(Comment.author_id == user.id, Comment.deleted_at.is_(None))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    comments_total = db.session.scalar(
        select(func.count())
        .select_from(Comment)
        .where(Comment.author_id == user.id, Comment.deleted_at.is_(None))
    )
    cast = db.session.execute(
        select(Ballot, Challenge)
        .join(Challenge, Challenge.id == Ballot.challenge_id)
        .where(Ballot.voter_id == user.id)
        .order_by(Ballot.updated_at.desc(), Ballot.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    pilots = db.session.scalars(
        select(Pilot)
        .join(PilotFollower, PilotFollower.pilot_id == Pilot.id)
        .where(PilotFollower.user_id == user.id)
        .order_by(PilotFollower.created_at.desc(), PilotFollower.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    return MySpace(
        ideas=_my_ideas(user),
        supports=list(supports),
        supports_total=supports_total or 0,
        comments=[(c, i) for c, i in comments],
        comments_total=comments_total or 0,
        votes_to_cast=votes_to_cast(actor, user, now),
        votes_cast=[(b, c) for b, c in cast],
        pilots=list(pilots),
    )


def todo(actor: Actor, user: User, now: datetime | None = None) -> list[Todo]:
    """The home page's strip: the votes not cast, the workshop of the next two days, then
    the draft left most recently."""
    now = now or utcnow()
    items = [Todo("vote", challenge=c) for c in votes_to_cast(actor, user, now)[:2]]
    workshop = next_place_of(user.id, now)
    if workshop is not None:
        items.append(Todo("workshop", workshop=workshop))
    draft = db.session.scalars(
        select(Idea)
        .options(selectinload(Idea.challenge))
        .where(Idea.author_id == user.id, Idea.status == IdeaStatus.DRAFT)
        .order_by(Idea.created_at.desc(), Idea.id.desc())
        .limit(1)
    ).first()
    if draft is not None:
        items.append(Todo("draft", idea=draft))
    return items
