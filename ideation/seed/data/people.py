"""The demo's people and places: the regional association, three landlords, their
residences, the five documented accounts and a few dozen tenants. Plain data."""

from __future__ import annotations

from typing import NamedTuple

from ideation.domain.roles import OrganisationKind, Role

# The password of every demo account (the README's demo section gives it).
DEMO_PASSWORD = "fabrique-demo-2026"


class OrganisationSeed(NamedTuple):
    slug: str
    name: str
    kind: OrganisationKind


class ResidenceSeed(NamedTuple):
    organisation: str  # slug
    name: str
    city: str
    quartier: str
    dwellings: int | None = None  # logements: the participation rate's denominator


class AccountSeed(NamedTuple):
    email: str
    display_name: str
    role: Role
    organisation: str  # slug
    residence: str | None  # name


class InvitationSeed(NamedTuple):
    code: str
    organisation: str  # slug
    residence: str | None  # name
    role: Role
    max_uses: int


# The regional association comes first: the administrator belongs to it and creates the others.
ORGANISATIONS = [
    OrganisationSeed(
        "aura-fabrique", "Association régionale Fabrique Rhône-Alpes", OrganisationKind.REGIONAL
    ),
    OrganisationSeed("rhone-habitat", "Rhône Habitat Solidaire", OrganisationKind.LANDLORD),
    OrganisationSeed("alpes-logis", "Alpes Logis", OrganisationKind.LANDLORD),
    OrganisationSeed("loire-foyers", "Loire Foyers", OrganisationKind.LANDLORD),
]

RESIDENCES = [
    ResidenceSeed("rhone-habitat", "Les Tilleuls", "Villeurbanne", "Les Buers", 212),
    ResidenceSeed("rhone-habitat", "Le Clos des Canuts", "Lyon", "Croix-Rousse", 148),
    ResidenceSeed("rhone-habitat", "Résidence Parilly", "Vénissieux", "Parilly", 320),
    ResidenceSeed("alpes-logis", "Les Glycines", "Grenoble", "Villeneuve", 265),
    ResidenceSeed("alpes-logis", "Le Belvédère", "Échirolles", "Village Sud", 180),
    ResidenceSeed("alpes-logis", "Les Charmettes", "Chambéry", "Les Hauts-de-Chambéry", 96),
    ResidenceSeed("loire-foyers", "Cité Beaulieu", "Saint-Étienne", "Beaulieu", 410),
    ResidenceSeed("loire-foyers", "Le Grand Pré", "Valence", "Fontbarlettes", 230),
]

# The five documented accounts (README), administrator first.
DEMO_ACCOUNTS = [
    AccountSeed(
        "admin@demo.fabrique.test", "Claire Administratrice", Role.ADMIN, "aura-fabrique", None
    ),
    AccountSeed(
        "animation@demo.fabrique.test",
        "Yasmine Animatrice",
        Role.FACILITATOR,
        "aura-fabrique",
        None,
    ),
    AccountSeed(
        "bailleur@demo.fabrique.test",
        "Marc Dubois (Rhône Habitat)",
        Role.BAILLEUR,
        "rhone-habitat",
        None,
    ),
    AccountSeed(
        "salarie@demo.fabrique.test",
        "Sophie Gardienne",
        Role.STAFF,
        "rhone-habitat",
        "Les Tilleuls",
    ),
    AccountSeed(
        "locataire@demo.fabrique.test", "Fatima B.", Role.TENANT, "rhone-habitat", "Les Tilleuls"
    ),
]

# One staff member and one manager for the other landlords (pilots need owners there).
OTHER_STAFF = [
    AccountSeed(
        "salarie.alpes@demo.fabrique.test",
        "Hugo Chargé de clientèle",
        Role.STAFF,
        "alpes-logis",
        "Les Glycines",
    ),
    AccountSeed(
        "bailleur.loire@demo.fabrique.test",
        "Anne Perret (Loire Foyers)",
        Role.BAILLEUR,
        "loire-foyers",
        None,
    ),
]

# Tenants locataire01@… locataire36@…, spread over the residences in turn.
FIRST_NAMES = [
    "Nadia",
    "Jean-Pierre",
    "Mamadou",
    "Lucie",
    "Karim",
    "Odette",
    "Thierry",
    "Aïcha",
    "Bernard",
    "Samia",
    "Kevin",
    "Monique",
    "Rachid",
    "Chantal",
    "Inès",
    "Gérard",
    "Leïla",
    "Patrick",
    "Mireille",
    "Youssef",
    "Sandrine",
    "Hervé",
    "Zoé",
    "Abdel",
    "Josiane",
    "Dylan",
    "Fatou",
    "Christian",
    "Élodie",
    "Moussa",
    "Ginette",
    "Sofiane",
    "Brigitte",
    "Nabil",
    "Céline",
    "Raymond",
]
LAST_INITIALS = "ABCDEFGHKLMNPRST"
TENANT_EMAIL = "locataire{number:02d}@demo.fabrique.test"

# The codes printed on the flyers of three residences, and one for a landlord's team (valid a year).
INVITATION_DAYS = 365
# Dwelling letters (verified households, issue 13): the demo's hall has its letterboxes.
DWELLING_LETTERS = (
    "Les Tilleuls",
    "bailleur@demo.fabrique.test",
    [f"Bât. A – {n}" for n in range(1, 13)],
)

INVITATIONS = [
    InvitationSeed("TILLEULS2026", "rhone-habitat", "Les Tilleuls", Role.TENANT, 200),
    InvitationSeed("GLYCINES2026", "alpes-logis", "Les Glycines", Role.TENANT, 200),
    InvitationSeed("BEAULIEU2026", "loire-foyers", "Cité Beaulieu", Role.TENANT, 200),
    InvitationSeed("EQUIPE-RHONE", "rhone-habitat", None, Role.STAFF, 20),
]
