"""The demo's closed vote has a desk with paper ballots and its frozen closure record."""

from __future__ import annotations

from html import unescape

import sqlalchemy as sa

from ideation.desks.models import PaperSheet, SheetEntry, VoteDesk
from ideation.domain.desks import Channel
from ideation.voting.models import Ballot, VoteResult
from tests.helpers import plain
from tests.requests.test_seed import seeded  # noqa: F401  (fixture)


def test_the_closed_vote_counts_its_desks_paper_ballots_and_publishes_the_record(
    seeded,  # noqa: F811
    client,
    db,
):
    desk = db.session.scalar(sa.select(VoteDesk).where(VoteDesk.name == "Loge des Tilleuls"))
    assert desk is not None and desk.record_frozen_at is not None
    record = desk.record
    assert (record["agreed"], record["blank"], record["spoilt"]) == (4, 1, 1)
    assert record["third_readings"] == 1 and record["voters_ticked"] == 6
    assert record["gaps"] == []
    paper_ballots = db.session.scalars(
        sa.select(Ballot).where(Ballot.channel == Channel.PAPER)
    ).all()
    assert len(paper_ballots) == 4  # three agreed at once, one settled by a third reading
    desk_ballots = db.session.scalars(
        sa.select(Ballot).where(Ballot.channel == Channel.DESK, Ballot.desk_id == desk.id)
    ).all()
    assert len(desk_ballots) == 2 and all(b.voter_id for b in desk_ballots)
    result = db.session.scalar(
        sa.select(VoteResult).where(VoteResult.challenge_id == desk.challenge_id)
    )
    assert result is not None
    assert max(b.updated_at for b in paper_ballots) <= result.computed_at
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SheetEntry)) == 13
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaperSheet)) == 8
    slug = desk.challenge.slug
    page = unescape(plain(client.get(f"/defis/{slug}/resultats").text))
    assert "Procès-verbal du bureau « Loge des Tilleuls »" in page
    published = client.get(f"/defis/{slug}/resultats/bureaux/{desk.id}")
    assert published.status_code == 200


def test_the_open_vote_has_an_open_desk_at_work(seeded, client, db, login):  # noqa: F811
    from ideation.auth.models import User
    from ideation.voting.models import VoterMark

    desk = db.session.scalar(
        sa.select(VoteDesk).where(VoteDesk.name == "Bureau de la Maison des énergies")
    )
    assert desk is not None and desk.is_open and desk.challenge.slug == "economies-energie"
    marks = db.session.scalars(sa.select(VoterMark).where(VoterMark.desk_id == desk.id)).all()
    assert sorted(m.channel for m in marks) == [Channel.DESK, Channel.DESK, Channel.PAPER]
    assessor = db.session.get(User, desk.assessors[0].id)
    from ideation.seed import DEMO_PASSWORD

    login(assessor, DEMO_PASSWORD)
    page = unescape(plain(client.get(f"/bureaux/{desk.id}/emargement").text))
    assert "3 votant·es à ce bureau" in page
