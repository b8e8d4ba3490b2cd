"""`flask seed-demo`: a realistic French demo installation. Idempotent.

Each area adds its own step to STEPS; every step looks rows up by a natural key
(slug, e-mail, code) before creating them, so running the command twice changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from ideation.auth.models import User
from ideation.db_types import utcnow
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db
from ideation.orgs.models import Invitation, Organisation, Residence

DEMO_PASSWORD = "fabrique-demo-2026"

ORGANISATIONS = [
    ("aura-fabrique", "Association régionale Fabrique Rhône-Alpes", OrganisationKind.REGIONAL),
    ("rhone-habitat", "Rhône Habitat Solidaire", OrganisationKind.LANDLORD),
    ("alpes-logis", "Alpes Logis", OrganisationKind.LANDLORD),
    ("loire-foyers", "Loire Foyers", OrganisationKind.LANDLORD),
]

RESIDENCES = [
    ("rhone-habitat", "Les Tilleuls", "Villeurbanne", "Les Buers"),
    ("rhone-habitat", "Le Clos des Canuts", "Lyon", "Croix-Rousse"),
    ("rhone-habitat", "Résidence Parilly", "Vénissieux", "Parilly"),
    ("alpes-logis", "Les Glycines", "Grenoble", "Villeneuve"),
    ("alpes-logis", "Le Belvédère", "Échirolles", "Village Sud"),
    ("alpes-logis", "Les Charmettes", "Chambéry", "Les Hauts-de-Chambéry"),
    ("loire-foyers", "Cité Beaulieu", "Saint-Étienne", "Beaulieu"),
    ("loire-foyers", "Le Grand Pré", "Valence", "Fontbarlettes"),
]

# (email local part, display name, role, organisation slug, residence name or None)
DEMO_ACCOUNTS = [
    ("admin", "Claire Administratrice", Role.ADMIN, "aura-fabrique", None),
    ("animation", "Yasmine Animatrice", Role.FACILITATOR, "aura-fabrique", None),
    ("bailleur", "Marc Dubois (Rhône Habitat)", Role.BAILLEUR, "rhone-habitat", None),
    ("salarie", "Sophie Gardienne", Role.STAFF, "rhone-habitat", "Les Tilleuls"),
    ("locataire", "Fatima B.", Role.TENANT, "rhone-habitat", "Les Tilleuls"),
]

FIRST_NAMES = [
    "Nadia", "Jean-Pierre", "Mamadou", "Lucie", "Karim", "Odette", "Thierry", "Aïcha",
    "Bernard", "Samia", "Kevin", "Monique", "Rachid", "Chantal", "Inès", "Gérard",
    "Leïla", "Patrick", "Mireille", "Youssef", "Sandrine", "Hervé", "Zoé", "Abdel",
    "Josiane", "Dylan", "Fatou", "Christian", "Élodie", "Moussa", "Ginette", "Sofiane",
    "Brigitte", "Nabil", "Céline", "Raymond",
]
LAST_INITIALS = "ABCDEFGHKLMNPRST"

STEPS: list[Callable[[], None]] = []


def step(func: Callable[[], None]) -> Callable[[], None]:
    STEPS.append(func)
    return func


def _org(slug: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _residence(name: str) -> Residence:
    return db.session.scalar(select(Residence).where(Residence.name == name))


@step
def seed_organisations() -> None:
    for slug, name, kind in ORGANISATIONS:
        if _org(slug) is None:
            db.session.add(Organisation(slug=slug, name=name, kind=kind))
    db.session.flush()
    for org_slug, name, city, quartier in RESIDENCES:
        if _residence(name) is None:
            db.session.add(Residence(organisation=_org(org_slug), name=name, city=city, quartier=quartier))
    db.session.flush()


def demo_accounts() -> list[tuple[str, str, Role, str, str | None]]:
    """The five documented accounts and a few dozen tenants with French names."""
    accounts = [(f"{local}@demo.fabrique.test", *rest) for local, *rest in DEMO_ACCOUNTS]
    rng = random.Random(2026)
    residences = [(r[0], r[1]) for r in RESIDENCES]
    for i, first in enumerate(FIRST_NAMES):
        org_slug, residence = residences[i % len(residences)]
        initial = LAST_INITIALS[rng.randrange(len(LAST_INITIALS))]
        email = f"locataire{i + 1:02d}@demo.fabrique.test"
        accounts.append((email, f"{first} {initial}.", Role.TENANT, org_slug, residence))
    # One staff member per other landlord, for later features.
    accounts.append(("salarie.alpes@demo.fabrique.test", "Hugo Chargé de clientèle", Role.STAFF, "alpes-logis", "Les Glycines"))
    accounts.append(("bailleur.loire@demo.fabrique.test", "Anne Perret (Loire Foyers)", Role.BAILLEUR, "loire-foyers", None))
    return accounts


@step
def seed_users() -> None:
    template = User(email="x", display_name="x")
    template.set_password(DEMO_PASSWORD)  # hashed once: scrypt is slow on purpose
    now = utcnow()
    for n, (email, name, role, org_slug, residence) in enumerate(demo_accounts()):
        if db.session.scalar(select(User).where(User.email == email)) is not None:
            continue
        db.session.add(
            User(
                email=email,
                display_name=name,
                role=role,
                organisation=_org(org_slug),
                residence=_residence(residence) if residence else None,
                password_hash=template.password_hash,
                email_verified=True,
                created_at=now - timedelta(days=200 - n),
            )
        )
    db.session.flush()


@step
def seed_invitations() -> None:
    now = utcnow()
    codes = [
        ("TILLEULS2026", "rhone-habitat", "Les Tilleuls", Role.TENANT, 200),
        ("GLYCINES2026", "alpes-logis", "Les Glycines", Role.TENANT, 200),
        ("BEAULIEU2026", "loire-foyers", "Cité Beaulieu", Role.TENANT, 200),
        ("EQUIPE-RHONE", "rhone-habitat", None, Role.STAFF, 20),
    ]
    for code, org_slug, residence, role, max_uses in codes:
        if db.session.scalar(select(Invitation).where(Invitation.code == code)) is None:
            db.session.add(
                Invitation(
                    code=code,
                    organisation=_org(org_slug),
                    residence=_residence(residence) if residence else None,
                    role=role,
                    expires_at=now + timedelta(days=365),
                    max_uses=max_uses,
                    uses=0,
                )
            )
    db.session.flush()


def seed_demo() -> None:
    for func in STEPS:
        func()
    db.session.commit()


def database_is_empty() -> bool:
    return db.session.scalar(select(Organisation.id).limit(1)) is None
