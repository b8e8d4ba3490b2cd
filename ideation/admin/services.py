"""Administration: list, create and change organisations, residences, accounts, invitations.

Every change writes its audit row here, in the caller's transaction; services flush,
never commit (the view commits once). Permission checks stay in the views, through
`ideation.domain.permissions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from ideation.auth.models import User
from ideation.core.audit import audit
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import N_
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db
from ideation.orgs.models import Invitation, Organisation, Residence
from ideation.orgs.services import code_in_use, create_invitation

PER_PAGE = 20


def _paginate(query: Select, page: int) -> Pagination:
    return db.paginate(query, page=page, per_page=PER_PAGE)


# --- organisations -------------------------------------------------------------------


@dataclass
class OrganisationPage:
    """One page of organisations, with how many residences and accounts each has."""

    rows: Pagination
    n_residences: dict[int, int]
    n_users: dict[int, int]


def list_organisations(page: int) -> OrganisationPage:
    """Organisations by name, one page, with their counts in two grouped queries."""
    rows = _paginate(select(Organisation).order_by(Organisation.name), page)
    ids = [o.id for o in rows.items]
    # Two grouped counts for the whole page, not two queries per organisation.
    n_residences = dict(
        db.session.execute(
            select(Residence.organisation_id, func.count())
            .where(Residence.organisation_id.in_(ids))
            .group_by(Residence.organisation_id)
        ).all()
    )
    # organisation_id IN (...) leaves out users without an organisation (NULL).
    n_users = cast(
        dict[int, int],
        dict(
            db.session.execute(
                select(User.organisation_id, func.count())
                .where(User.organisation_id.in_(ids))
                .group_by(User.organisation_id)
            ).all()
        ),
    )
    return OrganisationPage(rows=rows, n_residences=n_residences, n_users=n_users)


def organisation_choices() -> list[tuple[int, str]]:
    """(id, name) of every organisation, by name: the options of a select field."""
    return [
        (o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
    ]


def slug_taken(slug: str, except_id: int | None = None) -> bool:
    """Whether another organisation already has this short identifier."""
    return (
        db.session.scalar(
            select(Organisation.id).where(
                Organisation.slug == slug, Organisation.id != (except_id or 0)
            )
        )
        is not None
    )


def organisation_change_refusal(org: Organisation | None, kind: OrganisationKind) -> str | None:
    """Why this organisation may not take this kind, if it may not (French, for N_)."""
    if org is None or org.kind == kind:
        return None
    if kind != OrganisationKind.LANDLORD and org.residences:
        return N_("Seul un bailleur a des résidences : déplacez-les d'abord.")
    if kind == OrganisationKind.PARTNER:
        privileged = db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.organisation_id == org.id, User.role.not_in(list(rules.PARTNER_ROLES)))
        )
        if privileged:
            return N_(
                "Un partenaire n'a que des participant·es : changez d'abord les rôles de ses comptes."
            )
    return None


def save_organisation(
    org: Organisation | None,
    *,
    name: str,
    slug: str,
    kind: OrganisationKind,
    actor: User,
    partner_label: str | None = None,
) -> Organisation:
    """Create an organisation (`org` is None) or change one, and journal it."""
    created = org is None
    if org is None:
        org = Organisation()
        db.session.add(org)
    org.name = name
    org.slug = slug
    org.kind = kind
    org.partner_label = (partner_label or None) if kind == OrganisationKind.PARTNER else None
    audit(
        actor,
        "organisation.create" if created else "organisation.update",
        org,
        details={"slug": org.slug, "kind": org.kind.value},
    )
    return org


# --- residences ----------------------------------------------------------------------


def list_residences(page: int, organisation_id: int | None = None) -> Pagination:
    """Residences by city then name, one page, optionally of one organisation."""
    query = (
        select(Residence)
        .options(joinedload(Residence.organisation))
        .order_by(Residence.city, Residence.name)
    )
    if organisation_id:
        query = query.where(Residence.organisation_id == organisation_id)
    return _paginate(query, page)


def landlord_choices() -> list[tuple[int, str]]:
    """(id, name) of the landlords: residences belong to them only."""
    return [
        (o.id, o.name)
        for o in db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrganisationKind.LANDLORD)
            .order_by(Organisation.name)
        )
    ]


def residences_of(organisation_ids: list[int]) -> list[Residence]:
    """The residences of these organisations, by name."""
    return list(
        db.session.scalars(
            select(Residence)
            .where(Residence.organisation_id.in_(organisation_ids))
            .order_by(Residence.name)
        )
    )


def save_residence(
    residence: Residence | None,
    *,
    organisation_id: int,
    name: str,
    city: str,
    quartier: str | None,
    actor: User,
    dwellings: int | None = None,
) -> Residence:
    """Create a residence (`residence` is None) or change one, and journal it."""
    created = residence is None
    if residence is None:
        residence = Residence()
        db.session.add(residence)
    residence.organisation_id = organisation_id
    residence.name = name
    residence.city = city
    residence.quartier = quartier or None
    residence.dwellings = dwellings
    audit(
        actor,
        "residence.create" if created else "residence.update",
        residence,
        details={"city": residence.city},
    )
    return residence


# --- accounts ------------------------------------------------------------------------


def search_users(
    page: int, q: str = "", role: Role | None = None, organisation_id: int | None = None
) -> Pagination:
    """Accounts, newest first, matching a piece of name or e-mail, a role, an organisation."""
    query = (
        select(User)
        .options(joinedload(User.organisation))
        .order_by(User.created_at.desc(), User.id.desc())
    )
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.display_name).like(like), User.email.like(like)))
    if role is not None:
        query = query.where(User.role == role)
    if organisation_id:
        query = query.where(User.organisation_id == organisation_id)
    return _paginate(query, page)


def update_user(
    user: User, *, role: Role, organisation_id: int, active: bool, actor: User
) -> dict[str, list]:
    """Change an account's role, organisation or active flag; journal what changed.

    A deactivated account is signed out everywhere. Returns the changes as
    {field: [before, after]} (empty when nothing changed, and then no audit row)."""
    before = {
        "role": user.role.value,
        "organisation_id": user.organisation_id,
        "active": user.active,
    }
    was_active = user.active
    user.role = role
    user.organisation_id = organisation_id
    user.active = active
    if was_active and not user.active:
        user.rotate_session_token()
    after = {
        "role": user.role.value,
        "organisation_id": user.organisation_id,
        "active": user.active,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        audit(actor, "user.update", user, details=changes)
    db.session.flush()
    return changes


# --- invitations ---------------------------------------------------------------------


def list_invitations(actor: rules.Actor, page: int) -> Pagination:
    """Invitation codes, newest first: all of them for an admin, else the actor's organisation's
    (and, for the regional association's facilitators, the partners')."""
    query = (
        select(Invitation)
        .options(joinedload(Invitation.organisation), joinedload(Invitation.residence))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    if not rules.is_admin(actor):
        mine = Invitation.organisation_id == actor.organisation_id
        if rules.invites_partners(actor):
            partners = select(Organisation.id).where(Organisation.kind == OrganisationKind.PARTNER)
            mine = mine | Invitation.organisation_id.in_(partners)
        query = query.where(mine)
    return _paginate(query, page)


def invitation_organisation_choices(actor: rules.Actor) -> list[tuple[int, str]]:
    """The organisations the actor may invite into: all for an admin, else their own."""
    if rules.is_admin(actor):
        return organisation_choices()
    org = db.session.get(Organisation, actor.organisation_id) if actor.organisation_id else None
    choices = [(org.id, org.name)] if org else []
    if rules.invites_partners(actor):
        choices += [
            (o.id, o.name)
            for o in db.session.scalars(
                select(Organisation)
                .where(Organisation.kind == OrganisationKind.PARTNER)
                .order_by(Organisation.name)
            )
        ]
    return choices


def invitation_code_taken(code: str) -> bool:
    """Is this code already an invitation's (whatever its state: an old poster may hang)
    or a dwelling letter's?"""
    return code_in_use(code)


def is_partner(organisation_id: int | None) -> bool:
    org = db.session.get(Organisation, organisation_id) if organisation_id else None
    return org is not None and org.is_partner


def invite(
    *,
    organisation_id: int,
    residence_id: int | None,
    role: Role,
    days_valid: int,
    max_uses: int,
    actor: User,
    code: str | None = None,
) -> Invitation:
    """Create an invitation code (for a flyer) and journal it; `code`: one an admin chose
    (checked by the view), otherwise one is drawn."""
    invitation = create_invitation(
        code=code,
        organisation_id=organisation_id,
        residence_id=residence_id,
        role=role,
        days_valid=days_valid,
        max_uses=max_uses,
        created_by_id=actor.id,
    )
    audit(
        actor,
        "invitation.create",
        invitation,
        details={"role": invitation.role.value, "max_uses": invitation.max_uses},
    )
    return invitation


def deactivate_invitation(invitation: Invitation, actor: User) -> None:
    """Stop a code from being used, and journal it."""
    invitation.active = False
    audit(actor, "invitation.deactivate", invitation)
