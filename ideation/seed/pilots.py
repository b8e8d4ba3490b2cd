"""The demo's pilots, promoted and followed up through the pilot services.

Two come from the winners of the demo's closed vote (its third winner is left for a
facilitator to promote); the others from the earlier editions, whose challenges are
replayed here: ideas, a vote counted when the calendar closed it, then archived. Each
pilot gets its indicators and its points d'étape, which move its status and tell its
followers. Found again by title, so a second run adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from ideation.challenges.models import Challenge
from ideation.core.time import PARIS, today
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import in_vote_scope
from ideation.domain.pilot_states import PilotStatus
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.pilots.models import Pilot
from ideation.pilots.services import (
    PilotData,
    UpdateData,
    add_followers,
    add_indicator,
    post_update,
    promote,
)
from ideation.seed import common
from ideation.seed.challenges import challenge_data, new_challenge, reach
from ideation.seed.data.challenges import EDITION_DAYS, EDITION_OPENS, EDITIONS, EditionSeed
from ideation.seed.data.pilots import (
    CLOSED_VOTE,
    EDITION_IDEA_BODY,
    EDITION_IDEA_SUMMARY,
    EDITION_RUNNER_UP,
    FOLLOWER,
    PILOT_DESCRIPTION,
    PILOTS,
    STOP_REASON,
    PilotSeed,
)
from ideation.seed.ideas import TEAM_DELAY, retain, write_idea
from ideation.seed.voting import run_vote
from ideation.voting.services import get_result


def _edition(seed: EditionSeed) -> Challenge:
    """An earlier edition's challenge, replayed from its first day to its archive."""
    challenge = common.challenge(seed.slug)
    if challenge is not None:
        return challenge
    titles = [p.title for p in PILOTS if p.origin == seed.slug]
    opens = date(int(seed.edition[-4:]), *EDITION_OPENS)
    ideation_end, voting_start, voting_end = (opens + timedelta(days=d) for d in EDITION_DAYS)
    challenge = new_challenge(
        seed.slug,
        challenge_data(
            title=seed.title,
            summary=seed.description,
            description=seed.description,
            theme=seed.theme,
            organisation=seed.organisation,
            edition=seed.edition,
            ideation=(opens, ideation_end - timedelta(days=1)),
            voting=(voting_start, voting_end - timedelta(days=1)),
            winners=len(titles),  # every winner became a pilot
        ),
    )
    # A vote needs more ideas than winners: one more idea was on the ballot, and lost.
    ballot = [*titles, EDITION_RUNNER_UP]
    reach(challenge, Phase.IDEATION)
    facilitator = common.facilitator()
    assert facilitator is not None and challenge.ideation_starts_at is not None
    pool = [u for u in common.tenants() if in_vote_scope(u.actor, challenge.scope)]
    for n, title in enumerate(ballot):
        write_idea(
            challenge,
            pool[len(title) % len(pool)],
            title=title,
            summary=EDITION_IDEA_SUMMARY.format(title=title),
            body=EDITION_IDEA_BODY.format(title=title),
            status=IdeaStatus.SHORTLISTED,
            written=challenge.ideation_starts_at + timedelta(days=n + 1, hours=9),
            facilitator=facilitator,
        )
    reach(challenge, Phase.REVIEW)
    assert challenge.ideation_ends_at is not None
    retain(facilitator, challenge, ballot, challenge.ideation_ends_at + TEAM_DELAY)
    run_vote(challenge)
    reach(challenge, Phase.ARCHIVED)
    return challenge


def seed_editions() -> None:
    if common.facilitator() is None:
        return
    for seed in EDITIONS:
        _edition(seed)


def _origin_idea(seed: PilotSeed) -> Idea | None:
    """The selected idea a pilot comes from: a winner of the demo's closed vote by rank,
    or the idea of the same title in an earlier edition."""
    if isinstance(seed.origin, str):
        return common.idea(seed.origin, seed.title)
    closed = common.challenge(CLOSED_VOTE)
    result = get_result(closed.id) if closed else None
    if result is None or seed.origin >= len(result.winners):
        return None
    return db.session.get(Idea, result.winners[seed.origin])


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=PARIS)


def seed_pilots() -> None:
    facilitator = common.facilitator()
    if facilitator is None:
        return
    users = common.users()
    follower = users.get(FOLLOWER)
    day = today()
    for seed in PILOTS:
        if db.session.scalar(select(Pilot.id).where(Pilot.title == seed.title)) is not None:
            continue
        idea = _origin_idea(seed)
        if idea is None or idea.status != IdeaStatus.SELECTED:
            continue  # its vote is not closed yet: seed again after it
        org = common.organisation(seed.organisation)
        owner = users[seed.owner]
        assert org is not None, seed.organisation
        residence_ids = []
        for name in seed.residences:
            place = common.residence(name)
            assert place is not None, name
            residence_ids.append(place.id)
        start, end = (day + timedelta(days=d) for d in seed.planned)
        pilot = promote(
            idea,
            facilitator,
            PilotData(
                title=seed.title,
                description=PILOT_DESCRIPTION.format(summary=idea.summary, organisation=org.name),
                organisation_id=org.id,
                residence_ids=residence_ids,
                owner_id=owner.id,
                planned_start=start,
                planned_end=end,
                budget_planned=Decimal(seed.budget_planned),
                budget_spent=Decimal(seed.budget_spent),
            ),
        )
        if follower is not None:
            add_followers(pilot.id, [follower.id])
        indicators = {
            i.name: add_indicator(pilot, i.name, i.unit, Decimal(i.baseline), Decimal(i.target))
            for i in seed.indicators
        }
        for step in sorted(seed.timeline, key=lambda s: -s.days_ago):
            happened = day - timedelta(days=step.days_ago)
            with common.history(common.in_the_past(_noon(happened))):
                post_update(
                    pilot,
                    owner,
                    UpdateData(
                        happened_on=happened,
                        body=step.text,
                        new_status=step.status,
                        reason=STOP_REASON if step.status == PilotStatus.STOPPED else None,
                        new_progress=step.progress,
                        values={indicators[k].id: Decimal(v) for k, v in step.values.items()},
                    ),
                )
    db.session.flush()
