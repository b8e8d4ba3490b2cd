"""The landlord dashboard's figures, each computed by a few aggregate queries.

Whose is what: a challenge belongs to its organisation; in a regional challenge an
idea, comment or ballot counts for the organisation of the person who wrote or cast
it. Pilots belong to the landlord that runs them. `organisation_id=None` means every
organisation (admins and the regional association). Nothing here loops over rows:
GROUP BY / COUNT / SUM in the database, a constant number of queries whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Select, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Subquery

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.comments.models import Comment
from ideation.db_types import utcnow
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.pilot_states import OVERDUE_STATUSES, PilotStatus
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from ideation.orgs.models import Organisation, Residence
from ideation.pilots.models import Pilot
from ideation.voting.models import Ballot

ACTIVE_DAYS = 90
ZERO = Decimal("0.00")

# Funnel steps: the idea statuses that have reached (at least) each step.
S = IdeaStatus
REACHED_PUBLISHED = (S.PUBLISHED, S.SHORTLISTED, S.SELECTED, S.PILOTED, S.NOT_SELECTED, S.MERGED)
REACHED_SHORTLIST = (S.SHORTLISTED, S.SELECTED, S.PILOTED, S.NOT_SELECTED)
REACHED_SELECTED = (S.SELECTED, S.PILOTED)
VOTE_PHASES = (Phase.VOTING, Phase.RESULTS, Phase.ARCHIVED)


def idea_organisation():  # type: ignore[no-untyped-def]
    """SQL: the organisation an idea counts for (its challenge's, else its author's)."""
    author = aliased(User)
    return func.coalesce(
        Challenge.organisation_id,
        select(author.organisation_id).where(author.id == Idea.author_id).scalar_subquery(),
    )


def ideas_in_scope(organisation_id: int | None):  # type: ignore[no-untyped-def]
    """SELECT over ideas joined to their challenge, limited to the organisation."""
    query = (
        select(Idea)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Idea.status != S.DRAFT)
    )
    if organisation_id is not None:
        query = query.where(idea_organisation() == organisation_id)
    return query


@dataclass
class ChallengeRow:
    id: int
    title: str
    slug: str
    ideas: int = 0
    comments: int = 0
    ballots: int = 0
    turnout: Decimal | None = None  # percent, when the challenge had a vote


@dataclass
class ResidenceRow:
    id: int | None
    label: str
    accounts: int = 0
    ideas: int = 0
    comments: int = 0
    ballots: int = 0


@dataclass
class PilotRow:
    id: int
    title: str
    status: PilotStatus
    planned_end: date | None
    budget_planned: Decimal
    budget_spent: Decimal
    organisation: str


@dataclass
class Dashboard:
    organisation: Organisation | None
    accounts: int = 0
    active: int = 0
    ideas: int = 0
    comments: int = 0
    ballots: int = 0
    challenges: list[ChallengeRow] = field(default_factory=list)
    residences: list[ResidenceRow] = field(default_factory=list)
    funnel: list[tuple[str, int]] = field(default_factory=list)
    pilots_by_status: dict[PilotStatus, int] = field(default_factory=dict)
    overdue: list[PilotRow] = field(default_factory=list)
    budgets: list[PilotRow] = field(default_factory=list)
    budget_planned: Decimal = ZERO
    budget_spent: Decimal = ZERO


def _people(organisation_id: int | None):  # type: ignore[no-untyped-def]
    """Accounts counted as participants (admins are not participants)."""
    query = select(User.id).where(User.role != Role.ADMIN)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    return query


def _activity(organisation_id: int | None, since: datetime | None = None) -> Subquery:
    """One subquery of every idea, comment and ballot: (kind, challenge, user, residence)."""
    ideas = select(
        literal("idea").label("kind"),
        Idea.challenge_id.label("challenge_id"),
        Idea.author_id.label("user_id"),
        Idea.created_at.label("at"),
    ).where(Idea.status != S.DRAFT, Idea.author_id.is_not(None))
    comments = (
        select(
            literal("comment").label("kind"),
            Idea.challenge_id,
            Comment.author_id,
            Comment.created_at,
        )
        .join(Idea, Idea.id == Comment.idea_id)
        .where(Comment.deleted_at.is_(None), Comment.author_id.is_not(None))
    )
    ballots = select(
        literal("ballot").label("kind"), Ballot.challenge_id, Ballot.voter_id, Ballot.updated_at
    ).where(Ballot.voter_id.is_not(None))
    supports = select(
        literal("support").label("kind"), Idea.challenge_id, Support.user_id, Support.created_at
    ).join(Idea, Idea.id == Support.idea_id)
    rows = union_all(ideas, comments, ballots, supports).subquery("activity")
    query = (
        select(rows.c.kind, rows.c.challenge_id, rows.c.user_id, User.residence_id)
        .join(User, User.id == rows.c.user_id)
        .join(Challenge, Challenge.id == rows.c.challenge_id)
    )
    if organisation_id is not None:
        query = query.where(
            func.coalesce(Challenge.organisation_id, User.organisation_id) == organisation_id
        )
    if since is not None:
        query = query.where(rows.c.at >= since)
    return query.subquery("scoped_activity")


def build(organisation_id: int | None, today: date) -> Dashboard:
    """Every figure of the dashboard for one organisation (None: all), in constant queries."""
    board = Dashboard(
        organisation=db.session.get(Organisation, organisation_id) if organisation_id else None
    )
    people = _people(organisation_id).subquery()

    # 1. Accounts per residence.
    residence_rows: dict[int | None, ResidenceRow] = {}
    for residence_id, name, city, accounts in db.session.execute(
        select(User.residence_id, Residence.name, Residence.city, func.count(User.id))
        .outerjoin(Residence, Residence.id == User.residence_id)
        .where(User.id.in_(select(people.c.id)))
        .group_by(User.residence_id, Residence.name, Residence.city)
    ):
        label = f"{name} ({city})" if residence_id else ""
        residence_rows[residence_id] = ResidenceRow(id=residence_id, label=label, accounts=accounts)
        board.accounts += accounts

    # 2. Ideas, comments and ballots per challenge and per residence: one GROUP BY.
    activity = _activity(organisation_id)
    per_challenge: dict[int, dict[str, int]] = {}
    # The subquery's columns are untyped to mypy: name the row type.
    per_kind: Select[str, int, int | None, int] = select(
        activity.c.kind, activity.c.challenge_id, activity.c.residence_id, func.count()
    ).group_by(activity.c.kind, activity.c.challenge_id, activity.c.residence_id)
    for kind, challenge_id, residence_id, n in db.session.execute(per_kind):
        if kind == "support":
            continue
        per_challenge.setdefault(challenge_id, {}).setdefault(kind, 0)
        per_challenge[challenge_id][kind] += n
        row = residence_rows.setdefault(residence_id, ResidenceRow(id=residence_id, label=""))
        setattr(row, f"{kind}s", getattr(row, f"{kind}s") + n)
        setattr(board, f"{kind}s", getattr(board, f"{kind}s") + n)

    # 3. Active participants: anyone who proposed, supported, commented or voted lately.
    recent = _activity(organisation_id, since=utcnow() - timedelta(days=ACTIVE_DAYS))
    board.active = db.session.scalar(select(func.count(func.distinct(recent.c.user_id)))) or 0

    # 4. The challenges in scope (with their vote), and residence names for residences
    #    that only appear through activity.
    challenge_query = select(Challenge.id, Challenge.title, Challenge.slug, Challenge.phase)
    if organisation_id is not None:
        challenge_query = challenge_query.where(
            or_(
                Challenge.organisation_id == organisation_id,
                Challenge.id.in_(list(per_challenge) or [-1]),
            )
        )
    challenge_query = challenge_query.where(Challenge.phase != Phase.DRAFT).order_by(
        Challenge.created_at.desc(), Challenge.id.desc()
    )
    for cid, title, slug, phase in db.session.execute(challenge_query):
        counts = per_challenge.get(cid, {})
        challenge_row = ChallengeRow(
            id=cid,
            title=title,
            slug=slug,
            ideas=counts.get("idea", 0),
            comments=counts.get("comment", 0),
            ballots=counts.get("ballot", 0),
        )
        if phase in VOTE_PHASES and board.accounts:
            challenge_row.turnout = (
                Decimal(challenge_row.ballots) * 100 / board.accounts
            ).quantize(Decimal("0.1"))
        board.challenges.append(challenge_row)
    missing = [rid for rid, row in residence_rows.items() if rid is not None and not row.label]
    if missing:
        for rid, name, city in db.session.execute(
            select(Residence.id, Residence.name, Residence.city).where(Residence.id.in_(missing))
        ):
            residence_rows[rid].label = f"{name} ({city})"
    board.residences = sorted(residence_rows.values(), key=lambda r: (r.id is None, r.label))

    # 5. The funnel: ideas by status, then pilots by status with their budgets.
    scoped = ideas_in_scope(organisation_id).subquery()
    by_status: dict[IdeaStatus, int] = dict(
        db.session.execute(select(scoped.c.status, func.count()).group_by(scoped.c.status)).all()
    )
    pilots = select(
        Pilot.status,
        func.count(),
        func.coalesce(func.sum(Pilot.budget_planned), 0),
        func.coalesce(func.sum(Pilot.budget_spent), 0),
    ).group_by(Pilot.status)
    if organisation_id is not None:
        pilots = pilots.where(Pilot.organisation_id == organisation_id)
    for status, n, planned, spent in db.session.execute(pilots):
        board.pilots_by_status[PilotStatus(status)] = n
        board.budget_planned += Decimal(planned)
        board.budget_spent += Decimal(spent)
    board.budget_planned = board.budget_planned.quantize(Decimal("0.01"))
    board.budget_spent = board.budget_spent.quantize(Decimal("0.01"))
    total_pilots = sum(board.pilots_by_status.values())
    board.funnel = [
        ("ideas", sum(by_status.values())),
        ("published", sum(by_status.get(s, 0) for s in REACHED_PUBLISHED)),
        ("shortlisted", sum(by_status.get(s, 0) for s in REACHED_SHORTLIST)),
        ("selected", sum(by_status.get(s, 0) for s in REACHED_SELECTED)),
        ("pilots", total_pilots),
        ("generalised", board.pilots_by_status.get(PilotStatus.GENERALISED, 0)),
    ]

    # 6. Overdue pilots, and planned vs spent per pilot (largest budgets first).
    base = select(
        Pilot.id,
        Pilot.title,
        Pilot.status,
        Pilot.planned_end,
        Pilot.budget_planned,
        Pilot.budget_spent,
        Organisation.name,
    ).join(Organisation, Organisation.id == Pilot.organisation_id)
    if organisation_id is not None:
        base = base.where(Pilot.organisation_id == organisation_id)
    late = (
        base.where(and_(Pilot.planned_end < today, Pilot.status.in_(OVERDUE_STATUSES)))
        .order_by(Pilot.planned_end, Pilot.id)
        .limit(50)
    )
    board.overdue = [PilotRow(*row) for row in db.session.execute(late)]
    board.budgets = [
        PilotRow(*row)
        for row in db.session.execute(
            base.order_by(Pilot.budget_planned.desc(), Pilot.id).limit(20)
        )
    ]
    return board


def overdue_flag(today: date):  # type: ignore[no-untyped-def]
    """SQL: 1 when a pilot is overdue on `today`, else 0 (used by the exports)."""
    return case((and_(Pilot.planned_end < today, Pilot.status.in_(OVERDUE_STATUSES)), 1), else_=0)
