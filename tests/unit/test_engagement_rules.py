"""Rule tables for partners, offers of help and messages to a scope (issue 12).

Each row restates docs/domain.md (partners, volunteering, messages) cell by cell:
role × organisation kind × scope × phase × state, independently of the code.
"""

from __future__ import annotations

import pytest

from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import VISITOR, Actor, Scope
from ideation.domain.roles import Role

HOME, OTHER, REGIONAL_ORG, PARTNER = 1, 2, 9, 20
ORG = Scope(organisation_id=HOME)
OTHER_SCOPE = Scope(organisation_id=OTHER)
REGIONAL = Scope()

A = {
    "visitor": VISITOR,
    "tenant": Actor(id=1, role=Role.TENANT, organisation_id=HOME, residence_id=10),
    "unconfirmed": Actor(id=2, role=Role.TENANT, organisation_id=HOME, confirmed=False),
    "tenant_other": Actor(id=3, role=Role.TENANT, organisation_id=OTHER),
    "staff": Actor(id=4, role=Role.STAFF, organisation_id=HOME),
    "owner": Actor(id=5, role=Role.STAFF, organisation_id=HOME),
    "facilitator": Actor(id=6, role=Role.FACILITATOR, organisation_id=HOME),
    "facilitator_other": Actor(id=7, role=Role.FACILITATOR, organisation_id=OTHER),
    "facilitator_regional": Actor(
        id=8, role=Role.FACILITATOR, organisation_id=REGIONAL_ORG, organisation_is_regional=True
    ),
    "bailleur": Actor(id=9, role=Role.BAILLEUR, organisation_id=HOME),
    "bailleur_other": Actor(id=10, role=Role.BAILLEUR, organisation_id=OTHER),
    "admin": Actor(
        id=11, role=Role.ADMIN, organisation_id=REGIONAL_ORG, organisation_is_regional=True
    ),
    "partner": Actor(id=12, role=Role.STAFF, organisation_id=PARTNER, organisation_is_partner=True),
    "partner_tenant": Actor(
        id=13, role=Role.TENANT, organisation_id=PARTNER, organisation_is_partner=True
    ),
    # A role set by hand on a partner's account: the rules still refuse power.
    "partner_facilitator": Actor(
        id=14, role=Role.FACILITATOR, organisation_id=PARTNER, organisation_is_partner=True
    ),
}

# --- partners have no power -------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        lambda a: rules.can_moderate(a, REGIONAL),
        lambda a: rules.can_open_moderation(a),
        lambda a: rules.moderates_everything(a),
        lambda a: rules.can_manage_challenge(a, Scope(organisation_id=PARTNER)),
        lambda a: rules.can_create_challenge(a),
        lambda a: rules.can_edit_pilot(a, PARTNER),
        lambda a: rules.can_view_dashboard(a),
        lambda a: rules.can_write_messages(a),
        lambda a: rules.can_manage_invitations(a, PARTNER, partner=True),
        lambda a: rules.invites_partners(a),
    ],
)
@pytest.mark.parametrize("who", ["partner", "partner_tenant", "partner_facilitator"])
def test_partners_members_have_no_power(rule, who):
    assert rule(A[who]) is False


@pytest.mark.parametrize(
    "who, takes_part",
    [("partner", True), ("partner_tenant", True), ("tenant", True), ("visitor", False)],
)
def test_partners_take_part_in_regional_challenges(who, takes_part):
    assert rules.can_submit_idea(A[who], Phase.IDEATION, REGIONAL) is takes_part


def test_partners_are_not_in_a_landlords_own_challenge():
    assert rules.can_submit_idea(A["partner"], Phase.IDEATION, ORG) is False


@pytest.mark.parametrize(
    "role, partner, fits",
    [
        (Role.TENANT, True, True),
        (Role.STAFF, True, True),
        (Role.FACILITATOR, True, False),
        (Role.BAILLEUR, True, False),
        (Role.ADMIN, True, False),
        (Role.FACILITATOR, False, True),
        (Role.BAILLEUR, False, True),
    ],
)
def test_role_fits_organisation(role, partner, fits):
    assert rules.role_fits_organisation(role, partner) is fits


@pytest.mark.parametrize(
    "who, org, partner, allowed",
    [
        ("facilitator_regional", PARTNER, True, True),
        ("admin", PARTNER, True, True),
        ("facilitator", PARTNER, True, False),  # a landlord's facilitator: own codes only
        ("bailleur", PARTNER, True, False),
        ("facilitator", HOME, False, True),
        ("facilitator_regional", HOME, False, False),  # landlords hand out their own flyers
    ],
)
def test_who_invites_into_a_partner(who, org, partner, allowed):
    assert rules.can_manage_invitations(A[who], org, partner=partner) is allowed


def test_partner_codes_grant_only_participant_roles():
    assert rules.grantable_roles(A["admin"], partner=True) == {Role.TENANT, Role.STAFF}
    assert Role.ADMIN in rules.grantable_roles(A["admin"])


# --- volunteering ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, phase, status, scope, hidden, allowed",
    [
        ("tenant", Phase.IDEATION, IdeaStatus.PUBLISHED, ORG, False, True),
        ("tenant", Phase.REVIEW, IdeaStatus.SHORTLISTED, ORG, False, True),
        ("tenant", Phase.RESULTS, IdeaStatus.SELECTED, ORG, False, True),
        ("tenant", Phase.ARCHIVED, IdeaStatus.PILOTED, ORG, False, True),
        ("tenant", Phase.DRAFT, IdeaStatus.PUBLISHED, ORG, False, False),
        ("tenant", Phase.IDEATION, IdeaStatus.DRAFT, ORG, False, False),
        ("tenant", Phase.IDEATION, IdeaStatus.SUBMITTED, ORG, False, False),
        ("tenant", Phase.IDEATION, IdeaStatus.REJECTED, ORG, False, False),
        ("tenant", Phase.IDEATION, IdeaStatus.MERGED, ORG, False, False),
        ("tenant", Phase.RESULTS, IdeaStatus.NOT_SELECTED, ORG, False, False),
        ("tenant", Phase.IDEATION, IdeaStatus.PUBLISHED, ORG, True, False),  # hidden
        ("tenant_other", Phase.IDEATION, IdeaStatus.PUBLISHED, ORG, False, False),
        ("tenant_other", Phase.IDEATION, IdeaStatus.PUBLISHED, REGIONAL, False, True),
        ("unconfirmed", Phase.IDEATION, IdeaStatus.PUBLISHED, ORG, False, False),
        ("visitor", Phase.IDEATION, IdeaStatus.PUBLISHED, ORG, False, False),
        ("partner", Phase.IDEATION, IdeaStatus.PUBLISHED, ORG, False, True),  # helps anywhere
        ("partner", Phase.IDEATION, IdeaStatus.PUBLISHED, OTHER_SCOPE, False, True),
        ("facilitator_other", Phase.IDEATION, IdeaStatus.PUBLISHED, ORG, False, True),
    ],
)
def test_volunteer_on_idea(who, phase, status, scope, hidden, allowed):
    assert rules.can_volunteer_on_idea(A[who], phase, status, scope, hidden) is allowed


@pytest.mark.parametrize(
    "who, pilot_open, allowed",
    [
        ("tenant", True, True),
        ("tenant_other", True, True),
        ("partner", True, True),
        ("tenant", False, False),
        ("unconfirmed", True, False),
        ("visitor", True, False),
    ],
)
def test_volunteer_on_pilot(who, pilot_open, allowed):
    assert rules.can_volunteer_on_pilot(A[who], pilot_open) is allowed


OWNER_ID = 5


@pytest.mark.parametrize(
    "who, pilot_org, scope, sees",
    [
        ("owner", HOME, ORG, True),
        ("bailleur", HOME, None, True),
        ("facilitator", HOME, ORG, True),  # runs the challenge
        ("facilitator", None, ORG, True),  # an idea, not yet a pilot
        ("facilitator_regional", None, REGIONAL, True),
        ("admin", HOME, None, True),
        ("staff", HOME, ORG, False),  # not the owner
        ("tenant", HOME, ORG, False),
        ("bailleur_other", HOME, ORG, False),
        ("facilitator_other", HOME, ORG, False),
        ("partner", HOME, ORG, False),
        ("visitor", HOME, ORG, False),
        ("bailleur", None, ORG, False),  # an idea: the landlord manager does not run challenges
    ],
)
def test_who_sees_the_names_and_offers(who, pilot_org, scope, sees):
    owner = OWNER_ID if pilot_org is not None else None
    assert rules.can_see_volunteers(A[who], pilot_org, owner, scope) is sees


# --- messages to a scope ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, org, allowed",
    [
        ("facilitator", HOME, True),
        ("facilitator", OTHER, False),
        ("bailleur", HOME, True),
        ("bailleur", OTHER, False),
        ("facilitator_regional", OTHER, True),
        ("admin", OTHER, True),
        ("staff", HOME, False),
        ("tenant", HOME, False),
        ("partner", PARTNER, False),
        ("visitor", HOME, False),
    ],
)
def test_message_an_organisation(who, org, allowed):
    assert rules.can_message_organisation(A[who], org) is allowed


@pytest.mark.parametrize(
    "who, scope, allowed",
    [
        ("facilitator", ORG, True),
        ("facilitator", OTHER_SCOPE, False),
        ("facilitator", REGIONAL, False),
        ("facilitator_regional", REGIONAL, True),
        ("bailleur", ORG, True),  # a challenge limited to her organisation
        ("bailleur", REGIONAL, False),
        ("bailleur_other", ORG, False),
        ("staff", ORG, False),
        ("partner_facilitator", REGIONAL, False),
    ],
)
def test_message_a_challenges_participants(who, scope, allowed):
    assert rules.can_message_challenge(A[who], scope) is allowed
