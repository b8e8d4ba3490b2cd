"""Organisation, residence and invitation operations."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload

from ideation.db_types import utcnow
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.orgs.models import Dwelling, DwellingCode, Invitation

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


# --- verified households: dwelling letters (issue 13) -----------------------------------
# Longer than an invitation code (one per letterbox, a few thousand per landlord) and
# drawn from the same unambiguous alphabet.
DWELLING_CODE_LENGTH = 12


class DwellingCodeUsedUp(Exception):
    """The letter's code was used, or its dwelling has all its accounts, meanwhile."""


def code_in_use(code: str) -> bool:
    """Is this text already an invitation's or a dwelling letter's code?"""
    return (
        db.session.scalar(select(Invitation.id).where(Invitation.code == code)) is not None
        or db.session.scalar(select(DwellingCode.id).where(DwellingCode.code == code)) is not None
    )


def _new_dwelling_code() -> str:
    while True:
        code = new_invitation_code(DWELLING_CODE_LENGTH)
        if not code_in_use(code):
            return code


def issue_dwelling_codes(
    residence_id: int, references: list[str], created_by_id: int | None
) -> list[DwellingCode]:
    """One new single-use code per dwelling (created when its reference is new), in the
    order given; the earlier unused codes of those dwellings stop working (the new letter
    replaces a lost one)."""
    codes = []
    for reference in references:
        dwelling = db.session.scalar(
            select(Dwelling).where(
                Dwelling.residence_id == residence_id, Dwelling.reference == reference
            )
        )
        if dwelling is None:
            dwelling = Dwelling(residence_id=residence_id, reference=reference, accounts_count=0)
            db.session.add(dwelling)
            db.session.flush()
        else:
            db.session.execute(
                delete(DwellingCode).where(
                    DwellingCode.dwelling_id == dwelling.id, DwellingCode.used_at.is_(None)
                )
            )
        code = DwellingCode(
            dwelling_id=dwelling.id, code=_new_dwelling_code(), created_by_id=created_by_id
        )
        db.session.add(code)
        codes.append(code)
    db.session.flush()
    return codes


def unused_dwelling_codes(residence_id: int) -> list[DwellingCode]:
    """The letters still to hand out for a residence (one batch, one PDF), by reference."""
    return list(
        db.session.scalars(
            select(DwellingCode)
            .join(Dwelling)
            .where(Dwelling.residence_id == residence_id, DwellingCode.used_at.is_(None))
            .options(joinedload(DwellingCode.dwelling))
            .order_by(Dwelling.reference, DwellingCode.id)
        )
    )


def find_usable_dwelling_code(code: str, max_accounts: int) -> DwellingCode | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    found = db.session.scalar(
        select(DwellingCode)
        .where(DwellingCode.code == code)
        .options(joinedload(DwellingCode.dwelling).joinedload(Dwelling.residence))
    )
    if found is None or found.used_at is not None:
        return None
    if found.dwelling.accounts_count >= max_accounts:
        return None
    return found


def take_dwelling_code(code: DwellingCode, max_accounts: int) -> None:
    """Use the letter's code and take one of its dwelling's accounts, each in one
    conditional UPDATE (never check-then-write); DwellingCodeUsedUp when either is gone
    (the caller's savepoint undoes the other)."""
    used = db.session.execute(
        update(DwellingCode)
        .where(DwellingCode.id == code.id, DwellingCode.used_at.is_(None))
        .values(used_at=utcnow())
        .returning(DwellingCode.id)
        .execution_options(synchronize_session=False)
    ).first()
    if used is None:
        raise DwellingCodeUsedUp
    room = db.session.execute(
        update(Dwelling)
        .where(Dwelling.id == code.dwelling_id, Dwelling.accounts_count < max_accounts)
        .values(accounts_count=Dwelling.accounts_count + 1)
        .returning(Dwelling.id)
        .execution_options(synchronize_session=False)
    ).first()
    if room is None:
        raise DwellingCodeUsedUp
    db.session.expire(code, ["used_at"])
