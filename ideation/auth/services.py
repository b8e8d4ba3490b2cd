"""Account operations: they change models and flush; the view commits."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ideation.auth import models
from ideation.auth.models import User
from ideation.auth.sessions import end_every_session
from ideation.auth.tokens import make_reset_token, make_verify_token
from ideation.db_types import utcnow
from ideation.domain import totp
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.mail.links import external_url
from ideation.mail.services import queue_email
from ideation.orgs.models import DwellingCode, Invitation, Organisation
from ideation.orgs.services import take_dwelling_code


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFC", email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


# Tests set this to a function called at a named point between a check and the
# conditional UPDATE that settles it ("invitation": a code's use; "second-factor": an app
# code's time step), so race tests hit the race on every run.
PAUSE_HOOK: Callable[[str], None] | None = None


class InvitationUsedUp(Exception):
    """The code's last use went to someone else between the check and the take."""


def take_invitation_use(invitation_id: int) -> bool:
    """Take one use of the code in one conditional UPDATE; False when none is left.

    Never check-then-increment: two registrations at once would both pass the check.
    The CHECK constraint uses <= max_uses backs this up in the database.
    """
    taken = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.active.is_(True),
            Invitation.uses < Invitation.max_uses,
            Invitation.expires_at > utcnow(),
        )
        .values(uses=Invitation.uses + 1)
        .returning(Invitation.id)
        .execution_options(synchronize_session=False)
    ).first()
    return taken is not None


def find_usable_invitation(code: str) -> Invitation | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.code == code))
    if invitation is None or not invitation.is_usable(utcnow()):
        return None
    return invitation


def create_account(
    *,
    email: str,
    display_name: str,
    password: str,
    organisation: Organisation,
    role: Role = Role.TENANT,
    residence_id: int | None = None,
    invitation: Invitation | None = None,
    locale: str = "fr",
    password_hash: str | None = None,
    verified: bool = False,
    dwelling_code: DwellingCode | None = None,
) -> User:
    """Create the account and queue its verification e-mail (none when `verified`: an
    account an operator creates for a known address, from the command line or the demo).

    Raises InvitationUsedUp (nothing written) when the code has no use left.
    """
    if invitation is not None:
        if PAUSE_HOOK is not None:
            PAUSE_HOOK("invitation")
        if not take_invitation_use(invitation.id):
            raise InvitationUsedUp
        db.session.expire(invitation, ["uses"])
    if dwelling_code is not None:
        if PAUSE_HOOK is not None:
            PAUSE_HOOK("dwelling")
        take_dwelling_code(dwelling_code, current_app.config["DWELLING_MAX_ACCOUNTS"])
    user = User(
        email=normalise_email(email),
        display_name=display_name,
        role=role,
        organisation=organisation,
        residence_id=residence_id,
        locale=locale,
        password_hash=password_hash or models.hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    if dwelling_code is not None:
        # Tied to the dwelling: a verified household (issue 13).
        dwelling_code.used_by_id = user.id
        user.household_verified_at = utcnow()
    if verified:
        user.email_verified = True
    else:
        send_verification(user)
    return user


def register(
    *,
    email: str,
    display_name: str,
    password: str,
    organisation: Organisation,
    invitation: Invitation | None = None,
    locale: str = "fr",
    dwelling_code: DwellingCode | None = None,
) -> User | None:
    """Create the account, or tell the owner of a known address; None in that case.

    Both branches do the same work (one password hash, one e-mail queued), so the time
    of the answer does not tell a visitor whether the address has an account.
    """
    existing = find_user_by_email(email)
    password_hash = models.hash_password(password)
    if existing is not None:
        send_account_exists_notice(existing)
        return None
    try:
        # A savepoint: two registrations of one new address at once meet the unique
        # index; the later one is then answered like a known address (nothing written,
        # the invitation's use given back), never with a 500.
        with db.session.begin_nested():
            return create_account(
                email=email,
                display_name=display_name,
                password=password,
                password_hash=password_hash,
                organisation=organisation,
                role=invitation.role if invitation else Role.TENANT,
                residence_id=(
                    dwelling_code.dwelling.residence_id
                    if dwelling_code
                    else invitation.residence_id
                    if invitation
                    else None
                ),
                invitation=invitation,
                locale=locale,
                dwelling_code=dwelling_code,
            )
    except IntegrityError:
        existing = find_user_by_email(email)
        if existing is None:
            raise
        send_account_exists_notice(existing)
        return None


def send_verification(user: User) -> None:
    link = external_url("auth.verify_email", token=make_verify_token(user.id, user.email))
    queue_email(
        user.email,
        _("Confirmez votre adresse e-mail"),
        "verify_email",
        user=user,
        link=link,
    )


def send_reset(user: User) -> None:
    link = external_url("auth.reset_password", token=make_reset_token(user.id, user.password_hash))
    queue_email(
        user.email,
        _("Choisir un nouveau mot de passe"),
        "reset_password",
        user=user,
        link=link,
    )


def send_account_exists_notice(user: User) -> None:
    """Someone tried to register with this address: tell its owner, not the visitor."""
    queue_email(
        user.email,
        _("Vous avez déjà un compte"),
        "account_exists",
        user=user,
        login_link=external_url("auth.login"),
        reset_link=external_url("auth.forgot_password"),
    )


def change_password(user: User, new_password: str) -> None:
    """Set the password and end every session of the account (the view may start a new one)."""
    user.set_password(new_password)
    end_every_session(user)


def use_second_factor_code(user: User, code: str, now: float) -> bool:
    """Check an app code and take its time step once: a code never opens two sessions.

    The step is claimed by one conditional UPDATE; of two requests carrying the same code
    at once, the second finds the step already taken (PostgreSQL re-checks the condition
    after the first commits; SQLite writes one at a time) and fails.
    """
    if not user.totp_secret:
        return False
    step = totp.verify(user.totp_secret, code, now, user.totp_last_step)
    if step is None:
        return False
    if PAUSE_HOOK is not None:
        PAUSE_HOOK("second-factor")
    claimed = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, claimed).rowcount != 1:  # an UPDATE: the driver reports its rows
        return False
    set_committed_value(user, "totp_last_step", step)
    return True
