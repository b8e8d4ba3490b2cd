"""The landlord dashboard's figures, each computed by a few aggregate queries.

Whose is what: a challenge belongs to its organisation; in a regional challenge an
idea, comment or ballot counts for the organisation of the person who wrote or cast
it. Pilots belong to the landlord that runs them. `organisation_id=None` means every
organisation (admins and the regional association). The counts are read from the
summary the queue keeps (aggregates.py), so a view reads summary rows, never the
history: a constant number of queries over a table bounded by challenges x residences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, union_all
from sqlalchemy.orm import aliased

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.dashboard.aggregates import (
    ACTIVE,
    ACTIVE_EVERYONE,
    ACTIVITY_KINDS,
    GRAIN_ACTIVE,
    GRAIN_CHALLENGE,
    GRAIN_RESIDENCE,
    GRAIN_STATUS,
)
from ideation.dashboard.models import DashboardCount, DashboardRefresh
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.pilot_states import OVERDUE_STATUSES, PilotStatus
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.orgs.models import Organisation, Residence
from ideation.pilots.models import Pilot

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
    adoptions: int = 0  # pilots of the scope taken up by another landlord (copies made)
    adopted: int = 0  # pilots the scope took up from another landlord
    refreshed_at: datetime | None = None  # when the summary was last recounted


def _summary_scope(organisation_id: int | None) -> list[ColumnElement[bool]]:
    if organisation_id is None:
        return []
    return [DashboardCount.organisation_id == organisation_id]


def _days(since: date | None, until: date | None) -> ColumnElement[bool]:
    """The all-time rows, or the daily rows of the range when one is asked."""
    if since is None and until is None:
        return DashboardCount.day.is_(None)
    clauses: list[ColumnElement[bool]] = [DashboardCount.day.is_not(None)]
    if since is not None:
        clauses.append(DashboardCount.day >= since)
    if until is not None:
        clauses.append(DashboardCount.day <= until)
    return and_(*clauses)


def build(
    organisation_id: int | None,
    today: date,
    since: date | None = None,
    until: date | None = None,
    edition_id: int | None = None,
) -> Dashboard:
    """Every figure of the dashboard for one organisation (None: all), from the summary.

    The counts come from `dashboard_counts` (ideation/dashboard/aggregates.py), as of its
    last refresh; `since`/`until` limit ideas, comments, ballots and the funnel to the
    days between (accounts and pilots are always as of now). Pilots are read live: they
    are few, and their budgets and lateness must be exact today."""
    board = Dashboard(
        organisation=db.session.get(Organisation, organisation_id) if organisation_id else None
    )
    board.refreshed_at = db.session.scalar(select(func.max(DashboardRefresh.refreshed_at)))
    scope = _summary_scope(organisation_id)
    days = _days(since, until)
    activity = DashboardCount.kind.in_(ACTIVITY_KINDS)

    # 1. Accounts, ideas, comments and ballots per residence: one GROUP BY on the summary.
    residence_rows: dict[int | None, ResidenceRow] = {}
    # Two branches, each an index range (grain, day, organisation): accounts are all-time,
    # activity follows the date range. (One OR across them would scan the whole summary.)
    wanted = union_all(
        select(DashboardCount.residence_id, DashboardCount.kind, DashboardCount.n).where(
            DashboardCount.grain == GRAIN_RESIDENCE,
            DashboardCount.day.is_(None),
            *scope,
            DashboardCount.kind == "account",
        ),
        select(DashboardCount.residence_id, DashboardCount.kind, DashboardCount.n).where(
            DashboardCount.grain == GRAIN_RESIDENCE, days, *scope, activity
        ),
    ).subquery("wanted")
    per_residence: Select[int | None, str | None, str | None, str, int] = (
        select(wanted.c.residence_id, Residence.name, Residence.city, wanted.c.kind)
        .add_columns(func.sum(wanted.c.n))
        .outerjoin(Residence, Residence.id == wanted.c.residence_id)
        .group_by(wanted.c.residence_id, Residence.name, Residence.city, wanted.c.kind)
    )
    for residence_id, name, city, kind, n in db.session.execute(per_residence):
        row = residence_rows.get(residence_id)
        if row is None:
            label = f"{name} ({city})" if residence_id is not None and name else ""
            row = residence_rows[residence_id] = ResidenceRow(id=residence_id, label=label)
        setattr(row, f"{kind}s", getattr(row, f"{kind}s") + int(n))
        setattr(board, f"{kind}s", getattr(board, f"{kind}s") + int(n))
    board.residences = sorted(residence_rows.values(), key=lambda r: (r.id is None, r.label))

    # 2. The same per challenge.
    per_challenge: dict[int, dict[str, int]] = {}
    for challenge_id, kind, n in db.session.execute(
        select(DashboardCount.challenge_id, DashboardCount.kind, func.sum(DashboardCount.n))
        .where(DashboardCount.grain == GRAIN_CHALLENGE, *scope, activity, days)
        .group_by(DashboardCount.challenge_id, DashboardCount.kind)
    ):
        if challenge_id is not None:  # always set in this grain
            per_challenge.setdefault(challenge_id, {})[kind] = int(n)

    # 3. Active participants: anyone who proposed, supported, commented or voted lately,
    # counted by the refresh (one summary row per organisation, one for everyone).
    board.active = int(
        db.session.scalar(
            select(func.coalesce(func.sum(DashboardCount.n), 0)).where(
                DashboardCount.grain == GRAIN_ACTIVE,
                DashboardCount.day.is_(None),
                DashboardCount.kind == ACTIVE_EVERYONE
                if organisation_id is None
                else and_(
                    DashboardCount.kind == ACTIVE, DashboardCount.organisation_id == organisation_id
                ),
            )
        )
        or 0
    )

    # 4. The challenges in scope (with their vote).
    challenge_query = select(Challenge.id, Challenge.title, Challenge.slug, Challenge.phase)
    if organisation_id is not None:
        challenge_query = challenge_query.where(
            or_(
                Challenge.organisation_id == organisation_id,
                Challenge.id.in_(list(per_challenge) or [-1]),
            )
        )
    if edition_id is not None:
        challenge_query = challenge_query.where(Challenge.edition_id == edition_id)
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

    # 5. The funnel: ideas by status, then pilots by status with their budgets.
    by_status: dict[IdeaStatus, int] = {
        IdeaStatus(status or ""): int(n)  # always set in this grain
        for status, n in db.session.execute(
            select(DashboardCount.status, func.sum(DashboardCount.n))
            .where(DashboardCount.grain == GRAIN_STATUS, *scope, days)
            .group_by(DashboardCount.status)
        )
    }
    pilots = select(
        Pilot.status,
        func.count(),
        func.coalesce(func.sum(Pilot.budget_planned), 0),
        func.coalesce(func.sum(Pilot.budget_spent), 0),
    ).group_by(Pilot.status)
    if organisation_id is not None:
        pilots = pilots.where(Pilot.organisation_id == organisation_id)
    if edition_id is not None:
        pilots = pilots.where(Pilot.edition_id == edition_id)
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
    if edition_id is not None:
        base = base.where(Pilot.edition_id == edition_id)
    late = (
        base.where(and_(Pilot.planned_end < today, Pilot.status.in_(OVERDUE_STATUSES)))
        .order_by(Pilot.planned_end, Pilot.id)
        .limit(50)
    )
    board.overdue = [PilotRow(*row) for row in db.session.execute(late)]

    # 7. Adoptions (reprises): copies of the scope's pilots, and copies the scope made.
    original = aliased(Pilot)
    copies = select(
        func.count(),
        func.coalesce(func.sum(case((Pilot.organisation_id == organisation_id, 1), else_=0)), 0),
    ).join(original, original.id == Pilot.adopted_from_id)
    if organisation_id is not None:
        copies = copies.where(
            or_(
                original.organisation_id == organisation_id,
                Pilot.organisation_id == organisation_id,
            )
        )
    if edition_id is not None:
        copies = copies.where(original.edition_id == edition_id)
    found = db.session.execute(copies).one()
    total_copies, made_here = int(cast(int, found[0])), int(cast(int, found[1]))
    if organisation_id is None:
        board.adoptions, board.adopted = int(total_copies), int(total_copies)
    else:
        board.adopted = int(made_here)
        board.adoptions = int(total_copies) - int(made_here)
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
