"""The demo's pilots: one in each status, one overdue, with budgets, indicators and
timelines. Two come from the demo's closed vote, the others from earlier editions.
Plain data; days count from today."""

from __future__ import annotations

from typing import NamedTuple

from ideation.domain.pilot_states import PilotStatus


class IndicatorSeed(NamedTuple):
    name: str
    unit: str
    baseline: str
    target: str


class StepSeed(NamedTuple):
    """A point d'étape."""

    days_ago: int
    text: str
    status: PilotStatus | None
    progress: int | None
    values: dict[str, str]  # indicator name -> value


class PilotSeed(NamedTuple):
    title: str
    origin: int | str  # rank among the winners of the demo's closed vote, or an edition's slug
    organisation: str  # slug
    owner: str  # e-mail
    residences: list[str]
    planned: tuple[int, int]  # start, end, in days from today
    budget_planned: str
    budget_spent: str
    indicators: list[IndicatorSeed]
    timeline: list[StepSeed]


# The demo's closed vote; its third winner is left for a facilitator to promote.
CLOSED_VOTE = "lien-entre-voisins"
STOP_REASON = "Aucune association partenaire et plus de local disponible."
# The demo tenant follows every pilot, so they see pilot notifications.
FOLLOWER = "locataire@demo.fabrique.test"

PILOTS = [
    PilotSeed(
        title="Fête des voisins aux Tilleuls",
        origin=0,
        organisation="rhone-habitat",
        owner="bailleur@demo.fabrique.test",
        residences=["Les Tilleuls"],
        planned=(-75, 120),
        budget_planned="4500.00",
        budget_spent="1830.40",
        indicators=[
            IndicatorSeed("Participants", "personnes", "0", "150"),
            IndicatorSeed("Voisins qui se connaissent", "%", "22", "50"),
        ],
        timeline=[
            StepSeed(
                70,
                "Le projet est lancé : un comité de locataires prépare la fête avec le gardien.",
                PilotStatus.PLANNED,
                10,
                {},
            ),
            StepSeed(
                40,
                "Tables, boissons et musique réservées. Les affiches sont dans les halls.",
                PilotStatus.RUNNING,
                35,
                {"Voisins qui se connaissent": "24"},
            ),
            StepSeed(
                7,
                "Première fête : **120 personnes** sont venues. Prochaine édition en septembre.",
                None,
                55,
                {"Participants": "120", "Voisins qui se connaissent": "31"},
            ),
        ],
    ),
    PilotSeed(
        title="Boîtes à livres dans les halls",
        origin=1,
        organisation="alpes-logis",
        owner="salarie.alpes@demo.fabrique.test",
        residences=["Les Glycines", "Le Belvédère"],
        planned=(30, 210),
        budget_planned="1200.00",
        budget_spent="0.00",
        indicators=[IndicatorSeed("Livres échangés", "livres", "0", "500")],
        timeline=[
            StepSeed(
                5,
                "Les menuisiers du chantier d'insertion fabriquent les boîtes.",
                PilotStatus.PLANNED,
                5,
                {},
            )
        ],
    ),
    PilotSeed(
        title="Jardinières partagées sur les balcons",
        origin="cadre-de-vie-2024",
        organisation="rhone-habitat",
        owner="bailleur@demo.fabrique.test",
        residences=["Le Clos des Canuts"],
        planned=(-500, -200),
        budget_planned="3200.00",
        budget_spent="3150.75",
        indicators=[IndicatorSeed("Balcons fleuris", "balcons", "3", "40")],
        timeline=[
            StepSeed(
                480,
                "Distribution des premières jardinières.",
                PilotStatus.PLANNED,
                15,
                {"Balcons fleuris": "8"},
            ),
            StepSeed(
                400,
                "Ateliers de plantation chaque samedi.",
                PilotStatus.RUNNING,
                50,
                {"Balcons fleuris": "26"},
            ),
            StepSeed(
                250,
                "Bilan avec les locataires : tout le monde veut continuer.",
                PilotStatus.EVALUATING,
                90,
                {"Balcons fleuris": "41"},
            ),
            StepSeed(
                120,
                "Le bailleur étend les jardinières à toutes ses résidences.",
                PilotStatus.GENERALISED,
                100,
                {},
            ),
        ],
    ),
    PilotSeed(
        title="Éclairage à détection dans les halls",
        origin="cadre-de-vie-2024",
        organisation="rhone-habitat",
        owner="salarie@demo.fabrique.test",
        residences=["Résidence Parilly"],
        planned=(-300, -20),
        budget_planned="18000.00",
        budget_spent="9400.00",
        indicators=[
            IndicatorSeed(
                "Consommation électrique des parties communes", "kWh/mois", "2100", "1300"
            )
        ],
        timeline=[
            StepSeed(290, "Devis validés, pose prévue au printemps.", PilotStatus.PLANNED, 10, {}),
            StepSeed(
                200,
                "Les détecteurs sont posés dans deux halls sur cinq.",
                PilotStatus.RUNNING,
                40,
                {"Consommation électrique des parties communes": "1850"},
            ),
            StepSeed(
                60,
                "Retard de livraison des détecteurs pour les trois derniers halls.",
                None,
                45,
                {"Consommation électrique des parties communes": "1790"},
            ),
        ],
    ),
    PilotSeed(
        title="Permanence numérique en pied d'immeuble",
        origin="services-proximite-2025",
        organisation="loire-foyers",
        owner="bailleur.loire@demo.fabrique.test",
        residences=["Cité Beaulieu"],
        planned=(-120, 60),
        budget_planned="6000.00",
        budget_spent="5200.00",
        indicators=[
            IndicatorSeed("Personnes aidées", "personnes", "0", "200"),
            IndicatorSeed("Satisfaction", "/10", "0", "8"),
        ],
        timeline=[
            StepSeed(110, "Une médiatrice numérique est recrutée.", PilotStatus.PLANNED, 20, {}),
            StepSeed(
                90,
                "Permanence chaque mardi dans la salle commune.",
                PilotStatus.RUNNING,
                60,
                {"Personnes aidées": "45"},
            ),
            StepSeed(
                15,
                "Fin de la période d'essai : enquête de satisfaction en cours.",
                PilotStatus.EVALUATING,
                85,
                {"Personnes aidées": "172", "Satisfaction": "8.4"},
            ),
        ],
    ),
    PilotSeed(
        title="Conciergerie solidaire",
        origin="services-proximite-2025",
        organisation="alpes-logis",
        owner="salarie.alpes@demo.fabrique.test",
        residences=["Les Charmettes"],
        planned=(-200, -30),
        budget_planned="9000.00",
        budget_spent="2100.00",
        indicators=[],
        timeline=[
            StepSeed(180, "Recherche d'une association partenaire.", PilotStatus.PLANNED, 10, {}),
            StepSeed(
                100,
                "Aucun partenaire trouvé ; le local prévu n'est plus disponible.",
                PilotStatus.STOPPED,
                None,
                {},
            ),
        ],
    ),
    PilotSeed(
        title="Atelier vélo mobile",
        origin="services-proximite-2025",
        organisation="loire-foyers",
        owner="bailleur.loire@demo.fabrique.test",
        residences=["Le Grand Pré"],
        planned=(45, 300),
        budget_planned="2500.00",
        budget_spent="0.00",
        indicators=[IndicatorSeed("Vélos réparés", "vélos", "0", "120")],
        timeline=[],
    ),
]

# The winning ideas of the earlier editions, written from the pilot's title.
EDITION_IDEA_SUMMARY = "{title}, pour tous les voisins."
EDITION_IDEA_BODY = "**Pourquoi ?** {title} : une idée votée par les habitants."
# The idea of each earlier ballot that did not win (a vote needs more ideas than winners).
EDITION_RUNNER_UP = "Un tableau des nouvelles de la résidence dans le hall"
PILOT_DESCRIPTION = "{summary}\n\nProjet mené par **{organisation}** avec les locataires."
