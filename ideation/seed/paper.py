"""The demo's paper ballots: a desk at the closed vote, its sheets entered twice, its record.

It runs after the online ballots and before the calendar counts the vote
(`challenges.seed_phases`), through the services and at dates inside the vote, so the
published files and the result include the paper ballots, and the results page links
to the desk's frozen closure record. The story: six tenants ticked at the caretaker's
desk, eight sheets printed; three counted, one blank, one spoilt, and one read two ways
then settled by the facilitator's third reading; two tenants ranked the ideas with the
assessor (desk ballots), one of whom had voted online.

The open vote gets a desk still open (`seed_open_desk`), so a newcomer signed in as the
facilitator or the first staff member sees the desk pages at work: two desk ballots, one
tenant ticked for the urn.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ideation.auth.models import User
from ideation.db_types import utcnow
from ideation.desks import paper
from ideation.desks.models import VoteDesk
from ideation.domain.challenge_phases import Phase
from ideation.domain.desks import EntryKind
from ideation.domain.paper import BLANK, SPOILT, Reading
from ideation.domain.permissions import in_vote_scope
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.seed import common
from ideation.seed.data.voting import NON_VOTER
from ideation.voting.services import (
    cast_at_desk,
    get_ballot,
    get_result,
    mark_paper_voter,
    shortlisted,
    voter_mark,
)

CHALLENGE = "lien-entre-voisins"
OPEN_CHALLENGE = "economies-energie"
OPEN_DESK_NAME = "Bureau de la Maison des énergies"
DESK_NAME = "Loge des Tilleuls"
TICKED = 6
PRINTED = 8


def _ranked(*groups: list[int]) -> Reading:
    return Reading(EntryKind.RANKED, tuple(tuple(sorted(g)) for g in groups))


def seed_paper() -> None:
    challenge = common.challenge(CHALLENGE)
    facilitator = common.facilitator()
    if challenge is None or facilitator is None or challenge.voting_starts_at is None:
        return
    if get_result(challenge.id) is not None or challenge.voting_ends_at is None:
        return
    if db.session.scalar(select(VoteDesk.id).where(VoteDesk.challenge_id == challenge.id)):
        return
    staff = list(
        db.session.scalars(
            select(User).where(User.role == Role.STAFF).order_by(User.email).limit(2)
        )
    )
    ids = [idea.id for idea in shortlisted(challenge.id)]
    if len(staff) < 2 or len(ids) < 3:
        return
    opened = common.in_the_past(challenge.voting_starts_at + timedelta(days=2))
    urn_closed = common.in_the_past(challenge.voting_ends_at - timedelta(hours=3))
    desk = VoteDesk(
        challenge_id=challenge.id,
        name=DESK_NAME,
        place="Loge du gardien, bâtiment A",
        opened_by_id=facilitator.id,
        opened_at=opened,
    )
    desk.assessors = staff
    db.session.add(desk)
    db.session.flush()
    paper.print_sheets(desk, PRINTED, now=opened)
    voters = [
        u
        for u in common.tenants()
        if u.email != NON_VOTER
        and in_vote_scope(u.actor, challenge.scope)
        and get_ballot(challenge.id, u.id) is None
    ][:TICKED]
    for n, voter in enumerate(voters):
        moment = opened + timedelta(minutes=20 * (n + 1))
        mark_paper_voter(challenge, voter.id, desk.id, staff[0].id, now=moment)
    _desk_ballots(challenge, desk, staff[1], ids, opened + timedelta(hours=4), skip=voters)
    desk.closed_at = urn_closed
    desk.sheets_received = len(voters)
    db.session.flush()
    a, b, c = ids[:3]
    first, second = staff
    readings = [
        (_ranked([a], [b]), _ranked([a], [b]), None),
        (_ranked([b], [a, c]), _ranked([b], [a, c]), None),
        (_ranked([a]), _ranked([a]), None),
        (BLANK, BLANK, None),
        (SPOILT, SPOILT, None),
        # Read « 1 » and « 7 » two ways; the facilitator's third reading settles it.
        (_ranked([c], [a]), _ranked([a], [c]), _ranked([c], [a])),
    ][: len(voters)]
    sheets = paper.batch(desk, 0, PRINTED)
    moment = urn_closed
    for sheet, (one, two, three) in zip(sheets, readings, strict=False):
        for who, reading in ((first, one), (second, two), (facilitator, three)):
            if reading is None:
                continue
            moment += timedelta(minutes=2)
            paper.enter_sheet(desk.id, sheet.id, who.id, reading, now=moment)
    paper.freeze_record(
        desk.id, facilitator.id, len(voters), set_aside=False, now=moment + timedelta(minutes=10)
    )
    db.session.flush()


def _desk_ballots(challenge, desk, assessor, ids, moment, skip, count=2) -> None:  # type: ignore[no-untyped-def]
    """`count` tenants rank the shortlist with the assessor: the first one had voted online
    (the desk ballot replaces it), the others had not voted if there are such tenants."""
    skipped = {u.id for u in skip}
    people = [
        u
        for u in common.tenants()
        if u.email != NON_VOTER
        and u.id not in skipped
        and in_vote_scope(u.actor, challenge.scope)
        and voter_mark(challenge.id, u.id) is None
    ]
    online = [u for u in people if get_ballot(challenge.id, u.id) is not None]
    fresh = [u for u in people if get_ballot(challenge.id, u.id) is None]
    # One who voted online first, then people who had not (or more online voters).
    for n, person in enumerate([*online[:1], *fresh, *online[1:]][:count]):
        ranking = [[ids[(n + k) % len(ids)]] for k in range(min(3, len(ids)))]
        cast_at_desk(
            challenge, person.id, ranking, desk.id, assessor.id, now=moment + timedelta(minutes=n)
        )


def seed_open_desk() -> None:
    """A desk still open at the open vote, at the energy workshop, with two assessors."""
    from ideation.desks import services as desks

    challenge = common.challenge(OPEN_CHALLENGE)
    facilitator = common.facilitator()
    if challenge is None or facilitator is None or challenge.current_phase() != Phase.VOTING:
        return
    if db.session.scalar(select(VoteDesk.id).where(VoteDesk.challenge_id == challenge.id)):
        return
    staff = list(
        db.session.scalars(
            select(User).where(User.role == Role.STAFF).order_by(User.email).limit(2)
        )
    )
    ids = [idea.id for idea in shortlisted(challenge.id)]
    if not staff or len(ids) < 2:
        return
    workshops = desks.workshop_choices(challenge)
    desk = desks.open_desk(
        challenge,
        facilitator,
        OPEN_DESK_NAME,
        "Salle commune, rez-de-chaussée",
        workshops[0] if workshops else None,
        staff,
    )
    now = utcnow()
    _desk_ballots(challenge, desk, staff[0], ids, now - timedelta(minutes=30), skip=[])
    ticked = [
        u
        for u in common.tenants()
        if u.email != NON_VOTER
        and in_vote_scope(u.actor, challenge.scope)
        and voter_mark(challenge.id, u.id) is None
        and get_ballot(challenge.id, u.id) is None
    ][:1]
    for person in ticked:
        mark_paper_voter(challenge, person.id, desk.id, staff[0].id, now=now - timedelta(minutes=5))
    db.session.flush()
