"""The demo's partners, their members, offers of help, newsletter subscribers and a
message sent to a residence (issue 12). Plain data."""

from __future__ import annotations

from typing import NamedTuple

from ideation.domain.roles import Role


class PartnerSeed(NamedTuple):
    slug: str
    name: str
    label: str


class OfferSeed(NamedTuple):
    volunteer: str  # e-mail
    what: str
    pilot: str | None  # title
    idea: tuple[str, str] | None  # (challenge slug, idea title)


PARTNERS = [
    PartnerSeed("compagnons-batisseurs-ra", "Compagnons Bâtisseurs Rhône-Alpes", "Association"),
    PartnerSeed("amicale-tilleuls", "Amicale des locataires des Tilleuls", "Amicale de locataires"),
    PartnerSeed("centre-social-croix-rousse", "Centre social de la Croix-Rousse", "Centre social"),
]

# (e-mail, name, role, partner slug): the partners' people are participants.
PARTNER_MEMBERS = [
    (
        "compagnons@demo.fabrique.test",
        "Karim Animateur technique",
        Role.STAFF,
        "compagnons-batisseurs-ra",
    ),
    (
        "amicale@demo.fabrique.test",
        "Josette Présidente de l'amicale",
        Role.TENANT,
        "amicale-tilleuls",
    ),
    (
        "centre-social@demo.fabrique.test",
        "Élodie Référente familles",
        Role.STAFF,
        "centre-social-croix-rousse",
    ),
]

# Printed for the Compagnons' volunteers and staff (README: "a partner code").
PARTNER_CODE = ("COMPAGNONS26", "compagnons-batisseurs-ra", Role.STAFF, 20)

# The pilots partners co-lead with the landlord: title -> partner slugs.
CO_LED = {
    "Fête des voisins aux Tilleuls": ["amicale-tilleuls", "centre-social-croix-rousse"],
    "Jardinières partagées sur les balcons": ["compagnons-batisseurs-ra"],
}

OFFERS = [
    OfferSeed(
        "compagnons@demo.fabrique.test",
        "Encadrer un chantier d'auto-réhabilitation un samedi par mois, outils fournis.",
        "Jardinières partagées sur les balcons",
        None,
    ),
    OfferSeed(
        "locataire01@demo.fabrique.test",
        "Je peux arroser pendant les vacances et prêter ma perceuse.",
        "Jardinières partagées sur les balcons",
        None,
    ),
    OfferSeed(
        "amicale@demo.fabrique.test",
        "L'amicale peut accueillir chaque nouveau voisin avec un petit mot et un café.",
        None,
        ("accueil-nouveaux-locataires", "Un parrain ou une marraine dans l'immeuble"),
    ),
    OfferSeed(
        "locataire02@demo.fabrique.test",
        "Je parle arabe et français : je peux traduire le livret.",
        None,
        ("accueil-nouveaux-locataires", "Un parrain ou une marraine dans l'immeuble"),
    ),
]

# Tenants who ticked the newsletter's box.
NEWSLETTER_SUBSCRIBERS = [
    "locataire@demo.fabrique.test",
    "locataire01@demo.fabrique.test",
    "locataire04@demo.fabrique.test",
]

MESSAGE = {
    "residence": "Les Tilleuls",
    "subject": "Réunion d'information mardi 18 h",
    "body": (
        "Bonjour à toutes et à tous,\n\n"
        "Venez découvrir les projets pilotes de la résidence mardi à 18 h, dans la salle "
        "commune. L'amicale des locataires offre le café.\n\n"
        "À mardi !"
    ),
}
