"""`flask seed-demo --scale N`: the generated installation's sizes, counters and pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.comments.models import Comment
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.ideas.models import Idea, Support
from ideation.orgs.models import Organisation
from ideation.seed import DEMO_PASSWORD
from ideation.seed.scale import (
    CLOSED_VOTE_SLUG,
    MANAGER_EMAIL,
    OPEN_VOTE_SLUG,
    ORGANISATION_SLUG,
    RANKS,
    seed_scale,
    sizes,
)
from ideation.voting.models import Ballot, VoteResult

SCALE = 0.002


def _count(db, query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))


def _scale_org(db) -> Organisation:
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == ORGANISATION_SLUG))


def _challenge(db, slug: str) -> Challenge:
    return db.session.scalar(sa.select(Challenge).where(Challenge.slug == slug))


@pytest.fixture
def scaled(db):
    """What `seed-demo --scale` adds to the demo (the CLI itself is tested once, below)."""
    assert seed_scale(SCALE, echo=lambda _line: None) is not None
    db.session.expire_all()


def test_sizes_follow_n_from_the_measured_size():
    full = sizes(1)
    assert (full.accounts, full.ideas, full.supports, full.comments, full.ballots) == (
        100_000,
        11_190,
        111_000,
        111_000,
        100_000,
    )
    one_percent = sizes(0.01)
    assert (one_percent.accounts, one_percent.ideas, one_percent.supports) == (1000, 112, 1110)
    # A tiny N keeps each vote's 20 retained ideas and some ideas to list.
    assert sizes(0.0001).ideas >= 2 * RANKS + 20


def test_scale_builds_the_rows_n_asks_for(scaled, db):
    want = sizes(SCALE)
    org = _scale_org(db)
    in_org = Challenge.organisation_id == org.id
    people = _count(db, sa.select(User.id).where(User.organisation_id == org.id))
    assert people == want.accounts + 1  # the tenants and their landlord's manager
    assert _count(db, sa.select(Idea.id).join(Challenge).where(in_org)) == want.ideas
    assert _count(db, sa.select(Support.id).join(Idea).join(Challenge).where(in_org)) == (
        want.supports
    )
    assert _count(db, sa.select(Comment.id).join(Idea).join(Challenge).where(in_org)) == (
        want.comments
    )
    for slug in (CLOSED_VOTE_SLUG, OPEN_VOTE_SLUG):
        challenge = _challenge(db, slug)
        ballots = db.session.scalars(
            sa.select(Ballot).where(Ballot.challenge_id == challenge.id)
        ).all()
        assert len(ballots) == want.ballots
        assert all(len(b.ranking) == RANKS for b in ballots)
        assert len({b.receipt for b in ballots}) == want.ballots


def test_counters_equal_the_rows(scaled, db):
    org = _scale_org(db)
    supports = (
        sa.select(sa.func.count())
        .select_from(Support)
        .where(Support.idea_id == Idea.id)
        .scalar_subquery()
    )
    comments = (
        sa.select(sa.func.count())
        .select_from(Comment)
        .where(Comment.idea_id == Idea.id, Comment.deleted_at.is_(None))
        .where(Comment.hidden_at.is_(None))
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Idea.supports_count, supports, Idea.comments_count, comments)
        .join(Challenge)
        .where(Challenge.organisation_id == org.id)
    ).all()
    assert rows and all(s == real_s and c == real_c for s, real_s, c, real_c in rows)
    assert sum(s for s, *_ in rows) == sizes(SCALE).supports


def test_first_vote_is_closed_by_the_real_close_and_the_second_stays_open(scaled, db):
    closed = _challenge(db, CLOSED_VOTE_SLUG)
    result = db.session.scalar(sa.select(VoteResult).where(VoteResult.challenge_id == closed.id))
    assert result is not None and result.ballots_count == sizes(SCALE).ballots
    assert closed.phase == Phase.RESULTS
    statuses = db.session.scalars(sa.select(Idea.status).where(Idea.challenge_id == closed.id))
    assert sorted(statuses) == sorted(
        [IdeaStatus.SELECTED] * closed.vote_winners
        + [IdeaStatus.NOT_SELECTED] * (RANKS - closed.vote_winners)
    )
    still_open = _challenge(db, OPEN_VOTE_SLUG)
    assert still_open.current_phase() == Phase.VOTING
    assert (
        db.session.scalar(sa.select(VoteResult.id).where(VoteResult.challenge_id == still_open.id))
        is None
    )


def test_the_pages_answer_on_the_generated_installation(scaled, client, db, login):
    org = _scale_org(db)
    idea = db.session.scalar(
        sa.select(Idea)
        .join(Challenge)
        .where(Challenge.organisation_id == org.id, Challenge.phase == Phase.IDEATION)
        .where(Idea.status == IdeaStatus.PUBLISHED, Idea.hidden_at.is_(None))
        .order_by(Idea.supports_count.desc())
    )
    slug = idea.challenge.slug
    assert client.get(f"/defis/{slug}").status_code == 200
    page = client.get(f"/idees/{idea.id}")
    assert page.status_code == 200 and idea.title in page.text
    # The search index followed the bulk insert (triggers on SQLite, GIN on PostgreSQL).
    assert idea.title in client.get(f"/defis/{slug}", query_string={"q": idea.title}).text
    assert client.get(f"/defis/{CLOSED_VOTE_SLUG}/resultats").status_code == 200
    assert client.get(f"/defis/{OPEN_VOTE_SLUG}").status_code == 200
    manager = db.session.scalar(sa.select(User).where(User.email == MANAGER_EMAIL))
    login(manager, password=DEMO_PASSWORD)
    assert client.get("/tableau-de-bord/").status_code == 200


def test_seed_demo_scale_adds_the_installation_to_the_demo_once(runner, db):
    result = runner.invoke(args=["seed-demo", "--scale", str(SCALE)])
    assert result.exit_code == 0, result.output
    assert "Installation à l'échelle prête" in result.output
    db.session.expire_all()
    for email in ("admin@demo.fabrique.test", MANAGER_EMAIL):  # the demo, then the scale
        assert db.session.scalar(sa.select(User.id).where(User.email == email)) is not None
    before = _count(db, sa.select(User.id))
    again = runner.invoke(args=["seed-demo", "--scale", str(SCALE)])
    assert again.exit_code == 0 and "existe déjà" in again.output
    assert _count(db, sa.select(User.id)) == before


def test_scale_must_be_positive(runner, db):
    result = runner.invoke(args=["seed-demo", "--scale", "0"])
    assert result.exit_code == 2
    assert _count(db, sa.select(User.id)) == 0
