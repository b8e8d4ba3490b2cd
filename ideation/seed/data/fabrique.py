"""The demo's editions and the six houses of the village of "Fabrique 2026", the lessons
two pilots wrote down and the pilot a second landlord took up. Plain data."""

from __future__ import annotations

from typing import NamedTuple


class EditionSeed(NamedTuple):
    name: str
    starts: tuple[int, int, int]  # year, month, day
    ends: tuple[int, int, int]
    place: str
    description: str
    programme: str


class HouseSeed(NamedTuple):
    slug: str  # the demo's themes keep their addresses
    name: str
    description: str
    colour: str
    pictogram: str
    facilitators: list[str]  # e-mails
    partners: list[str]  # partner organisations' slugs (ideation/seed/data/engagement.py)


DEMO_EDITION = "Fabrique 2026"

EDITIONS = [
    EditionSeed(
        "Fabrique 2024",
        (2024, 3, 1),
        (2024, 3, 2),
        "Lyon, Halle Tony Garnier",
        "La deuxième édition : un cadre de vie plus agréable.",
        "",
    ),
    EditionSeed(
        "Fabrique 2025",
        (2025, 3, 1),
        (2025, 3, 1),
        "Grenoble, Maison des associations",
        "Une édition d'étape, consacrée aux services de proximité.",
        "",
    ),
    EditionSeed(
        DEMO_EDITION,
        (2026, 6, 11),
        (2026, 6, 12),
        "Villeurbanne, le village de la Fabrique, place Lazare-Goujon",
        (
            "Deux jours pour se rencontrer entre locataires, équipes des bailleurs et "
            "partenaires. Le village compte **six maisons** : chacune présente ce qui a été "
            "essayé, et chacun repart avec des idées à reprendre chez soi."
        ),
        (
            "- **Jeudi 11 juin**, 9 h 30 : ouverture du village, visite des six maisons\n"
            "- **Jeudi 11 juin**, 14 h : ateliers dans chaque maison\n"
            "- **Vendredi 12 juin**, 10 h : la bibliothèque des innovations, projets à reprendre\n"
            "- **Vendredi 12 juin**, 16 h : clôture et lancement des défis de l'édition"
        ),
    ),
]

HOUSES = [
    HouseSeed(
        "lien-social-art-culture",
        "Le lien social par l'art et la culture",
        "Chorales de quartier, fresques dans les halls, spectacles en pied d'immeuble : "
        "la culture pour se rencontrer entre voisins.",
        "#b3387a",
        "palette",
        ["animation@demo.fabrique.test"],
        ["centre-social-croix-rousse"],
    ),
    HouseSeed(
        "services-de-demain",
        "Les services de demain",
        "La bourse d'échange de logements entre locataires, la location active : trouver "
        "plus vite un logement qui convient.",
        "#1f5f9e",
        "cle",
        ["animation@demo.fabrique.test"],
        ["amicale-tilleuls"],
    ),
    HouseSeed(
        "emploi-insertion",
        "L'emploi et l'insertion",
        "L'insertion par l'activité économique et le recyclage solidaire du papier : "
        "des emplois au pied des immeubles.",
        "#a35a00",
        "recyclage",
        ["animation@demo.fabrique.test"],
        ["centre-social-croix-rousse"],
    ),
    HouseSeed(
        "coproduction-habitat-participatif",
        "La co-production",
        "L'auto-réhabilitation accompagnée, les partenariats avec les Compagnons Bâtisseurs, "
        "l'habitat participatif : faire avec les locataires, pas pour eux.",
        "#2e7d4f",
        "outils",
        ["animation@demo.fabrique.test"],
        ["compagnons-batisseurs-ra", "amicale-tilleuls"],
    ),
    HouseSeed(
        "eco-responsabilite-pedagogie",
        "Les besoins de chacun et l'éco-responsabilité",
        "Les appartements pédagogiques et les jeux éducatifs pour apprendre à économiser "
        "l'énergie et l'eau, à son rythme.",
        "#4d7c0f",
        "feuille",
        ["animation@demo.fabrique.test"],
        ["compagnons-batisseurs-ra"],
    ),
    HouseSeed(
        "qualite-service-proximite",
        "La qualité de service de proximité",
        "Propreté, accueil, réponses aux demandes : ce qui change la vie au quotidien.",
        "#5b4b8a",
        "poignee",
        ["animation@demo.fabrique.test"],
        ["amicale-tilleuls"],
    ),
]


class LessonsSeed(NamedTuple):
    title: str  # the pilot's
    lessons: str
    costs: str
    conditions: str


LESSONS = [
    LessonsSeed(
        "Jardinières partagées sur les balcons",
        "Les locataires arrosent mieux quand ils ont choisi eux-mêmes les plantes. "
        "Les jardinières en bois ont mieux tenu que celles en plastique.",
        "- 38 jardinières : 2 100 €\n- Terreau et graines : 450 €\n- Une demi-journée "
        "de gardien par mois",
        "- Un ou une locataire référente par étage\n- Un point d'eau accessible\n- "
        "L'accord du syndic pour les fixations",
    ),
    LessonsSeed(
        "Permanence numérique en pied d'immeuble",
        "Le mardi soir marche mieux que le samedi matin. Les jeunes du quartier aident "
        "volontiers leurs voisins âgés quand on le leur demande.",
        "Un local de 12 m², deux ordinateurs reconditionnés (300 €), quatre heures de "
        "médiation par semaine.",
        "Un local au rez-de-chaussée, une connexion fiable et une association partenaire.",
    ),
]

# A second landlord (Loire Foyers' manager) takes up the generalised pilot of Rhône Habitat.
ADOPTIONS = [("Jardinières partagées sur les balcons", "bailleur.loire@demo.fabrique.test")]
