"""What the posters show: loaded here, drawn by templates/printed/."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ideation.challenges.models import Challenge
from ideation.core.qr import qr_svg
from ideation.domain.codes import short_code
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.mail.links import external_url
from ideation.orgs.models import Invitation, Residence
from ideation.voting.models import VoteResult
from ideation.workshops.models import Workshop


@dataclass(frozen=True)
class Link:
    """An absolute link on BASE_URL, its QR code, and how it is printed in words."""

    url: str
    qr: object  # Markup: inline SVG

    @property
    def words(self) -> str:
        """The link as people type it: no "https://", no trailing slash."""
        return self.url.split("://", 1)[-1].rstrip("/")


def link(url: str) -> Link:
    return Link(url=url, qr=qr_svg(url))


def sign_up_link(invitation: Invitation) -> Link:
    """The sign-up page with the code already filled in (auth.register reads ?code=)."""
    return sign_up_link_for(invitation.code)


def sign_up_link_for(code: str) -> Link:
    return link(external_url("auth.register", code=code))


def sign_up_words() -> str:
    """The sign-up address without the code, for people who type it."""
    return Link(url=external_url("auth.register"), qr=None).words


def challenge_link(challenge: Challenge) -> Link:
    return link(external_url("printed.challenge_link", code=short_code(challenge.id)))


def workshop_link(workshop: Workshop) -> Link:
    return link(external_url("printed.workshop_link", code=short_code(workshop.id)))


def load_invitation(invitation_id: int) -> Invitation:
    """The invitation code with its landlord and residence: 404 if missing."""
    found = db.session.scalar(
        select(Invitation)
        .where(Invitation.id == invitation_id)
        .options(joinedload(Invitation.organisation), joinedload(Invitation.residence))
    )
    if found is None:
        abort(404)
    return found


def challenge_by_id(challenge_id: int) -> Challenge | None:
    return db.session.scalar(
        select(Challenge)
        .where(Challenge.id == challenge_id)
        .options(selectinload(Challenge.residences), joinedload(Challenge.organisation))
    )


def workshop_exists(workshop_id: int) -> bool:
    return db.session.get(Workshop, workshop_id) is not None


def winners(challenge: Challenge) -> list[Idea]:
    """The closed vote's winners, best first (empty when no result is stored)."""
    result = db.session.scalar(select(VoteResult).where(VoteResult.challenge_id == challenge.id))
    if result is None or not result.winners:
        return []
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(result.winners)))}
    return [ideas[i] for i in result.winners if i in ideas]


def residences_for(actor_organisation_id: int | None, everywhere: bool) -> list[Residence]:
    """The residences whose letters this person prints: every one for admins."""
    query = select(Residence).options(joinedload(Residence.organisation))
    if not everywhere:
        query = query.where(Residence.organisation_id == actor_organisation_id)
    return list(db.session.scalars(query.order_by(Residence.name)))


def load_residence(residence_id: int) -> Residence:
    found = db.session.get(Residence, residence_id)
    if found is None:
        abort(404)
    return found
