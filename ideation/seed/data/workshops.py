"""The demo's workshops: two already held (with their minutes), three to come (one full,
with a waiting list). Days count from today, times are Paris times."""

from __future__ import annotations

from typing import NamedTuple


class WorkshopSeed(NamedTuple):
    title: str
    description: str
    days_from_today: int
    starts: tuple[int, int]
    ends: tuple[int, int]
    residence: str | None  # a residence's name (its common room), or None: `address`
    room: str
    address: str
    capacity: int
    house: str  # slug
    challenges: list[str]  # slugs
    hosts: list[str]  # e-mails
    registrants: int  # tenants signed up, in the demo's round-robin
    present: int  # of whom checked in at the door (past workshops)
    minutes: str
    cancels: int = 0  # of the registered, how many gave their place back afterwards
    photo_alt: str = ""  # a photo of the session with the minutes (a drawn garden)


WORKSHOPS = [
    WorkshopSeed(
        title="Atelier jardin partagé aux Tilleuls",
        description=(
            "On imagine ensemble le **jardin partagé** au pied des immeubles : "
            "où le mettre, qui l'arrose l'été, que planter.\n\n"
            "- Café et gâteaux offerts\n- Venez avec vos enfants"
        ),
        days_from_today=-40,
        starts=(18, 0),
        ends=(20, 0),
        residence="Les Tilleuls",
        room="Salle commune, bâtiment B",
        address="",
        capacity=20,
        house="eco-responsabilite-pedagogie",
        challenges=["jardins-partages"],
        hosts=["animation@demo.fabrique.test", "salarie@demo.fabrique.test"],
        registrants=9,
        present=7,
        minutes=(
            "## Ce que nous avons décidé\n\n"
            "- Le jardin ira **derrière le bâtiment B**, là où il y a du soleil l'après-midi.\n"
            "- Huit familles s'occupent de l'arrosage, à tour de rôle, de juin à septembre.\n"
            "- Rhône Habitat Solidaire étudie l'arrivée d'eau avant la fin du mois.\n\n"
            "Prochaine étape : les idées sont sur le défi « Jardins partagés », "
            "venez les soutenir."
        ),
        photo_alt="L'emplacement choisi pour le jardin : des bacs en bois derrière le bâtiment B",
    ),
    WorkshopSeed(
        title="Rencontre accueil des nouveaux locataires",
        description=(
            "Comment accueillir ceux qui arrivent dans la résidence ? "
            "Un livret, un parrain, une visite : on en parle."
        ),
        days_from_today=-15,
        starts=(14, 30),
        ends=(16, 30),
        residence=None,
        room="",
        address="Maison de quartier des Buers, 17 rue Pierre-Joseph Proudhon, Villeurbanne",
        capacity=15,
        house="qualite-service-proximite",
        challenges=["accueil-nouveaux-locataires"],
        hosts=["animation@demo.fabrique.test"],
        registrants=8,
        present=6,
        minutes=(
            "Six locataires et deux gardiennes étaient là.\n\n"
            "- Idée forte : un **voisin parrain** pour chaque nouvelle famille.\n"
            "- Le livret d'accueil doit tenir sur une page, avec des dessins.\n"
        ),
    ),
    WorkshopSeed(
        title="Atelier économies d'énergie : nos astuces",
        description="Chacun apporte une astuce pour baisser sa facture. On les rassemble en affiche.",
        days_from_today=6,
        starts=(18, 30),
        ends=(20, 0),
        residence="Les Glycines",
        room="Salle commune",
        address="",
        capacity=6,
        house="eco-responsabilite-pedagogie",
        challenges=["economies-energie"],
        hosts=["animation@demo.fabrique.test", "salarie.alpes@demo.fabrique.test"],
        registrants=9,
        present=0,
        minutes="",
        cancels=1,
    ),
    WorkshopSeed(
        title="Café des voisins au Clos des Canuts",
        description="Un moment simple pour se rencontrer entre voisins et parler de la vie de la résidence.",
        days_from_today=13,
        starts=(10, 0),
        ends=(12, 0),
        residence="Le Clos des Canuts",
        room="Local associatif",
        address="",
        capacity=25,
        house="lien-social-art-culture",
        challenges=["lien-entre-voisins"],
        hosts=["animation@demo.fabrique.test"],
        registrants=5,
        present=0,
        minutes="",
    ),
    WorkshopSeed(
        title="Rencontre emploi des jeunes du quartier",
        description="Avec les partenaires de l'insertion : quels petits boulots dans nos résidences ?",
        days_from_today=24,
        starts=(17, 0),
        ends=(19, 0),
        residence="Cité Beaulieu",
        room="Salle polyvalente",
        address="",
        capacity=30,
        house="emploi-insertion",
        challenges=["emploi-jeunes-quartier"],
        hosts=["animation@demo.fabrique.test", "bailleur.loire@demo.fabrique.test"],
        registrants=4,
        present=0,
        minutes="",
    ),
]
