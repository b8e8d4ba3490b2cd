"""The audit log: every moderation and administration action is a row; a filtered, read-only page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ideation.core.audit import AuditEntry
from ideation.db_types import utcnow
from ideation.domain.roles import OrganisationKind
from tests.factories import make_invitation, make_org, make_residence, make_user


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _entry(action="idea.hide", org=None, reason="r", label="cible", days=0):
    from ideation.extensions import db

    entry = AuditEntry(
        action=action,
        target_type=action.split(".")[0],
        target_id=1,
        target_label=label,
        organisation_id=org.id if org else None,
        reason=reason,
        actor_name="Quelqu'un",
        details={},
        created_at=utcnow() - timedelta(days=days),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def test_admin_actions_write_audit_rows(client, db, login):
    admin = login(make_user("admin"))
    org = make_org()
    db.session.commit()
    client.post(
        "/admin/organisations/nouvelle",
        data={"name": "Nouveau bailleur", "slug": "nouveau", "kind": "landlord"},
    )
    client.post(
        f"/admin/organisations/{org.id}",
        data={"name": "Renommé", "slug": org.slug, "kind": "landlord"},
    )
    client.post(
        "/admin/residences/nouvelle",
        data={"organisation_id": org.id, "name": "Les Pins", "city": "Lyon"},
    )
    residence = make_residence(org)
    db.session.commit()
    client.post(
        f"/admin/residences/{residence.id}",
        data={"organisation_id": org.id, "name": "Les Chênes", "city": "Bron"},
    )
    user = make_user("tenant", org=org)
    db.session.commit()
    client.post(
        f"/admin/utilisateurs/{user.id}",
        data={"role": "staff", "organisation_id": org.id, "active": "y"},
    )
    client.post(
        "/admin/invitations/nouvelle",
        data={
            "organisation_id": org.id,
            "residence_id": 0,
            "role": "tenant",
            "days_valid": 30,
            "max_uses": 10,
        },
    )
    invitation = make_invitation(org)
    db.session.commit()
    client.post(f"/admin/invitations/{invitation.id}/desactiver")
    assert _actions(db) == [
        "organisation.create",
        "organisation.update",
        "residence.create",
        "residence.update",
        "user.update",
        "invitation.create",
        "invitation.deactivate",
    ]
    change = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert change.details == {"role": ["tenant", "staff"]} and change.actor_id == admin.id
    assert change.actor_name == admin.display_name and change.organisation_id == org.id


def test_unchanged_user_form_writes_no_row(client, db, login):
    login(make_user("admin"))
    org = make_org()
    user = make_user("tenant", org=org)
    db.session.commit()
    client.post(
        f"/admin/utilisateurs/{user.id}",
        data={"role": "tenant", "organisation_id": org.id, "active": "y"},
    )
    assert _actions(db) == []


def test_audit_page_filters_by_action_type_and_dates(client, db, login):
    _entry("idea.hide", label="Idée cachée")
    _entry("comment.restore", label="Commentaire revenu")
    _entry("idea.reject", label="Vieille idée", days=40)
    login(make_user("admin"))
    everything = client.get("/moderation/journal").text
    assert (
        "Idée cachée" in everything
        and "Commentaire revenu" in everything
        and "Vieille idée" in everything
    )
    only = client.get("/moderation/journal?action=idea.hide").text
    assert "Idée cachée" in only and "Commentaire revenu" not in only
    comments = client.get("/moderation/journal?cible=comment").text
    assert "Commentaire revenu" in comments and "Idée cachée" not in comments
    since = (utcnow() - timedelta(days=10)).date().isoformat()
    recent = client.get(f"/moderation/journal?du={since}").text
    assert "Vieille idée" not in recent and "Idée cachée" in recent
    # Unknown filter values are ignored (allowlist), never an error.
    assert (
        client.get("/moderation/journal?action=drop table&cible=x&du=hier&page=-3").status_code
        == 200
    )


def test_audit_page_is_paginated(client, db, login):
    for n in range(35):
        _entry(label=f"Entrée {n:02d}")
    login(make_user("admin"))
    first = client.get("/moderation/journal").text
    assert "Page 1 sur 2" in first and "Entrée 34" in first and "Entrée 00" not in first
    assert "Entrée 00" in client.get("/moderation/journal?page=2").text


def test_landlord_facilitator_sees_only_their_organisation(client, db, login):
    mine, other = make_org(), make_org()
    _entry(org=mine, label="Chez moi")
    _entry(org=other, label="Chez les autres")
    _entry(org=None, label="Régional")
    login(make_user("facilitator", org=mine))
    page = client.get("/moderation/journal").text
    assert "Chez moi" in page and "Chez les autres" not in page and "Régional" not in page
    client.post("/deconnexion")
    login(make_user("facilitator", org=make_org("Région", kind=OrganisationKind.REGIONAL)))
    page = client.get("/moderation/journal").text
    assert "Chez moi" in page and "Chez les autres" in page and "Régional" in page


def test_nothing_in_the_audit_log_can_be_edited_or_deleted(app, client, db, login):
    entry = _entry()
    login(make_user("admin"))
    for rule in app.url_map.iter_rules():
        if "journal" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    for method in (client.post, client.put, client.delete):
        assert method(f"/moderation/journal?id={entry.id}").status_code == 405


def test_reasons_with_line_breaks_are_logged_on_one_line(app, db, caplog):
    import logging

    from flask import current_app

    from ideation.core.audit import audit

    org = make_org()
    user = make_user("admin")
    logger = current_app.logger
    # Another test of the same worker may have left logging configured otherwise (a
    # logging.config call disables existing loggers): listen on the app's logger itself.
    logger.disabled = False
    logger.addHandler(caplog.handler)
    try:
        with current_app.test_request_context(), caplog.at_level(logging.INFO, logger.name):
            audit(user, "organisation.update", org, reason="ligne 1\nfausse entrée audit action=x")
    finally:
        logger.removeHandler(caplog.handler)
    lines = [r.getMessage() for r in caplog.records if "audit action=" in r.getMessage()]
    assert lines and all("\n" not in line for line in lines)
