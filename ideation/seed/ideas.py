"""The demo's ideas: written by tenants, sent, published by the facilitator, supported by
neighbours, and retained for the vote when their challenge is under review. Every status
change goes through the idea lifecycle, so the journal and the authors' notifications are
the real ones."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.domain.challenge_phases import ORDER, Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.extensions import db
from ideation.ideas import lifecycle
from ideation.ideas.models import Idea
from ideation.ideas.services import IdeaData, create_idea, set_support
from ideation.seed import common
from ideation.seed.challenges import reach
from ideation.seed.data.challenges import CHALLENGES
from ideation.seed.data.ideas import BODY, DEMO_TENANT, IDEAS, SHORTLIST_ANSWERS

PUBLIC = {IdeaStatus.PUBLISHED, IdeaStatus.SHORTLISTED}
# The facilitator validates an idea the day after it was sent, and retains ideas the day
# after the ideas closed.
TEAM_DELAY = timedelta(days=1)


def write_idea(
    challenge: Challenge,
    author: User,
    *,
    title: str,
    summary: str,
    body: str,
    status: IdeaStatus,
    written: datetime,
    facilitator: User,
) -> Idea:
    """An idea as its author writes it, sends it, and the facilitator publishes it."""
    written = common.in_the_past(written)
    with common.history(written):
        idea = create_idea(
            challenge,
            author,
            IdeaData(
                title=title,
                summary=summary,
                body=body,
                theme_id=challenge.theme_id,
                residence_id=author.residence_id,
            ),
        )
        if status != IdeaStatus.DRAFT:
            lifecycle.send(idea, author)
    common.backdate(idea, written, "created_at")
    if status != IdeaStatus.DRAFT:
        common.backdate(idea, written, "submitted_at")
    if status in PUBLIC:
        published = common.in_the_past(written + TEAM_DELAY)
        with common.history(published):
            lifecycle.publish(facilitator, idea)
        common.backdate(idea, published, "published_at")
    db.session.flush()
    return idea


def _find(challenge: Challenge, title: str) -> Idea | None:
    return db.session.scalar(
        select(Idea).where(Idea.challenge_id == challenge.id, Idea.title == title)
    )


def seed_ideas() -> None:
    """Every idea of IDEAS; a new public idea gets a few supports from neighbours in scope."""
    facilitator = common.facilitator()
    if facilitator is None:
        return
    rng = random.Random(3)  # the same supports on every fresh database
    users = common.users()
    tenants = common.tenants()
    for slug, rows in IDEAS.items():
        challenge = common.challenge(slug)
        if challenge is None or challenge.ideation_starts_at is None:
            continue
        pool = [
            u
            for u in tenants
            if challenge.organisation_id in (None, u.organisation_id) and u.email != DEMO_TENANT
        ]
        for n, seed in enumerate(rows):
            if _find(challenge, seed.title) is not None:
                continue
            author = users[seed.author] if seed.author else pool[(n * 7 + len(slug)) % len(pool)]
            idea = write_idea(
                challenge,
                author,
                title=seed.title,
                summary=seed.summary,
                body=BODY.format(summary=seed.summary),
                status=seed.status,
                written=challenge.ideation_starts_at + timedelta(days=n + 1, hours=9),
                facilitator=facilitator,
            )
            # Supports only with a new idea: a second run adds nothing.
            if seed.status in PUBLIC:
                backers = rng.sample(
                    [u for u in pool if u.id != idea.author_id], k=rng.randrange(0, 12)
                )
                for user in backers:
                    set_support(idea, user.id, True)


def seed_shortlists() -> None:
    """Challenges past their ideas go under review; the facilitator retains the ideas the
    data marks, with the team's answer where there is one."""
    facilitator = common.facilitator()
    if facilitator is None:
        return
    for seed in CHALLENGES:
        if ORDER.index(seed.phase) < ORDER.index(Phase.REVIEW) or seed.slug not in IDEAS:
            continue
        challenge = common.challenge(seed.slug)
        if challenge is None:
            continue
        reach(challenge, Phase.REVIEW)
        assert challenge.ideation_ends_at is not None, seed.slug
        retain(
            facilitator,
            challenge,
            [i.title for i in IDEAS[seed.slug] if i.status == IdeaStatus.SHORTLISTED],
            common.in_the_past(challenge.ideation_ends_at + TEAM_DELAY),
        )


def retain(facilitator: User, challenge: Challenge, titles: list[str], moment: datetime) -> None:
    """Shortlist these ideas (those still only published: a second run changes nothing)."""
    for title in titles:
        idea = _find(challenge, title)
        if idea is not None and idea.status == IdeaStatus.PUBLISHED:
            with common.history(moment):
                lifecycle.shortlist(facilitator, idea, SHORTLIST_ANSWERS.get(title, ""))
    db.session.flush()
