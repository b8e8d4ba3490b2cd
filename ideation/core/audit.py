"""The audit log: who did which moderation or administration action, when and why.

`audit()` adds a row in the caller's transaction (the view's single commit makes it
real with the action itself). Nothing in the application edits or deletes a row, except
an erasure, which replaces the erased person's name in the rows about them (ids and
actions stay: ideation/privacy/services.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from ideation.core.time import day_end, day_start
from ideation.db_types import UTCDateTime, utcnow
from ideation.extensions import Model, db

if TYPE_CHECKING:
    from ideation.auth.models import User


class AuditEntry(Model):
    """One moderation or administration action. Written in the action's transaction; never edited."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_created_at", "created_at"),
        Index("ix_audit_entries_action_created_at", "action", "created_at"),
        Index("ix_audit_entries_target_type_target_id", "target_type", "target_id"),
        Index("ix_audit_entries_organisation_id_created_at", "organisation_id", "created_at"),
        Index("ix_audit_entries_actor_id", "actor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(80), default="")  # kept if the account goes
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int | None] = mapped_column()
    target_label: Mapped[str] = mapped_column(String(200), default="")
    # The organisation the target belongs to (None: regional or installation-wide): scopes the page.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship("User")


# action -> label shown on the audit page. The page's filter accepts only these keys.
ACTIONS = {
    "idea.submit": _l("Idée envoyée"),
    "idea.publish": _l("Idée publiée"),
    "idea.reject": _l("Idée refusée"),
    "idea.hide": _l("Idée masquée"),
    "idea.auto_hide": _l("Idée masquée après des signalements"),
    "idea.restore": _l("Idée rétablie"),
    "idea.merge": _l("Idée regroupée avec une autre"),
    "idea.shortlist": _l("Idée retenue pour le vote"),
    "idea.answer": _l("Réponse de l'équipe"),
    "idea.select": _l("Idée choisie par le vote"),
    "idea.not_select": _l("Idée non choisie par le vote"),
    "idea.pilot": _l("Idée devenue projet pilote"),
    "idea.withdraw": _l("Idée retirée par son auteur·rice"),
    "comment.hide": _l("Commentaire masqué"),
    "comment.auto_hide": _l("Commentaire masqué après des signalements"),
    "comment.restore": _l("Commentaire rétabli"),
    "photo.hide": _l("Photo masquée"),
    "photo.restore": _l("Photo rétablie"),
    "reports.dismiss": _l("Signalements classés sans suite"),
    "organisation.create": _l("Organisation créée"),
    "organisation.update": _l("Organisation modifiée"),
    "residence.create": _l("Résidence créée"),
    "residence.update": _l("Résidence modifiée"),
    "user.update": _l("Compte modifié (rôle, organisation, activation)"),
    "user.erase": _l("Compte supprimé (données personnelles effacées)"),
    "invitation.create": _l("Code d'invitation créé"),
    "invitation.deactivate": _l("Code d'invitation désactivé"),
    "dwelling_codes.issue": _l("Courriers logement créés"),
    "site_page.update": _l("Page du site modifiée"),
    "message.send": _l("Message envoyé aux participant·es"),
    "edition.create": _l("Édition créée"),
    "edition.update": _l("Édition modifiée"),
    "house.create": _l("Maison créée"),
    "house.update": _l("Maison modifiée"),
    "pilot.adopt": _l("Projet pilote repris par un autre bailleur"),
    "workshop.create": _l("Atelier créé"),
    "workshop.update": _l("Atelier modifié"),
    "workshop.minutes": _l("Compte rendu d'atelier publié"),
    "workshop.mode_on": _l("Mode atelier ouvert sur un appareil"),
    "workshop.mode_off": _l("Mode atelier fermé sur un appareil"),
    "assisted.create": _l("Compte accompagné créé (consentement noté)"),
    "assisted.reset": _l("Accès d'un compte accompagné réinitialisé en personne"),
    "assisted.claim": _l("Compte accompagné repris par son ou sa titulaire"),
    "idea.on_behalf": _l("Idée saisie en atelier pour un·e participant·e"),
    "idea.workshop": _l("Idée de l'atelier saisie"),
    "support.on_behalf": _l("Soutien saisi en atelier pour un·e participant·e"),
    "comment.on_behalf": _l("Commentaire saisi en atelier pour un·e participant·e"),
    "desk.open": _l("Bureau de vote ouvert"),
    "desk.ballot": _l("Vote enregistré à un bureau (sans le classement)"),
    "desk.tick": _l("Votant·e émargé·e pour l'urne papier"),
    "desk.close": _l("Bureau de vote clos"),
}

TARGET_TYPES = {
    "idea": _l("Idée"),
    "comment": _l("Commentaire"),
    "photo": _l("Photo"),
    "organisation": _l("Organisation"),
    "residence": _l("Résidence"),
    "user": _l("Compte"),
    "invitation": _l("Code d'invitation"),
    "site_page": _l("Page du site"),
    "message": _l("Message"),
    "edition": _l("Édition"),
    "house": _l("Maison"),
    "pilot": _l("Projet pilote"),
    "workshop": _l("Atelier"),
    "desk": _l("Bureau de vote"),
}


def _describe(target: Any) -> tuple[str, int | None, str, int | None]:
    """(type, id, short label, organisation id) of a model instance.

    Each audited model describes itself (`audit_target()`), so the journal, which sits
    below every area, never imports them.
    """
    describe = getattr(target, "audit_target", None)
    if describe is None:
        raise TypeError(f"no audit description for {type(target).__name__}")
    return describe()


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


def journal_page(
    organisation_id: int | None,
    *,
    everything: bool,
    action: str = "",
    target_type: str = "",
    since: date | None = None,
    until: date | None = None,
    page: int = 1,
    per_page: int = 50,
):  # type: ignore[no-untyped-def]
    """One page of the journal, newest first: all of it (`everything`) or one organisation's,
    filtered by action, target type and Paris days (keys checked by the caller)."""
    query = (
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if not everything:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if since:
        query = query.where(AuditEntry.created_at >= day_start(since))
    if until:
        query = query.where(AuditEntry.created_at < day_end(until))
    return db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)
