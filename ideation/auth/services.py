"""Account operations: they change models and flush; the view commits."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ideation.auth.models import User
from ideation.auth.sessions import end_every_session
from ideation.auth.tokens import make_reset_token, make_verify_token
from ideation.db_types import utcnow
from ideation.domain import totp
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.mail.links import external_url
from ideation.mail.services import queue_email
from ideation.orgs.models import Invitation, Organisation


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFC", email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


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
) -> User:
    """Create the account and queue its verification e-mail."""
    user = User(
        email=normalise_email(email),
        display_name=display_name,
        role=role,
        organisation=organisation,
        residence_id=residence_id,
        locale=locale,
    )
    user.set_password(password)
    db.session.add(user)
    if invitation is not None:
        # Counted in SQL so two registrations at once cannot both take the last use.
        invitation.uses = Invitation.uses + 1
    db.session.flush()
    send_verification(user)
    return user


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


# Tests set it to pause between the check of an app code and the claim of its time step,
# so the race between two submissions of one code is hit on every run.
PAUSE_HOOK: Callable[[str], None] | None = None


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
    if claimed.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True
