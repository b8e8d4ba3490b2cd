"""Workshops: load, list, save, register, cancel, promote, check in, minutes, reminders.

Services flush, never commit. Places are taken and given back by conditional UPDATEs of
the workshop's counter (`registered_count`, CHECKed against the capacity): never
check-then-increment. On PostgreSQL the UPDATE locks the workshop's row until the
commit, so registrations, cancellations and promotions of one workshop happen one after
the other; SQLite has one writer at a time. `PAUSE_HOOK`, when set (tests only), is
called with "register" between the check that a place is free and the take, so a race
test hits the window on every run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import url_for
from flask_babel import force_locale, format_date, format_time
from flask_babel import gettext as _
from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.core.audit import audit
from ideation.core.loaders import or_404
from ideation.core.sanitize import render_markdown
from ideation.core.sql import dialect_insert
from ideation.db_types import utcnow
from ideation.domain.permissions import Actor, Scope
from ideation.domain.roles import OrganisationKind, Role
from ideation.domain.workshops import REMINDER_HOURS, RegistrationStatus
from ideation.extensions import db
from ideation.fabrique.models import Edition, House
from ideation.notifications.models import NotificationKind
from ideation.notifications.services import notify
from ideation.orgs.models import Organisation, Residence
from ideation.photos.services import OwnerView
from ideation.workshops.models import Workshop, WorkshopRegistration

PAUSE_HOOK: Callable[[str], None] | None = None

UPCOMING_SHOWN = 3  # the "Prochains ateliers" include


def _pause(point: str) -> None:
    if PAUSE_HOOK is not None:
        PAUSE_HOOK(point)


# --- loading -------------------------------------------------------------------------


def load_workshop(workshop_id: int) -> Workshop:
    """The workshop for a view, with its place, hosts and challenges: 404 if missing."""
    return or_404(
        db.session.scalar(
            select(Workshop)
            .where(Workshop.id == workshop_id)
            .options(
                joinedload(Workshop.residence),
                joinedload(Workshop.edition),
                joinedload(Workshop.house),
                selectinload(Workshop.hosts),
                selectinload(Workshop.challenges),
            )
        )
    )


def _listed(query: Any, limit: int | None) -> list[Workshop]:
    query = query.options(joinedload(Workshop.residence), joinedload(Workshop.house))
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def upcoming(
    *,
    limit: int | None = UPCOMING_SHOWN,
    challenge_id: int | None = None,
    house_id: int | None = None,
    edition_id: int | None = None,
    now: datetime | None = None,
) -> list[Workshop]:
    """Workshops not yet over, the soonest first (for one challenge, house or edition)."""
    query = select(Workshop).where(Workshop.ends_at > (now or utcnow()))
    if challenge_id is not None:
        query = query.where(Workshop.challenges.any(Challenge.id == challenge_id))
    if house_id is not None:
        query = query.where(Workshop.house_id == house_id)
    if edition_id is not None:
        query = query.where(Workshop.edition_id == edition_id)
    return _listed(query.order_by(Workshop.starts_at, Workshop.id), limit)


def past(limit: int | None = 30, now: datetime | None = None) -> list[Workshop]:
    """Workshops that are over, the latest first."""
    query = select(Workshop).where(Workshop.ends_at <= (now or utcnow()))
    return _listed(query.order_by(Workshop.starts_at.desc(), Workshop.id.desc()), limit)


def registration_of(workshop_id: int, user_id: int | None) -> WorkshopRegistration | None:
    if user_id is None:
        return None
    return db.session.scalar(
        select(WorkshopRegistration).where(
            WorkshopRegistration.workshop_id == workshop_id,
            WorkshopRegistration.user_id == user_id,
        )
    )


def registrations_of(user_id: int) -> list[WorkshopRegistration]:
    """The person's workshops (registered, waiting, attended), the latest start first."""
    return list(
        db.session.scalars(
            select(WorkshopRegistration)
            .join(Workshop, Workshop.id == WorkshopRegistration.workshop_id)
            .where(
                WorkshopRegistration.user_id == user_id,
                WorkshopRegistration.status.in_(
                    [
                        RegistrationStatus.REGISTERED,
                        RegistrationStatus.WAITING,
                        RegistrationStatus.ATTENDED,
                    ]
                ),
            )
            .options(joinedload(WorkshopRegistration.workshop).joinedload(Workshop.residence))
            .order_by(Workshop.starts_at.desc(), WorkshopRegistration.id)
            .limit(50)
        )
    )


def next_place_of(
    user_id: int, now: datetime | None = None, within: timedelta = timedelta(days=2)
) -> Workshop | None:
    """The next workshop the person has a place at, when it starts within `within` (the
    home page's "À faire": the workshop tomorrow)."""
    now = now or utcnow()
    return db.session.scalars(
        select(Workshop)
        .join(WorkshopRegistration, WorkshopRegistration.workshop_id == Workshop.id)
        .where(
            WorkshopRegistration.user_id == user_id,
            WorkshopRegistration.status == RegistrationStatus.REGISTERED,
            Workshop.starts_at > now,
            Workshop.starts_at <= now + within,
        )
        .order_by(Workshop.starts_at, Workshop.id)
        .limit(1)
    ).first()


def load_registration(workshop: Workshop, registration_id: int) -> WorkshopRegistration:
    """A registration of this workshop (404 for another workshop's)."""
    return or_404(
        db.session.scalar(
            select(WorkshopRegistration).where(
                WorkshopRegistration.id == registration_id,
                WorkshopRegistration.workshop_id == workshop.id,
            )
        )
    )


def attendance(workshop_id: int) -> list[WorkshopRegistration]:
    """Everyone registered, checked in or waiting, for the hosts' list: by name, the
    waiting list after, in its order."""
    rows = db.session.scalars(
        select(WorkshopRegistration)
        .where(
            WorkshopRegistration.workshop_id == workshop_id,
            WorkshopRegistration.status != RegistrationStatus.CANCELLED,
        )
        .options(joinedload(WorkshopRegistration.user).joinedload(User.residence))
        .order_by(WorkshopRegistration.queued_at, WorkshopRegistration.id)
    )
    regs = list(rows)
    waiting = [r for r in regs if r.status == RegistrationStatus.WAITING]
    others = sorted(
        (r for r in regs if r.status != RegistrationStatus.WAITING),
        key=lambda r: (r.user.display_name.casefold(), r.id),
    )
    return others + waiting


def waiting_position(registration: WorkshopRegistration) -> int | None:
    """1 for the first in line; None when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = db.session.scalar(
        select(func.count())
        .select_from(WorkshopRegistration)
        .where(
            WorkshopRegistration.workshop_id == registration.workshop_id,
            WorkshopRegistration.status == RegistrationStatus.WAITING,
            or_(
                WorkshopRegistration.queued_at < registration.queued_at,
                (WorkshopRegistration.queued_at == registration.queued_at)
                & (WorkshopRegistration.id < registration.id),
            ),
        )
    )
    return (ahead or 0) + 1


def photo_owner(actor: Actor, workshop_id: int) -> OwnerView | None:
    """A workshop's minutes as the photos area sees them: public like the workshop,
    moderated by the facilitators of the residence's landlord (or the region's)."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        return None
    organisation = workshop.residence.organisation_id if workshop.residence else None
    return OwnerView(
        visible=True,
        scope=Scope(organisation_id=organisation),
        url=url_for("workshops.show", workshop_id=workshop.id),
    )


def photo_scope(workshop: Workshop) -> Scope:
    return Scope(organisation_id=workshop.residence.organisation_id if workshop.residence else None)


# --- choices for the form --------------------------------------------------------------


def host_choices() -> list[User]:
    """Who may host: facilitators, staff, landlord managers, admins, partners' members."""
    partners = select(Organisation.id).where(Organisation.kind == OrganisationKind.PARTNER)
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                or_(
                    User.role.in_([Role.FACILITATOR, Role.STAFF, Role.BAILLEUR, Role.ADMIN]),
                    User.organisation_id.in_(partners),
                ),
            )
            .order_by(User.display_name, User.id)
        )
    )


def residence_choices() -> list[Residence]:
    return list(
        db.session.scalars(
            select(Residence).options(joinedload(Residence.organisation)).order_by(Residence.name)
        )
    )


def challenge_choices() -> list[Challenge]:
    return list(db.session.scalars(select(Challenge).order_by(Challenge.title)))


def edition_choices() -> list[Edition]:
    return list(db.session.scalars(select(Edition).order_by(Edition.name.desc())))


def house_choices() -> list[House]:
    return list(
        db.session.scalars(
            select(House).options(joinedload(House.edition)).order_by(House.position, House.name)
        )
    )


# --- saving --------------------------------------------------------------------------


@dataclass
class WorkshopData:
    title: str
    description: str
    edition_id: int | None
    house_id: int | None
    challenge_ids: list[int]
    residence_id: int | None
    room: str
    address: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    host_ids: list[int]


class CapacityBelowRegistrations(Exception):
    """The capacity asked is below the places already taken: nothing was written."""


def save_workshop(actor: User, workshop: Workshop | None, data: WorkshopData) -> Workshop:
    """Create or change a workshop; the description is sanitised here, once. A larger
    capacity lets the first in line in (they are told)."""
    creating = workshop is None
    if workshop is None:
        workshop = Workshop(created_by_id=actor.id, registered_count=0)
        db.session.add(workshop)
    elif data.capacity < workshop.capacity:
        # Lowered in one conditional UPDATE: a registration at the same moment cannot
        # slip between a check and the change.
        lowered = db.session.execute(
            update(Workshop)
            .where(Workshop.id == workshop.id, Workshop.registered_count <= data.capacity)
            .values(capacity=data.capacity)
            .returning(Workshop.id)
            .execution_options(synchronize_session=False)
        ).first()
        if lowered is None:
            raise CapacityBelowRegistrations
        db.session.expire(workshop, ["capacity", "registered_count"])
    workshop.title = data.title
    workshop.description_source = data.description
    workshop.description_html = render_markdown(data.description)
    workshop.edition_id = data.edition_id
    workshop.house_id = data.house_id
    workshop.residence_id = data.residence_id
    workshop.room = data.room
    workshop.address = data.address
    workshop.starts_at = data.starts_at
    workshop.ends_at = data.ends_at
    grew = not creating and data.capacity > workshop.capacity
    workshop.capacity = data.capacity
    allowed_hosts = {u.id: u for u in host_choices()}
    workshop.hosts = [allowed_hosts[i] for i in data.host_ids if i in allowed_hosts]
    challenges = {c.id: c for c in challenge_choices()}
    workshop.challenges = [challenges[i] for i in data.challenge_ids if i in challenges]
    db.session.flush()
    audit(actor, "workshop.create" if creating else "workshop.update", workshop)
    if grew:
        fill_places(workshop.id)
    return workshop


# --- registration ----------------------------------------------------------------------


def _take_place(workshop_id: int) -> bool:
    """One place, in one conditional UPDATE; False when the workshop is full."""
    taken = db.session.execute(
        update(Workshop)
        .where(Workshop.id == workshop_id, Workshop.registered_count < Workshop.capacity)
        .values(registered_count=Workshop.registered_count + 1)
        .returning(Workshop.id)
        .execution_options(synchronize_session=False)
    ).first()
    return taken is not None


def _give_place_back(workshop_id: int) -> None:
    db.session.execute(
        update(Workshop)
        .where(Workshop.id == workshop_id, Workshop.registered_count > 0)
        .values(registered_count=Workshop.registered_count - 1)
        .execution_options(synchronize_session=False)
    )


def _claim_row(workshop_id: int, user_id: int, now: datetime) -> int | None:
    """This person's registration row, claimed for this request in the waiting status:
    a new row, or their cancelled one (back at the end of the line). None when they are
    registered, waiting or checked in already (a double tap)."""
    new_id = db.session.scalar(
        dialect_insert(WorkshopRegistration)
        .values(
            workshop_id=workshop_id,
            user_id=user_id,
            status=RegistrationStatus.WAITING.value,
            created_at=now,
            queued_at=now,
        )
        .on_conflict_do_nothing(index_elements=["workshop_id", "user_id"])
        .returning(WorkshopRegistration.id)
    )
    if new_id is not None:
        return cast(int, new_id)
    return db.session.scalar(
        update(WorkshopRegistration)
        .where(
            WorkshopRegistration.workshop_id == workshop_id,
            WorkshopRegistration.user_id == user_id,
            WorkshopRegistration.status.in_(
                [RegistrationStatus.CANCELLED, RegistrationStatus.NO_SHOW]
            ),
        )
        .values(
            status=RegistrationStatus.WAITING,
            queued_at=now,
            cancelled_at=None,
            promoted_at=None,
            reminder_sent_at=None,
        )
        .returning(WorkshopRegistration.id)
        .execution_options(synchronize_session=False)
    )


def register(workshop: Workshop, user: User) -> RegistrationStatus:
    """Sign the person up: a place if one is free, else the end of the waiting list.
    Returns the status they now have (unchanged on a double tap)."""
    now = utcnow()
    _pause("register")  # the view saw a free place (or not); the counter decides
    row_id = _claim_row(workshop.id, user.id, now)
    if row_id is None:
        current = registration_of(workshop.id, user.id)
        assert current is not None
        return current.status
    status = RegistrationStatus.WAITING
    if _take_place(workshop.id):
        status = RegistrationStatus.REGISTERED
        db.session.execute(
            update(WorkshopRegistration)
            .where(WorkshopRegistration.id == row_id)
            .values(status=status)
            .execution_options(synchronize_session=False)
        )
    db.session.expire_all()
    return status


def cancel(workshop: Workshop, user: User) -> bool:
    """Give one's place (or turn) back; the first in line gets the place and is told.
    False when there was nothing to cancel."""

    def cancelled(status: RegistrationStatus) -> bool:
        return (
            db.session.scalar(
                update(WorkshopRegistration)
                .where(
                    WorkshopRegistration.workshop_id == workshop.id,
                    WorkshopRegistration.user_id == user.id,
                    WorkshopRegistration.status == status,
                )
                .values(status=RegistrationStatus.CANCELLED, cancelled_at=utcnow())
                .returning(WorkshopRegistration.id)
                .execution_options(synchronize_session=False)
            )
            is not None
        )

    if cancelled(RegistrationStatus.REGISTERED):
        # A decrement, not a recount: on PostgreSQL it reads the row as the last writer
        # left it, where a count taken before the lock could miss a fresh registration.
        _give_place_back(workshop.id)
        fill_places(workshop.id)
        return True
    done = cancelled(RegistrationStatus.WAITING)
    db.session.expire_all()
    return done


def fill_places(workshop_id: int) -> list[int]:
    """Let the first in line in while places are free; each is told. Returns their ids."""
    promoted: list[int] = []
    while _take_place(workshop_id):
        first = db.session.scalar(
            select(WorkshopRegistration.id)
            .where(
                WorkshopRegistration.workshop_id == workshop_id,
                WorkshopRegistration.status == RegistrationStatus.WAITING,
            )
            .order_by(WorkshopRegistration.queued_at, WorkshopRegistration.id)
            .limit(1)
        )
        moved = None
        if first is not None:
            moved = db.session.scalar(
                update(WorkshopRegistration)
                .where(
                    WorkshopRegistration.id == first,
                    WorkshopRegistration.status == RegistrationStatus.WAITING,
                )
                .values(status=RegistrationStatus.REGISTERED, promoted_at=utcnow())
                .returning(WorkshopRegistration.id)
                .execution_options(synchronize_session=False)
            )
        if moved is None:
            _give_place_back(workshop_id)
            break
        promoted.append(moved)
    db.session.expire_all()
    for registration_id in promoted:
        _tell_promoted(registration_id)
    return promoted


def _workshop_link(workshop_id: int) -> str:
    return url_for("workshops.show", workshop_id=workshop_id)


def _when(workshop: Workshop) -> str:
    return f"{format_date(workshop.starts_at, 'full')}, {format_time(workshop.starts_at, 'short')}"


def _tell_promoted(registration_id: int) -> None:
    registration = db.session.get(WorkshopRegistration, registration_id)
    assert registration is not None
    user, workshop = registration.user, registration.workshop
    with force_locale(user.locale or "fr"):
        notify(
            user,
            NotificationKind.WORKSHOP_PROMOTED,
            _(
                "Une place s'est libérée : vous êtes inscrit·e à « %(title)s »",
                title=workshop.title,
            ),
            _workshop_link(workshop.id),
            body=_(
                "Rendez-vous le %(when)s, %(place)s. Si vous ne pouvez plus venir, "
                "désinscrivez-vous sur la page de l'atelier pour laisser la place.",
                when=_when(workshop),
                place=workshop.place_label,
            ),
        )


def cancel_upcoming_of(user: User) -> int:
    """Give back every place (or turn in line) the person holds at a workshop not yet
    begun (an erased account); returns how many."""
    ids = db.session.scalars(
        select(WorkshopRegistration.workshop_id)
        .join(Workshop, Workshop.id == WorkshopRegistration.workshop_id)
        .where(
            WorkshopRegistration.user_id == user.id,
            WorkshopRegistration.status.in_(
                [RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
            ),
            Workshop.starts_at > utcnow(),
        )
    ).all()
    for workshop_id in ids:
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        cancel(workshop, user)
    return len(ids)


# --- at the door and afterwards ----------------------------------------------------------


def check_in(registration_id: int, host: User) -> bool:
    """Mark the person present, once, in one conditional UPDATE (two hosts tapping the
    same name at once: one wins, nothing is doubled). True when this call marked them."""
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(WorkshopRegistration)
            .where(
                WorkshopRegistration.id == registration_id,
                WorkshopRegistration.status == RegistrationStatus.REGISTERED,
            )
            .values(
                status=RegistrationStatus.ATTENDED,
                checked_in_at=utcnow(),
                checked_in_by_id=host.id,
            )
            .execution_options(synchronize_session=False)
        ),
    )
    db.session.expire_all()
    return bool(result.rowcount)


def mark_absent(workshop: Workshop) -> int:
    """After the workshop: everyone registered but not checked in becomes absent (their
    places are given back with them, so the counter stays the places held). Returns how many."""
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(WorkshopRegistration)
            .where(
                WorkshopRegistration.workshop_id == workshop.id,
                WorkshopRegistration.status == RegistrationStatus.REGISTERED,
            )
            .values(status=RegistrationStatus.NO_SHOW)
            .execution_options(synchronize_session=False)
        ),
    )
    absent = result.rowcount or 0
    if absent:
        db.session.execute(
            update(Workshop)
            .where(Workshop.id == workshop.id)
            .values(registered_count=Workshop.registered_count - absent)
            .execution_options(synchronize_session=False)
        )
    db.session.expire_all()
    return absent


def save_minutes(actor: User, workshop: Workshop, source: str) -> None:
    """Publish (or correct) the minutes: sanitised here, once; audited."""
    workshop.minutes_source = source
    workshop.minutes_html = render_markdown(source)
    workshop.minutes_published_at = (workshop.minutes_published_at or utcnow()) if source else None
    db.session.flush()
    audit(actor, "workshop.minutes", workshop)


# --- the reminder of the day before --------------------------------------------------------


def send_reminders(now: datetime | None = None) -> int:
    """Tell each registered person of a workshop starting within REMINDER_HOURS, once:
    each row is claimed by a conditional UPDATE of `reminder_sent_at`, so a second run
    (or two at once) sends nothing more. By each person's preference. Returns how many."""
    now = now or utcnow()
    due = db.session.scalars(
        select(WorkshopRegistration.id)
        .join(Workshop, Workshop.id == WorkshopRegistration.workshop_id)
        .where(
            WorkshopRegistration.status == RegistrationStatus.REGISTERED,
            WorkshopRegistration.reminder_sent_at.is_(None),
            Workshop.starts_at > now,
            Workshop.starts_at <= now + timedelta(hours=REMINDER_HOURS),
        )
        .order_by(WorkshopRegistration.id)
    ).all()
    sent = 0
    for registration_id in due:
        claimed = db.session.scalar(
            update(WorkshopRegistration)
            .where(
                WorkshopRegistration.id == registration_id,
                WorkshopRegistration.reminder_sent_at.is_(None),
            )
            .values(reminder_sent_at=now)
            .returning(WorkshopRegistration.id)
            .execution_options(synchronize_session=False)
        )
        if claimed is None:
            continue
        registration = db.session.get(WorkshopRegistration, registration_id)
        assert registration is not None
        user, workshop = registration.user, registration.workshop
        with force_locale(user.locale or "fr"):
            notify(
                user,
                NotificationKind.WORKSHOP_REMINDER,
                _(
                    "Rappel : « %(title)s », le %(when)s",
                    title=workshop.title,
                    when=_when(workshop),
                ),
                _workshop_link(workshop.id),
                body=_(
                    "Rendez-vous le %(when)s, %(place)s. Vous ne pouvez plus venir ? "
                    "Désinscrivez-vous sur la page de l'atelier pour laisser la place.",
                    when=_when(workshop),
                    place=workshop.place_label,
                ),
            )
        sent += 1
    db.session.flush()
    return sent
