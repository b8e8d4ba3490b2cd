"""The challenge page's idea list against a reference computed in Python from all the rows:
the same ideas in the same order, page after page, for every sort, filter, search and kind
of visitor, at two sizes; and the same number of SQL statements at both sizes.

The list finds a page's ids in an index, then loads those ideas (ideation/ideas/services.py);
the reference knows nothing of that: it reads every idea and sorts them itself.
"""

from __future__ import annotations

import math
import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from ideation.core.cache import visitor_seed
from ideation.db_types import utcnow
from ideation.domain.idea_states import PUBLIC, IdeaStatus
from ideation.domain.permissions import VISITOR
from ideation.ideas.models import SHUFFLE_KEY_SPACE, Idea
from ideation.ideas.services import PER_PAGE, IdeaFilters, IdeaSort, list_ideas
from tests.conftest import _empty_tables
from tests.factories import (
    make_challenge,
    make_idea,
    make_org,
    make_residence,
    make_theme,
    make_user,
)

STATUSES = ["published"] * 6 + ["shortlisted", "selected", "submitted", "draft", "rejected"]
RARE = "toboggan"
SEEDS = [1, 31, 59, SHUFFLE_KEY_SPACE + 12]  # starting points inside, and around, the keys


def _build(n: int) -> dict:
    """A challenge of `n` ideas full of ties (dates, counters, shuffle keys), plus noise:
    another challenge, hidden ideas, pending and draft ideas, one member's own ideas."""
    rng = random.Random(n)
    org = make_org()
    themes = [make_theme(), make_theme()]
    residences = [make_residence(org), make_residence(org)]
    authors = [make_user("tenant", org=org) for _ in range(4)]
    challenge = make_challenge(org=org, slug=f"ordre-{n}")
    other = make_challenge(org=org, slug=f"autre-{n}")
    base = utcnow() - timedelta(days=30)
    for i in range(n):
        status = rng.choice(STATUSES)
        idea = make_idea(
            challenge,
            authors[i % 4],
            status=status,
            title=f"Idée {i}",
            summary="Un résumé.",
            body=f"Un {RARE} pour la cour." if i % 5 == 0 else "Des bancs dans la cour.",
            theme=rng.choice([None, *themes]),
            residence=rng.choice([None, *residences]),
            supports_count=rng.randrange(4),
        )
        idea.comments_count = rng.randrange(4)
        idea.shuffle_key = rng.randrange(60)  # small on purpose: many ties, broken by id
        idea.created_at = base + timedelta(hours=rng.randrange(5))
        if idea.published_at is not None:
            idea.published_at = base + timedelta(hours=rng.randrange(5))
        if i % 11 == 0:
            idea.hidden_at = base
    for _ in range(5):
        make_idea(other, authors[0], body=f"Un {RARE} ailleurs.")
    from ideation.extensions import db

    db.session.commit()
    return {
        "challenge": challenge,
        "member": authors[1].actor,
        "theme": themes[0].id,
        "residence": residences[1].id,
    }


def _reference(challenge, actor, filters: IdeaFilters) -> list[int]:  # type: ignore[no-untyped-def]
    """Every idea of the challenge this visitor may see with these filters, in order."""
    from ideation.extensions import db

    ideas = db.session.scalars(select(Idea).where(Idea.challenge_id == challenge.id)).all()
    me = actor.id

    def visible(idea: Idea) -> bool:
        if filters.mine and me:
            return idea.author_id == me
        public = idea.status in PUBLIC and idea.hidden_at is None
        own_pending = me is not None and idea.author_id == me and idea.status == "submitted"
        return public or own_pending

    allowed_status = {s.value for s in PUBLIC} | (
        {s.value for s in IdeaStatus} if filters.mine else set()
    )
    kept = [
        i
        for i in ideas
        if visible(i)
        and (filters.status not in allowed_status or i.status == filters.status)
        and (not filters.theme or i.theme_id == filters.theme)
        and (not filters.residence or i.residence_id == filters.residence)
        and (not filters.q or RARE in i.body_text)
    ]
    if filters.sort == IdeaSort.NEWEST:
        return [
            i.id
            for i in sorted(
                kept, key=lambda i: (i.published_at or i.created_at, i.id), reverse=True
            )
        ]
    if filters.sort == IdeaSort.MOST_SUPPORTED:
        return [i.id for i in sorted(kept, key=lambda i: (i.supports_count, i.id), reverse=True)]
    if filters.sort == IdeaSort.MOST_DISCUSSED:
        return [i.id for i in sorted(kept, key=lambda i: (i.comments_count, i.id), reverse=True)]
    if filters.sort == IdeaSort.RELEVANCE:
        score = _scores(filters.q)
        return [i.id for i in sorted(kept, key=lambda i: (score[i.id], i.id), reverse=True)]
    # The rotation: from the visitor's starting key upwards, then around from the smallest.
    start = filters.seed % SHUFFLE_KEY_SPACE
    return [i.id for i in sorted(kept, key=lambda i: (i.shuffle_key < start, i.shuffle_key, i.id))]


def _scores(q: str) -> dict[int, float]:
    """The database's own relevance of each matching idea, asked idea by idea."""
    from ideation.extensions import db
    from ideation.ideas import search

    matches = search.matches(search.terms(q))
    return dict(db.session.execute(select(matches.c.id, matches.c.score)).all())


def _walk(challenge, actor, filters: IdeaFilters) -> tuple[list[int], int, int]:  # type: ignore[no-untyped-def]
    """Every page of the list in turn, up to one beyond the end; (ids, total, pages)."""
    seen: list[int] = []
    page = 1
    while True:
        filters.page = page
        rows, _ = list_ideas(challenge, actor, filters)
        assert rows.page == page and rows.per_page == PER_PAGE
        if page > max(rows.pages, 1):
            assert rows.items == []  # beyond the end: an empty page, as before
            return seen, rows.total, rows.pages
        assert len(rows.items) == min(PER_PAGE, rows.total - (page - 1) * PER_PAGE)
        seen += [idea.id for idea in rows.items]
        page += 1


def _cases(data: dict):  # type: ignore[no-untyped-def]
    actors = {"visitor": VISITOR, "member": data["member"]}
    filters = {
        "none": {},
        "theme": {"theme": data["theme"]},
        "residence": {"residence": data["residence"]},
        "status": {"status": "shortlisted"},
        "search": {"q": RARE},
        "search+theme": {"q": RARE.upper(), "theme": data["theme"]},
    }
    for actor_name, actor in actors.items():
        for filter_name, extra in filters.items():
            for sort in IdeaSort:
                if sort == IdeaSort.RELEVANCE and "q" not in extra:
                    continue
                seeds = SEEDS if sort == IdeaSort.RANDOM else [7]
                for seed in seeds:
                    yield (
                        f"{actor_name}/{filter_name}/{sort}/{seed}",
                        actor,
                        IdeaFilters(sort=sort, seed=seed, **extra),
                    )
    mine = IdeaFilters(mine=True, sort=IdeaSort.NEWEST)
    yield "member/mine/recentes", data["member"], mine
    yield "member/mine+draft", data["member"], IdeaFilters(mine=True, status="draft", seed=31)


@pytest.mark.parametrize("n", [30, 250])
def test_every_page_of_every_list_matches_the_reference(db, n):
    data = _build(n)
    checked = 0
    for name, actor, filters in _cases(data):
        expected = _reference(data["challenge"], actor, filters)
        got, total, pages = _walk(data["challenge"], actor, filters)
        assert got == expected, name
        assert total == len(expected) and pages == math.ceil(len(expected) / PER_PAGE), name
        checked += 1 if expected else 0
    assert checked > 40  # the cases are not vacuous: almost all of them list ideas


def test_each_visitor_seed_gives_another_order_and_pages_never_repeat(db):
    data = _build(250)
    orders = [_walk(data["challenge"], VISITOR, IdeaFilters(seed=seed))[0] for seed in SEEDS]
    assert len({tuple(order) for order in orders}) == len(SEEDS)
    for order in orders:
        assert len(set(order)) == len(order) == len(orders[0])
    # A seed beyond the key space wraps around: the same walk as its remainder.
    assert _walk(data["challenge"], VISITOR, IdeaFilters(seed=12))[0] == orders[3]


def test_the_challenge_page_shows_the_reference_order(client, db):
    data = _build(30)
    # Visitors share the day's shuffle (a per-visitor seed would need a cookie, and a page
    # that sets one cannot be cached): core.cache.visitor_seed.
    for query, filters in [
        ("", IdeaFilters(seed=visitor_seed())),
        ("?sort=soutenues&page=2", IdeaFilters(sort=IdeaSort.MOST_SUPPORTED, page=2)),
        (f"?q={RARE}", IdeaFilters(q=RARE, sort=IdeaSort.RELEVANCE)),
    ]:
        page = client.get(f"/defis/{data['challenge'].slug}{query}").text
        shown = [int(i) for i in re.findall(r'<h3><a href="/idees/(\d+)">', page)]
        expected = _reference(data["challenge"], VISITOR, filters)
        start = (filters.page - 1) * PER_PAGE
        assert shown == expected[start : start + PER_PAGE], query


def test_list_queries_do_not_depend_on_the_number_of_ideas(db, count_queries):
    counts = []
    for n in (30, 250):
        db.session.rollback()
        _empty_tables()
        data = _build(n)
        db.session.refresh(data["challenge"])  # the commit expired it: load it outside the counts
        found: dict[str, int] = {}
        for name, actor, filters in _cases(data):
            for label, page in (("first", 1), ("last", None), ("beyond", 10_000)):
                if page is None:
                    filters.page = 1
                    page = max(list_ideas(data["challenge"], actor, filters)[0].pages, 1)
                filters.page = page
                with count_queries() as counter:
                    rows, _ = list_ideas(data["challenge"], actor, filters)
                    [(i.author.residence, i.theme, i.residence) for i in rows.items]
                found[f"{name}/{label}"] = counter.count
        counts.append(found)
    assert counts[0] == counts[1]
    assert max(counts[1].values()) == 3  # the total, the page's ids, the page's ideas
