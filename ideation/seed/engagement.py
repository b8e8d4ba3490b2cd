"""The demo's partners and their people, pilots they co-lead, offers of help, newsletter
subscribers and a message the facilitator sent to a residence (issue 12).

Through the services: the administrator creates the partners, their people open
accounts, the landlord names the co-leading partners, volunteers offer help, the
facilitator writes to Les Tilleuls and the message is delivered. Found again by natural
keys (slug, e-mail, title, subject), so a second run adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ideation.admin.services import save_organisation
from ideation.auth.services import create_account, find_user_by_email
from ideation.db_types import utcnow
from ideation.domain.outreach import MessageKind, ScopeKind
from ideation.domain.roles import OrganisationKind
from ideation.extensions import db
from ideation.notifications.services import set_newsletter_consent
from ideation.orgs.models import Invitation
from ideation.orgs.services import create_invitation
from ideation.outreach.models import Message
from ideation.outreach.services import create_message, deliver
from ideation.pilots.models import Pilot
from ideation.pilots.services import PilotData, offer_help, update_pilot
from ideation.seed import common
from ideation.seed.accounts import _demo_password_hash
from ideation.seed.data.engagement import (
    CO_LED,
    MESSAGE,
    NEWSLETTER_SUBSCRIBERS,
    OFFERS,
    PARTNER_CODE,
    PARTNER_MEMBERS,
    PARTNERS,
)
from ideation.seed.data.people import DEMO_ACCOUNTS, DEMO_PASSWORD


def seed_partners() -> None:
    """The three partners, their people and the Compagnons' invitation code."""
    admin = find_user_by_email(DEMO_ACCOUNTS[0].email)
    if admin is None:
        return
    for seed in PARTNERS:
        if common.organisation(seed.slug) is None:
            save_organisation(
                None,
                name=seed.name,
                slug=seed.slug,
                kind=OrganisationKind.PARTNER,
                partner_label=seed.label,
                actor=admin,
            )
    db.session.flush()
    for email, name, role, slug in PARTNER_MEMBERS:
        if find_user_by_email(email) is None:
            org = common.organisation(slug)
            assert org is not None, slug
            user = create_account(
                email=email,
                display_name=name,
                password=DEMO_PASSWORD,
                organisation=org,
                role=role,
                password_hash=_demo_password_hash(),
                verified=True,
            )
            common.backdate(user, utcnow() - timedelta(days=90))
    code, slug, role, uses = PARTNER_CODE
    if db.session.scalar(select(Invitation.id).where(Invitation.code == code)) is None:
        org = common.organisation(slug)
        assert org is not None, slug
        create_invitation(
            organisation_id=org.id,
            residence_id=None,
            role=role,
            days_valid=365,
            max_uses=uses,
            created_by_id=admin.id,
            code=code,
        )
    db.session.flush()


def seed_co_leads() -> None:
    """The landlord names the partners who lead a pilot with it."""
    for title, slugs in CO_LED.items():
        pilot = db.session.scalar(select(Pilot).where(Pilot.title == title))
        if pilot is None or pilot.partners:
            continue
        partner_ids = []
        for slug in slugs:
            org = common.organisation(slug)
            assert org is not None, slug
            partner_ids.append(org.id)
        update_pilot(
            pilot,
            PilotData(
                title=pilot.title,
                description=pilot.description_source,
                organisation_id=pilot.organisation_id,
                residence_ids=[r.id for r in pilot.residences],
                owner_id=pilot.owner_id,
                planned_start=pilot.planned_start,
                planned_end=pilot.planned_end,
                budget_planned=pilot.budget_planned,
                budget_spent=pilot.budget_spent,
                partner_ids=partner_ids,
            ),
        )
    db.session.flush()


def seed_offers() -> None:
    """« Je veux aider » on a pilot and on an idea (offer_help ignores a second run)."""
    users = common.users()
    for seed in OFFERS:
        volunteer = users.get(seed.volunteer)
        if volunteer is None:
            continue
        if seed.pilot is not None:
            pilot = db.session.scalar(select(Pilot).where(Pilot.title == seed.pilot))
            if pilot is not None:
                offer_help(volunteer.id, seed.what, pilot_id=pilot.id)
        elif seed.idea is not None:
            idea = common.idea(*seed.idea)
            if idea is not None:
                offer_help(volunteer.id, seed.what, idea_id=idea.id)
    db.session.flush()


def seed_newsletter_and_message() -> None:
    """A few tenants ask for the newsletter; the facilitator writes to Les Tilleuls."""
    users = common.users()
    for email in NEWSLETTER_SUBSCRIBERS:
        if email in users:
            set_newsletter_consent(users[email], True)
    facilitator = common.facilitator()
    residence = common.residence(MESSAGE["residence"])
    if facilitator is None or residence is None:
        return
    if db.session.scalar(select(Message.id).where(Message.subject == MESSAGE["subject"])):
        return
    message = create_message(
        facilitator,
        kind=MessageKind.SERVICE,
        scope_kind=ScopeKind.RESIDENCES,
        ids=[residence.id],
        subject=MESSAGE["subject"],
        body=MESSAGE["body"],
    )
    deliver(message.id)  # sent now; the queued job then finds it sent and does nothing
    db.session.flush()
