"""What every step of the demo needs: finding rows by their natural key, and the demo's history.

The services write "now" into their timestamps. The demo tells a story that started months
ago, so a step runs a service and then dates what it wrote to the moment the story says
(`history`, `backdate`). Only timestamps are moved that way, never a status: statuses
change through the services alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from ideation.auth.models import ERASED_DOMAIN, User
from ideation.challenges.models import Challenge, Theme
from ideation.core.audit import AuditEntry
from ideation.db_types import utcnow
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db
from ideation.fabrique.models import Edition
from ideation.ideas.models import Idea
from ideation.notifications.models import Notification
from ideation.orgs.models import Organisation, Residence

FACILITATOR = "animation@demo.fabrique.test"
ADMIN = "admin@demo.fabrique.test"


def organisation(slug: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def residence(name: str) -> Residence | None:
    return db.session.scalar(select(Residence).where(Residence.name == name))


def theme(slug: str) -> Theme | None:
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def challenge(slug: str) -> Challenge | None:
    return db.session.scalar(select(Challenge).where(Challenge.slug == slug))


def idea(challenge_slug: str, title: str) -> Idea | None:
    return db.session.scalar(
        select(Idea).join(Challenge).where(Challenge.slug == challenge_slug, Idea.title == title)
    )


def users() -> dict[str, User]:
    """Every account by e-mail."""
    return {u.email: u for u in db.session.scalars(select(User))}


def tenants() -> list[User]:
    """The landlords' tenants, in a stable order (the demo's round-robins walk through it).

    Partners' members (seeded last, ideation/seed/engagement.py) and the assisted accounts
    (opened at workshops, ideation/seed/assisted.py) are left out, so a second run walks
    the same people as the first."""
    partners = select(Organisation.id).where(Organisation.kind == OrganisationKind.PARTNER)
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == Role.TENANT,
                User.organisation_id.not_in(partners),
                User.email.not_like(f"%@{ERASED_DOMAIN}"),
            )
            .order_by(User.email)
        )
    )


def admin() -> User | None:
    """The demo administrator, who sets up the editions and houses."""
    return db.session.scalar(select(User).where(User.email == ADMIN))


def edition(name: str) -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.name == name))


def facilitator() -> User | None:
    """The demo facilitator, who publishes, retains, merges and promotes."""
    return db.session.scalar(select(User).where(User.email == FACILITATOR))


# --- the demo's history -------------------------------------------------------------------


def in_the_past(moment: datetime, margin: timedelta = timedelta(minutes=1)) -> datetime:
    """`moment`, or just before now if the story would put it in the future."""
    return min(moment, utcnow() - margin)


@contextmanager
def history(moment: datetime) -> Iterator[None]:
    """Journal rows and notifications written inside happened at `moment` (history for the
    demo): the audit page and the notification list then read like months of activity."""
    last_entry = db.session.scalar(select(func.max(AuditEntry.id))) or 0
    last_note = db.session.scalar(select(func.max(Notification.id))) or 0
    yield
    db.session.flush()
    for model, last in ((AuditEntry, last_entry), (Notification, last_note)):
        db.session.execute(
            update(model)
            .where(model.id > last)
            .values(created_at=moment)
            .execution_options(synchronize_session=False)
        )


def backdate(row: object, moment: datetime, *columns: str) -> None:
    """Set timestamp columns a service just wrote to the demo's moment (history for the demo)."""
    for column in columns or ("created_at",):
        setattr(row, column, moment)
