"""The demo's assisted participation, through the services hosts use: at the workshops
already held, the host opened accounts for two tenants without e-mail (consent
recorded), entered an idea for one of them, a support for the other, and the idea of the
workshop as a whole. Idempotent: an assisted account is found by its name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ideation.assisted import services
from ideation.assisted.models import AssistedAccount
from ideation.auth.models import User
from ideation.domain.idea_states import IdeaStatus
from ideation.extensions import db
from ideation.ideas import lifecycle
from ideation.ideas.models import Idea
from ideation.ideas.services import IdeaData
from ideation.seed import common
from ideation.workshops.models import Workshop


@dataclass(frozen=True)
class AssistedSeed:
    workshop: str  # the title of a workshop already held
    name: str
    phone: str
    idea_title: str
    idea_summary: str


ASSISTED = [
    AssistedSeed(
        workshop="Atelier jardin partagé aux Tilleuls",
        name="Mme Yvette R.",
        phone="04 78 00 00 01",
        idea_title="Des bacs de jardin à hauteur de fauteuil",
        idea_summary="Des bacs surélevés pour que les personnes âgées ou en fauteuil "
        "jardinent sans se baisser.",
    ),
    AssistedSeed(
        workshop="Rencontre accueil des nouveaux locataires",
        name="M. Ahmed K.",
        phone="",
        idea_title="Un voisin parrain pour chaque nouvel arrivant",
        idea_summary="Un voisin volontaire fait visiter la résidence et présente les "
        "services dans la première semaine.",
    ),
]

# The idea of each held workshop as a whole (title, summary), entered by its first host.
WORKSHOP_IDEAS = {
    "Atelier jardin partagé aux Tilleuls": (
        "Un calendrier des arrosages affiché dans le hall",
        "Chacun s'inscrit pour une semaine d'arrosage : le jardin ne sèche plus en août.",
    ),
}


def _workshop(title: str) -> Workshop | None:
    return db.session.scalar(select(Workshop).where(Workshop.title == title))


def _exists(name: str) -> bool:
    return (
        db.session.scalar(
            select(AssistedAccount.user_id)
            .join(User, User.id == AssistedAccount.user_id)
            .where(User.display_name == name)
        )
        is not None
    )


def _idea_exists(title: str) -> bool:
    return db.session.scalar(select(Idea.id).where(Idea.title == title)) is not None


def _published(idea: Idea) -> Idea:
    """The facilitator validates what was entered, as they would any idea."""
    facilitator = common.facilitator()
    if idea.status == IdeaStatus.SUBMITTED and facilitator is not None:
        lifecycle.publish(facilitator, idea)
    return idea


def seed_assisted() -> None:
    """Assisted accounts and entries made at the workshops already held."""
    opened: list[tuple[Workshop, User]] = []
    for seed in ASSISTED:
        workshop = _workshop(seed.workshop)
        if workshop is None or not workshop.hosts or _exists(seed.name):
            continue
        host = workshop.hosts[0]
        organisation = services.organisation_for(host, workshop)
        if organisation is None:
            continue
        user, _code = services.create_assisted_account(
            host,
            display_name=seed.name,
            organisation=organisation,
            residence_id=workshop.residence_id,
            phone=seed.phone,
            workshop=workshop,
        )
        opened.append((workshop, user))
        challenges = workshop.challenges
        if challenges and not _idea_exists(seed.idea_title):
            challenge = challenges[0]
            data = IdeaData(seed.idea_title, seed.idea_summary, "", challenge.theme_id, None)
            _published(services.enter_idea(host, workshop, challenge, user, data))
    for title, (idea_title, summary) in WORKSHOP_IDEAS.items():
        workshop = _workshop(title)
        if workshop is None or not workshop.hosts or not workshop.challenges:
            continue
        if _idea_exists(idea_title):
            continue
        challenge = workshop.challenges[0]
        data = IdeaData(idea_title, summary, "", challenge.theme_id, workshop.residence_id)
        idea = _published(services.enter_idea(workshop.hosts[0], workshop, challenge, None, data))
        # Those opened at this workshop back their workshop's idea, if it is public.
        for where, user in opened:
            if where.id == workshop.id and idea.status.value == "published":
                services.enter_support(workshop.hosts[0], workshop, idea, user)
