"""Pilots: promote selected ideas, edit, post updates with indicator values, follow, list.

Services change models and flush; the view commits once. Status moves go through
`ideation.domain.pilot_states.next_status`, which raises TransitionRefused before
anything is touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, cast

from flask import url_for
from sqlalchemy import CursorResult, delete, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, selectinload

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.core.audit import audit
from ideation.core.forms import FilterChoice
from ideation.core.loaders import or_404
from ideation.core.sanitize import render_markdown
from ideation.core.signals import pilot_updated
from ideation.core.sql import dialect_insert
from ideation.core.time import today
from ideation.db_types import utcnow
from ideation.domain.challenge_phases import N_
from ideation.domain.fabrique import LESSON_STATUSES, MATURITY_STATUSES, Maturity
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import Actor, Scope
from ideation.domain.pilot_states import (
    PilotStatus,
    TransitionRefused,
    check_budget,
    check_dates,
    check_progress,
    is_overdue,
    next_status,
)
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db
from ideation.fabrique.models import Edition, House
from ideation.ideas import lifecycle
from ideation.ideas.models import Idea, Support
from ideation.orgs.models import Organisation, Residence
from ideation.photos.services import OwnerView
from ideation.pilots.models import (
    Indicator,
    IndicatorValue,
    Pilot,
    PilotFollower,
    PilotIdea,
    PilotUpdate,
    VolunteerOffer,
    pilot_residences,
)
from ideation.voting.models import Ballot

PER_PAGE = 12
# Race tests set this to pause between the check and the write (tests/test_volunteer_races.py).
PAUSE_HOOK: Callable[[str], None] | None = None
OWNER_ROLES = (Role.STAFF, Role.BAILLEUR)


# --- loading -------------------------------------------------------------------------


def load_pilot(pilot_id: int, allowed: Callable[[Pilot], bool] | None = None) -> Pilot:
    """The pilot for a view: 404 if missing, 403 if `allowed` (a rule) refuses it."""
    return or_404(get_pilot(pilot_id), allowed)


def update_photo_owner(actor: Actor, update_id: int) -> OwnerView | None:
    """A pilot update as the photos area sees it: public like the pilot, moderated by the
    facilitators of the pilot's landlord."""
    update = db.session.get(PilotUpdate, update_id)
    if update is None:
        return None
    pilot = db.session.get(Pilot, update.pilot_id)
    if pilot is None:
        return None
    return OwnerView(
        visible=True,
        scope=Scope(organisation_id=pilot.organisation_id),
        url=url_for("pilots.show", pilot_id=pilot.id),
    )


def get_pilot(pilot_id: int) -> Pilot | None:
    """One pilot with what its page shows, in a fixed number of queries."""
    return db.session.scalar(
        select(Pilot)
        .where(Pilot.id == pilot_id)
        .options(
            joinedload(Pilot.organisation),
            joinedload(Pilot.owner),
            joinedload(Pilot.idea).joinedload(Idea.theme),
            joinedload(Pilot.challenge),
            joinedload(Pilot.house),
            joinedload(Pilot.edition),
            joinedload(Pilot.adopted_from).joinedload(Pilot.organisation),
            selectinload(Pilot.residences),
            selectinload(Pilot.partners),
        )
    )


def pilot_ideas(pilot_id: int) -> list[Idea]:
    """The ideas the pilot carries out (originating first)."""
    return list(
        db.session.scalars(
            select(Idea)
            .join(PilotIdea, PilotIdea.idea_id == Idea.id)
            .where(PilotIdea.pilot_id == pilot_id)
            .order_by(PilotIdea.id)
            .options(joinedload(Idea.author))
        )
    )


def pilot_of_idea(idea_id: int) -> Pilot | None:
    return db.session.scalar(
        select(Pilot)
        .join(PilotIdea, PilotIdea.pilot_id == Pilot.id)
        .where(PilotIdea.idea_id == idea_id)
    )


def timeline(pilot_id: int) -> list[PilotUpdate]:
    """The updates, newest first, with their indicator values (three queries)."""
    return list(
        db.session.scalars(
            select(PilotUpdate)
            .where(PilotUpdate.pilot_id == pilot_id)
            .order_by(PilotUpdate.happened_on.desc(), PilotUpdate.id.desc())
            .options(
                joinedload(PilotUpdate.author),
                selectinload(PilotUpdate.values).joinedload(IndicatorValue.indicator),
            )
        )
    )


def indicators(pilot_id: int) -> list[Indicator]:
    return list(
        db.session.scalars(
            select(Indicator)
            .where(Indicator.pilot_id == pilot_id)
            .order_by(Indicator.id)
            .options(selectinload(Indicator.values))
        )
    )


def landlords() -> list[Organisation]:
    """The organisations that may run a pilot (landlords, not the regional association)."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrganisationKind.LANDLORD)
            .order_by(Organisation.name)
        )
    )


def partners() -> list[Organisation]:
    """The partner organisations that may co-lead a pilot."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrganisationKind.PARTNER)
            .order_by(Organisation.name)
        )
    )


def residences_of(organisation_ids: Iterable[int]) -> list[Residence]:
    return list(
        db.session.scalars(
            select(Residence)
            .where(Residence.organisation_id.in_(list(organisation_ids)))
            .options(joinedload(Residence.organisation))
            .order_by(Residence.name)
        )
    )


def possible_owners(organisation_ids: Iterable[int]) -> list[User]:
    """Staff and landlord managers of these organisations: who may own a pilot."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organisation_id.in_(list(organisation_ids)),
                User.role.in_(OWNER_ROLES),
                User.active.is_(True),
            )
            .options(joinedload(User.organisation))
            .order_by(User.display_name)
        )
    )


# --- promotion -----------------------------------------------------------------------


@dataclass
class PilotData:
    title: str
    description: str
    organisation_id: int
    residence_ids: list[int]
    owner_id: int | None
    planned_start: date | None
    planned_end: date | None
    budget_planned: Decimal
    budget_spent: Decimal
    partner_ids: list[int] = field(default_factory=list)


def check_data(data: PilotData) -> None:
    """The pilot's own rules (dates in order, exact amounts); the owner and the residences
    must belong to the landlord that runs it. Raises TransitionRefused."""
    check_dates(data.planned_start, data.planned_end)
    check_budget(data.budget_planned, data.budget_spent)
    if data.residence_ids:
        found = set(
            db.session.scalars(
                select(Residence.id).where(
                    Residence.id.in_(data.residence_ids),
                    Residence.organisation_id == data.organisation_id,
                )
            )
        )
        if found != set(data.residence_ids):
            raise TransitionRefused(N_("Choisissez des résidences de ce bailleur."))
    if data.owner_id is not None:
        owner = db.session.get(User, data.owner_id)
        if (
            owner is None
            or owner.organisation_id != data.organisation_id
            or owner.role not in OWNER_ROLES
        ):
            raise TransitionRefused(N_("Le ou la responsable doit travailler chez ce bailleur."))
    if data.partner_ids:
        found = set(
            db.session.scalars(
                select(Organisation.id).where(
                    Organisation.id.in_(data.partner_ids),
                    Organisation.kind == OrganisationKind.PARTNER,
                )
            )
        )
        if found != set(data.partner_ids):
            raise TransitionRefused(N_("Choisissez des partenaires dans la liste."))


def _apply(pilot: Pilot, data: PilotData) -> None:
    pilot.title = data.title
    pilot.description_source = data.description
    pilot.description_html = render_markdown(data.description)  # sanitised once, here
    pilot.organisation_id = data.organisation_id
    pilot.owner_id = data.owner_id
    pilot.planned_start = data.planned_start
    pilot.planned_end = data.planned_end
    pilot.budget_planned = data.budget_planned
    pilot.budget_spent = data.budget_spent
    pilot.residences = (
        list(db.session.scalars(select(Residence).where(Residence.id.in_(data.residence_ids))))
        if data.residence_ids
        else []
    )
    pilot.partners = (
        list(db.session.scalars(select(Organisation).where(Organisation.id.in_(data.partner_ids))))
        if data.partner_ids
        else []
    )


def groupable_ideas(idea: Idea) -> list[Idea]:
    """Other selected ideas of the same challenge that may be carried out by the same pilot."""
    return list(
        db.session.scalars(
            select(Idea)
            .where(
                Idea.challenge_id == idea.challenge_id,
                Idea.status == IdeaStatus.SELECTED,
                Idea.id != idea.id,
            )
            .order_by(Idea.id)
        )
    )


def follower_ids(ideas: list[Idea]) -> set[int]:
    """Who follows a new pilot: the ideas' authors (with the authors of ideas merged into
    them), their supporters, and the voters who ranked one of them."""
    ids = [i.id for i in ideas]
    if not ids:
        return set()
    users: set[int] = set()
    users.update(
        db.session.scalars(
            select(Idea.author_id).where(
                or_(Idea.id.in_(ids), Idea.merged_into_id.in_(ids)), Idea.author_id.is_not(None)
            )
        )
    )
    merged = select(Idea.id).where(Idea.merged_into_id.in_(ids))
    users.update(
        db.session.scalars(
            select(Support.user_id).where(
                or_(Support.idea_id.in_(ids), Support.idea_id.in_(merged))
            )
        )
    )
    # A ranking is JSON; reading the challenge's ballots once is portable on both databases.
    wanted = set(ids)
    challenge_ids = {i.challenge_id for i in ideas}
    for voter_id, ranking in db.session.execute(
        select(Ballot.voter_id, Ballot.ranking).where(
            Ballot.challenge_id.in_(challenge_ids), Ballot.voter_id.is_not(None)
        )
    ):
        if any(member in wanted for group in ranking or [] for member in group):
            users.add(cast(int, voter_id))  # the query excludes anonymous (NULL) voters
    # Those who offered to help on one of the ideas (issue 12).
    users.update(
        db.session.scalars(select(VolunteerOffer.user_id).where(VolunteerOffer.idea_id.in_(ids)))
    )
    return users


def add_followers(pilot_id: int, user_ids: Iterable[int]) -> None:
    rows = [
        {"pilot_id": pilot_id, "user_id": uid, "created_at": utcnow()}
        for uid in sorted(set(user_ids))
    ]
    if rows:
        db.session.execute(
            dialect_insert(PilotFollower)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["pilot_id", "user_id"])
        )


def promote(idea: Idea, creator: User, data: PilotData, grouped: list[Idea] | None = None) -> Pilot:
    """A facilitator turns a selected idea (and maybe others selected with it) into a pilot.

    Every idea moves to "piloted" (refused before anything changes if one cannot);
    the authors, supporters and voters who ranked them follow the pilot."""
    ideas = [idea, *(grouped or [])]
    lifecycle.check_pilot(ideas)  # all checked before any change
    check_data(data)
    challenge = db.session.get(Challenge, idea.challenge_id)
    pilot = Pilot(
        idea_id=idea.id,
        challenge_id=idea.challenge_id,
        # The house and edition it is born of: the idea's house, else its challenge's.
        house_id=idea.theme_id or (challenge.theme_id if challenge else None),
        edition_id=challenge.edition_id if challenge else None,
        created_by_id=creator.id,
        status=PilotStatus.PROPOSED,
        progress=0,
    )
    _apply(pilot, data)
    db.session.add(pilot)
    db.session.flush()
    for each in ideas:
        db.session.add(PilotIdea(pilot_id=pilot.id, idea_id=each.id))
    lifecycle.pilot(creator, ideas, pilot.id)
    db.session.flush()
    add_followers(pilot.id, follower_ids(ideas))
    db.session.flush()
    return pilot


def update_pilot(pilot: Pilot, data: PilotData) -> None:
    """The landlord changes the pilot's text, residences, owner, dates or budget."""
    data.organisation_id = pilot.organisation_id  # never moved to another landlord by a form
    check_data(data)
    _apply(pilot, data)
    pilot.updated_at = utcnow()
    db.session.flush()


# --- indicators and updates ----------------------------------------------------------


def add_indicator(
    pilot: Pilot, name: str, unit: str, baseline: Decimal | None, target: Decimal | None
) -> Indicator:
    exists = db.session.scalar(
        select(Indicator.id).where(Indicator.pilot_id == pilot.id, Indicator.name == name)
    )
    if exists is not None:
        raise TransitionRefused(N_("Ce projet a déjà un indicateur de ce nom."))
    indicator = Indicator(pilot_id=pilot.id, name=name, unit=unit, baseline=baseline, target=target)
    db.session.add(indicator)
    db.session.flush()
    return indicator


@dataclass
class UpdateData:
    happened_on: date
    body: str
    new_status: PilotStatus | None = None
    reason: str | None = None
    new_progress: int | None = None
    values: dict[int, Decimal] = field(default_factory=dict)  # indicator id -> value


def post_update(pilot: Pilot, author: User, data: UpdateData) -> PilotUpdate:
    """A point d'étape: the timeline entry, the status and progress it moves, the indicator
    values it records; then every follower is told (by their notification preferences)."""
    target = None
    if data.new_status is not None:
        target = next_status(pilot.status, data.new_status, data.reason)
    progress = check_progress(data.new_progress)
    known = set(db.session.scalars(select(Indicator.id).where(Indicator.pilot_id == pilot.id)))
    if set(data.values) - known:
        raise TransitionRefused(N_("Cet indicateur n'appartient pas à ce projet."))
    update = PilotUpdate(
        pilot_id=pilot.id,
        author_id=author.id,
        happened_on=data.happened_on,
        body_source=data.body,
        body_html=render_markdown(data.body),
        new_status=target,
        new_progress=progress,
    )
    db.session.add(update)
    db.session.flush()
    for indicator_id, value in sorted(data.values.items()):
        db.session.add(
            IndicatorValue(
                indicator_id=indicator_id,
                update_id=update.id,
                measured_on=data.happened_on,
                value=value,
            )
        )
    if target is not None:
        pilot.status = target
        if target == PilotStatus.STOPPED:
            pilot.status_reason = data.reason.strip() if data.reason else None
        if target == PilotStatus.GENERALISED and progress is None:
            progress = 100
    if progress is not None:
        pilot.progress = progress
    pilot.updated_at = utcnow()
    db.session.flush()
    notify_followers(pilot, update, author)
    return update


def notify_followers(pilot: Pilot, update: PilotUpdate, author: User) -> int:
    """Announce an update to the pilot's followers (not its author); the notifications
    area tells them. Returns how many followers were told."""
    follower_ids = list(
        db.session.scalars(
            select(User.id)
            .join(PilotFollower, PilotFollower.user_id == User.id)
            .where(PilotFollower.pilot_id == pilot.id, User.id != author.id, User.active.is_(True))
        )
    )
    pilot_updated.send(pilot, update=update, follower_ids=follower_ids, actor=author)
    return len(follower_ids)


# --- following -----------------------------------------------------------------------


def is_following(pilot_id: int, user_id: int | None) -> bool:
    if not user_id:
        return False
    return (
        db.session.scalar(
            select(PilotFollower.id).where(
                PilotFollower.pilot_id == pilot_id, PilotFollower.user_id == user_id
            )
        )
        is not None
    )


def set_following(pilot: Pilot, user_id: int, on: bool) -> None:
    """Follow or stop following; idempotent (double clicks and races settle on the constraint)."""
    if on:
        add_followers(pilot.id, [user_id])
    else:
        db.session.execute(
            delete(PilotFollower).where(
                PilotFollower.pilot_id == pilot.id, PilotFollower.user_id == user_id
            )
        )
    db.session.flush()


def followers_count(pilot_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(PilotFollower)
            .where(PilotFollower.pilot_id == pilot_id)
        )
        or 0
    )


# --- the public list -----------------------------------------------------------------


@dataclass
class PilotFilters:
    organisation: int | None = None
    status: str | None = None
    theme: int | None = None
    residence: int | None = None
    edition: int | None = None
    page: int = 1


@dataclass
class PilotFilterValues:
    """What the pilots list's filters offer: only values some pilot holds."""

    landlords: list[FilterChoice]
    statuses: list[PilotStatus]
    houses: list[FilterChoice]
    editions: list[FilterChoice]
    residences: list[FilterChoice]


def pilot_filter_values(filters: PilotFilters) -> PilotFilterValues:
    """The landlords, statuses, houses, editions and residences of the pilots, so that no
    choice leads to an empty list: one grouped query. A value the address already chose
    stays offered, even when no pilot holds it any more."""
    columns = (
        Pilot.organisation_id,
        Organisation.name,
        Pilot.status,
        House.id,
        House.name,
        House.position,
        Edition.id,
        Edition.name,
        Edition.starts_on,
        Residence.id,
        Residence.name,
        Residence.city,
    )
    rows = db.session.execute(
        select(*columns)
        .select_from(Pilot)
        .join(Organisation, Organisation.id == Pilot.organisation_id)
        .outerjoin(House, House.id == Pilot.house_id)
        .outerjoin(Edition, Edition.id == Pilot.edition_id)
        .outerjoin(pilot_residences, pilot_residences.c.pilot_id == Pilot.id)
        .outerjoin(Residence, Residence.id == pilot_residences.c.residence_id)
        .group_by(*columns)
    ).all()
    landlords: dict[int, str] = {}
    statuses: set[PilotStatus] = set()
    houses: dict[int, tuple[int, str]] = {}
    editions: dict[int, tuple[date | None, str]] = {}
    residences: dict[int, str] = {}
    for (
        org_id,
        org_name,
        status,
        house_id,
        house,
        position,
        ed_id,
        ed,
        starts,
        res_id,
        res,
        city,
    ) in (tuple(row) for row in rows):
        landlords[org_id] = org_name
        statuses.add(status)
        if house_id is not None:
            houses[house_id] = (position, house)
        if ed_id is not None:
            editions[ed_id] = (starts, ed)
        if res_id is not None:
            residences[res_id] = f"{res} ({city})"
    if filters.organisation and filters.organisation not in landlords:
        if org := db.session.get(Organisation, filters.organisation):
            landlords[org.id] = org.name
    if filters.theme and filters.theme not in houses:
        if chosen_house := db.session.get(House, filters.theme):
            houses[chosen_house.id] = (chosen_house.position, chosen_house.name)
    if filters.edition and filters.edition not in editions:
        if chosen_edition := db.session.get(Edition, filters.edition):
            editions[chosen_edition.id] = (chosen_edition.starts_on, chosen_edition.name)
    if filters.residence and filters.residence not in residences:
        if chosen_residence := db.session.get(Residence, filters.residence):
            residences[chosen_residence.id] = chosen_residence.label

    def latest_first(item: tuple[int, tuple[date | None, str]]) -> tuple:
        starts, name = item[1]
        return (starts is None, -(starts.toordinal() if starts else 0), name)

    return PilotFilterValues(
        landlords=[FilterChoice(i, n) for i, n in sorted(landlords.items(), key=lambda o: o[1])],
        statuses=[s for s in PilotStatus if s in statuses or s.value == filters.status],
        houses=[FilterChoice(i, h[1]) for i, h in sorted(houses.items(), key=lambda h: h[1])],
        editions=[FilterChoice(i, e[1]) for i, e in sorted(editions.items(), key=latest_first)],
        residences=[
            FilterChoice(i, label) for i, label in sorted(residences.items(), key=lambda r: r[1])
        ],
    )


def list_pilots(filters: PilotFilters):  # type: ignore[no-untyped-def]
    """One page of pilots, filtered by landlord, status, theme and residence (allowlisted values)."""
    query = (
        select(Pilot)
        .outerjoin(Idea, Idea.id == Pilot.idea_id)
        .outerjoin(Challenge, Challenge.id == Pilot.challenge_id)
        .options(
            joinedload(Pilot.organisation),
            selectinload(Pilot.residences),
            joinedload(Pilot.house),
        )
        .order_by(Pilot.updated_at.desc(), Pilot.id.desc())
    )
    if filters.organisation:
        query = query.where(Pilot.organisation_id == filters.organisation)
    if filters.status in {s.value for s in PilotStatus}:
        query = query.where(Pilot.status == PilotStatus(filters.status))
    if filters.theme:
        query = query.where(Pilot.house_id == filters.theme)
    if filters.edition:
        query = query.where(Pilot.edition_id == filters.edition)
    if filters.residence:
        query = query.where(
            Pilot.id.in_(
                select(pilot_residences.c.pilot_id).where(
                    pilot_residences.c.residence_id == filters.residence
                )
            )
        )
    return db.paginate(query, page=max(filters.page, 1), per_page=PER_PAGE, error_out=False)


def is_late(pilot: Pilot, on: date | None = None) -> bool:
    return is_overdue(pilot.status, pilot.planned_end, on or today())


# --- volunteering ("Je veux aider", issue 12) ---------------------------------------------


def _target(idea_id: int | None, pilot_id: int | None):  # type: ignore[no-untyped-def]
    if (idea_id is None) == (pilot_id is None):
        raise ValueError("an offer is on an idea or on a pilot")
    return (
        VolunteerOffer.idea_id == idea_id
        if idea_id is not None
        else VolunteerOffer.pilot_id == pilot_id
    )


def offer_help(
    user_id: int, what: str, *, idea_id: int | None = None, pilot_id: int | None = None
) -> bool:
    """Record an offer of help, once: the unique constraint settles double taps and races
    (never check-then-insert). The volunteer follows the pilot (the idea's, once it is one).
    True when a new offer was written."""
    _target(idea_id, pilot_id)
    if PAUSE_HOOK is not None:
        PAUSE_HOOK("offer")
    # RETURNING tells whether this request wrote the row (a rowcount is not reliable for
    # ON CONFLICT DO NOTHING on every driver).
    written = (
        db.session.scalar(
            dialect_insert(VolunteerOffer)
            .values(
                user_id=user_id, idea_id=idea_id, pilot_id=pilot_id, what=what, created_at=utcnow()
            )
            .on_conflict_do_nothing(
                index_elements=["user_id", "idea_id" if idea_id is not None else "pilot_id"]
            )
            .returning(VolunteerOffer.id)
        )
        is not None
    )
    followed = pilot_id if pilot_id is not None else None
    if idea_id is not None:
        pilot = pilot_of_idea(idea_id)
        followed = pilot.id if pilot is not None else None
    if followed is not None:
        add_followers(followed, [user_id])
    db.session.flush()
    return written


def withdraw_offer(
    user_id: int, *, idea_id: int | None = None, pilot_id: int | None = None
) -> bool:
    """Take one's offer back (the person keeps following the pilot until they stop)."""
    result = cast(
        CursorResult[Any],
        db.session.execute(
            delete(VolunteerOffer).where(
                VolunteerOffer.user_id == user_id, _target(idea_id, pilot_id)
            )
        ),
    )
    return bool(result.rowcount)


def offers_count(*, idea_id: int | None = None, pilot_id: int | None = None) -> int:
    """The public count of offers (one query)."""
    return (
        db.session.scalar(
            select(func.count()).select_from(VolunteerOffer).where(_target(idea_id, pilot_id))
        )
        or 0
    )


def my_offer(
    user_id: int | None, *, idea_id: int | None = None, pilot_id: int | None = None
) -> VolunteerOffer | None:
    if not user_id:
        return None
    return db.session.scalar(
        select(VolunteerOffer).where(VolunteerOffer.user_id == user_id, _target(idea_id, pilot_id))
    )


def offers(*, idea_id: int | None = None, pilot_id: int | None = None) -> list[VolunteerOffer]:
    """Every offer with its volunteer (for those the rule lets see them), oldest first."""
    return list(
        db.session.scalars(
            select(VolunteerOffer)
            .where(_target(idea_id, pilot_id))
            .options(joinedload(VolunteerOffer.user))
            .order_by(VolunteerOffer.created_at, VolunteerOffer.id)
        )
    )


# --- the library of innovations: lessons, adoption, the catalogue ----------------------

# PAUSE_HOOK (above) is also called with "adopt" between the check that the landlord has
# no copy yet and the insert, so the race with a second request is hit on every run.


@dataclass
class LessonsData:
    lessons: str
    costs: str
    conditions: str


def write_lessons(pilot: Pilot, data: LessonsData) -> None:
    """ "Ce que nous avons appris": each text sanitised here, once. Refused before evaluation."""
    if pilot.status not in LESSON_STATUSES:
        raise TransitionRefused(N_("Ce que vous avez appris s'écrit à l'évaluation du projet."))
    pilot.lessons_source, pilot.lessons_html = data.lessons, render_markdown(data.lessons)
    pilot.costs_source, pilot.costs_html = data.costs, render_markdown(data.costs)
    pilot.conditions_source = data.conditions
    pilot.conditions_html = render_markdown(data.conditions)
    pilot.updated_at = utcnow()
    db.session.flush()


class AlreadyAdopted(Exception):
    """The landlord already runs a copy of this pilot; `copy_id` says which."""

    def __init__(self, copy_id: int | None) -> None:
        super().__init__(copy_id)
        self.copy_id = copy_id


def original_of(pilot: Pilot) -> Pilot:
    """The pilot a copy takes up, or the pilot itself: adoptions always point at it."""
    return pilot.adopted_from if pilot.adopted_from is not None else pilot


def copy_in(organisation_id: int, original_id: int) -> int | None:
    """The id of the organisation's copy of a pilot, if it has one (or runs the original)."""
    return db.session.scalar(
        select(Pilot.id).where(
            Pilot.organisation_id == organisation_id,
            or_(Pilot.adopted_from_id == original_id, Pilot.id == original_id),
        )
    )


def adopt(pilot: Pilot, adopter: User) -> Pilot:
    """A landlord manager takes up a pilot: a new pilot in her organisation, proposed, that
    keeps its lineage (the original, its house and edition, its description and lessons).

    A second adoption by the same landlord is refused (AlreadyAdopted), also when two
    requests race: the unique constraint (adopted_from_id, organisation_id) decides, inside
    a savepoint, so the request answers with a message and never a 500."""
    assert adopter.organisation_id is not None
    original = original_of(pilot)
    existing = copy_in(adopter.organisation_id, original.id)
    if existing is not None:
        raise AlreadyAdopted(existing)
    if PAUSE_HOOK is not None:
        PAUSE_HOOK("adopt")
    copy = Pilot(
        organisation_id=adopter.organisation_id,
        adopted_from_id=original.id,
        house_id=original.house_id,
        edition_id=original.edition_id,
        owner_id=adopter.id,
        created_by_id=adopter.id,
        title=original.title,
        description_source=original.description_source,
        description_html=original.description_html,
        status=PilotStatus.PROPOSED,
        progress=0,
    )
    try:
        with db.session.begin_nested():
            db.session.add(copy)
            db.session.flush()
    except IntegrityError:
        raise AlreadyAdopted(copy_in(adopter.organisation_id, original.id)) from None
    add_followers(copy.id, [adopter.id])
    audit(adopter, "pilot.adopt", original, details={"copy_id": copy.id})
    db.session.flush()
    return copy


def adoptions(pilot_id: int) -> list[Pilot]:
    """The copies of a pilot, with their landlords (one query)."""
    return list(
        db.session.scalars(
            select(Pilot)
            .where(Pilot.adopted_from_id == pilot_id)
            .options(joinedload(Pilot.organisation))
            .order_by(Pilot.created_at, Pilot.id)
        )
    )


def pilot_is_open(pilot: Pilot) -> bool:
    """Help is still useful: the pilot is neither generalised nor stopped."""
    return pilot.status not in {PilotStatus.GENERALISED, PilotStatus.STOPPED}


def adoption_counts(pilot_ids: list[int]) -> dict[int, int]:
    """How many landlords took up each pilot, in one grouped query."""
    if not pilot_ids:
        return {}
    return dict(
        db.session.execute(
            select(Pilot.adopted_from_id, func.count())
            .where(Pilot.adopted_from_id.in_(pilot_ids))
            .group_by(Pilot.adopted_from_id)
        ).all()  # type: ignore[arg-type]
    )


@dataclass
class LibraryFilters:
    q: str = ""
    house: int | None = None
    organisation: int | None = None
    maturity: str | None = None
    edition: int | None = None
    page: int = 1


LIBRARY_PER_PAGE = 12


def library(filters: LibraryFilters, match_ids=None):  # type: ignore[no-untyped-def]
    """One page of the library of innovations: every pilot of every landlord, filtered by
    house, landlord, maturity and edition (allowlisted values), and by the ids a French
    search matched (`match_ids`, a subquery of pilot ids) when there is a query."""
    query = (
        select(Pilot)
        .options(
            joinedload(Pilot.organisation),
            joinedload(Pilot.house),
            joinedload(Pilot.edition),
        )
        .order_by(Pilot.updated_at.desc(), Pilot.id.desc())
    )
    if match_ids is not None:
        query = query.where(Pilot.id.in_(match_ids))
    if filters.house:
        query = query.where(Pilot.house_id == filters.house)
    if filters.organisation:
        query = query.where(Pilot.organisation_id == filters.organisation)
    if filters.edition:
        query = query.where(Pilot.edition_id == filters.edition)
    if filters.maturity in {m.value for m in Maturity}:
        kind = Maturity(filters.maturity)
        copy = aliased(Pilot)
        taken_up = exists().where(copy.adopted_from_id == Pilot.id)
        if kind == Maturity.ADOPTED:
            query = query.where(taken_up)
        else:
            query = query.where(Pilot.status.in_(MATURITY_STATUSES[kind]), ~taken_up)
    return db.paginate(query, page=max(filters.page, 1), per_page=LIBRARY_PER_PAGE, error_out=False)
