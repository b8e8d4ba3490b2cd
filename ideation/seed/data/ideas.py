"""The demo's ideas, by challenge, with the status each reaches and the team's answers
on the ideas retained under review. Plain data."""

from __future__ import annotations

from typing import NamedTuple

from ideation.domain.idea_states import IdeaStatus


class IdeaSeed(NamedTuple):
    author: str | None  # e-mail; None: a tenant of the challenge's scope, in turn
    title: str
    summary: str
    status: IdeaStatus  # draft, submitted, published or shortlisted (the vote does the rest)


# The demo tenant is left out of the round-robin: their ideas are the ones named here.
DEMO_TENANT = "locataire@demo.fabrique.test"
BODY = "**Pourquoi ?** {summary}\n\n- facile à lancer\n- utile à tous les voisins"

IDEAS: dict[str, list[IdeaSeed]] = {
    "accueil-nouveaux-locataires": [
        IdeaSeed(
            "locataire@demo.fabrique.test",
            "Un livret d'accueil illustré",
            "Un petit livret avec des dessins : qui appeler, les jours des poubelles, les commerces proches.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            "locataire@demo.fabrique.test",
            "Un parrain ou une marraine dans l'immeuble",
            "Un voisin volontaire accueille le nouvel arrivant et répond à ses questions le premier mois.",
            IdeaStatus.SUBMITTED,
        ),
        IdeaSeed(
            None,
            "Un goûter de bienvenue chaque trimestre",
            "Tous les trois mois, un goûter dans le hall pour présenter les nouveaux voisins.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Guide de bienvenue pour les nouveaux arrivants",
            "Un guide simple, traduit en plusieurs langues, remis avec les clés.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Visite de la résidence avec le gardien",
            "Le jour de l'arrivée, le gardien montre les locaux, les compteurs et les poubelles.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Un panneau avec les photos des gardiens",
            "Dans le hall, un panneau avec les visages et les horaires de l'équipe de proximité.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Des clés remises avec un sourire et un café",
            "Remettre les clés dans un vrai moment d'accueil, pas entre deux portes.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Une appli pour signaler les pannes dès le premier jour",
            "Montrer aux nouveaux comment signaler une panne sur leur téléphone.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Un kit ampoules et joints offert",
            "Un petit kit pour les premières réparations, avec une fiche explicative.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Présenter les associations du quartier",
            "Une liste des associations, des maisons de quartier et des permanences utiles.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Un atelier « bien vivre dans son logement »",
            "Un atelier pour apprendre à aérer, chauffer et entretenir son logement.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Des étiquettes claires sur les boîtes aux lettres",
            "Mettre les noms sur les boîtes aux lettres dès l'arrivée, pour recevoir son courrier.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            "salarie@demo.fabrique.test",
            "Un appel du gardien après un mois",
            "Un mois après l'arrivée, le gardien appelle pour savoir si tout va bien.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Un repas partagé pour les nouveaux",
            "Chacun apporte un plat de chez lui : on se découvre en mangeant.",
            IdeaStatus.DRAFT,
        ),
    ],
    "proprete-parties-communes": [
        IdeaSeed(
            "locataire@demo.fabrique.test",
            "Des affiches rigolotes dans le local poubelles",
            "Des affiches dessinées par les enfants pour rappeler le tri et le respect du local.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Une journée de nettoyage entre voisins",
            "Deux fois par an, on nettoie ensemble les abords de la résidence, avec un repas après.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Plus de poubelles de tri près des entrées",
            "Installer des bacs jaunes et verts plus proches des halls.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Un planning de ménage affiché",
            "Afficher les jours de passage de l'entreprise de ménage, pour savoir quand c'est fait.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Signaler les encombrants en photo",
            "Prendre en photo un encombrant et l'envoyer au gardien pour qu'il soit enlevé vite.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Des tapis à l'entrée des halls",
            "De grands tapis pour garder les escaliers propres les jours de pluie.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Un coin pour déposer les objets à donner",
            "Une étagère dans le hall où l'on dépose ce qui peut servir aux voisins.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Des cendriers devant les portes",
            "Pour que les mégots ne finissent plus par terre devant l'entrée.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            "salarie@demo.fabrique.test",
            "Des visites du gardien avec les locataires relais",
            "Une fois par mois, le gardien fait le tour avec un locataire pour noter ce qui ne va pas.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Des bacs à compost au pied de l'immeuble",
            "Réduire les déchets des poubelles en compostant les épluchures.",
            IdeaStatus.SUBMITTED,
        ),
    ],
    "jardins-partages": [
        IdeaSeed(
            None,
            "Des bacs potagers sur le toit",
            "Utiliser les toits plats pour des bacs de légumes et d'herbes.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Un jardin partagé au pied des tours",
            "Transformer la pelouse inutilisée en potager pour tous.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Des ateliers jardinage avec l'école",
            "Les enfants de l'école voisine viennent planter avec les habitants.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Un composteur collectif",
            "Un composteur géré par des voisins volontaires, pour nourrir le jardin.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Des arbres fruitiers dans la cour",
            "Planter des pommiers et des cerisiers que tout le monde peut cueillir.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Une grainothèque dans le hall",
            "Une boîte pour échanger des graines entre voisins.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Récupérer l'eau de pluie",
            "Des cuves pour arroser le jardin sans payer l'eau.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Des jardinières aux fenêtres",
            "Offrir des jardinières aux locataires qui veulent fleurir leur balcon.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Un jardin pour les personnes âgées",
            "Des bacs surélevés pour jardiner sans se baisser.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Un poulailler partagé",
            "Quelques poules nourries avec les restes, et des œufs pour tous.",
            IdeaStatus.PUBLISHED,
        ),
    ],
    "economies-energie": [
        IdeaSeed(
            None,
            "Des ateliers « éco-gestes »",
            "Apprendre ensemble les gestes simples qui font baisser la facture.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Des rideaux épais offerts",
            "Des rideaux thermiques pour garder la chaleur la nuit.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Un défi entre résidences",
            "La résidence qui économise le plus gagne une fête payée par le bailleur.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Des ampoules LED pour tous",
            "Remplacer gratuitement les vieilles ampoules par des LED.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Un thermomètre dans chaque logement",
            "Pour savoir quand il faut vraiment chauffer.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Des boudins de porte faits par les voisins",
            "Un atelier couture pour fabriquer des boudins anti-courants d'air.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Éteindre l'éclairage des halls la nuit",
            "Des détecteurs de présence au lieu de lumières allumées toute la nuit.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Un suivi de consommation sur papier",
            "Une feuille chaque mois avec sa consommation, comparée à l'an dernier.",
            IdeaStatus.PUBLISHED,
        ),
    ],
    "lien-entre-voisins": [
        IdeaSeed(
            None,
            "Une fête des voisins dans chaque résidence",
            "Le bailleur prête des tables et offre les boissons.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Une boîte à livres dans le hall",
            "Échanger des livres, des BD et des magazines.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Un repair café une fois par mois",
            "Réparer ensemble grille-pain, vélos et vêtements.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Des ateliers cuisine du monde",
            "Chacun montre une recette de son pays.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Une fresque peinte par les habitants",
            "Un artiste aide les habitants à peindre un mur de la résidence.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Un tableau d'entraide",
            "Un panneau où l'on propose ou demande un coup de main.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Des sorties culturelles en groupe",
            "Aller au musée ou au théâtre ensemble, à petit prix.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Une chorale de quartier",
            "Chanter ensemble une fois par semaine dans la salle commune.",
            IdeaStatus.PUBLISHED,
        ),
    ],
    # Its vote (long closed) had four ideas for three winners: a vote needs more ideas
    # than winners.
    "emploi-jeunes-quartier": [
        IdeaSeed(
            None,
            "Des stages chez les prestataires du bailleur",
            "Les entreprises qui travaillent pour le bailleur prennent des jeunes en stage.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Un job d'été à l'entretien des espaces verts",
            "Des contrats d'été pour entretenir les jardins des résidences.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Des ateliers CV avec des bénévoles",
            "Des voisins retraités aident les jeunes à écrire leur CV.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Un forum de l'emploi dans la salle commune",
            "Les entreprises du quartier viennent rencontrer les jeunes.",
            IdeaStatus.SHORTLISTED,
        ),
        IdeaSeed(
            None,
            "Des chantiers éducatifs de peinture",
            "Repeindre les halls avec des jeunes payés et encadrés.",
            IdeaStatus.PUBLISHED,
        ),
        IdeaSeed(
            None,
            "Un annuaire des métiers des voisins",
            "Les habitants présentent leur métier aux jeunes qui cherchent leur voie.",
            IdeaStatus.PUBLISHED,
        ),
    ],
}

# The team's public answer on ideas retained for the vote under review (idea title -> answer).
SHORTLIST_ANSWERS = {
    "Un jardin partagé au pied des tours": "Retenue : la pelouse des Tilleuls et celle de Parilly conviennent. Les services techniques ont donné leur accord.",
    "Des bacs potagers sur le toit": "Retenue pour les trois résidences aux **toits plats**, avec un accès sécurisé à prévoir.",
    "Un composteur collectif": "Retenue : le Grand Lyon prête les bacs et forme deux voisins référents.",
    "Des ateliers jardinage avec l'école": "Retenue : deux écoles voisines sont partantes pour le printemps.",
}
