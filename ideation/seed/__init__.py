"""`flask seed-demo`: a realistic French demo installation. Idempotent.

The content is plain data in `ideation/seed/data/`; the steps below create it the way
people would have, through each area's own services: an administrator sets up the
landlords, tenants open accounts, a facilitator publishes challenges and ideas, neighbours
support, comment and report, the calendar opens and closes the votes, landlords follow
their pilots up. So the journal, the notifications and the vote's result are the real
ones. Every step looks its rows up by a natural key (slug, e-mail, title, code) before
creating them, so running the command twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from ideation.core.links import site_links
from ideation.extensions import db
from ideation.orgs.models import Organisation
from ideation.seed import (
    accounts,
    assisted,
    challenges,
    engagement,
    fabrique,
    ideas,
    moderation,
    paper,
    photos,
    pilots,
    voting,
    workshops,
)
from ideation.seed.data.people import DEMO_PASSWORD

# In the order the story happens; each step may rely on the ones before it.
STEPS: tuple[Callable[[], None], ...] = (
    accounts.seed_accounts,
    accounts.seed_invitations,
    accounts.seed_dwelling_letters,
    engagement.seed_partners,  # before the houses, which name their partners
    fabrique.seed_fabrique,
    challenges.seed_challenges,
    ideas.seed_ideas,
    moderation.seed_moderation,
    ideas.seed_shortlists,
    voting.seed_ballots,
    paper.seed_paper,  # the closed vote's paper ballots and record, before it is counted
    challenges.seed_phases,
    pilots.seed_editions,
    pilots.seed_pilots,
    engagement.seed_co_leads,
    engagement.seed_offers,
    engagement.seed_newsletter_and_message,
    photos.seed_photos,
    fabrique.seed_library,
    workshops.seed_workshops,  # after the challenges and houses they feed
    assisted.seed_assisted,  # at the workshops already held
    paper.seed_open_desk,  # the open vote's desk, at one of its workshops
)


def seed_demo() -> None:
    """Fill the database with the demo, in one transaction."""
    # The services build links in e-mails and notifications: from the command line they
    # need a request context on BASE_URL.
    with site_links():
        for step in STEPS:
            step()
    db.session.commit()


def database_is_empty() -> bool:
    return db.session.scalar(select(Organisation.id).limit(1)) is None


__all__ = ["DEMO_PASSWORD", "STEPS", "database_is_empty", "seed_demo"]
