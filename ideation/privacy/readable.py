""" "Mes données" as a page to read and print: the export's own data, in words.

The page shows exactly what the JSON download holds (one source, `export_data`), each
key named in the reader's language. A key without a label is shown as it is rather
than failing; tests/requests/test_privacy_readable.py makes sure none is left unnamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from ideation.notifications.services import DELIVERY_LABELS, KIND_LABELS

SECTION_LABELS = {
    "profile": _l("Mon compte"),
    "ideas": _l("Mes idées"),
    "supports": _l("Mes soutiens"),
    "comments": _l("Mes commentaires"),
    "reports": _l("Mes signalements"),
    "ballots": _l("Mes votes"),
    "notifications": _l("Mes notifications"),
    "notification_preferences": _l("Mes préférences de notification"),
    "pilots_followed": _l("Les projets que je suis"),
    "help_offered": _l("Mes offres d'aide"),
    "photos": _l("Mes photos"),
    "workshops": _l("Mes ateliers"),
    "assisted_account": _l("Mon compte ouvert avec l'aide d'une personne de l'équipe"),
    "team_answers": _l("Mes réponses d'équipe"),
    "pilot_updates": _l("Mes points d'étape"),
    "pilots": _l("Les projets pilotes que je mène"),
    "challenges_created": _l("Les défis que j'ai créés"),
    "invitations_created": _l("Les codes d'invitation que j'ai créés"),
    "moderation_actions": _l("Mes actions de modération et d'administration"),
}

FIELD_LABELS = {
    "action": _l("Action"),
    "at": _l("Date"),
    "body": _l("Texte"),
    "by": _l("Par"),
    "challenge": _l("Défi"),
    "code": _l("Code"),
    "comment_id": _l("Commentaire n°"),
    "comments_count": _l("Commentaires"),
    "created_at": _l("Créé le"),
    "created_by_me": _l("Créé par moi"),
    "deleted_at": _l("Supprimé le"),
    "details": _l("Précisions"),
    "display_name": _l("Nom affiché"),
    "edited_at": _l("Modifié le"),
    "email": _l("Adresse e-mail"),
    "email_verified": _l("Adresse confirmée"),
    "emailed_at": _l("Envoyé par e-mail le"),
    "expires_at": _l("Expire le"),
    "happened_on": _l("Date de l'étape"),
    "hidden": _l("Masqué"),
    "id": _l("Numéro"),
    "idea": _l("Idée"),
    "idea_id": _l("Idée n°"),
    "inactivity_warned_at": _l("Prévenu d'une longue absence le"),
    "kind": _l("Type"),
    "last_login_at": _l("Dernière connexion"),
    "link": _l("Lien"),
    "locale": _l("Langue"),
    "max_uses": _l("Utilisations permises"),
    "new_progress": _l("Avancement"),
    "new_status": _l("Nouveau statut"),
    "organisation": _l("Organisation"),
    "owner": _l("Responsable"),
    "pilot": _l("Projet pilote"),
    "pilot_id": _l("Projet n°"),
    "published_at": _l("Publié le"),
    "ranking": _l("Classement"),
    "read_at": _l("Lu le"),
    "reason": _l("Raison"),
    "receipt": _l("Reçu"),
    "reply_to": _l("En réponse au commentaire n°"),
    "residence": _l("Résidence"),
    "resolved_at": _l("Traité le"),
    "revisions": _l("Versions précédentes"),
    "role": _l("Rôle"),
    "saved_at": _l("Enregistrée le"),
    "second_factor_enabled": _l("Double authentification"),
    "since": _l("Depuis le"),
    "slug": _l("Adresse"),
    "status": _l("Statut"),
    "status_reason": _l("Raison du statut"),
    "submitted_at": _l("Envoyé le"),
    "summary": _l("Résumé"),
    "supports_count": _l("Soutiens"),
    "target_id": _l("Numéro de l'élément"),
    "target_type": _l("Élément"),
    "title": _l("Titre"),
    "updated_at": _l("Mis à jour le"),
    "uses": _l("Utilisations"),
    "what": _l("Ce que je peux faire"),
    "on": _l("Sur"),
    "on_id": _l("Numéro de l'élément illustré"),
    "alt_text": _l("Description de la photo"),
    "width": _l("Largeur (pixels)"),
    "height": _l("Hauteur (pixels)"),
    "hidden_reason": _l("Raison du masquage"),
    "url": _l("Adresse de la photo"),
    "newsletter_consent_at": _l("Inscrit à la lettre d'information le"),
    "workshop": _l("Atelier"),
    "workshop_id": _l("Atelier n°"),
    "starts_at": _l("Commence le"),
    "registered_at": _l("Inscrit·e le"),
    "checked_in_at": _l("Présence notée le"),
    "consent_wording": _l("Ce que j'ai accepté"),
    "consent_at": _l("Accepté le"),
    "phone": _l("Téléphone"),
    "claimed_at": _l("Repris par moi le"),
}

# Top-level keys that describe the file, not the person.
_FILE_KEYS = {"format", "exported_at"}


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    value: Any


# Notification preferences are kept as {kind: delivery}: both have their words already.
_KIND_WORDS = {kind.value: text for kind, text in KIND_LABELS.items()}
_DELIVERY_WORDS = {delivery.value: text for delivery, text in DELIVERY_LABELS.items()}


def label(key: str) -> str:
    """The reader's word for a field (the key itself if none was written)."""
    found = FIELD_LABELS.get(key, _KIND_WORDS.get(key))
    return str(found) if found is not None else key


def shown(value: Any) -> Any:
    """A leaf value as people read it: dates in words, yes/no, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and value in _DELIVERY_WORDS:
        return str(_DELIVERY_WORDS[value])
    if isinstance(value, bool):
        return str(_l("oui") if value else _l("non"))
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return format_datetime(datetime.fromisoformat(value), "long")
        except ValueError:
            return value
    return value


def sections(data: dict[str, Any]) -> list[Section]:
    """The export's sections in its own order, each named, files' own keys left out."""
    return [
        Section(key, str(SECTION_LABELS.get(key, key)), value)
        for key, value in data.items()
        if key not in _FILE_KEYS
    ]
