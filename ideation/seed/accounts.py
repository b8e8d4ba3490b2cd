"""The demo's organisations, residences, accounts and invitation codes.

The regional association is the one row written by hand: an installation starts with the
organisation of its first administrator (as `flask create-user` expects one). That
administrator then creates the landlords and their residences through the admin services,
as they would on the admin pages, and the accounts are opened through the sign-up service.
"""

from __future__ import annotations

import random
from datetime import timedelta
from functools import cache

from sqlalchemy import select

from ideation.admin.services import save_organisation, save_residence
from ideation.auth.models import User, hash_password
from ideation.auth.services import create_account, find_user_by_email
from ideation.db_types import utcnow
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.orgs.models import Dwelling, Invitation, Organisation
from ideation.orgs.services import create_invitation, issue_dwelling_codes
from ideation.seed import common
from ideation.seed.data.people import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DWELLING_LETTERS,
    FIRST_NAMES,
    INVITATION_DAYS,
    INVITATIONS,
    LAST_INITIALS,
    ORGANISATIONS,
    OTHER_STAFF,
    RESIDENCES,
    TENANT_EMAIL,
    AccountSeed,
)


def accounts() -> list[AccountSeed]:
    """The five documented accounts, a few dozen tenants with French names, two more staff."""
    rng = random.Random(2026)  # the same initials on every run
    tenants = []
    for i, first in enumerate(FIRST_NAMES):
        home = RESIDENCES[i % len(RESIDENCES)]
        initial = LAST_INITIALS[rng.randrange(len(LAST_INITIALS))]
        tenants.append(
            AccountSeed(
                TENANT_EMAIL.format(number=i + 1),
                f"{first} {initial}.",
                Role.TENANT,
                home.organisation,
                home.name,
            )
        )
    return [*DEMO_ACCOUNTS, *tenants, *OTHER_STAFF]


@cache
def _demo_password_hash() -> str:
    """One scrypt hash of the shared demo password, reused by every demo account: hashing
    it 43 times at full strength would make `make run` wait for minutes on a slow machine."""
    return hash_password(DEMO_PASSWORD)


def _open_account(seed: AccountSeed, number: int) -> User:
    user = find_user_by_email(seed.email)
    if user is not None:
        return user
    home = common.residence(seed.residence) if seed.residence else None
    org = common.organisation(seed.organisation)
    assert org is not None, seed.organisation
    # The demo's people confirmed their address long ago (history for the demo), so
    # every documented account can log in at once and no verification mail is queued.
    user = create_account(
        email=seed.email,
        display_name=seed.display_name,
        password=DEMO_PASSWORD,
        organisation=org,
        role=seed.role,
        residence_id=home.id if home else None,
        password_hash=_demo_password_hash(),
        verified=True,
    )
    common.backdate(user, utcnow() - timedelta(days=200 - number))
    return user


def seed_accounts() -> None:
    """Organisations, residences and accounts, in the order an installation grows."""
    regional, *landlords = ORGANISATIONS
    if common.organisation(regional.slug) is None:
        db.session.add(Organisation(slug=regional.slug, name=regional.name, kind=regional.kind))
        db.session.flush()
    everyone = accounts()
    admin = _open_account(everyone[0], 0)
    for org in landlords:
        if common.organisation(org.slug) is None:
            save_organisation(None, name=org.name, slug=org.slug, kind=org.kind, actor=admin)
    db.session.flush()
    for place in RESIDENCES:
        if common.residence(place.name) is None:
            landlord = common.organisation(place.organisation)
            assert landlord is not None, place.organisation
            save_residence(
                None,
                organisation_id=landlord.id,
                name=place.name,
                city=place.city,
                quartier=place.quartier,
                dwellings=place.dwellings,
                actor=admin,
            )
    db.session.flush()
    for number, seed in enumerate(everyone[1:], start=1):
        _open_account(seed, number)
    db.session.flush()


def seed_invitations() -> None:
    """The codes printed on flyers, created by the demo administrator."""
    admin = find_user_by_email(DEMO_ACCOUNTS[0].email)
    for seed in INVITATIONS:
        if db.session.scalar(select(Invitation.id).where(Invitation.code == seed.code)):
            continue
        org = common.organisation(seed.organisation)
        home = common.residence(seed.residence) if seed.residence else None
        assert org is not None, seed.organisation
        create_invitation(
            organisation_id=org.id,
            residence_id=home.id if home else None,
            role=seed.role,
            days_valid=INVITATION_DAYS,
            max_uses=seed.max_uses,
            created_by_id=admin.id if admin else None,
            code=seed.code,
        )


def seed_dwelling_letters() -> None:
    """The landlord manager's letters for one residence's letterboxes (printable at
    /imprimer/residences/<id>/courriers), made once."""
    name, manager_email, references = DWELLING_LETTERS
    home = common.residence(name)
    assert home is not None, name
    if db.session.scalar(select(Dwelling.id).where(Dwelling.residence_id == home.id)):
        return
    manager = find_user_by_email(manager_email)
    issue_dwelling_codes(home.id, references, manager.id if manager else None)
