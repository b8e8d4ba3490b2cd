"""Voting desks: open one with its assessors, find a participant, record the ranking they
give or tick them for the paper urn, list who voted here, close the urn.

The ballot rules (one ballot per voter, a desk ballot replaces an online one, nobody
ticked for paper votes again) are voting's (ideation/voting/services.py: cast_at_desk,
mark_paper_voter); this module adds the desk's own rule, nothing is written at a closed
desk, checked under the desk's row lock taken after the vote's lock (the order
ideation/desks/paper.py takes them too), so a close of the urn and a ballot at the same
moment are one after the other. The view commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from flask import has_request_context
from flask_babel import gettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased, joinedload

from ideation.assisted.services import find_claimable
from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.db_types import utcnow
from ideation.desks.models import VoteDesk, desk_assessors
from ideation.desks.paper import _lock_desk
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.desks import Channel
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.orgs.models import Residence
from ideation.voting import services as voting
from ideation.voting.models import Ballot, VoterMark
from ideation.workshops.models import Workshop

MAX_FOUND = 20  # people shown for one search: the assessor narrows it with the residence
MAX_ASSESSOR_CHOICES = 200


def _(message: str, **params: object) -> str:
    """Translated in a request; plain French in the CLI (the seed, the tests' setup)."""
    if has_request_context():
        return gettext(message, **params)
    return message % params if params else message


class DeskRefused(Exception):
    """The desk cannot do this now; `message` says why, in the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- opening and closing -------------------------------------------------------------


def assessor_choices(challenge: Challenge) -> list[User]:
    """Who can be named assessor: the staff of the challenge's landlord (of every landlord
    for a regional challenge), and the hosts of the workshops held for it."""
    staff_roles = (Role.STAFF, Role.FACILITATOR, Role.BAILLEUR, Role.ADMIN)
    query = select(User).where(User.active.is_(True), User.role.in_(staff_roles))
    if challenge.organisation_id is not None:
        query = query.where(
            or_(User.organisation_id == challenge.organisation_id, User.role == Role.ADMIN)
        )
    staff = list(db.session.scalars(query.order_by(User.display_name).limit(MAX_ASSESSOR_CHOICES)))
    hosts = [host for workshop in workshop_choices(challenge) for host in workshop.hosts]
    chosen = {user.id: user for user in [*staff, *hosts] if user.active}
    return sorted(chosen.values(), key=lambda u: (u.display_name.lower(), u.id))


def workshop_choices(challenge: Challenge) -> list[Workshop]:
    """The workshops held for this challenge (a desk may be opened at one of them)."""
    return list(
        db.session.scalars(
            select(Workshop)
            .where(Workshop.challenges.any(Challenge.id == challenge.id))
            .options(joinedload(Workshop.residence))
            .order_by(Workshop.starts_at)
        ).unique()
    )


def open_desk(
    challenge: Challenge,
    opened_by: User,
    name: str,
    place: str,
    workshop: Workshop | None,
    assessors: Iterable[User],
    now: datetime | None = None,
) -> VoteDesk:
    """Open a desk for the vote, with its assessors (who opens it may stand in too)."""
    now = now or utcnow()
    if challenge.current_phase(now) != Phase.VOTING:
        raise DeskRefused(_("Le vote n'est pas ouvert : on ne peut pas ouvrir de bureau."))
    desk = VoteDesk(
        challenge_id=challenge.id,
        workshop_id=workshop.id if workshop else None,
        name=name.strip(),
        place=place.strip(),
        opened_by_id=opened_by.id,
        opened_at=now,
    )
    desk.assessors = list(assessors)
    db.session.add(desk)
    db.session.flush()
    return desk


def close_urn(
    desk: VoteDesk, closed_by: User, sheets_received: int, now: datetime | None = None
) -> VoteDesk:
    """Close the desk: no more desk ballots or ticks; the urn's sheets, counted by hand,
    can now be entered (ideation/desks/paper.py). Raises DeskRefused if already closed."""
    now = now or utcnow()
    voting.hold_vote(desk.challenge_id)
    fresh = _lock_desk(desk.id)
    if fresh.closed_at is not None:
        raise DeskRefused(_("Ce bureau est déjà clos."))
    voting._pause("desk_close")
    desk.closed_at = now
    desk.closed_by_id = closed_by.id
    desk.sheets_received = sheets_received
    db.session.flush()
    return desk


def _open_desk_inside_lock(desk: VoteDesk) -> None:
    voting.hold_vote(desk.challenge_id)
    if _lock_desk(desk.id).closed_at is not None:
        raise DeskRefused(_("Ce bureau est clos : il n'enregistre plus de vote."))


# --- at the desk ------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where a participant stands in this vote, as the assessor sees it."""

    user: User
    online: bool  # an online ballot is stored (replaced by a desk ballot, annulled by paper)
    mark: VoterMark | None  # voted in person (desk or paper), at which desk
    eligible: bool
    refusal: str | None  # why they cannot vote here, if so

    @property
    def channel(self) -> Channel | None:
        if self.mark is not None:
            return self.mark.channel
        return Channel.ONLINE if self.online else None


def eligibility_refusal(challenge: Challenge, person: User) -> str | None:
    """Why this person cannot vote in this vote, even in person, if so."""
    if not person.active or person.is_erased:
        return _("Ce compte est désactivé : il ne peut pas voter.")
    # In person, the assessor sees the person: the e-mail answer is not needed.
    actor = replace(person.actor, confirmed=True)
    if not rules.in_vote_scope(actor, challenge.scope):
        return _(
            "Cette personne ne fait pas partie des votant·es de ce défi (bailleur ou résidence)."
        )
    if challenge.vote_verified_only and not actor.household_verified:
        return _(
            "Ce vote est réservé aux foyers vérifiés : faites d'abord vérifier le foyer de "
            "cette personne par l'animateur·rice de l'atelier."
        )
    return None


def standings(challenge: Challenge, people: list[User]) -> list[Standing]:
    """Each person's standing, in two queries whatever their number."""
    ids = [p.id for p in people]
    online = set(
        db.session.scalars(
            select(Ballot.voter_id).where(
                Ballot.challenge_id == challenge.id,
                Ballot.voter_id.in_(ids),
                Ballot.channel == Channel.ONLINE,
            )
        )
    )
    marks = {
        m.voter_id: m
        for m in db.session.scalars(
            select(VoterMark).where(
                VoterMark.challenge_id == challenge.id, VoterMark.voter_id.in_(ids)
            )
        )
    }
    found = []
    for person in people:
        refusal = eligibility_refusal(challenge, person)
        found.append(
            Standing(
                user=person,
                online=person.id in online,
                mark=marks.get(person.id),
                eligible=refusal is None,
                refusal=refusal,
            )
        )
    return found


def find_people(
    challenge: Challenge, name: str = "", residence_id: int | None = None, code: str = ""
) -> list[User]:
    """People of the vote's landlord found by a participation card's code, or by name
    (and residence): at most MAX_FOUND, by name."""
    if code:
        account = find_claimable(code)
        return [account.user] if account is not None else []
    words = [w for w in name.split() if w]
    if not words and residence_id is None:
        return []
    query = select(User).where(User.active.is_(True)).options(joinedload(User.residence))
    if challenge.organisation_id is not None:
        query = query.where(User.organisation_id == challenge.organisation_id)
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(User.display_name.ilike(f"%{escaped}%", escape="\\"))
    if residence_id is not None:
        query = query.where(User.residence_id == residence_id)
    return list(db.session.scalars(query.order_by(User.display_name, User.id).limit(MAX_FOUND)))


def residence_choices(challenge: Challenge) -> list[Residence]:
    """The residences of the vote: its own list, else its landlord's (none for a regional
    vote: a name is enough there)."""
    if challenge.residences:
        return sorted(challenge.residences, key=lambda r: r.label)
    if challenge.organisation_id is None:
        return []
    return list(
        db.session.scalars(
            select(Residence)
            .where(Residence.organisation_id == challenge.organisation_id)
            .order_by(Residence.name)
        )
    )


def record_ballot(
    desk: VoteDesk,
    person: User,
    ranking: list[list[int]],
    assessor: User,
    now: datetime | None = None,
) -> tuple[str, bool]:
    """Record the ranking a participant gives at the desk; (receipt, replaced an online
    ballot). Raises DeskRefused (desk closed, not a voter here), voting's BallotRefused,
    VoteClosed, AlreadyMarked (voted on paper)."""
    challenge = desk.challenge
    refusal = eligibility_refusal(challenge, person)
    if refusal:
        raise DeskRefused(refusal)
    _open_desk_inside_lock(desk)
    replaced = (
        db.session.scalar(
            select(Ballot.id).where(
                Ballot.challenge_id == challenge.id,
                Ballot.voter_id == person.id,
                Ballot.channel == Channel.ONLINE,
            )
        )
        is not None
    )
    receipt = voting.cast_at_desk(challenge, person.id, ranking, desk.id, assessor.id, now)
    return receipt, replaced


def tick_paper_voter(
    desk: VoteDesk, person: User, assessor: User, now: datetime | None = None
) -> bool:
    """Tick a participant who drops a paper sheet in this desk's urn; True when their
    online ballot was annulled. Raises DeskRefused, VoteClosed, AlreadyMarked."""
    refusal = eligibility_refusal(desk.challenge, person)
    if refusal:
        raise DeskRefused(refusal)
    _open_desk_inside_lock(desk)
    return voting.mark_paper_voter(desk.challenge, person.id, desk.id, assessor.id, now)


# --- lists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListLine:
    """One line of the desk's voters' list."""

    mark: VoterMark
    voter: User | None  # None once the account is gone
    assessor: User | None


def voters_list(desk: VoteDesk) -> list[ListLine]:
    """Who voted at this desk (émargement), in the order they came (one query)."""
    voter, assessor = aliased(User), aliased(User)
    rows = db.session.execute(
        select(VoterMark, voter, assessor)
        .outerjoin(voter, voter.id == VoterMark.voter_id)
        .outerjoin(assessor, assessor.id == VoterMark.marked_by_id)
        .where(VoterMark.desk_id == desk.id)
        .options(joinedload(voter.residence))
        .order_by(VoterMark.marked_at, VoterMark.id)
    )
    return [ListLine(mark=m, voter=v, assessor=a) for m, v, a in rows]


def desk_counts(desk_ids: list[int]) -> dict[int, dict[Channel, int]]:
    """Per desk, the voters marked by channel (one grouped query)."""
    counts: dict[int, dict[Channel, int]] = {i: {} for i in desk_ids}
    if desk_ids:
        rows = db.session.execute(
            select(VoterMark.desk_id, VoterMark.channel, func.count())
            .where(VoterMark.desk_id.in_(desk_ids))
            .group_by(VoterMark.desk_id, VoterMark.channel)
        )
        for desk_id, channel, number in rows:
            if desk_id is not None:  # the filter above: never None, but typed so
                counts[desk_id][Channel(channel)] = number
    return counts


def desks_of(challenge_id: int) -> list[VoteDesk]:
    return list(
        db.session.scalars(
            select(VoteDesk)
            .where(VoteDesk.challenge_id == challenge_id)
            .options(joinedload(VoteDesk.workshop))
            .order_by(VoteDesk.opened_at, VoteDesk.id)
        )
    )


def my_open_desks(challenge_id: int, user_id: int | None) -> list[VoteDesk]:
    """The open desks of this vote where this person is an assessor (the challenge page
    links them)."""
    if user_id is None:
        return []
    return list(
        db.session.scalars(
            select(VoteDesk)
            .join(desk_assessors, desk_assessors.c.desk_id == VoteDesk.id)
            .where(
                VoteDesk.challenge_id == challenge_id,
                VoteDesk.closed_at.is_(None),
                desk_assessors.c.user_id == user_id,
            )
            .order_by(VoteDesk.id)
        )
    )
