"""The audit log: who did which moderation or administration action, when and why.

`audit()` adds a row in the caller's transaction (the view's single commit makes it
real with the action itself). Nothing in the application edits or deletes a row, except
an erasure, which replaces the erased person's name in the rows about them (ids and
actions stay: ideation/privacy/services.py).
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from ideation.db_types import utcnow
from ideation.extensions import db
from ideation.moderation.models import AuditEntry

# action -> label shown on the audit page. The page's filter accepts only these keys.
ACTIONS = {
    "idea.publish": _l("Idée publiée"),
    "idea.reject": _l("Idée refusée"),
    "idea.hide": _l("Idée masquée"),
    "idea.auto_hide": _l("Idée masquée après des signalements"),
    "idea.restore": _l("Idée rétablie"),
    "idea.merge": _l("Idée regroupée avec une autre"),
    "idea.shortlist": _l("Idée retenue pour le vote"),
    "idea.answer": _l("Réponse de l'équipe"),
    "comment.hide": _l("Commentaire masqué"),
    "comment.auto_hide": _l("Commentaire masqué après des signalements"),
    "comment.restore": _l("Commentaire rétabli"),
    "reports.dismiss": _l("Signalements classés sans suite"),
    "organisation.create": _l("Organisation créée"),
    "organisation.update": _l("Organisation modifiée"),
    "residence.create": _l("Résidence créée"),
    "residence.update": _l("Résidence modifiée"),
    "user.update": _l("Compte modifié (rôle, organisation, activation)"),
    "user.erase": _l("Compte supprimé (données personnelles effacées)"),
    "invitation.create": _l("Code d'invitation créé"),
    "invitation.deactivate": _l("Code d'invitation désactivé"),
}

TARGET_TYPES = {
    "idea": _l("Idée"),
    "comment": _l("Commentaire"),
    "organisation": _l("Organisation"),
    "residence": _l("Résidence"),
    "user": _l("Compte"),
    "invitation": _l("Code d'invitation"),
}


def _describe(target: Any) -> tuple[str, int | None, str, int | None]:
    """(type, id, short label, organisation id) of a model instance."""
    from ideation.auth.models import User
    from ideation.comments.models import Comment
    from ideation.ideas.models import Idea
    from ideation.orgs.models import Invitation, Organisation, Residence

    if isinstance(target, Idea):
        return "idea", target.id, target.title, target.challenge.organisation_id
    if isinstance(target, Comment):
        from ideation.ideas.models import Idea as _Idea

        idea = db.session.get(_Idea, target.idea_id)
        label = (target.body_source or "")[:80]
        return "comment", target.id, label, idea.challenge.organisation_id if idea else None
    if isinstance(target, Organisation):
        return "organisation", target.id, target.name, target.id
    if isinstance(target, Residence):
        return "residence", target.id, target.name, target.organisation_id
    if isinstance(target, User):
        return "user", target.id, target.display_name, target.organisation_id
    if isinstance(target, Invitation):
        return "invitation", target.id, target.code, target.organisation_id
    raise TypeError(f"no audit description for {type(target).__name__}")


def _log_safe(value: object) -> str:
    # No CR/LF in log lines: a reason must never forge another entry.
    return str(value).replace("\r", "\\r").replace("\n", "\\n")


def audit(
    actor: Any, action: str, target: Any, reason: str = "", details: dict | None = None
) -> AuditEntry:
    """Write one audit row in the current transaction. `actor` is a User, or None for the system."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if getattr(target, "id", None) is None:
        db.session.flush()  # a new row needs its id before it is described
    target_type, target_id, label, organisation_id = _describe(target)
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=(getattr(actor, "display_name", "") or "")[:80],
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=(label or "")[:200],
        organisation_id=organisation_id,
        reason=(reason or "").strip(),
        details=details or {},
        created_at=utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    current_app.logger.info(
        "audit action=%s target=%s:%s actor=%s reason=%s",
        action,
        target_type,
        target_id,
        entry.actor_id,
        _log_safe(entry.reason)[:200],
    )
    return entry
