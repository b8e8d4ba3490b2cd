"""The voting primitives for votes in person (ideation/voting/services.py): a desk ballot
replaces an online one and ends online voting, a paper tick annuls it, paper ballots
never outnumber the voters ticked, and a close guard holds the count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ideation.db_types import utcnow
from ideation.desks.models import VoteDesk
from ideation.domain.desks import Channel
from ideation.domain.roles import Role
from ideation.voting import services as voting
from ideation.voting.models import Ballot, VoterMark
from tests.factories import make_challenge, make_idea, make_org, make_user


@pytest.fixture
def vote(db):
    org = make_org("Bailleur des bureaux")
    challenge = make_challenge(
        phase="voting", org=org, slug="defi-bureau", voting_ends_at=utcnow() + timedelta(days=2)
    )
    ideas = [make_idea(challenge, status="shortlisted", title=f"Idée {n}") for n in "ABC"]
    desk = VoteDesk(challenge_id=challenge.id, name="Loge des Tilleuls")
    db.session.add(desk)
    db.session.commit()
    # The primitives are tested alone: the paper ballots' guard (registered by the app,
    # tested in tests/test_paper_races.py) would hold every close for this open desk. It is
    # set aside here and put back afterwards, so later tests in this process still have it.
    registered = list(voting.CLOSE_GUARDS)
    voting.CLOSE_GUARDS.clear()
    yield {"challenge": challenge, "ideas": [i.id for i in ideas], "desk": desk, "org": org}
    voting.CLOSE_GUARDS[:] = registered


def _ballot(challenge, voter):
    return voting.get_ballot(challenge.id, voter.id)


def test_a_desk_ballot_replaces_the_online_one_and_ends_online_voting(db, vote):
    challenge, ideas, desk = vote["challenge"], vote["ideas"], vote["desk"]
    voter = make_user(Role.TENANT, org=vote["org"])
    assessor = make_user(Role.STAFF, org=vote["org"])
    online = voting.cast_ballot(challenge, voter.id, [[ideas[0]]])
    receipt = voting.cast_at_desk(
        challenge, voter.id, [[ideas[2]], [ideas[1]]], desk.id, assessor.id
    )
    db.session.commit()
    ballot = _ballot(challenge, voter)
    assert (ballot.channel, ballot.desk_id, ballot.ranking) == (
        Channel.DESK,
        desk.id,
        [[ideas[2]], [ideas[1]]],
    )
    assert receipt != online and ballot.receipt == receipt
    assert ballot.receipt_hash == voting.published_receipt(receipt)
    mark = voting.voter_mark(challenge.id, voter.id)
    assert (mark.channel, mark.desk_id, mark.marked_by_id) == (Channel.DESK, desk.id, assessor.id)
    with pytest.raises(voting.VotedInPerson) as refused:
        voting.cast_ballot(challenge, voter.id, [[ideas[0]]])
    assert "bureau de vote" in refused.value.messages[0]
    db.session.rollback()
    assert _ballot(challenge, voter).ranking == [[ideas[2]], [ideas[1]]]
    assert voting.ballots_count(challenge.id) == 1


def test_a_paper_tick_annuls_the_online_ballot_once(db, vote):
    challenge, ideas, desk = vote["challenge"], vote["ideas"], vote["desk"]
    voter, other = make_user(Role.TENANT, org=vote["org"]), make_user(Role.TENANT, org=vote["org"])
    voting.cast_ballot(challenge, voter.id, [[ideas[0]]])
    assert voting.mark_paper_voter(challenge, voter.id, desk.id, None) is True
    assert voting.mark_paper_voter(challenge, other.id, desk.id, None) is False
    db.session.commit()
    assert _ballot(challenge, voter) is None
    with pytest.raises(voting.AlreadyMarked) as twice:
        voting.mark_paper_voter(challenge, voter.id, desk.id, None)
    assert twice.value.channel == Channel.PAPER
    db.session.rollback()
    with pytest.raises(voting.AlreadyMarked):  # an anonymous sheet cannot be taken back
        voting.cast_at_desk(challenge, voter.id, [[ideas[1]]], desk.id, None)
    db.session.rollback()
    with pytest.raises(voting.VotedInPerson) as online:
        voting.cast_ballot(challenge, voter.id, [[ideas[1]]])
    assert "papier" in online.value.messages[0]


def test_paper_ballots_never_outnumber_the_voters_ticked(db, vote):
    challenge, ideas, desk = vote["challenge"], vote["ideas"], vote["desk"]
    for _ in range(2):
        voting.mark_paper_voter(
            challenge, make_user(Role.TENANT, org=vote["org"]).id, desk.id, None
        )
    ids = [
        voting.cast_paper_ballot(challenge, [[ideas[n]]], desk.id, voting.new_receipt())
        for n in range(2)
    ]
    with pytest.raises(voting.TooManyPaperBallots):
        voting.cast_paper_ballot(challenge, [[ideas[2]]], desk.id, voting.new_receipt())
    db.session.commit()
    stored = db.session.scalars(select(Ballot).where(Ballot.id.in_(ids))).all()
    assert {(b.channel, b.voter_id, b.desk_id) for b in stored} == {(Channel.PAPER, None, desk.id)}
    assert voting.paper_counts(desk.id) == (2, 2)
    with pytest.raises(voting.BallotRefused):
        voting.cast_paper_ballot(challenge, [[999_999]], desk.id, voting.new_receipt())


def test_nothing_in_person_is_accepted_once_the_vote_is_counted(db, vote):
    challenge, ideas, desk = vote["challenge"], vote["ideas"], vote["desk"]
    ticked = make_user(Role.TENANT, org=vote["org"])
    voting.mark_paper_voter(challenge, ticked.id, desk.id, None)
    voting.close_vote(challenge)
    db.session.commit()
    voter = make_user(Role.TENANT, org=vote["org"])
    for attempt in (
        lambda: voting.cast_at_desk(challenge, voter.id, [[ideas[0]]], desk.id, None),
        lambda: voting.mark_paper_voter(challenge, voter.id, desk.id, None),
        lambda: voting.cast_paper_ballot(challenge, [[ideas[0]]], desk.id, voting.new_receipt()),
    ):
        with pytest.raises(voting.VoteClosed):
            attempt()
        db.session.rollback()
    assert db.session.scalar(select(VoterMark.id).where(VoterMark.voter_id == voter.id)) is None


def test_a_close_guard_holds_the_count_and_the_calendar_waits(db, vote):
    challenge, ideas = vote["challenge"], vote["ideas"]
    voting.cast_ballot(challenge, make_user(Role.TENANT, org=vote["org"]).id, [[ideas[0]]])
    db.session.commit()
    reasons = ["Le bureau « Loge des Tilleuls » est encore ouvert."]
    voting.CLOSE_GUARDS.append(lambda challenge_id: reasons if challenge_id == challenge.id else [])
    with pytest.raises(voting.CloseBlocked) as blocked:
        voting.close_vote(challenge)
    assert blocked.value.messages == reasons
    db.session.rollback()
    later = utcnow() + timedelta(days=3)
    assert voting.close_if_due(challenge, later) is False
    assert voting.get_result(challenge.id) is None
    reasons.clear()
    assert voting.close_if_due(challenge, later) is True
    assert voting.get_result(challenge.id).ballots_count == 1
