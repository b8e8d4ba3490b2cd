"""The demo's conversation and moderation: comments and replies, a comment hidden after
reports, items with open reports, a merged idea, an answered idea. Plain data."""

from __future__ import annotations

from typing import NamedTuple

from ideation.moderation.models import ReportReason


class CommentSeed(NamedTuple):
    challenge: str  # slug
    idea: str  # title
    author: str  # e-mail
    text: str
    replies: tuple[tuple[str, str], ...] = ()  # (author e-mail, text)


class ReportSeed(NamedTuple):
    reporter: str  # e-mail
    reason: ReportReason
    details: str


DEMO_COMMENTS = [
    CommentSeed(
        challenge="accueil-nouveaux-locataires",
        idea="Un livret d'accueil illustré",
        author="locataire01@demo.fabrique.test",
        text="Très bonne idée ! Avec des **dessins**, tout le monde comprend, même sans bien lire le français.",
        replies=(
            (
                "locataire@demo.fabrique.test",
                "Merci ! On pourrait demander aux enfants de la résidence de faire les dessins.",
            ),
            (
                "salarie@demo.fabrique.test",
                "Je peux aider à lister les numéros utiles et les horaires de la loge.",
            ),
        ),
    ),
    CommentSeed(
        challenge="accueil-nouveaux-locataires",
        idea="Un livret d'accueil illustré",
        author="locataire09@demo.fabrique.test",
        text="Il faudrait aussi le traduire : arabe, turc, portugais au moins.",
        replies=(),
    ),
    CommentSeed(
        challenge="accueil-nouveaux-locataires",
        idea="Un goûter de bienvenue chaque trimestre",
        author="locataire@demo.fabrique.test",
        text="Je viendrai avec un gâteau ! Le samedi après-midi, c'est le mieux pour les familles.",
        replies=(
            (
                "locataire17@demo.fabrique.test",
                "Le samedi me va aussi. Et pourquoi pas dans la cour s'il fait beau ?",
            ),
        ),
    ),
    CommentSeed(
        challenge="accueil-nouveaux-locataires",
        idea="Un kit ampoules et joints offert",
        author="locataire25@demo.fabrique.test",
        text="Bonne idée, mais il faut une fiche avec des images pour savoir quoi changer.",
        replies=(),
    ),
    CommentSeed(
        challenge="proprete-parties-communes",
        idea="Une journée de nettoyage entre voisins",
        author="locataire@demo.fabrique.test",
        text="Partante ! On pourrait finir par un pique-nique.",
        replies=(),
    ),
    CommentSeed(
        challenge="jardins-partages",
        idea="Un jardin partagé au pied des tours",
        author="locataire01@demo.fabrique.test",
        text="Attention à laisser un passage pour les poussettes et les fauteuils.",
        replies=(),
    ),
]

# A comment hidden automatically when the reports reach the threshold.
HIDDEN_COMMENT = CommentSeed(
    challenge="accueil-nouveaux-locataires",
    idea="Un kit ampoules et joints offert",
    author="locataire33@demo.fabrique.test",
    text="Vous êtes tous des profiteurs, encore une idée pour rien.",
)
HIDDEN_REPORTS = [
    ReportSeed(
        "locataire01@demo.fabrique.test", ReportReason.ABUSE, "Propos blessants envers les voisins."
    ),
    ReportSeed(
        "locataire09@demo.fabrique.test", ReportReason.ABUSE, "Propos blessants envers les voisins."
    ),
    ReportSeed(
        "locataire17@demo.fabrique.test", ReportReason.ABUSE, "Propos blessants envers les voisins."
    ),
]
# Items with open reports below the threshold: the facilitator's queue has work.
SPAM_COMMENT = CommentSeed(
    challenge="accueil-nouveaux-locataires",
    idea="Un kit ampoules et joints offert",
    author="locataire25@demo.fabrique.test",
    text="Promo sur les ampoules : appelez le 06 12 34 56 78, livraison gratuite !",
)
SPAM_REPORTS = [
    ReportSeed("locataire@demo.fabrique.test", ReportReason.SPAM, "C'est de la publicité."),
    ReportSeed(
        "locataire09@demo.fabrique.test",
        ReportReason.PERSONAL_DATA,
        "Un numéro de téléphone est affiché.",
    ),
]
REPORTED_IDEA = (
    "accueil-nouveaux-locataires",
    "Des étiquettes claires sur les boîtes aux lettres",
)  # challenge slug, idea title
IDEA_REPORT = ReportSeed(
    "locataire17@demo.fabrique.test", ReportReason.OFF_TOPIC, "C'est déjà fait dans ma résidence."
)

# (challenge slug, idea merged, idea it is merged into, reason shown to its author)
MERGE = (
    "accueil-nouveaux-locataires",
    "Guide de bienvenue pour les nouveaux arrivants",
    "Un livret d'accueil illustré",
    "Les deux idées proposent un livret remis à l'arrivée : nous les regroupons pour additionner vos soutiens.",
)

# (challenge slug, idea title, the team's public answer)
ANSWERED = (
    "accueil-nouveaux-locataires",
    "Un livret d'accueil illustré",
    "Merci pour cette idée et pour vos commentaires ! L'équipe prépare une **maquette** avec les enfants de l'atelier dessin.",
)
