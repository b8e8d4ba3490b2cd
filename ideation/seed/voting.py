"""The demo's ranked votes, cast through the ballot service while each vote was open.

In the open vote most tenants in scope have voted, but not locataire@demo.fabrique.test,
so a newcomer can try the ballot. The vote in its results phase is counted when the
calendar closes it (`challenges.seed_phases`), so its result, statuses and messages are
the real ones.
"""

from __future__ import annotations

import random

from ideation.challenges.models import Challenge
from ideation.domain.challenge_phases import ORDER, Phase
from ideation.domain.permissions import in_vote_scope
from ideation.seed import common
from ideation.seed.challenges import reach
from ideation.seed.data.challenges import CHALLENGES
from ideation.seed.data.voting import NON_VOTER, SHARE_VOTING, VOTE_INTERVAL
from ideation.voting.services import cast_ballot, get_ballot, get_result, shortlisted


def demo_ranking(rng: random.Random, ids: list[int], cap: int | None) -> list[list[int]]:
    """A voter's ranking; preferences lean towards a couple of ideas, so the result has a
    clear story."""
    weights = {idea_id: 1.0 + (len(ids) - n) * 0.6 for n, idea_id in enumerate(ids)}
    order = sorted(ids, key=lambda i: -weights[i] * rng.random())
    length = rng.randint(1, min(len(ids), cap or len(ids)))
    return [[i] for i in order[:length]]


def run_vote(challenge: Challenge) -> None:
    """Open the vote by the calendar, then most tenants in scope rank the retained ideas,
    one after the other during the first hours."""
    if get_result(challenge.id) is not None:
        return
    reach(challenge, Phase.VOTING)
    ids = [idea.id for idea in shortlisted(challenge.id)]
    if not ids or challenge.voting_starts_at is None:
        return
    rng = random.Random(f"vote-{challenge.slug}")
    voters = [
        u
        for u in common.tenants()
        if u.email != NON_VOTER and in_vote_scope(u.actor, challenge.scope)
    ]
    voters = voters[: max(1, int(len(voters) * SHARE_VOTING))]
    for n, user in enumerate(voters):
        ranking = demo_ranking(rng, ids, challenge.vote_max_ranks)
        if get_ballot(challenge.id, user.id) is None:
            moment = challenge.voting_starts_at + (n + 1) * VOTE_INTERVAL
            cast_ballot(challenge, user.id, ranking, now=common.in_the_past(moment))


def seed_ballots() -> None:
    for seed in CHALLENGES:
        if ORDER.index(seed.phase) < ORDER.index(Phase.VOTING):
            continue
        challenge = common.challenge(seed.slug)
        if challenge is not None and challenge.voting_starts_at is not None:
            run_vote(challenge)
