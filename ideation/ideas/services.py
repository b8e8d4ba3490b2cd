"""Ideas: write, edit (with revisions), support, list, count.

Services change models and flush; the view commits once. Status changes live in
`ideation.ideas.lifecycle`, their one home.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask import url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import joinedload, selectinload

from ideation.auth.models import User
from ideation.challenges.models import Challenge, Theme
from ideation.core.forms import FilterChoice
from ideation.core.loaders import or_404
from ideation.core.sanitize import plain_text, render_markdown
from ideation.core.sql import insert_or_ignore, sqlite_indexed_by
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.idea_states import PUBLIC, IdeaStatus
from ideation.domain.permissions import Actor
from ideation.extensions import db
from ideation.ideas import search
from ideation.ideas.models import SHUFFLE_KEY_SPACE, Idea, IdeaRevision, Support
from ideation.orgs.models import Residence
from ideation.photos.services import OwnerView

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


def photo_owner(actor: Actor, idea_id: int) -> OwnerView | None:
    """An idea as the photos area sees it: the same visibility as its page, its challenge's moderators."""
    idea = db.session.get(Idea, idea_id)
    if idea is None:
        return None
    scope = idea.challenge.scope
    return OwnerView(
        visible=rules.can_view_idea(
            actor, idea.status, idea.author_id, scope, hidden=idea.is_hidden
        ),
        scope=scope,
        url=url_for("ideas.show", idea_id=idea.id),
    )


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


@functools.cache
def _supported_query() -> Select[Any]:
    # Built once: every member's view of a list asks (bound parameters user_id, ids).
    return select(Support.idea_id).where(
        Support.user_id == bindparam("user_id"),
        Support.idea_id.in_(bindparam("ids", expanding=True)),
    )


def supported_ids(user_id: int | None, idea_ids: list[int]) -> set[int]:
    """Which of these ideas the user supports, in one query."""
    if not user_id or not idea_ids:
        return set()
    return set(db.session.scalars(_supported_query(), {"user_id": user_id, "ids": idea_ids}))


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
    """A visitor's order seed (kept in their session): where their walk through the shuffle starts."""
    return secrets.randbelow(SHUFFLE_KEY_SPACE - 2) + 1


def listable_statuses(mine: bool) -> list[IdeaStatus]:
    """Statuses one may filter on: public ones, plus one's own drafts and pending ideas."""
    statuses = [s for s in IdeaStatus if s in PUBLIC]
    if mine:
        statuses = list(IdeaStatus)
    return statuses


@dataclass
class FilterValues:
    """What the filters of a challenge's list offer: only values its ideas hold."""

    themes: list[FilterChoice]
    residences: list[FilterChoice]
    statuses: list[IdeaStatus]


def filter_values(challenge: Challenge, actor: Actor, filters: IdeaFilters) -> FilterValues:
    """The houses, residences and statuses of the ideas this reader may see in the
    challenge, so that no choice leads to an empty list. A value the address already
    chose stays offered, even when no idea holds it any more.

    Found without reading every idea of the challenge (at 10,000 ideas a grouped scan
    cost 12 ms per page on SQLite): the statuses, the houses and the residences each by
    a walk along an index from one value to the next, so the cost grows
    with the number of values, not of ideas. One's own ideas (« mes idées ») are few:
    they are grouped directly."""
    visible = _visible(challenge, actor, IdeaFilters(mine=filters.mine))
    listable = listable_statuses(filters.mine and actor.is_authenticated)
    if filters.mine and actor.is_authenticated:
        columns = (Idea.status, Idea.theme_id, Idea.residence_id)
        rows = db.session.execute(select(*columns).where(*visible).group_by(*columns)).all()
        found = {status for status, _, _ in rows}
        theme_filter = Theme.id.in_({t for _, t, _ in rows if t is not None})
        residence_filter = Residence.id.in_({r for _, _, r in rows if r is not None})
    else:
        found = set(db.session.scalars(_distinct_values(Idea.status, visible)))
        theme_filter = Theme.id.in_(_distinct_values(Idea.theme_id, visible))
        residence_filter = Residence.id.in_(_distinct_values(Idea.residence_id, visible))
    themes = {
        t.id: (t.position, t.name)
        for t in db.session.execute(
            select(Theme.id, Theme.position, Theme.name).where(theme_filter)
        )
    }
    residences = {
        r.id: r.label for r in db.session.scalars(select(Residence).where(residence_filter))
    }
    if (
        filters.theme
        and filters.theme not in themes
        and (theme := db.session.get(Theme, filters.theme))
    ):
        themes[theme.id] = (theme.position, theme.name)
    if filters.residence and filters.residence not in residences:
        if residence := db.session.get(Residence, filters.residence):
            residences[residence.id] = residence.label
    return FilterValues(
        themes=[
            FilterChoice(i, name)
            for i, (_, name) in sorted(themes.items(), key=lambda t: (t[1][0], t[1][1]))
        ],
        residences=[
            FilterChoice(i, label) for i, label in sorted(residences.items(), key=lambda r: r[1])
        ],
        statuses=[s for s in listable if s in found or s.value == filters.status],
    )


def _distinct_values(column: Any, conditions: list[ColumnElement[bool]]) -> Select[Any]:
    """The distinct non-null values of `column` among the rows matching `conditions`, by a
    loose index scan: the smallest value, then the smallest above it, and so on (a
    recursive query; each step is one descent of an index that starts with the
    challenge and `column`, see ideation/ideas/models.py)."""

    def after(floor: Any) -> Any:
        found = select(column).where(*conditions, column.is_not(None))
        if floor is not None:
            found = found.where(column > floor)
        return found.order_by(column).limit(1).scalar_subquery()

    walk = select(after(None).label("value")).cte("walk", recursive=True)
    walk = walk.union_all(select(after(walk.c.value)).where(walk.c.value.is_not(None)))
    return select(walk.c.value).where(walk.c.value.is_not(None))


class IdeaPage(Pagination):
    """One page of ideas, with the pager's numbers, found by the two steps of `list_ideas`.

    `fetch(offset, limit)` answers the page's ideas and the total; Flask-SQLAlchemy's
    Pagination keeps today's page arithmetic (`?page=` beyond the end: an empty page)."""

    def _query_items(self) -> list[Any]:
        fetch: Callable[[int, int], tuple[list[Idea], int]] = self._query_args["fetch"]
        items, self._total = fetch(self._query_offset, self.per_page)
        return items

    def _query_count(self) -> int:
        return self._total


def _visible(challenge: Challenge, actor: Actor, filters: IdeaFilters) -> list[ColumnElement[bool]]:
    """Which ideas the list shows: only conditions on columns that every list index carries."""
    conditions: list[ColumnElement[bool]] = [Idea.challenge_id == challenge.id]
    me = actor.id if actor.is_authenticated else None
    if filters.mine and me:
        conditions.append(Idea.author_id == me)
    elif me:
        # Everyone sees public ideas (not hidden by moderation); the author also sees their own pending ones.
        conditions.append(
            or_(
                and_(Idea.status.in_(PUBLIC), Idea.hidden_at.is_(None)),
                and_(Idea.author_id == me, Idea.status == IdeaStatus.SUBMITTED),
            )
        )
    else:
        conditions += [Idea.status.in_(PUBLIC), Idea.hidden_at.is_(None)]
    if filters.status in {s.value for s in listable_statuses(filters.mine and bool(me))}:
        conditions.append(Idea.status == IdeaStatus(filters.status))
    if filters.theme:
        conditions.append(Idea.theme_id == filters.theme)
    if filters.residence:
        conditions.append(Idea.residence_id == filters.residence)
    return conditions


def _load(ids: list[int]) -> list[Idea]:
    """The ideas of a page, in the page's order, with what their cards show: one query."""
    if not ids:
        return []
    rows = db.session.scalars(
        select(Idea)
        .where(Idea.id.in_(ids))
        .options(
            joinedload(Idea.author).joinedload(User.residence),
            joinedload(Idea.theme),
            joinedload(Idea.residence),
        )
    ).unique()
    by_id = {idea.id: idea for idea in rows}
    return [by_id[i] for i in ids if i in by_id]


def _ranked_ids(query: Select[Any], offset: int, limit: int) -> list[int]:
    return list(db.session.scalars(query.offset(offset).limit(limit)))


def _shuffled_page(
    conditions: list[ColumnElement[bool]], seed: int, offset: int, limit: int
) -> tuple[list[int], int]:
    """The ids of one page of the stable random order, and the total.

    Each idea drew a random `shuffle_key` at insert; the visitor's seed picks a starting
    point `start` in that key space, and the order is the ideas from `start` upwards, then
    around from the smallest key: a rotation, served by the index in two ranges.

    The trade-off: a rotation is less random than a permutation of its own for each
    visitor (which no index can serve, so every page would sort every idea). All visitors
    walk the same circle of ideas, so two ideas next to each other for one visitor are
    next to each other for everyone; but each visitor starts at a different place, so
    every idea is equally likely to be on anyone's first page, and the order stays the
    same for one visitor from page to page."""
    start = seed % SHUFFLE_KEY_SPACE
    upper = Idea.shuffle_key >= start
    counted = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((upper, 1), else_=0)), 0)).where(
            *conditions
        )
    ).one()
    total, n_upper = int(counted[0]), int(counted[1])
    parts: list[tuple[int, Any, int, int]] = []
    # The page may end the upper range and begin the lower one: both in one statement.
    if offset < n_upper:
        parts.append((0, upper, offset, min(limit, n_upper - offset)))
    rest = limit - (parts[0][3] if parts else 0)
    if rest > 0 and offset < total:
        parts.append((1, ~upper, max(offset - n_upper, 0), rest))
    if not parts:
        return [], total
    selects = [
        select(literal(part).label("part"), Idea.shuffle_key, Idea.id)
        .where(*conditions, range_)
        .order_by(Idea.shuffle_key, Idea.id)
        .offset(skip)
        .limit(take)
        .subquery()
        .select()
        for part, range_, skip, take in parts
    ]
    statement = selects[0] if len(selects) == 1 else union_all(*selects)
    rows = sorted((int(r[0]), int(r[1]), int(r[2])) for r in db.session.execute(statement))
    return [row[2] for row in rows], total


def list_ideas(
    challenge: Challenge, actor: Actor, filters: IdeaFilters
) -> tuple[IdeaPage, IdeaSort]:
    """One page of a challenge's ideas for this actor: filters, search, sort.

    Three queries whatever the number of ideas: the total (counted in the indexes: the list
    indexes, and the full-text index alone for a search), the page's ids (an index-only
    scan in the order's index, no text column read), then those ideas with their author,
    theme and residence."""
    shown = _visible(challenge, actor, filters)
    words = search.terms(filters.q)
    found = search.match_condition(words)
    sort = IdeaSort.from_url(filters.sort, IdeaSort.RANDOM)
    if found is None and sort == IdeaSort.RELEVANCE:
        sort = IdeaSort.RANDOM
    conditions = shown if found is None else [*shown, found]

    def by_id(statement: Select[Any]) -> Select[Any]:
        # A search walks its matches by id (see ix_ideas_search in models.py).
        return statement if found is None else sqlite_indexed_by(statement, Idea, "ix_ideas_search")

    def fetch(offset: int, limit: int) -> tuple[list[Idea], int]:
        if sort == IdeaSort.RANDOM:
            ids, total = _shuffled_page(conditions, filters.seed, offset, limit)
            return _load(ids), total
        counted = select(func.count()).select_from(Idea).where(*conditions)
        total = db.session.scalar(by_id(counted)) or 0
        if offset >= total:
            return [], total
        if sort == IdeaSort.RELEVANCE:
            matches = search.matches(words)
            assert matches is not None
            query = by_id(
                select(Idea.id)
                .join(matches, matches.c.id == Idea.id)
                .where(*shown)  # the join to the ranked matches is the search
                .order_by(matches.c.score.desc(), Idea.id.desc())
            )
        else:
            key = {
                IdeaSort.NEWEST: func.coalesce(Idea.published_at, Idea.created_at),
                IdeaSort.MOST_SUPPORTED: Idea.supports_count,
                IdeaSort.MOST_DISCUSSED: Idea.comments_count,
            }[sort]
            query = select(Idea.id).where(*conditions).order_by(key.desc(), Idea.id.desc())
        return _load(_ranked_ids(query, offset, limit)), total

    page = IdeaPage(page=max(filters.page, 1), per_page=PER_PAGE, error_out=False, fetch=fetch)
    return page, sort


def _look_alikes(idea: Idea, statuses: list[IdeaStatus], limit: int) -> list[Idea]:
    """Ideas of the same challenge in these statuses that share words with this one, best first."""
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
                Idea.status.in_(statuses),
                Idea.id != idea.id,
                Idea.hidden_at.is_(None),
            )
            .options(joinedload(Idea.author))
            .order_by(matches.c.score.desc(), Idea.id)
            .limit(limit)
        )
    )


def similar_ideas(idea: Idea, limit: int = SIMILAR_LIMIT) -> list[Idea]:
    """Up to five published ideas of the same challenge that look like this one (any shared word, ranked)."""
    return _look_alikes(idea, [IdeaStatus.PUBLISHED], limit)


def similar_pending_count(idea: Idea) -> int:
    """How many ideas waiting for validation look like this one. Only the number is shown:
    what is not yet published stays unread by others."""
    return len(_look_alikes(idea, [IdeaStatus.SUBMITTED], SIMILAR_LIMIT))


# What a newly sent idea may be a copy of, for the moderation queue's "Regrouper".
DUPLICATE_STATUSES = [IdeaStatus.PUBLISHED, IdeaStatus.SHORTLISTED, IdeaStatus.SUBMITTED]


def flag_likely_duplicate(idea: Idea) -> None:
    """Remember the closest look-alike when the idea is sent, once, so the queue shows it
    without a search per row."""
    found = _look_alikes(idea, DUPLICATE_STATUSES, 1)
    idea.likely_duplicate_of_id = found[0].id if found else None


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
