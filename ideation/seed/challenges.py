"""The demo's challenges, and how each reaches the phase the demo shows.

A challenge is created in draft and published by the demo facilitator on the first day
of its ideas; from there the calendar moves it on (review, vote, results) exactly as
`flask challenges advance` would, so entering the vote tells the participants and
leaving it closes the vote and counts the ballots. Archiving is a facilitator's act.
"""

from __future__ import annotations

from datetime import date, timedelta

from ideation.challenges.models import Challenge
from ideation.challenges.services import ChallengeData, create_challenge, move_challenge
from ideation.challenges.services import store_scheduled_phase as follow_calendar
from ideation.core.time import today
from ideation.domain.challenge_phases import ORDER, Phase
from ideation.domain.voting.registry import DEFAULT as DEFAULT_VOTE_METHOD
from ideation.extensions import db
from ideation.seed import common
from ideation.seed.data.challenges import CHALLENGES, IDEATION_DAYS

# A facilitator archives a finished challenge about a month after its results.
ARCHIVED_AFTER = timedelta(days=30)


def new_challenge(
    slug: str,
    data: ChallengeData,
) -> Challenge:
    """Create a challenge through the facilitator's service, at the demo's address."""
    creator = common.facilitator()
    challenge = create_challenge(data, created_by_id=creator.id if creator else None)
    # The demo's addresses are documented (README, tests) and shorter than the slug the
    # service derives from the title; the form has no slug field to ask for them.
    challenge.slug = slug
    db.session.flush()
    return challenge


def challenge_data(
    *,
    title: str,
    summary: str,
    description: str,
    theme: str,
    organisation: str | None,
    edition: str | None,
    ideation: tuple[date, date],
    voting: tuple[date, date],
    winners: int = 3,
) -> ChallengeData:
    """What a facilitator types in the challenge form (days are Paris days, ends included)."""
    found_theme = common.theme(theme)
    found_edition = common.edition(edition) if edition else None
    org = common.organisation(organisation) if organisation else None
    return ChallengeData(
        title=title,
        summary=summary,
        description=description,
        theme_id=found_theme.id if found_theme else None,
        organisation_id=org.id if org else None,
        residence_ids=[],
        edition_id=found_edition.id if found_edition else None,
        premoderation=True,
        ideation_starts_on=ideation[0],
        ideation_ends_on=ideation[1],
        review_ends_on=None,
        voting_starts_on=voting[0],
        voting_ends_on=voting[1],
        vote_method=DEFAULT_VOTE_METHOD.value,
        vote_max_ranks=None,
        vote_winners=winners,
    )


def reach(challenge: Challenge, target: Phase) -> None:
    """Bring a challenge to `target` the way time would have, each move at its own date."""
    if ORDER.index(challenge.phase) >= ORDER.index(target):
        return
    if challenge.phase == Phase.DRAFT:
        moment = challenge.ideation_starts_at
        assert moment is not None, challenge.slug
        with common.history(moment):
            move_challenge(challenge, Phase.IDEATION, now=moment)
    calendar = (
        (Phase.REVIEW, challenge.ideation_ends_at),
        (Phase.VOTING, challenge.voting_starts_at),
        (Phase.RESULTS, challenge.voting_ends_at),
    )
    for phase, moment in calendar:
        if ORDER.index(challenge.phase) < ORDER.index(phase) <= ORDER.index(target):
            assert moment is not None, challenge.slug
            with common.history(moment):
                follow_calendar(challenge, moment)
    if target == Phase.ARCHIVED and challenge.phase != Phase.ARCHIVED:
        assert challenge.voting_ends_at is not None, challenge.slug
        moment = common.in_the_past(challenge.voting_ends_at + ARCHIVED_AFTER)
        with common.history(moment):
            move_challenge(challenge, Phase.ARCHIVED, now=moment)
    db.session.flush()


def seed_challenges() -> None:
    """Every demo challenge, created and (unless a draft) opened to ideas on its first day."""
    day = today()
    for seed in CHALLENGES:
        challenge = common.challenge(seed.slug)
        if challenge is None:
            ideation_end, voting_start, voting_end = (day + timedelta(days=d) for d in seed.days)
            data = challenge_data(
                title=seed.title,
                summary=seed.summary,
                description=seed.description,
                theme=seed.theme,
                organisation=seed.organisation,
                edition=seed.edition,
                # A period's last open day is the day before its end date.
                ideation=(
                    ideation_end - timedelta(days=IDEATION_DAYS),
                    ideation_end - timedelta(days=1),
                ),
                voting=(voting_start, voting_end - timedelta(days=1)),
            )
            challenge = new_challenge(seed.slug, data)
        if seed.phase != Phase.DRAFT:
            reach(challenge, Phase.IDEATION)


def seed_phases() -> None:
    """Each challenge reaches the phase the demo shows (the closed vote is counted here)."""
    for seed in CHALLENGES:
        challenge = common.challenge(seed.slug)
        if challenge is not None:
            reach(challenge, seed.phase)
