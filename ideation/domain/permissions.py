"""Who may do what: the one vocabulary of rules, over a small frozen Actor value.

Pure Python: views call these after loading an object and answer 403 when a rule
says no; the same functions are Jinja globals so a button shown is a button that
works. See DOMAIN.md, "Roles and what they may do".
"""

from __future__ import annotations

from dataclasses import dataclass

from ideation.domain.roles import Role


@dataclass(frozen=True, slots=True)
class Actor:
    id: int | None
    role: Role | None  # None: an anonymous visitor
    organisation_id: int | None = None
    organisation_is_regional: bool = False
    residence_id: int | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.id is not None and self.role is not None


VISITOR = Actor(id=None, role=None)

# Roles that may create invitation codes, and the roles each may grant.
_INVITING_ROLES = {Role.FACILITATOR, Role.BAILLEUR, Role.ADMIN}
_GRANTABLE = {
    Role.ADMIN: frozenset(Role),
    Role.FACILITATOR: frozenset({Role.TENANT, Role.STAFF}),
    Role.BAILLEUR: frozenset({Role.TENANT, Role.STAFF}),
}


def is_admin(actor: Actor) -> bool:
    return actor.role == Role.ADMIN


def can_administer(actor: Actor) -> bool:
    """Organisations, residences, users and roles: admins only."""
    return is_admin(actor)


def can_open_admin_area(actor: Actor) -> bool:
    """The admin area lists what the actor may manage (at least invitations)."""
    return actor.role in _INVITING_ROLES


def can_manage_invitations(actor: Actor, organisation_id: int | None = None) -> bool:
    """Facilitators and landlord managers: their own organisation's codes; admins: all.

    A facilitator of the regional association manages invitations for its own
    organisation only: landlords hand out their own flyers.
    """
    if actor.role not in _INVITING_ROLES:
        return False
    if is_admin(actor) or organisation_id is None:
        return True
    return actor.organisation_id == organisation_id


def grantable_roles(actor: Actor) -> frozenset[Role]:
    """The roles an invitation created by this actor may grant."""
    return _GRANTABLE.get(actor.role, frozenset()) if actor.role else frozenset()


def can_edit_profile(actor: Actor, user_id: int) -> bool:
    return actor.is_authenticated and actor.id == user_id
