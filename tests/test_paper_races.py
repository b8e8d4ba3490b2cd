"""Race tests for paper ballots, on SQLite and PostgreSQL (whichever the suite targets).

The injected pause (`voting.PAUSE_HOOK`) sits inside the locks: "paper_entry" between
an entry's checks and its write (ideation/desks/paper.py), "paper" inside the stored
ballot's own check (ideation/voting/services.py), "close" in the count. Each race is
hit on every run: a second thread starts while the first is paused.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from ideation.challenges.models import Challenge
from ideation.desks import paper
from ideation.desks.models import PaperSheet, VoteDesk
from ideation.domain.desks import Channel, EntryKind, SheetStatus
from ideation.domain.paper import Reading
from ideation.extensions import db as _db
from ideation.voting import services as voting
from ideation.voting.models import Ballot, VoteResult
from tests.paper_world import close_urn, paper_vote
from tests.test_vote_races import _in_app


@pytest.fixture
def urn(db):
    world = paper_vote(ticked=1, sheets=3, slug="defi-papier-course")
    close_urn(world)
    yield world
    voting.PAUSE_HOOK = None


def _first_of(world, ranking: list[list[int]]) -> Reading:
    return Reading(EntryKind.RANKED, tuple(tuple(g) for g in ranking))


def _enter(world, sheet_index: int, assessor_index: int, reading: Reading):  # type: ignore[no-untyped-def]
    desk_id = world["desk"].id
    sheet_id = world["sheets"][sheet_index].id
    assessor_id = world["assessors"][assessor_index].id

    def work() -> None:
        paper.enter_sheet(desk_id, sheet_id, assessor_id, reading)

    return work


def _paper_ballots(db) -> list[Ballot]:
    db.session.expire_all()
    return list(db.session.scalars(select(Ballot).where(Ballot.channel == Channel.PAPER)))


def _paused_once(point: str, hold: float = 0.6):  # type: ignore[no-untyped-def]
    reached = threading.Event()
    taken = []

    def pause(at: str) -> None:
        if at == point and not taken:
            taken.append(at)
            reached.set()
            threading.Event().wait(hold)

    return reached, pause


def test_two_agreeing_entries_at_once_never_exceed_the_voters_ticked(app, db, urn):
    """One voter ticked, two sheets whose second entries agree at the same moment: one
    becomes a ballot, the other is excess."""
    a = urn["ideas"][0].id
    reading = _first_of(urn, [[a]])
    for n in (0, 1):
        _enter(urn, n, 0, reading)()
    db.session.commit()
    reached, pause = _paused_once("paper_entry")
    voting.PAUSE_HOOK = pause
    errors: list = []
    first = _in_app(app, errors, _enter(urn, 0, 1, reading))
    first.start()
    assert reached.wait(10)
    second = _in_app(app, errors, _enter(urn, 1, 2, reading))
    second.start()
    first.join(30)
    second.join(30)
    assert errors == []
    assert len(_paper_ballots(db)) == 1
    statuses = sorted(
        s.status.value
        for s in db.session.scalars(
            select(PaperSheet).where(PaperSheet.status != SheetStatus.PRINTED)
        )
    )
    assert statuses == ["agreed", "excess"]


def test_the_same_sheets_second_entry_by_two_assessors_at_once_is_taken_once(app, db, urn):
    a = urn["ideas"][0].id
    reading = _first_of(urn, [[a]])
    _enter(urn, 0, 0, reading)()
    db.session.commit()
    reached, pause = _paused_once("paper_entry")
    voting.PAUSE_HOOK = pause
    errors: list = []
    first = _in_app(app, errors, _enter(urn, 0, 1, reading))
    first.start()
    assert reached.wait(10)
    second = _in_app(app, errors, _enter(urn, 0, 2, _first_of(urn, [[urn["ideas"][1].id]])))
    second.start()
    first.join(30)
    second.join(30)
    assert [type(e) for e in errors] == [paper.PaperRefused]  # already settled
    assert len(_paper_ballots(db)) == 1


def test_an_entry_racing_the_records_freeze_is_in_the_record_or_refused(app, db, urn):
    a = urn["ideas"][0].id
    reading = _first_of(urn, [[a]])
    _enter(urn, 0, 0, reading)()
    db.session.commit()
    desk_id, facilitator_id = urn["desk"].id, urn["facilitator"].id
    reached, pause = _paused_once("paper_entry")
    voting.PAUSE_HOOK = pause
    errors: list = []
    entry = _in_app(app, errors, _enter(urn, 0, 1, reading))
    entry.start()
    assert reached.wait(10)

    def freeze() -> None:
        paper.freeze_record(desk_id, facilitator_id, 1, set_aside=False)

    freezer = _in_app(app, errors, freeze)
    freezer.start()
    entry.join(30)
    freezer.join(30)
    assert errors == []
    db.session.expire_all()
    record = db.session.get(VoteDesk, desk_id).record
    assert record["agreed"] == 1 == record["paper_ballots"]
    # Once frozen, the next entry is refused.
    with pytest.raises(paper.PaperRefused):
        _enter(urn, 1, 0, reading)()
    db.session.rollback()


@pytest.fixture
def unguarded(monkeypatch):
    """The close without the desks' guard, to race the paper ballot primitive itself."""
    monkeypatch.setattr(voting, "CLOSE_GUARDS", [])


def _cast_paper(world, receipt: str):  # type: ignore[no-untyped-def]
    challenge_id, desk_id = world["challenge"].id, world["desk"].id
    a = world["ideas"][0].id

    def work() -> None:
        challenge = _db.session.get(Challenge, challenge_id)
        voting.hold_vote(challenge_id)
        voting.cast_paper_ballot(challenge, [[a]], desk_id, receipt)

    return work


def _close(world):  # type: ignore[no-untyped-def]
    challenge_id = world["challenge"].id

    def work() -> None:
        voting.close_vote(_db.session.get(Challenge, challenge_id))

    return work


def test_a_paper_ballot_during_the_close_is_refused(app, db, urn, unguarded):
    reached, pause = _paused_once("close")
    voting.PAUSE_HOOK = pause
    errors: list = []
    closer = _in_app(app, errors, _close(urn))
    closer.start()
    assert reached.wait(10)
    caster = _in_app(app, errors, _cast_paper(urn, urn["sheets"][0].receipt))
    caster.start()
    closer.join(30)
    caster.join(30)
    assert [type(e) for e in errors] == [voting.VoteClosed]
    assert _paper_ballots(db) == []
    assert db.session.scalar(select(VoteResult)).ballots_count == 0


def test_the_close_during_a_paper_ballot_counts_it(app, db, urn, unguarded):
    reached, pause = _paused_once("paper")
    voting.PAUSE_HOOK = pause
    errors: list = []
    caster = _in_app(app, errors, _cast_paper(urn, urn["sheets"][0].receipt))
    caster.start()
    assert reached.wait(10)
    closer = _in_app(app, errors, _close(urn))
    closer.start()
    caster.join(30)
    closer.join(30)
    assert errors == []
    [ballot] = _paper_ballots(db)
    result = db.session.scalar(select(VoteResult))
    assert result.ballots_count == 1
    assert ballot.updated_at <= result.computed_at


def test_with_the_guard_the_close_waits_for_the_desk(app, db, urn):
    with pytest.raises(voting.CloseBlocked) as blocked:
        voting.close_vote(db.session.get(Challenge, urn["challenge"].id))
    db.session.rollback()
    assert any("n'est pas clos" in m for m in blocked.value.messages)
    assert db.session.scalar(select(VoteResult)) is None
