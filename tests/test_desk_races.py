"""Race tests for voting desks, on SQLite and PostgreSQL (whichever the suite targets).

A desk ballot and an online ballot of the same person at the same moment leave exactly
one ballot; a paper tick and an online ballot leave none online; nothing is written at a
desk once the vote is being counted or the desk's urn is closing. The injected pause
(`voting.PAUSE_HOOK`) holds the first writer inside its locks ("desk", "cast", "tick",
"close", "desk_close") while the second thread starts, so each race is hit on every run.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.desks import services as desks
from ideation.desks.models import VoteDesk
from ideation.domain.desks import Channel
from ideation.domain.roles import Role
from ideation.extensions import db as _db
from ideation.voting import services as voting
from ideation.voting.models import Ballot, VoteResult, VoterMark
from tests.factories import make_user
from tests.paper_world import paper_vote
from tests.test_paper_races import _paused_once
from tests.test_vote_races import _in_app


@pytest.fixture
def desk(db):
    world = paper_vote(ticked=0, sheets=0, slug="defi-bureau-course")
    world["voter"] = make_user(Role.TENANT, org=world["org"])
    _db.session.commit()
    yield world
    voting.PAUSE_HOOK = None


@pytest.fixture
def unguarded(monkeypatch):
    """The vote's close alone (the open desk would hold it: tests/test_paper_races.py)."""
    monkeypatch.setattr(voting, "CLOSE_GUARDS", [])


def _ids(world) -> dict:
    return {
        "challenge": world["challenge"].id,
        "desk": world["desk"].id,
        "voter": world["voter"].id,
        "assessor": world["assessors"][0].id,
        "ideas": [i.id for i in world["ideas"]],
    }


def _at_desk(ids: dict, first: int):  # type: ignore[no-untyped-def]
    def work() -> None:
        desk = _db.session.get(VoteDesk, ids["desk"])
        desks.record_ballot(
            desk,
            _db.session.get(User, ids["voter"]),
            [[ids["ideas"][first]]],
            _db.session.get(User, ids["assessor"]),
        )

    return work


def _tick(ids: dict):  # type: ignore[no-untyped-def]
    def work() -> None:
        desk = _db.session.get(VoteDesk, ids["desk"])
        desks.tick_paper_voter(
            desk, _db.session.get(User, ids["voter"]), _db.session.get(User, ids["assessor"])
        )

    return work


def _online(ids: dict, first: int):  # type: ignore[no-untyped-def]
    def work() -> None:
        challenge = _db.session.get(Challenge, ids["challenge"])
        voting.cast_ballot(challenge, ids["voter"], [[ids["ideas"][first]]])

    return work


def _close_vote(ids: dict):  # type: ignore[no-untyped-def]
    def work() -> None:
        voting.close_vote(_db.session.get(Challenge, ids["challenge"]))

    return work


def _close_urn(ids: dict):  # type: ignore[no-untyped-def]
    def work() -> None:
        desk = _db.session.get(VoteDesk, ids["desk"])
        desks.close_urn(desk, _db.session.get(User, ids["assessor"]), 0)

    return work


def _race(app, point: str, first, second) -> list:  # type: ignore[no-untyped-def]
    """Run `first` until it pauses at `point`, start `second`, wait for both."""
    reached, pause = _paused_once(point)
    voting.PAUSE_HOOK = pause
    errors: list = []
    one = _in_app(app, errors, first)
    one.start()
    assert reached.wait(10), f"the first writer never reached {point!r}"
    two = _in_app(app, errors, second)
    two.start()
    one.join(30)
    two.join(30)
    assert not one.is_alive() and not two.is_alive()
    return errors


def _ballots(db, world) -> list[Ballot]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Ballot).where(Ballot.challenge_id == world["challenge"].id))
    )


def test_a_desk_ballot_and_an_online_ballot_at_once_leave_the_desk_one(app, db, desk):
    ids = _ids(desk)
    errors = _race(app, "desk", _at_desk(ids, 0), _online(ids, 1))
    assert [type(e) for e in errors] == [voting.VotedInPerson]
    [ballot] = _ballots(db, desk)
    assert (ballot.channel, ballot.ranking) == (Channel.DESK, [[ids["ideas"][0]]])


def test_an_online_ballot_then_a_desk_ballot_at_once_leave_the_desk_one(app, db, desk):
    ids = _ids(desk)
    errors = _race(app, "cast", _online(ids, 1), _at_desk(ids, 0))
    assert errors == []
    [ballot] = _ballots(db, desk)
    assert (ballot.channel, ballot.ranking) == (Channel.DESK, [[ids["ideas"][0]]])
    [mark] = db.session.scalars(select(VoterMark)).all()
    assert mark.channel == Channel.DESK


def test_a_paper_tick_and_an_online_ballot_at_once_leave_no_online_ballot(app, db, desk):
    ids = _ids(desk)
    errors = _race(app, "tick", _tick(ids), _online(ids, 1))
    assert [type(e) for e in errors] == [voting.VotedInPerson]
    assert _ballots(db, desk) == []
    [mark] = db.session.scalars(select(VoterMark)).all()
    assert mark.channel == Channel.PAPER


def test_an_online_ballot_then_a_paper_tick_at_once_annul_it(app, db, desk):
    ids = _ids(desk)
    errors = _race(app, "cast", _online(ids, 1), _tick(ids))
    assert errors == []
    assert _ballots(db, desk) == []  # the sheet in the urn replaces it


@pytest.mark.parametrize("writer", [_at_desk, _tick], ids=["desk ballot", "paper tick"])
def test_nothing_is_recorded_at_a_desk_during_the_close(app, db, desk, unguarded, writer):
    ids = _ids(desk)
    work = writer(ids, 0) if writer is _at_desk else writer(ids)
    errors = _race(app, "close", _close_vote(ids), work)
    assert [type(e) for e in errors] == [voting.VoteClosed]
    assert _ballots(db, desk) == []
    assert db.session.scalars(select(VoterMark)).all() == []
    assert db.session.scalar(select(VoteResult)).ballots_count == 0


def test_the_close_during_a_desk_ballot_counts_it(app, db, desk, unguarded):
    ids = _ids(desk)
    errors = _race(app, "desk", _at_desk(ids, 0), _close_vote(ids))
    assert errors == []
    [ballot] = _ballots(db, desk)
    result = db.session.scalar(select(VoteResult))
    assert result.ballots_count == 1 and ballot.updated_at <= result.computed_at


@pytest.mark.parametrize("writer", [_at_desk, _tick], ids=["desk ballot", "paper tick"])
def test_nothing_is_recorded_at_a_desk_whose_urn_is_closing(app, db, desk, writer):
    ids = _ids(desk)
    work = writer(ids, 0) if writer is _at_desk else writer(ids)
    errors = _race(app, "desk_close", _close_urn(ids), work)
    assert [type(e) for e in errors] == [desks.DeskRefused]
    assert _ballots(db, desk) == []
    assert db.session.scalars(select(VoterMark)).all() == []
    db.session.expire_all()
    assert db.session.get(VoteDesk, ids["desk"]).closed_at is not None
