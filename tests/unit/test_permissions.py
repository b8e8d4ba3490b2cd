import pytest

from ideation.domain import permissions as rules
from ideation.domain.permissions import VISITOR, Actor
from ideation.domain.roles import Role


def actor(role, org=1, regional=False):
    return Actor(id=7, role=role, organisation_id=org, organisation_is_regional=regional)


@pytest.mark.parametrize(
    "role, allowed",
    [
        (Role.TENANT, False),
        (Role.STAFF, False),
        (Role.FACILITATOR, False),
        (Role.BAILLEUR, False),
        (Role.ADMIN, True),
    ],
)
def test_only_admins_administer_organisations_and_users(role, allowed):
    assert rules.can_administer(actor(role)) is allowed


def test_visitor_administers_nothing():
    assert not rules.can_administer(VISITOR)
    assert not rules.can_open_admin_area(VISITOR)
    assert not rules.can_manage_invitations(VISITOR, 1)


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.BAILLEUR])
def test_facilitators_and_landlords_manage_their_own_organisations_codes_only(role):
    assert rules.can_manage_invitations(actor(role, org=1), 1)
    assert not rules.can_manage_invitations(actor(role, org=1), 2)


@pytest.mark.parametrize("role", [Role.TENANT, Role.STAFF])
def test_tenants_and_staff_manage_no_codes(role):
    assert not rules.can_manage_invitations(actor(role, org=1), 1)


def test_admin_manages_every_organisations_codes():
    assert rules.can_manage_invitations(actor(Role.ADMIN, org=1), 99)


def test_facilitator_cannot_hand_out_admin_or_facilitator_roles():
    assert rules.grantable_roles(actor(Role.FACILITATOR)) == {Role.TENANT, Role.STAFF}
    assert rules.grantable_roles(actor(Role.ADMIN)) == set(Role)
    assert rules.grantable_roles(actor(Role.TENANT)) == set()
