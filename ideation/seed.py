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
            db.session.add(
                Residence(organisation=_org(org_slug), name=name, city=city, quartier=quartier)
            )
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
    accounts.append(
        (
            "salarie.alpes@demo.fabrique.test",
            "Hugo Chargé de clientèle",
            Role.STAFF,
            "alpes-logis",
            "Les Glycines",
        )
    )
    accounts.append(
        (
            "bailleur.loire@demo.fabrique.test",
            "Anne Perret (Loire Foyers)",
            Role.BAILLEUR,
            "loire-foyers",
            None,
        )
    )
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


# --- challenges and ideas -------------------------------------------------------------
# Each challenge and idea is found by a natural key (theme slug, challenge slug, idea
# title within its challenge) before being created. To add demo content, append to
# THEMES, CHALLENGES or IDEAS; shortlisted ideas are those marked "shortlisted".

THEMES = [
    ("lien-social-art-culture", "Lien social par l'art et la culture"),
    ("services-de-demain", "Services de demain"),
    ("emploi-insertion", "Emploi et insertion"),
    ("coproduction-habitat-participatif", "Co-production et habitat participatif"),
    ("eco-responsabilite-pedagogie", "Éco-responsabilité et pédagogie"),
    ("qualite-service-proximite", "Qualité de service de proximité"),
]

# slug, title, summary, description, theme, organisation (None: regional), phase, days
# from now to (ideation end, voting start, voting end), edition
CHALLENGES = [
    (
        "accueil-nouveaux-locataires",
        "Comment mieux accueillir les nouveaux locataires ?",
        "Les premiers jours dans un logement comptent. Quelles idées pour que chacun se sente chez soi ?",
        "Arriver dans une nouvelle résidence, c'est **beaucoup de questions** : qui appeler, où sont les "
        "poubelles, qui sont les voisins ?\n\nProposez vos idées, même toutes simples :\n\n"
        "- un geste de bienvenue\n- une information utile\n- un moment partagé",
        "qualite-service-proximite",
        None,
        "ideation",
        (12, 30, 40),
        "Fabrique 2026",
    ),
    (
        "proprete-parties-communes",
        "Des parties communes propres : comment faire ensemble ?",
        "Halls, escaliers, locaux poubelles : vos idées pour des parties communes agréables pour tous.",
        "Les gardiens et les locataires partagent les mêmes lieux. Comment **mieux s'organiser** "
        "et se respecter ?",
        "qualite-service-proximite",
        "rhone-habitat",
        "ideation",
        (25, 35, 45),
        None,
    ),
    (
        "jardins-partages",
        "Où et comment créer des jardins partagés ?",
        "Des bacs sur un toit, un potager au pied des tours : imaginons les jardins de nos résidences.",
        "Les idées sont **à l'étude** : les équipes vérifient ce qui est possible dans chaque résidence.",
        "eco-responsabilite-pedagogie",
        None,
        "review",
        (-3, 5, 20),
        "Fabrique 2026",
    ),
    (
        "economies-energie",
        "Économiser l'énergie sans avoir froid",
        "Chauffage, eau chaude, lumière : quelles idées pour baisser les factures sans perdre en confort ?",
        "Le vote est ouvert : **classez** les idées retenues, de votre préférée à la moins aimée.",
        "eco-responsabilite-pedagogie",
        None,
        "voting",
        (-20, -2, 9),
        "Fabrique 2026",
    ),
    (
        "lien-entre-voisins",
        "Créer du lien entre voisins",
        "Se connaître, s'entraider, faire la fête : vos idées pour une résidence plus vivante.",
        "Merci à toutes et tous ! Les **résultats** du vote sont publiés.",
        "lien-social-art-culture",
        None,
        "results",
        (-60, -40, -25),
        "Fabrique 2026",
    ),
    (
        "securite-des-halls",
        "Des halls d'immeuble plus sûrs",
        "Éclairage, portes, interphones : comment se sentir en sécurité en rentrant chez soi ?",
        "Défi en préparation avec les équipes d'Alpes Logis.",
        "services-de-demain",
        "alpes-logis",
        "draft",
        (40, 50, 60),
        None,
    ),
    (
        "emploi-jeunes-quartier",
        "Des petits boulots pour les jeunes du quartier",
        "Comment aider les jeunes de nos résidences à trouver un premier emploi ?",
        "Défi de l'édition 2024, aujourd'hui terminé.",
        "emploi-insertion",
        None,
        "archived",
        (-400, -380, -370),
        "Fabrique 2024",
    ),
]

# challenge slug -> [(author e-mail or None for round-robin, title, summary, status)]
IDEAS: dict[str, list[tuple[str | None, str, str, str]]] = {
    "accueil-nouveaux-locataires": [
        (
            "locataire@demo.fabrique.test",
            "Un livret d'accueil illustré",
            "Un petit livret avec des dessins : qui appeler, les jours des poubelles, les commerces proches.",
            "published",
        ),
        (
            "locataire@demo.fabrique.test",
            "Un parrain ou une marraine dans l'immeuble",
            "Un voisin volontaire accueille le nouvel arrivant et répond à ses questions le premier mois.",
            "submitted",
        ),
        (
            None,
            "Un goûter de bienvenue chaque trimestre",
            "Tous les trois mois, un goûter dans le hall pour présenter les nouveaux voisins.",
            "published",
        ),
        (
            None,
            "Guide de bienvenue pour les nouveaux arrivants",
            "Un guide simple, traduit en plusieurs langues, remis avec les clés.",
            "published",
        ),
        (
            None,
            "Visite de la résidence avec le gardien",
            "Le jour de l'arrivée, le gardien montre les locaux, les compteurs et les poubelles.",
            "published",
        ),
        (
            None,
            "Un panneau avec les photos des gardiens",
            "Dans le hall, un panneau avec les visages et les horaires de l'équipe de proximité.",
            "published",
        ),
        (
            None,
            "Des clés remises avec un sourire et un café",
            "Remettre les clés dans un vrai moment d'accueil, pas entre deux portes.",
            "published",
        ),
        (
            None,
            "Une appli pour signaler les pannes dès le premier jour",
            "Montrer aux nouveaux comment signaler une panne sur leur téléphone.",
            "published",
        ),
        (
            None,
            "Un kit ampoules et joints offert",
            "Un petit kit pour les premières réparations, avec une fiche explicative.",
            "published",
        ),
        (
            None,
            "Présenter les associations du quartier",
            "Une liste des associations, des maisons de quartier et des permanences utiles.",
            "published",
        ),
        (
            None,
            "Un atelier « bien vivre dans son logement »",
            "Un atelier pour apprendre à aérer, chauffer et entretenir son logement.",
            "published",
        ),
        (
            None,
            "Des étiquettes claires sur les boîtes aux lettres",
            "Mettre les noms sur les boîtes aux lettres dès l'arrivée, pour recevoir son courrier.",
            "published",
        ),
        (
            "salarie@demo.fabrique.test",
            "Un appel du gardien après un mois",
            "Un mois après l'arrivée, le gardien appelle pour savoir si tout va bien.",
            "published",
        ),
        (
            None,
            "Un repas partagé pour les nouveaux",
            "Chacun apporte un plat de chez lui : on se découvre en mangeant.",
            "draft",
        ),
    ],
    "proprete-parties-communes": [
        (
            "locataire@demo.fabrique.test",
            "Des affiches rigolotes dans le local poubelles",
            "Des affiches dessinées par les enfants pour rappeler le tri et le respect du local.",
            "published",
        ),
        (
            None,
            "Une journée de nettoyage entre voisins",
            "Deux fois par an, on nettoie ensemble les abords de la résidence, avec un repas après.",
            "published",
        ),
        (
            None,
            "Plus de poubelles de tri près des entrées",
            "Installer des bacs jaunes et verts plus proches des halls.",
            "published",
        ),
        (
            None,
            "Un planning de ménage affiché",
            "Afficher les jours de passage de l'entreprise de ménage, pour savoir quand c'est fait.",
            "published",
        ),
        (
            None,
            "Signaler les encombrants en photo",
            "Prendre en photo un encombrant et l'envoyer au gardien pour qu'il soit enlevé vite.",
            "published",
        ),
        (
            None,
            "Des tapis à l'entrée des halls",
            "De grands tapis pour garder les escaliers propres les jours de pluie.",
            "published",
        ),
        (
            None,
            "Un coin pour déposer les objets à donner",
            "Une étagère dans le hall où l'on dépose ce qui peut servir aux voisins.",
            "published",
        ),
        (
            None,
            "Des cendriers devant les portes",
            "Pour que les mégots ne finissent plus par terre devant l'entrée.",
            "published",
        ),
        (
            "salarie@demo.fabrique.test",
            "Des visites du gardien avec les locataires relais",
            "Une fois par mois, le gardien fait le tour avec un locataire pour noter ce qui ne va pas.",
            "published",
        ),
        (
            None,
            "Des bacs à compost au pied de l'immeuble",
            "Réduire les déchets des poubelles en compostant les épluchures.",
            "submitted",
        ),
    ],
    "jardins-partages": [
        (
            None,
            "Des bacs potagers sur le toit",
            "Utiliser les toits plats pour des bacs de légumes et d'herbes.",
            "published",
        ),
        (
            None,
            "Un jardin partagé au pied des tours",
            "Transformer la pelouse inutilisée en potager pour tous.",
            "published",
        ),
        (
            None,
            "Des ateliers jardinage avec l'école",
            "Les enfants de l'école voisine viennent planter avec les habitants.",
            "published",
        ),
        (
            None,
            "Un composteur collectif",
            "Un composteur géré par des voisins volontaires, pour nourrir le jardin.",
            "published",
        ),
        (
            None,
            "Des arbres fruitiers dans la cour",
            "Planter des pommiers et des cerisiers que tout le monde peut cueillir.",
            "published",
        ),
        (
            None,
            "Une grainothèque dans le hall",
            "Une boîte pour échanger des graines entre voisins.",
            "published",
        ),
        (
            None,
            "Récupérer l'eau de pluie",
            "Des cuves pour arroser le jardin sans payer l'eau.",
            "published",
        ),
        (
            None,
            "Des jardinières aux fenêtres",
            "Offrir des jardinières aux locataires qui veulent fleurir leur balcon.",
            "published",
        ),
        (
            None,
            "Un jardin pour les personnes âgées",
            "Des bacs surélevés pour jardiner sans se baisser.",
            "published",
        ),
        (
            None,
            "Un poulailler partagé",
            "Quelques poules nourries avec les restes, et des œufs pour tous.",
            "published",
        ),
    ],
    "economies-energie": [
        (
            None,
            "Des ateliers « éco-gestes »",
            "Apprendre ensemble les gestes simples qui font baisser la facture.",
            "shortlisted",
        ),
        (
            None,
            "Des rideaux épais offerts",
            "Des rideaux thermiques pour garder la chaleur la nuit.",
            "shortlisted",
        ),
        (
            None,
            "Un défi entre résidences",
            "La résidence qui économise le plus gagne une fête payée par le bailleur.",
            "shortlisted",
        ),
        (
            None,
            "Des ampoules LED pour tous",
            "Remplacer gratuitement les vieilles ampoules par des LED.",
            "shortlisted",
        ),
        (
            None,
            "Un thermomètre dans chaque logement",
            "Pour savoir quand il faut vraiment chauffer.",
            "shortlisted",
        ),
        (
            None,
            "Des boudins de porte faits par les voisins",
            "Un atelier couture pour fabriquer des boudins anti-courants d'air.",
            "shortlisted",
        ),
        (
            None,
            "Éteindre l'éclairage des halls la nuit",
            "Des détecteurs de présence au lieu de lumières allumées toute la nuit.",
            "published",
        ),
        (
            None,
            "Un suivi de consommation sur papier",
            "Une feuille chaque mois avec sa consommation, comparée à l'an dernier.",
            "published",
        ),
    ],
    "lien-entre-voisins": [
        (
            None,
            "Une fête des voisins dans chaque résidence",
            "Le bailleur prête des tables et offre les boissons.",
            "shortlisted",
        ),
        (
            None,
            "Une boîte à livres dans le hall",
            "Échanger des livres, des BD et des magazines.",
            "shortlisted",
        ),
        (
            None,
            "Un repair café une fois par mois",
            "Réparer ensemble grille-pain, vélos et vêtements.",
            "shortlisted",
        ),
        (
            None,
            "Des ateliers cuisine du monde",
            "Chacun montre une recette de son pays.",
            "shortlisted",
        ),
        (
            None,
            "Une fresque peinte par les habitants",
            "Un artiste aide les habitants à peindre un mur de la résidence.",
            "shortlisted",
        ),
        (
            None,
            "Un tableau d'entraide",
            "Un panneau où l'on propose ou demande un coup de main.",
            "published",
        ),
        (
            None,
            "Des sorties culturelles en groupe",
            "Aller au musée ou au théâtre ensemble, à petit prix.",
            "published",
        ),
        (
            None,
            "Une chorale de quartier",
            "Chanter ensemble une fois par semaine dans la salle commune.",
            "published",
        ),
    ],
    "emploi-jeunes-quartier": [
        (
            None,
            "Des stages chez les prestataires du bailleur",
            "Les entreprises qui travaillent pour le bailleur prennent des jeunes en stage.",
            "published",
        ),
        (
            None,
            "Un job d'été à l'entretien des espaces verts",
            "Des contrats d'été pour entretenir les jardins des résidences.",
            "published",
        ),
        (
            None,
            "Des ateliers CV avec des bénévoles",
            "Des voisins retraités aident les jeunes à écrire leur CV.",
            "published",
        ),
        (
            None,
            "Un forum de l'emploi dans la salle commune",
            "Les entreprises du quartier viennent rencontrer les jeunes.",
            "published",
        ),
        (
            None,
            "Des chantiers éducatifs de peinture",
            "Repeindre les halls avec des jeunes payés et encadrés.",
            "published",
        ),
        (
            None,
            "Un annuaire des métiers des voisins",
            "Les habitants présentent leur métier aux jeunes qui cherchent leur voie.",
            "published",
        ),
    ],
}


def _theme(slug: str):  # type: ignore[no-untyped-def]
    from ideation.challenges.models import Theme

    return db.session.scalar(select(Theme).where(Theme.slug == slug))


@step
def seed_themes() -> None:
    from ideation.challenges.models import Theme

    for position, (slug, name) in enumerate(THEMES):
        if _theme(slug) is None:
            db.session.add(Theme(slug=slug, name=name, position=position))
    db.session.flush()


@step
def seed_challenges() -> None:
    from ideation.challenges.models import Challenge
    from ideation.core.sanitize import render_markdown
    from ideation.domain.challenge_phases import Phase

    now = utcnow().replace(hour=22, minute=0, second=0, microsecond=0)  # Paris midnight, roughly
    creator = db.session.scalar(select(User).where(User.email == "animation@demo.fabrique.test"))
    for slug, title, summary, description, theme, org_slug, phase, days, edition in CHALLENGES:
        if db.session.scalar(select(Challenge).where(Challenge.slug == slug)) is not None:
            continue
        ideation_end, voting_start, voting_end = (now + timedelta(days=d) for d in days)
        db.session.add(
            Challenge(
                slug=slug,
                title=title,
                summary=summary,
                description_source=description,
                description_html=render_markdown(description),
                theme=_theme(theme),
                organisation=_org(org_slug) if org_slug else None,
                edition=edition,
                phase=Phase(phase),
                premoderation=True,
                ideation_starts_at=ideation_end - timedelta(days=45),
                ideation_ends_at=ideation_end,
                voting_starts_at=voting_start,
                voting_ends_at=voting_end,
                created_by_id=creator.id if creator else None,
                published_at=None if phase == "draft" else ideation_end - timedelta(days=45),
            )
        )
    db.session.flush()


@step
def seed_ideas() -> None:
    from ideation.challenges.models import Challenge
    from ideation.core.sanitize import plain_text, render_markdown
    from ideation.domain.idea_states import IdeaStatus
    from ideation.ideas.models import Idea, Support

    rng = random.Random(3)
    users = {u.email: u for u in db.session.scalars(select(User))}
    tenants = sorted((u for u in users.values() if u.role == Role.TENANT), key=lambda u: u.email)
    now = utcnow()
    for slug, rows in IDEAS.items():
        challenge = db.session.scalar(select(Challenge).where(Challenge.slug == slug))
        if challenge is None:
            continue
        pool = [
            u
            for u in tenants
            if challenge.organisation_id in (None, u.organisation_id)
            and u.email != "locataire@demo.fabrique.test"
        ]
        for n, (email, title, summary, status) in enumerate(rows):
            idea = db.session.scalar(
                select(Idea).where(Idea.challenge_id == challenge.id, Idea.title == title)
            )
            if idea is None:
                author = users.get(email) if email else pool[(n * 7 + len(slug)) % len(pool)]
                body = f"**Pourquoi ?** {summary}\n\n- facile à lancer\n- utile à tous les voisins"
                html = render_markdown(body)
                created = now - timedelta(days=40 - n)
                idea = Idea(
                    challenge=challenge,
                    author_id=author.id,
                    title=title,
                    summary=summary,
                    body_source=body,
                    body_html=html,
                    body_text=plain_text(html),
                    theme_id=challenge.theme_id,
                    residence_id=author.residence_id,
                    status=IdeaStatus(status),
                    created_at=created,
                    submitted_at=None if status == "draft" else created,
                    published_at=created if status in {"published", "shortlisted"} else None,
                )
                db.session.add(idea)
                db.session.flush()
                # Supports only with a new idea: a second run adds nothing.
                if idea.status in {IdeaStatus.PUBLISHED, IdeaStatus.SHORTLISTED}:
                    backers = rng.sample(
                        [u for u in pool if u.id != idea.author_id], k=rng.randrange(0, 12)
                    )
                    for user in backers:
                        db.session.add(Support(idea_id=idea.id, user_id=user.id))
                    idea.supports_count = len(backers)
    db.session.flush()


# --- ranked vote (issue 5) ------------------------------------------------------------
# In the open vote most demo tenants have voted, but not locataire@demo.fabrique.test,
# so a newcomer can try the ballot; the challenge in its results phase gets ballots and
# is closed through close_vote, so its result, statuses and e-mails are the real ones.

VOTE_SEEDS = ("economies-energie", "lien-entre-voisins")
NON_VOTER = "locataire@demo.fabrique.test"


def _demo_ranking(rng: random.Random, ids: list[int], cap: int | None) -> list[list[int]]:
    # Preferences lean towards a couple of ideas, so the result has a clear story.
    weights = {idea_id: 1.0 + (len(ids) - n) * 0.6 for n, idea_id in enumerate(ids)}
    order = sorted(ids, key=lambda i: -weights[i] * rng.random())
    length = rng.randint(1, min(len(ids), cap or len(ids)))
    return [[i] for i in order[:length]]


@step
def seed_ballots() -> None:
    from ideation.challenges.models import Challenge
    from ideation.domain.permissions import in_vote_scope
    from ideation.voting.models import Ballot
    from ideation.voting.services import (
        close_vote,
        get_ballot,
        get_result,
        new_receipt,
        shortlisted,
    )

    for slug in VOTE_SEEDS:
        challenge = db.session.scalar(select(Challenge).where(Challenge.slug == slug))
        if challenge is None or get_result(challenge.id) is not None:
            continue
        ids = [idea.id for idea in shortlisted(challenge.id)]
        if not ids:
            continue
        rng = random.Random(f"vote-{slug}")
        tenants = db.session.scalars(
            select(User)
            .where(User.role == Role.TENANT, User.email != NON_VOTER)
            .order_by(User.email)
        ).all()
        voters = [u for u in tenants if in_vote_scope(u.actor, challenge.scope)]
        voters = voters[: max(1, len(voters) * 5 // 6)]  # most of them, not all
        for user in voters:
            if get_ballot(challenge.id, user.id) is None:
                db.session.add(
                    Ballot(
                        challenge_id=challenge.id,
                        voter_id=user.id,
                        ranking=_demo_ranking(rng, ids, challenge.vote_max_ranks),
                        receipt=new_receipt(),
                    )
                )
        db.session.flush()
        if challenge.phase.value in {"results", "archived"}:
            close_vote(challenge)
    db.session.flush()


# --- pilots (issue 6) -------------------------------------------------------------------
# Pilots in every status, with timelines, indicators and budgets; one overdue. Two come
# from the demo's closed vote (its winners, once close_vote has run; the third winner is
# left for a facilitator to promote), the others from earlier editions. Found again by
# their title, so a second run adds nothing. locataire@demo.fabrique.test follows them
# all, so the demo tenant sees pilot notifications.

EDITIONS = [
    (
        "cadre-de-vie-2024",
        "Fabrique 2024",
        "Un cadre de vie plus agréable",
        "Défi de l'édition 2024 : les idées lauréates sont devenues des projets pilotes.",
        "qualite-service-proximite",
        "rhone-habitat",
    ),
    (
        "services-proximite-2025",
        "Fabrique 2025",
        "Des services de proximité qui simplifient la vie",
        "Défi de l'édition 2025 : ses lauréates sont suivies comme projets pilotes.",
        "services-de-demain",
        None,
    ),
]

# title, edition challenge slug (None: a winner of the demo vote, by rank), organisation,
# owner e-mail, residences, (start, end) in days from today, budget planned/spent,
# indicators (name, unit, baseline, target), timeline [(days ago, text, status, progress, {indicator: value})]
PILOTS = [
    (
        "Fête des voisins aux Tilleuls",
        0,
        "rhone-habitat",
        "bailleur@demo.fabrique.test",
        ["Les Tilleuls"],
        (-75, 120),
        "4500.00",
        "1830.40",
        [
            ("Participants", "personnes", "0", "150"),
            ("Voisins qui se connaissent", "%", "22", "50"),
        ],
        [
            (
                70,
                "Le projet est lancé : un comité de locataires prépare la fête avec le gardien.",
                "planned",
                10,
                {},
            ),
            (
                40,
                "Tables, boissons et musique réservées. Les affiches sont dans les halls.",
                "running",
                35,
                {"Voisins qui se connaissent": "24"},
            ),
            (
                7,
                "Première fête : **120 personnes** sont venues. Prochaine édition en septembre.",
                None,
                55,
                {"Participants": "120", "Voisins qui se connaissent": "31"},
            ),
        ],
    ),
    (
        "Boîtes à livres dans les halls",
        1,
        "alpes-logis",
        "salarie.alpes@demo.fabrique.test",
        ["Les Glycines", "Le Belvédère"],
        (30, 210),
        "1200.00",
        "0.00",
        [("Livres échangés", "livres", "0", "500")],
        [(5, "Les menuisiers du chantier d'insertion fabriquent les boîtes.", "planned", 5, {})],
    ),
    (
        "Jardinières partagées sur les balcons",
        "cadre-de-vie-2024",
        "rhone-habitat",
        "bailleur@demo.fabrique.test",
        ["Le Clos des Canuts"],
        (-500, -200),
        "3200.00",
        "3150.75",
        [("Balcons fleuris", "balcons", "3", "40")],
        [
            (
                480,
                "Distribution des premières jardinières.",
                "planned",
                15,
                {"Balcons fleuris": "8"},
            ),
            (
                400,
                "Ateliers de plantation chaque samedi.",
                "running",
                50,
                {"Balcons fleuris": "26"},
            ),
            (
                250,
                "Bilan avec les locataires : tout le monde veut continuer.",
                "evaluating",
                90,
                {"Balcons fleuris": "41"},
            ),
            (
                120,
                "Le bailleur étend les jardinières à toutes ses résidences.",
                "generalised",
                100,
                {},
            ),
        ],
    ),
    (
        "Éclairage à détection dans les halls",
        "cadre-de-vie-2024",
        "rhone-habitat",
        "salarie@demo.fabrique.test",
        ["Résidence Parilly"],
        (-300, -20),
        "18000.00",
        "9400.00",
        [("Consommation électrique des parties communes", "kWh/mois", "2100", "1300")],
        [
            (290, "Devis validés, pose prévue au printemps.", "planned", 10, {}),
            (
                200,
                "Les détecteurs sont posés dans deux halls sur cinq.",
                "running",
                40,
                {"Consommation électrique des parties communes": "1850"},
            ),
            (
                60,
                "Retard de livraison des détecteurs pour les trois derniers halls.",
                None,
                45,
                {"Consommation électrique des parties communes": "1790"},
            ),
        ],
    ),
    (
        "Permanence numérique en pied d'immeuble",
        "services-proximite-2025",
        "loire-foyers",
        "bailleur.loire@demo.fabrique.test",
        ["Cité Beaulieu"],
        (-120, 60),
        "6000.00",
        "5200.00",
        [("Personnes aidées", "personnes", "0", "200"), ("Satisfaction", "/10", "0", "8")],
        [
            (110, "Une médiatrice numérique est recrutée.", "planned", 20, {}),
            (
                90,
                "Permanence chaque mardi dans la salle commune.",
                "running",
                60,
                {"Personnes aidées": "45"},
            ),
            (
                15,
                "Fin de la période d'essai : enquête de satisfaction en cours.",
                "evaluating",
                85,
                {"Personnes aidées": "172", "Satisfaction": "8.4"},
            ),
        ],
    ),
    (
        "Conciergerie solidaire",
        "services-proximite-2025",
        "alpes-logis",
        "salarie.alpes@demo.fabrique.test",
        ["Les Charmettes"],
        (-200, -30),
        "9000.00",
        "2100.00",
        [],
        [
            (180, "Recherche d'une association partenaire.", "planned", 10, {}),
            (
                100,
                "Aucun partenaire trouvé ; le local prévu n'est plus disponible.",
                "stopped",
                None,
                {},
            ),
        ],
    ),
    (
        "Atelier vélo mobile",
        "services-proximite-2025",
        "loire-foyers",
        "bailleur.loire@demo.fabrique.test",
        ["Le Grand Pré"],
        (45, 300),
        "2500.00",
        "0.00",
        [("Vélos réparés", "vélos", "0", "120")],
        [],
    ),
]
STOP_REASON = "Aucune association partenaire et plus de local disponible."


def _edition_idea(slug: str, title: str):  # type: ignore[no-untyped-def]
    """An idea of an earlier edition's challenge (created piloted: its vote is history)."""
    from ideation.challenges.models import Challenge
    from ideation.core.sanitize import plain_text, render_markdown
    from ideation.domain.challenge_phases import Phase
    from ideation.domain.idea_states import IdeaStatus
    from ideation.ideas.models import Idea

    challenge = db.session.scalar(select(Challenge).where(Challenge.slug == slug))
    if challenge is None:
        _, edition, ctitle, description, theme, org_slug = next(e for e in EDITIONS if e[0] == slug)
        year = int(edition[-4:])
        start = utcnow().replace(
            year=year, month=3, day=1, hour=0, minute=0, second=0, microsecond=0
        )
        challenge = Challenge(
            slug=slug,
            title=ctitle,
            summary=description,
            description_source=description,
            description_html=render_markdown(description),
            theme=_theme(theme),
            organisation=_org(org_slug) if org_slug else None,
            edition=edition,
            phase=Phase.ARCHIVED,
            ideation_starts_at=start,
            ideation_ends_at=start + timedelta(days=45),
            voting_starts_at=start + timedelta(days=60),
            voting_ends_at=start + timedelta(days=75),
            published_at=start,
        )
        db.session.add(challenge)
        db.session.flush()
    idea = db.session.scalar(
        select(Idea).where(Idea.challenge_id == challenge.id, Idea.title == title)
    )
    if idea is None:
        tenants = db.session.scalars(
            select(User).where(User.role == Role.TENANT).order_by(User.email)
        ).all()
        author = tenants[len(title) % len(tenants)]
        body = f"**Pourquoi ?** {title} : une idée votée par les habitants."
        html = render_markdown(body)
        idea = Idea(
            challenge=challenge,
            author_id=author.id,
            title=title,
            summary=f"{title}, pour tous les voisins.",
            body_source=body,
            body_html=html,
            body_text=plain_text(html),
            theme_id=challenge.theme_id,
            status=IdeaStatus.SELECTED,
            submitted_at=challenge.ideation_starts_at,
            published_at=challenge.ideation_starts_at,
        )
        db.session.add(idea)
        db.session.flush()
    return idea


def _vote_winner(rank: int):  # type: ignore[no-untyped-def]
    """The rank-th winner of the demo's closed vote, if it has been closed (else None)."""
    from ideation.challenges.models import Challenge
    from ideation.ideas.models import Idea
    from ideation.voting.models import VoteResult

    result = db.session.scalar(
        select(VoteResult).join(Challenge).where(Challenge.slug == "lien-entre-voisins")
    )
    if result is None or rank >= len(result.winners):
        return None
    return db.session.get(Idea, result.winners[rank])


@step
def seed_pilots() -> None:
    from decimal import Decimal

    from flask import current_app, has_request_context

    from ideation.core.sanitize import render_markdown
    from ideation.core.time import today
    from ideation.domain.pilot_states import PilotStatus, next_status
    from ideation.pilots.models import Indicator, IndicatorValue, Pilot, PilotUpdate
    from ideation.pilots.services import PilotData, add_followers, notify_followers, promote

    if not has_request_context():  # from `flask seed-demo`: links in notifications need a request
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            return seed_pilots()
    users = {u.email: u for u in db.session.scalars(select(User))}
    facilitator = users.get("animation@demo.fabrique.test")
    tenant = users.get("locataire@demo.fabrique.test")
    day = today()
    for title, origin, org_slug, owner_email, residences, (
        start,
        end,
    ), planned, spent, indicators, timeline in PILOTS:
        if db.session.scalar(select(Pilot.id).where(Pilot.title == title)) is not None:
            continue
        idea = _vote_winner(origin) if isinstance(origin, int) else _edition_idea(origin, title)
        if idea is None or facilitator is None:
            continue  # the demo vote is not closed yet: seed again after it
        org = _org(org_slug)
        owner = users.get(owner_email)
        pilot = promote(
            idea,
            facilitator,
            PilotData(
                title=title,
                description=f"{idea.summary}\n\nProjet mené par **{org.name}** avec les locataires.",
                organisation_id=org.id,
                residence_ids=[_residence(r).id for r in residences],
                owner_id=owner.id if owner else None,
                planned_start=day + timedelta(days=start),
                planned_end=day + timedelta(days=end),
                budget_planned=Decimal(planned),
                budget_spent=Decimal(spent),
            ),
        )
        if tenant is not None:
            add_followers(pilot.id, [tenant.id])
        by_name = {}
        for name, unit, baseline, target in indicators:
            indicator = Indicator(
                pilot_id=pilot.id,
                name=name,
                unit=unit,
                baseline=Decimal(baseline),
                target=Decimal(target),
            )
            db.session.add(indicator)
            db.session.flush()
            by_name[name] = indicator
        update = None
        for days_ago, text, status, progress, values in sorted(timeline, key=lambda t: -t[0]):
            target = None
            if status:
                target = next_status(pilot.status, PilotStatus(status), STOP_REASON)
                pilot.status = target
                if target == PilotStatus.STOPPED:
                    pilot.status_reason = STOP_REASON
            if progress is not None:
                pilot.progress = progress
            update = PilotUpdate(
                pilot_id=pilot.id,
                author_id=owner.id if owner else None,
                happened_on=day - timedelta(days=days_ago),
                body_source=text,
                body_html=render_markdown(text),
                new_status=target,
                new_progress=progress,
            )
            db.session.add(update)
            db.session.flush()
            for name, value in values.items():
                db.session.add(
                    IndicatorValue(
                        indicator_id=by_name[name].id,
                        update_id=update.id,
                        measured_on=update.happened_on,
                        value=Decimal(value),
                    )
                )
        db.session.flush()
        if update is not None and owner is not None:
            notify_followers(pilot, update, owner)  # the latest news reaches the followers
    db.session.flush()


# --- comments, reports and moderation (issue 4) ------------------------------------------
# Comments are found by (idea, author, text), reports by (reporter, item), answers by idea;
# a merged or shortlisted idea is left alone once its status changed. Everything goes
# through the services, so the audit log and the notifications are real too. The demo
# facilitator finds pending ideas and reported items in the queue.

# (challenge slug, idea title, author e-mail, text, replies [(author e-mail, text)])
DEMO_COMMENTS = [
    (
        "accueil-nouveaux-locataires",
        "Un livret d'accueil illustré",
        "locataire01@demo.fabrique.test",
        "Très bonne idée ! Avec des **dessins**, tout le monde comprend, même sans bien lire le français.",
        [
            (
                "locataire@demo.fabrique.test",
                "Merci ! On pourrait demander aux enfants de la résidence de faire les dessins.",
            ),
            (
                "salarie@demo.fabrique.test",
                "Je peux aider à lister les numéros utiles et les horaires de la loge.",
            ),
        ],
    ),
    (
        "accueil-nouveaux-locataires",
        "Un livret d'accueil illustré",
        "locataire09@demo.fabrique.test",
        "Il faudrait aussi le traduire : arabe, turc, portugais au moins.",
        [],
    ),
    (
        "accueil-nouveaux-locataires",
        "Un goûter de bienvenue chaque trimestre",
        "locataire@demo.fabrique.test",
        "Je viendrai avec un gâteau ! Le samedi après-midi, c'est le mieux pour les familles.",
        [
            (
                "locataire17@demo.fabrique.test",
                "Le samedi me va aussi. Et pourquoi pas dans la cour s'il fait beau ?",
            )
        ],
    ),
    (
        "accueil-nouveaux-locataires",
        "Un kit ampoules et joints offert",
        "locataire25@demo.fabrique.test",
        "Bonne idée, mais il faut une fiche avec des images pour savoir quoi changer.",
        [],
    ),
    (
        "proprete-parties-communes",
        "Une journée de nettoyage entre voisins",
        "locataire@demo.fabrique.test",
        "Partante ! On pourrait finir par un pique-nique.",
        [],
    ),
    (
        "jardins-partages",
        "Un jardin partagé au pied des tours",
        "locataire01@demo.fabrique.test",
        "Attention à laisser un passage pour les poussettes et les fauteuils.",
        [],
    ),
]
# A comment hidden after three reports, and items with open reports below the threshold.
HIDDEN_COMMENT = (
    "accueil-nouveaux-locataires",
    "Un kit ampoules et joints offert",
    "locataire33@demo.fabrique.test",
    "Vous êtes tous des profiteurs, encore une idée pour rien.",
)
HIDDEN_REPORTERS = [
    "locataire01@demo.fabrique.test",
    "locataire09@demo.fabrique.test",
    "locataire17@demo.fabrique.test",
]
SPAM_COMMENT = (
    "accueil-nouveaux-locataires",
    "Un kit ampoules et joints offert",
    "locataire25@demo.fabrique.test",
    "Promo sur les ampoules : appelez le 06 12 34 56 78, livraison gratuite !",
)
SPAM_REPORTERS = [
    ("locataire@demo.fabrique.test", "spam", "C'est de la publicité."),
    ("locataire09@demo.fabrique.test", "personal_data", "Un numéro de téléphone est affiché."),
]
REPORTED_IDEA = (
    "accueil-nouveaux-locataires",
    "Des étiquettes claires sur les boîtes aux lettres",
    "locataire17@demo.fabrique.test",
    "off_topic",
    "C'est déjà fait dans ma résidence.",
)
MERGE = (
    "accueil-nouveaux-locataires",
    "Guide de bienvenue pour les nouveaux arrivants",
    "Un livret d'accueil illustré",
    "Les deux idées proposent un livret remis à l'arrivée : nous les regroupons pour additionner vos soutiens.",
)
# The challenge under review: ideas retained for the vote, with the team's answer.
SHORTLIST = [
    (
        "Un jardin partagé au pied des tours",
        "Retenue : la pelouse des Tilleuls et celle de Parilly conviennent. Les services techniques ont donné leur accord.",
    ),
    (
        "Des bacs potagers sur le toit",
        "Retenue pour les trois résidences aux **toits plats**, avec un accès sécurisé à prévoir.",
    ),
    (
        "Un composteur collectif",
        "Retenue : le Grand Lyon prête les bacs et forme deux voisins référents.",
    ),
    (
        "Des ateliers jardinage avec l'école",
        "Retenue : deux écoles voisines sont partantes pour le printemps.",
    ),
]
ANSWERED = (
    "accueil-nouveaux-locataires",
    "Un livret d'accueil illustré",
    "Merci pour cette idée et pour vos commentaires ! L'équipe prépare une **maquette** avec les enfants "
    "de l'atelier dessin.",
)


def _demo_idea(slug: str, title: str):  # type: ignore[no-untyped-def]
    from ideation.challenges.models import Challenge
    from ideation.ideas.models import Idea

    return db.session.scalar(
        select(Idea).join(Challenge).where(Challenge.slug == slug, Idea.title == title)
    )


def _demo_comment(idea, author, text, parent=None):  # type: ignore[no-untyped-def]
    from ideation.comments.models import Comment
    from ideation.comments.services import add_comment

    found = db.session.scalar(
        select(Comment).where(
            Comment.idea_id == idea.id, Comment.author_id == author.id, Comment.body_source == text
        )
    )
    return found or add_comment(idea, author, text, parent=parent)


def _demo_report(reporter, target, reason: str, details: str) -> None:
    from ideation.comments.models import Comment
    from ideation.moderation.models import Report, ReportReason
    from ideation.moderation.services import report

    column = Report.comment_id if isinstance(target, Comment) else Report.idea_id
    exists = db.session.scalar(
        select(Report.id).where(column == target.id, Report.reporter_id == reporter.id)
    )
    if exists is None:
        report(reporter, target, ReportReason(reason), details)


@step
def seed_moderation() -> None:
    from flask import current_app

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        _seed_moderation()


def _seed_moderation() -> None:
    from ideation.domain.idea_states import IdeaStatus
    from ideation.moderation import services as moderation

    users = {u.email: u for u in db.session.scalars(select(User))}
    facilitator = users.get("animation@demo.fabrique.test")
    if facilitator is None:
        return
    for slug, title, email, text, replies in DEMO_COMMENTS:
        idea = _demo_idea(slug, title)
        if idea is None:
            continue
        comment = _demo_comment(idea, users[email], text)
        for reply_email, reply_text in replies:
            _demo_comment(idea, users[reply_email], reply_text, parent=comment)

    slug, title, email, text = HIDDEN_COMMENT
    idea = _demo_idea(slug, title)
    if idea is not None:
        hidden = _demo_comment(idea, users[email], text)
        saved = current_app_threshold()
        for reporter in HIDDEN_REPORTERS[:saved]:
            _demo_report(users[reporter], hidden, "abuse", "Propos blessants envers les voisins.")
        slug, title, email, text = SPAM_COMMENT
        spam = _demo_comment(idea, users[email], text)
        for reporter, reason, details in SPAM_REPORTERS:
            _demo_report(users[reporter], spam, reason, details)

    slug, title, email, reason, details = REPORTED_IDEA
    idea = _demo_idea(slug, title)
    if idea is not None:
        _demo_report(users[email], idea, reason, details)

    slug, source_title, target_title, reason = MERGE
    source, target = _demo_idea(slug, source_title), _demo_idea(slug, target_title)
    if source is not None and target is not None and source.status == IdeaStatus.PUBLISHED:
        moderation.merge(facilitator, source, target, reason)

    for title, answer in SHORTLIST:
        idea = _demo_idea("jardins-partages", title)
        if idea is not None and idea.status == IdeaStatus.PUBLISHED:
            moderation.shortlist(facilitator, idea, answer)

    slug, title, answer = ANSWERED
    idea = _demo_idea(slug, title)
    if idea is not None and moderation.answer_of(idea.id) is None:
        moderation.set_answer(facilitator, idea, answer)
    db.session.flush()


def current_app_threshold() -> int:
    from ideation.moderation.services import threshold

    return min(threshold(), len(HIDDEN_REPORTERS))
