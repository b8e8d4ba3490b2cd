"""Organisation, residence and invitation operations."""

from __future__ import annotations

import secrets
from datetime import timedelta

from ideation.db_types import utcnow
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.orgs.models import Invitation

# No 0/O/1/I: the code is read off a flyer and typed on a phone.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_invitation_code(length: int = 10) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def create_invitation(
    *,
    organisation_id: int,
    residence_id: int | None,
    role: Role,
    days_valid: int,
    max_uses: int,
    created_by_id: int | None,
    code: str | None = None,
) -> Invitation:
    invitation = Invitation(
        code=code or new_invitation_code(),
        organisation_id=organisation_id,
        residence_id=residence_id,
        role=role,
        expires_at=utcnow() + timedelta(days=days_valid),
        max_uses=max_uses,
        uses=0,
        created_by_id=created_by_id,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation
