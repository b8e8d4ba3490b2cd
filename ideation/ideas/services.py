"""Ideas: write, edit (with revisions), support, list, count.

Services change models and flush; the view commits once. Status changes live in
`ideation.ideas.lifecycle`, their one home.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import BigInteger, and_, cast, delete, func, literal, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.core.loaders import or_404
from ideation.core.sanitize import plain_text, render_markdown
from ideation.core.sql import insert_or_ignore
from ideation.db_types import utcnow
from ideation.domain.idea_states import PUBLIC, IdeaStatus
from ideation.domain.permissions import Actor
from ideation.extensions import db
from ideation.ideas import search
from ideation.ideas.models import Idea, IdeaRevision, Support

PER_PAGE = 20
SIMILAR_LIMIT = 5


class IdeaSort(StrEnum):
    """How a challenge's ideas are ordered.

    Code uses the English names; each value is the word of the public URL
    (`/defis/<slug>?sort=hasard`), French because people bookmark and share those links.
    This enum is the one place where the two meet."""

    RANDOM = "hasard"
    NEWEST = "recentes"
    MOST_SUPPORTED = "soutenues"
    MOST_DISCUSSED = "discutees"
    RELEVANCE = "pertinence"

    @classmethod
    def from_url(cls, value: str | None, default: IdeaSort) -> IdeaSort:
        """The sort a URL asks for; `default` when it names none we know."""
        if value is None:
            return default
        try:
            return cls(value)
        except ValueError:
            return default


# A prime above any id: (id * a + b) mod M is a stable shuffle for one visitor's seed.
_SHUFFLE_MODULUS = 2_147_483_629


@dataclass
class IdeaData:
    title: str
    summary: str
    body: str
    theme_id: int | None
    residence_id: int | None


def get_idea(idea_id: int) -> Idea | None:
    """One idea with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(
        select(Idea)
        .where(Idea.id == idea_id)
        .options(
            joinedload(Idea.challenge).selectinload(Challenge.residences),
            joinedload(Idea.challenge).joinedload(Challenge.theme),
            joinedload(Idea.author).joinedload(User.residence),
            joinedload(Idea.theme),
            joinedload(Idea.residence),
        )
    )


def load_idea(idea_id: int, allowed: Callable[[Idea], bool] | None = None) -> Idea:
    """The idea for a view: 404 if missing, 403 if `allowed` (a rule) refuses it."""
    return or_404(get_idea(idea_id), allowed)


def _apply(idea: Idea, data: IdeaData) -> None:
    idea.title = data.title
    idea.summary = data.summary
    idea.body_source = data.body
    idea.body_html = render_markdown(data.body)  # sanitised once, here
    idea.body_text = plain_text(idea.body_html)
    idea.theme_id = data.theme_id
    idea.residence_id = data.residence_id


def create_idea(challenge: Challenge, author: User, data: IdeaData) -> Idea:
    """A new idea, kept as a draft until its author sends it."""
    idea = Idea(challenge=challenge, author_id=author.id, status=IdeaStatus.DRAFT)
    _apply(idea, data)
    db.session.add(idea)
    db.session.flush()
    return idea


def update_idea(idea: Idea, editor: User, data: IdeaData) -> None:
    """The author changes their idea; once sent, the old text is kept as a revision."""
    if idea.status != IdeaStatus.DRAFT:
        unchanged = (idea.title, idea.summary, idea.body_source) == (
            data.title,
            data.summary,
            data.body,
        )
        if not unchanged:
            db.session.add(
                IdeaRevision(
                    idea_id=idea.id,
                    editor_id=editor.id,
                    title=idea.title,
                    summary=idea.summary,
                    body_source=idea.body_source,
                )
            )
            idea.edited_at = utcnow()
    _apply(idea, data)
    db.session.flush()


# --- supports -----------------------------------------------------------------------


def recount_supports(idea_id: int) -> None:
    # Recount rather than +1/-1: concurrent clicks can never drift the counter.
    db.session.execute(
        update(Idea)
        .where(Idea.id == idea_id)
        .values(
            supports_count=select(func.count())
            .select_from(Support)
            .where(Support.idea_id == idea_id)
            .scalar_subquery()
        )
        .execution_options(synchronize_session=False)
    )


def set_support(idea: Idea, user_id: int, on: bool) -> bool:
    """Turn the user's support on or off; idempotent. Returns whether the user now supports it."""
    if on:
        insert_or_ignore(
            Support, ["idea_id", "user_id"], idea_id=idea.id, user_id=user_id, created_at=utcnow()
        )
    else:
        db.session.execute(
            delete(Support).where(Support.idea_id == idea.id, Support.user_id == user_id)
        )
    recount_supports(idea.id)
    db.session.flush()
    db.session.refresh(idea, ["supports_count"])
    return on


def supported_ids(user_id: int | None, idea_ids: list[int]) -> set[int]:
    """Which of these ideas the user supports, in one query."""
    if not user_id or not idea_ids:
        return set()
    return set(
        db.session.scalars(
            select(Support.idea_id).where(Support.user_id == user_id, Support.idea_id.in_(idea_ids))
        )
    )


# --- lists --------------------------------------------------------------------------


@dataclass
class IdeaFilters:
    q: str = ""
    theme: int | None = None
    status: str | None = None
    residence: int | None = None
    mine: bool = False
    sort: IdeaSort = IdeaSort.RANDOM
    page: int = 1
    seed: int = 1


def new_seed() -> int:
    return secrets.randbelow(_SHUFFLE_MODULUS - 2) + 1


def listable_statuses(mine: bool) -> list[IdeaStatus]:
    """Statuses one may filter on: public ones, plus one's own drafts and pending ideas."""
    statuses = [s for s in IdeaStatus if s in PUBLIC]
    if mine:
        statuses = list(IdeaStatus)
    return statuses


def list_ideas(challenge: Challenge, actor: Actor, filters: IdeaFilters):  # type: ignore[no-untyped-def]
    """One page of a challenge's ideas for this actor: filters, search, sort. Two queries."""
    query = (
        select(Idea)
        .where(Idea.challenge_id == challenge.id)
        .options(
            joinedload(Idea.author).joinedload(User.residence),
            joinedload(Idea.theme),
            joinedload(Idea.residence),
        )
    )
    me = actor.id if actor.is_authenticated else None
    if filters.mine and me:
        query = query.where(Idea.author_id == me)
    elif me:
        # Everyone sees public ideas (not hidden by moderation); the author also sees their own pending ones.
        query = query.where(
            or_(
                and_(Idea.status.in_(PUBLIC), Idea.hidden_at.is_(None)),
                and_(Idea.author_id == me, Idea.status == IdeaStatus.SUBMITTED),
            )
        )
    else:
        query = query.where(Idea.status.in_(PUBLIC), Idea.hidden_at.is_(None))
    if filters.status in {s.value for s in listable_statuses(filters.mine and bool(me))}:
        query = query.where(Idea.status == IdeaStatus(filters.status))
    if filters.theme:
        query = query.where(Idea.theme_id == filters.theme)
    if filters.residence:
        query = query.where(Idea.residence_id == filters.residence)

    words = search.terms(filters.q)
    matches = search.matches(words)
    sort = IdeaSort.from_url(filters.sort, IdeaSort.RANDOM)
    if matches is not None:
        query = query.join(matches, matches.c.id == Idea.id)
    elif sort == IdeaSort.RELEVANCE:
        sort = IdeaSort.RANDOM
    if sort == IdeaSort.RELEVANCE and matches is not None:
        query = query.order_by(matches.c.score.desc(), Idea.id.desc())
    elif sort == IdeaSort.NEWEST:
        query = query.order_by(
            func.coalesce(Idea.published_at, Idea.created_at).desc(), Idea.id.desc()
        )
    elif sort == IdeaSort.MOST_SUPPORTED:
        query = query.order_by(Idea.supports_count.desc(), Idea.id.desc())
    elif sort == IdeaSort.MOST_DISCUSSED:
        query = query.order_by(Idea.comments_count.desc(), Idea.id.desc())
    else:
        a = (filters.seed % (_SHUFFLE_MODULUS - 1)) + 1
        b = (filters.seed * 7919) % _SHUFFLE_MODULUS
        shuffle = (
            cast(Idea.id, BigInteger) * literal(a, BigInteger) + literal(b, BigInteger)
        ) % literal(_SHUFFLE_MODULUS, BigInteger)
        query = query.order_by(shuffle, Idea.id)
    return db.paginate(query, page=max(filters.page, 1), per_page=PER_PAGE, error_out=False), sort


def similar_ideas(idea: Idea, limit: int = SIMILAR_LIMIT) -> list[Idea]:
    """Up to five published ideas of the same challenge that look like this one (any shared word, ranked)."""
    words = search.significant_terms(f"{idea.title} {idea.summary} {idea.body_text}")
    matches = search.matches(words, any_word=True)
    if matches is None:
        return []
    return list(
        db.session.scalars(
            select(Idea)
            .join(matches, matches.c.id == Idea.id)
            .where(
                Idea.challenge_id == idea.challenge_id,
                Idea.status == IdeaStatus.PUBLISHED,
                Idea.id != idea.id,
                Idea.hidden_at.is_(None),
            )
            .options(joinedload(Idea.author))
            .order_by(matches.c.score.desc(), Idea.id)
            .limit(limit)
        )
    )


def public_idea_counts(challenge_ids: list[int]) -> dict[int, int]:
    """Published ideas per challenge, in one grouped query."""
    if not challenge_ids:
        return {}
    return dict(
        db.session.execute(
            select(Idea.challenge_id, func.count())
            .where(Idea.challenge_id.in_(challenge_ids), Idea.status.in_(PUBLIC))
            .group_by(Idea.challenge_id)
        ).all()
    )


def ideas_by_status(challenge_id: int) -> dict[IdeaStatus, int]:
    """How many ideas of each status a challenge has (drafts excluded: they are private)."""
    rows = db.session.execute(
        select(Idea.status, func.count())
        .where(Idea.challenge_id == challenge_id, Idea.status != IdeaStatus.DRAFT)
        .group_by(Idea.status)
    ).all()
    return {status: n for status, n in rows}


def ideas_with_status(challenge_id: int, status: IdeaStatus, page: int):  # type: ignore[no-untyped-def]
    query = (
        select(Idea)
        .where(Idea.challenge_id == challenge_id, Idea.status == status)
        .options(joinedload(Idea.author).joinedload(User.residence), selectinload(Idea.theme))
        .order_by(Idea.submitted_at.desc().nulls_last(), Idea.id.desc())
    )
    return db.paginate(query, page=max(page, 1), per_page=PER_PAGE, error_out=False)
