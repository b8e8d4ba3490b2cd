"""The dashboard's summary: every count the dashboard shows, rebuilt by the queue.

`refresh()` recounts all platform activity into `dashboard_counts` and
`dashboard_active` with a handful of INSERT … SELECT … GROUP BY statements: the whole
scan that every dashboard view used to run twice now runs once per refresh, in a worker.
A view then reads a few hundred summary rows (see services.build), whatever the history.

The refresh is a full recount, not a delta: ideas change status, comments are deleted,
ballots are replaced and people move residence, and a recount is the only way to stay
equal to the live figures without a trigger on every table. It runs in one transaction,
so a view sees the previous summary or the new one, never half of each.

When it runs: every few minutes (ideation/tasks.py), and shortly after any commit that
adds or changes an idea, comment, ballot or support or adds an account (`_after_flush`
below). A key in the queue's storage keeps at most one such refresh pending, so a burst
of commits costs one recount.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    case,
    delete,
    event,
    func,
    insert,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Subquery

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.comments.models import Comment
from ideation.core.queue import enqueue_after_commit, huey, paris_crontab, periodic_task, task
from ideation.dashboard.models import DashboardActive, DashboardCount, DashboardRefresh
from ideation.db_types import utcnow
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from ideation.voting.models import Ballot

ACTIVITY_KINDS = ("idea", "comment", "ballot")
# The summary's grains: per residence (accounts and activity), per challenge (activity),
# and ideas per status (the funnel); each all-time (day NULL) and per day.
GRAIN_RESIDENCE, GRAIN_CHALLENGE, GRAIN_STATUS = "r", "c", "s"
# Active participants (anyone who proposed, supported, commented or voted in the last
# ACTIVE_DAYS), counted at the refresh: one row per organisation, one for everyone.
GRAIN_ACTIVE = "a"
ACTIVE, ACTIVE_EVERYONE = "active", "active_all"
ACTIVE_DAYS = 90
# Distinct participants for the participation rates, per organisation ("p") and for every
# organisation ("q"): per residence (all editions, and each edition), per edition, per house.
GRAIN_PEOPLE, GRAIN_PEOPLE_EVERYONE = "p", "q"
# Refresh rows kept: enough to see the recent rhythm, never a growing table.
KEEP_REFRESHES = 50
# The key that says "a refresh is already on its way" (see request_refresh).
PENDING_KEY = "dashboard-refresh-pending"
# How long after a commit the refresh runs: commits closer than this share one recount.
REFRESH_DELAY_SECONDS = 30
# If a pending refresh was lost (a worker killed), the key expires and the next commit asks again.
PENDING_TTL_SECONDS = 600


def activity_rows() -> Subquery:
    """Every idea sent, comment, ballot and support: (kind, organisation, challenge, user,
    residence, at), the organisation being the challenge's, else the author's."""
    ideas = select(
        literal("idea").label("kind"),
        Idea.challenge_id.label("challenge_id"),
        Idea.author_id.label("user_id"),
        Idea.created_at.label("at"),
    ).where(Idea.status != IdeaStatus.DRAFT, Idea.author_id.is_not(None))
    comments = (
        select(literal("comment"), Idea.challenge_id, Comment.author_id, Comment.created_at)
        .join(Idea, Idea.id == Comment.idea_id)
        .where(Comment.deleted_at.is_(None), Comment.author_id.is_not(None))
    )
    ballots = select(
        literal("ballot"), Ballot.challenge_id, Ballot.voter_id, Ballot.updated_at
    ).where(Ballot.voter_id.is_not(None))
    supports = select(
        literal("support"), Idea.challenge_id, Support.user_id, Support.created_at
    ).join(Idea, Idea.id == Support.idea_id)
    rows = union_all(ideas, comments, ballots, supports).subquery("activity")
    return (
        select(
            rows.c.kind,
            func.coalesce(Challenge.organisation_id, User.organisation_id).label("org"),
            rows.c.challenge_id,
            rows.c.user_id,
            User.residence_id,
            rows.c.at,
        )
        .join(User, User.id == rows.c.user_id)
        .join(Challenge, Challenge.id == rows.c.challenge_id)
        .subquery("scoped_activity")
    )


COUNT_COLUMNS = [
    "grain",
    "organisation_id",
    "challenge_id",
    "residence_id",
    "kind",
    "status",
    "day",
    "n",
]


def refresh() -> int:
    """Recount the summary (flushes; the caller commits). Returns the summary's row count."""
    session = db.session
    session.execute(delete(DashboardCount))
    session.execute(delete(DashboardActive))
    activity = activity_rows()
    no_int = null().cast(Integer)
    no_text = null().cast(String)
    counted = activity.c.kind != "support"

    def activity_counts(grain: str, by_day: bool) -> Any:
        day = func.date(activity.c.at) if by_day else null()
        challenge = activity.c.challenge_id if grain == GRAIN_CHALLENGE else no_int
        residence = activity.c.residence_id if grain == GRAIN_RESIDENCE else no_int
        keys = [activity.c.org, activity.c.kind]
        keys.append(
            activity.c.challenge_id if grain == GRAIN_CHALLENGE else activity.c.residence_id
        )
        return (
            select(
                literal(grain), activity.c.org, challenge, residence, activity.c.kind, no_text, day
            )
            .add_columns(func.count())
            .where(counted)
            .group_by(*keys, *([day] if by_day else []))
        )

    author = aliased(User)
    idea_org = func.coalesce(
        Challenge.organisation_id,
        select(author.organisation_id).where(author.id == Idea.author_id).scalar_subquery(),
    )

    def status_counts(by_day: bool) -> Any:
        day = func.date(Idea.created_at) if by_day else null()
        return (
            select(literal(GRAIN_STATUS), idea_org, no_int, no_int, literal("status"))
            .add_columns(Idea.status, day, func.count())
            .join(Challenge, Challenge.id == Idea.challenge_id)
            .where(Idea.status != IdeaStatus.DRAFT)
            .group_by(idea_org, Idea.status, *([day] if by_day else []))
        )

    accounts = (
        select(literal(GRAIN_RESIDENCE), User.organisation_id, no_int, User.residence_id)
        .add_columns(literal("account"), no_text, null(), func.count())
        .where(User.role != Role.ADMIN)
        .group_by(User.organisation_id, User.residence_id)
    )
    sources = [accounts]
    for by_day in (False, True):
        sources += [
            activity_counts(GRAIN_RESIDENCE, by_day),
            activity_counts(GRAIN_CHALLENGE, by_day),
            status_counts(by_day),
        ]
    for source in sources:
        session.execute(insert(DashboardCount).from_select(COUNT_COLUMNS, source))
    # Each person once per organisation they counted for, and once for "every organisation".
    last_at = func.max(activity.c.at)
    session.execute(
        insert(DashboardActive).from_select(
            ["everyone", "organisation_id", "user_id", "last_at"],
            select(literal(False), activity.c.org, activity.c.user_id, last_at).group_by(
                activity.c.org, activity.c.user_id
            ),
        )
    )
    session.execute(
        insert(DashboardActive).from_select(
            ["everyone", "organisation_id", "user_id", "last_at"],
            select(literal(True), no_int, activity.c.user_id, last_at).group_by(activity.c.user_id),
        )
    )
    # The active figure, counted here once rather than over every active person per view.
    since_active = utcnow() - timedelta(days=ACTIVE_DAYS)
    session.execute(
        insert(DashboardCount).from_select(
            COUNT_COLUMNS,
            select(
                literal(GRAIN_ACTIVE),
                DashboardActive.organisation_id,
                no_int,
                no_int,
                case((DashboardActive.everyone, ACTIVE_EVERYONE), else_=ACTIVE),
                no_text,
                null(),
                func.count(),
            )
            .where(DashboardActive.last_at >= since_active)
            .group_by(DashboardActive.everyone, DashboardActive.organisation_id),
        )
    )
    count_participants(activity)
    rows = session.scalar(select(func.count()).select_from(DashboardCount)) or 0
    entry = DashboardRefresh(refreshed_at=utcnow(), rows=rows)
    session.add(entry)
    session.flush()
    session.execute(
        delete(DashboardRefresh).where(DashboardRefresh.id <= entry.id - KEEP_REFRESHES)
    )
    return rows


PEOPLE_COLUMNS = [
    "grain",
    "organisation_id",
    "residence_id",
    "kind",
    "edition_id",
    "group_id",
    "n",
]


def count_participants(activity: Subquery) -> None:
    """The participation rates' distinct people, all-time (a date range is counted live by
    ideation/dashboard/participation.py: distinct people cannot be added up by day)."""
    no_int = null().cast(Integer)
    people = func.count(activity.c.user_id.distinct())
    edition, house = Challenge.edition_id, Challenge.theme_id
    # (kind, residence column, edition column, group column, condition)
    shapes: list[tuple[str, Any, Any, Any, Any]] = [
        ("residence", activity.c.residence_id, no_int, no_int, None),
        ("residence", activity.c.residence_id, edition, no_int, edition.is_not(None)),
        ("edition", no_int, no_int, edition, edition.is_not(None)),
        ("house", no_int, no_int, house, house.is_not(None)),
    ]
    for kind, residence, per_edition, group, condition in shapes:
        keys = [c for c in (residence, per_edition, group) if c is not no_int]
        for grain, organisation in ((GRAIN_PEOPLE, activity.c.org), (GRAIN_PEOPLE_EVERYONE, None)):
            query = select(
                literal(grain),
                organisation if organisation is not None else no_int,
                residence,
                literal(kind),
                per_edition,
                group,
                people,
            ).join(Challenge, Challenge.id == activity.c.challenge_id)
            if condition is not None:
                query = query.where(condition)
            query = query.group_by(*([organisation] if organisation is not None else []), *keys)
            db.session.execute(insert(DashboardCount).from_select(PEOPLE_COLUMNS, query))


def ever_refreshed() -> bool:
    """Whether the summary was ever counted (else the dashboard would show zeros)."""
    return db.session.scalar(select(DashboardRefresh.id).limit(1)) is not None


# ------------------------------------------------------------------ refresh after commits

# The models whose changes move a dashboard figure. Accounts only count when added or
# removed (a login touches its user row; a residence change waits for the periodic run).
_WATCHED = (Idea, Comment, Ballot, Support)


def request_refresh() -> None:
    """Ask for one refresh soon, unless one is already pending (called after a commit)."""
    try:
        first = huey.put_if_empty(PENDING_KEY, "1", ttl=PENDING_TTL_SECONDS)
    except NotImplementedError:
        # Huey's SQLite storage (the default of `make run`) keeps no expiry: the key then
        # lasts until a refresh starts, and the five-minute refresh always clears it.
        first = huey.put_if_empty(PENDING_KEY, "1")
    if first:
        refresh_dashboard.schedule(delay=REFRESH_DELAY_SECONDS)


def clear_pending() -> None:
    """The refresh has started: a commit from now on asks for the next one."""
    huey.get(PENDING_KEY)  # reading a key in Huey's storage removes it


def _touches_figures(session: Session) -> bool:
    for obj in session.new:
        if isinstance(obj, (*_WATCHED, User)):
            return True
    for obj in session.dirty:
        if isinstance(obj, _WATCHED) and session.is_modified(obj):
            return True
    return any(isinstance(obj, (*_WATCHED, User)) for obj in session.deleted)


def _after_flush(session: Session, _context: Any) -> None:
    # Several flushes may ask within one transaction: request_refresh keeps one pending.
    if _touches_figures(session):
        enqueue_after_commit(request_refresh)


def listen() -> None:
    """Watch every session's flushes (called when the dashboard's views are imported)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


# ------------------------------------------------------------------ jobs

logger = logging.getLogger(__name__)
# Registered in the worker through ideation/tasks.py; one lock, so refreshes never overlap.


@task(retries=1, retry_delay=60)
@huey.lock_task("dashboard-refresh")
def refresh_dashboard() -> None:
    """Recount the dashboard's summary (asked for shortly after a commit that moves it)."""
    clear_pending()
    rows = refresh()
    db.session.commit()
    logger.info("dashboard summary: %d rows", rows)


@periodic_task(paris_crontab(minute="*/5"))
@huey.lock_task("dashboard-refresh")
def refresh_dashboard_periodically() -> None:
    """Every five minutes, whatever happened: catches what no commit hook saw (an account
    moving residence, a challenge changing organisation, a refresh lost with its worker)."""
    clear_pending()
    refresh()
    db.session.commit()
