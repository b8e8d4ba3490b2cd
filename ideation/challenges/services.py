"""Challenges: load, list, create, edit, move through phases. Services flush, never commit."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from ideation.challenges.models import Challenge, Theme
from ideation.core.loaders import or_404
from ideation.core.sanitize import render_markdown
from ideation.core.signals import challenge_phase_changed
from ideation.core.time import day_end, day_start
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import LIST_RANK, Phase, move, opens_vote
from ideation.domain.permissions import Actor
from ideation.domain.voting import VoteMethod
from ideation.extensions import db
from ideation.orgs.models import Residence

LIVE_PHASES = (Phase.IDEATION, Phase.VOTING, Phase.REVIEW)


def _with_scope(query, residences=selectinload):  # type: ignore[no-untyped-def]
    return query.options(
        residences(Challenge.residences),
        joinedload(Challenge.theme),
        joinedload(Challenge.edition),
        joinedload(Challenge.organisation),
    )


@functools.cache
def by_slug() -> Select[Any]:
    """One challenge by its bound parameter `slug`, with what its scope needs. Built once
    (every view of a challenge starts here): its few residences come in the same round
    trip; lists keep selectinload, which does not multiply rows."""
    query = _with_scope(select(Challenge), residences=joinedload)
    return query.where(Challenge.slug == bindparam("slug"))


def get_challenge(slug: str) -> Challenge | None:
    return db.session.scalars(by_slug(), {"slug": slug}).unique().first()


def load_challenge(slug: str, allowed: Callable[[Challenge], bool] | None = None) -> Challenge:
    """The challenge for a view: 404 if missing, 403 if `allowed` (a rule) refuses it."""
    return or_404(get_challenge(slug), allowed)


def themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.position, Theme.name)))


def _sort_key(challenge: Challenge, now: datetime) -> tuple:
    phase = challenge.current_phase(now)
    deadline = {
        Phase.IDEATION: challenge.ideation_ends_at,
        Phase.VOTING: challenge.voting_ends_at,
        Phase.REVIEW: challenge.voting_starts_at or challenge.review_ends_at,
    }.get(phase)
    far = datetime.max.replace(tzinfo=now.tzinfo)
    if phase in (Phase.RESULTS, Phase.ARCHIVED):
        # The most recently closed first.
        return (
            LIST_RANK[phase],
            -(challenge.voting_ends_at or challenge.created_at).timestamp(),
            challenge.id,
        )
    return (LIST_RANK[phase], deadline or far, challenge.id)


def visible_challenges(
    actor: Actor,
    now: datetime | None = None,
    *,
    edition_id: int | None = None,
    house_id: int | None = None,
) -> list[Challenge]:
    """Every challenge the actor may read, live ones first, nearest deadline first;
    only those of one edition or one house when asked.

    Challenges are a few dozen at most: they are sorted in Python by their phase as
    of now (the calendar applied), which SQL could not know.
    """
    now = now or utcnow()
    query = _with_scope(select(Challenge))
    if edition_id is not None:
        query = query.where(Challenge.edition_id == edition_id)
    if house_id is not None:
        query = query.where(Challenge.theme_id == house_id)
    rows = db.session.scalars(query).unique().all()
    rows = [c for c in rows if rules.can_view_challenge(actor, c.current_phase(now), c.scope)]
    return sorted(rows, key=lambda c: _sort_key(c, now))


def current_challenges(
    actor: Actor, limit: int = 3, now: datetime | None = None
) -> list[Challenge]:
    now = now or utcnow()
    return [c for c in visible_challenges(actor, now) if c.current_phase(now) in LIVE_PHASES][
        :limit
    ]


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].strip("-") or "defi"


def unique_slug(title: str, exclude_id: int | None = None) -> str:
    base = slugify(title)
    slug, n = base, 2
    while db.session.scalar(
        select(Challenge.id).where(Challenge.slug == slug, Challenge.id != (exclude_id or 0))
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


@dataclass
class ChallengeData:
    title: str
    summary: str
    description: str
    theme_id: int | None
    organisation_id: int | None
    residence_ids: list[int]
    edition_id: int | None
    premoderation: bool
    ideation_starts_on: date | None
    ideation_ends_on: date | None
    review_ends_on: date | None
    voting_starts_on: date | None
    voting_ends_on: date | None
    vote_method: str
    vote_max_ranks: int | None
    vote_winners: int
    vote_verified_only: bool = False


def apply_challenge_data(challenge: Challenge, data: ChallengeData) -> None:
    """Copy a facilitator's form onto a challenge; the description is sanitised here, once."""
    challenge.title = data.title
    challenge.summary = data.summary
    challenge.description_source = data.description
    challenge.description_html = render_markdown(data.description)
    challenge.theme_id = data.theme_id
    challenge.organisation_id = data.organisation_id
    challenge.residences = (
        list(
            db.session.scalars(
                select(Residence).where(
                    Residence.id.in_(data.residence_ids),
                    Residence.organisation_id == data.organisation_id,
                )
            )
        )
        if data.organisation_id and data.residence_ids
        else []
    )
    challenge.edition_id = data.edition_id
    challenge.premoderation = data.premoderation
    challenge.ideation_starts_at = day_start(data.ideation_starts_on)
    challenge.ideation_ends_at = day_end(data.ideation_ends_on)
    challenge.review_ends_at = day_end(data.review_ends_on)
    challenge.voting_starts_at = day_start(data.voting_starts_on)
    challenge.voting_ends_at = day_end(data.voting_ends_on)
    challenge.vote_method = VoteMethod(data.vote_method)
    challenge.vote_max_ranks = data.vote_max_ranks
    challenge.vote_winners = data.vote_winners
    challenge.vote_verified_only = data.vote_verified_only
    challenge.updated_at = utcnow()


def create_challenge(data: ChallengeData, created_by_id: int | None) -> Challenge:
    """A new challenge, in draft until a facilitator publishes it."""
    challenge = Challenge(
        slug=unique_slug(data.title), phase=Phase.DRAFT, created_by_id=created_by_id
    )
    apply_challenge_data(challenge, data)
    db.session.add(challenge)
    db.session.flush()
    return challenge


def store_scheduled_phase(challenge: Challenge, now: datetime | None = None) -> bool:
    """Write down the phase the calendar has moved the challenge into; True if it changed."""
    phase = challenge.current_phase(now)
    if phase == challenge.phase:
        return False
    previous = challenge.phase
    challenge.phase = phase
    challenge.updated_at = utcnow()
    _after_phase_change(challenge, previous, now)
    return True


def _after_phase_change(challenge: Challenge, previous: Phase, now: datetime | None) -> None:
    # Voting (closing the vote when its phase ends) and notifications (the vote is
    # open) listen: the challenge announces, it does not reach into them.
    if challenge.phase != previous:
        challenge_phase_changed.send(challenge, previous=previous, now=now)


def move_challenge(challenge: Challenge, target: Phase, now: datetime | None = None) -> Phase:
    """A facilitator moves the challenge to its next phase (PhaseError if refused)."""
    now = now or utcnow()
    store_scheduled_phase(challenge, now)
    previous = challenge.phase
    challenge.phase = move(challenge.phase, target)
    if opens_vote(previous, challenge.phase) and (refused := challenge.opening_refusal()):
        challenge.phase = previous
        raise refused
    _after_phase_change(challenge, previous, now)
    if target == Phase.IDEATION and challenge.published_at is None:
        challenge.published_at = now
    # A phase closed by hand ends now: clear a later date that would contradict it.
    if target == Phase.REVIEW and challenge.ideation_ends_at and challenge.ideation_ends_at > now:
        challenge.ideation_ends_at = now
    if target == Phase.VOTING and challenge.voting_starts_at and challenge.voting_starts_at > now:
        challenge.voting_starts_at = now
    if target == Phase.RESULTS and challenge.voting_ends_at and challenge.voting_ends_at > now:
        challenge.voting_ends_at = now
    challenge.updated_at = now
    db.session.flush()
    return challenge.phase


def advance_all(now: datetime | None = None) -> list[tuple[str, Phase]]:
    """For cron: store the calendar's phase of every live challenge. Returns what moved."""
    moved = []
    for challenge in db.session.scalars(select(Challenge).where(Challenge.phase.in_(LIVE_PHASES))):
        if store_scheduled_phase(challenge, now):
            moved.append((challenge.slug, challenge.phase))
    db.session.flush()
    return moved
