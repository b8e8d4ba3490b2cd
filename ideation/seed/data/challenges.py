"""The demo's themes and challenges, one in each phase, and the earlier editions whose
winning ideas became pilots. Plain data; dates are days from today."""

from __future__ import annotations

from typing import NamedTuple

from ideation.domain.challenge_phases import Phase


class ChallengeSeed(NamedTuple):
    slug: str
    title: str
    summary: str
    description: str  # Markdown
    theme: str  # slug
    organisation: str | None  # slug; None: the whole region
    phase: Phase  # where the demo leaves it
    days: tuple[int, int, int]  # from today to: ideation end, voting start, voting end
    edition: str | None


class EditionSeed(NamedTuple):
    """A challenge of an earlier year: its vote is history, its winners are pilots."""

    slug: str
    edition: str
    title: str
    description: str
    theme: str
    organisation: str | None


THEMES = [
    ("lien-social-art-culture", "Lien social par l'art et la culture"),
    ("services-de-demain", "Services de demain"),
    ("emploi-insertion", "Emploi et insertion"),
    ("coproduction-habitat-participatif", "Co-production et habitat participatif"),
    ("eco-responsabilite-pedagogie", "Éco-responsabilité et pédagogie"),
    ("qualite-service-proximite", "Qualité de service de proximité"),
]

# Every idea-gathering period lasts this long before its end date.
IDEATION_DAYS = 45

CHALLENGES = [
    ChallengeSeed(
        slug="accueil-nouveaux-locataires",
        title="Comment mieux accueillir les nouveaux locataires ?",
        summary="Les premiers jours dans un logement comptent. Quelles idées pour que chacun se sente chez soi ?",
        description="Arriver dans une nouvelle résidence, c'est **beaucoup de questions** : qui appeler, où sont les poubelles, qui sont les voisins ?\n\nProposez vos idées, même toutes simples :\n\n- un geste de bienvenue\n- une information utile\n- un moment partagé",
        theme="qualite-service-proximite",
        organisation=None,
        phase=Phase.IDEATION,
        days=(12, 30, 40),
        edition="Fabrique 2026",
    ),
    ChallengeSeed(
        slug="proprete-parties-communes",
        title="Des parties communes propres : comment faire ensemble ?",
        summary="Halls, escaliers, locaux poubelles : vos idées pour des parties communes agréables pour tous.",
        description="Les gardiens et les locataires partagent les mêmes lieux. Comment **mieux s'organiser** et se respecter ?",
        theme="qualite-service-proximite",
        organisation="rhone-habitat",
        phase=Phase.IDEATION,
        days=(25, 35, 45),
        edition=None,
    ),
    ChallengeSeed(
        slug="jardins-partages",
        title="Où et comment créer des jardins partagés ?",
        summary="Des bacs sur un toit, un potager au pied des tours : imaginons les jardins de nos résidences.",
        description="Les idées sont **à l'étude** : les équipes vérifient ce qui est possible dans chaque résidence.",
        theme="eco-responsabilite-pedagogie",
        organisation=None,
        phase=Phase.REVIEW,
        days=(-3, 5, 20),
        edition="Fabrique 2026",
    ),
    ChallengeSeed(
        slug="economies-energie",
        title="Économiser l'énergie sans avoir froid",
        summary="Chauffage, eau chaude, lumière : quelles idées pour baisser les factures sans perdre en confort ?",
        description="Le vote est ouvert : **classez** les idées retenues, de votre préférée à la moins aimée.",
        theme="eco-responsabilite-pedagogie",
        organisation=None,
        phase=Phase.VOTING,
        days=(-20, -2, 9),
        edition="Fabrique 2026",
    ),
    ChallengeSeed(
        slug="lien-entre-voisins",
        title="Créer du lien entre voisins",
        summary="Se connaître, s'entraider, faire la fête : vos idées pour une résidence plus vivante.",
        description="Merci à toutes et tous ! Les **résultats** du vote sont publiés.",
        theme="lien-social-art-culture",
        organisation=None,
        phase=Phase.RESULTS,
        days=(-60, -40, -25),
        edition="Fabrique 2026",
    ),
    ChallengeSeed(
        slug="securite-des-halls",
        title="Des halls d'immeuble plus sûrs",
        summary="Éclairage, portes, interphones : comment se sentir en sécurité en rentrant chez soi ?",
        description="Défi en préparation avec les équipes d'Alpes Logis.",
        theme="services-de-demain",
        organisation="alpes-logis",
        phase=Phase.DRAFT,
        days=(40, 50, 60),
        edition=None,
    ),
    ChallengeSeed(
        slug="emploi-jeunes-quartier",
        title="Des petits boulots pour les jeunes du quartier",
        summary="Comment aider les jeunes de nos résidences à trouver un premier emploi ?",
        description="Défi de l'édition 2024, aujourd'hui terminé.",
        theme="emploi-insertion",
        organisation=None,
        phase=Phase.ARCHIVED,
        days=(-400, -380, -370),
        edition="Fabrique 2024",
    ),
]

EDITIONS = [
    EditionSeed(
        slug="cadre-de-vie-2024",
        edition="Fabrique 2024",
        title="Un cadre de vie plus agréable",
        description="Défi de l'édition 2024 : les idées lauréates sont devenues des projets pilotes.",
        theme="qualite-service-proximite",
        organisation="rhone-habitat",
    ),
    EditionSeed(
        slug="services-proximite-2025",
        edition="Fabrique 2025",
        title="Des services de proximité qui simplifient la vie",
        description="Défi de l'édition 2025 : ses lauréates sont suivies comme projets pilotes.",
        theme="services-de-demain",
        organisation=None,
    ),
]

# An earlier edition opened on 1 March of its year; days from then to: ideation end,
# voting start, voting end.
EDITION_OPENS = (3, 1)
EDITION_DAYS = (45, 60, 75)
