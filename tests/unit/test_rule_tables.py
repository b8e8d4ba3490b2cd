"""Rule tables for invitations, votes, promotion, pilots, the dashboard and its exports.

Each table restates docs/domain.md#what-each-role-may-do cell by cell, role ×
organisation scope × phase × state, independently of the code: a rule that drifts by
one cell (a landlord manager handing out the admin role, a facilitator of one landlord
promoting for another) fails here before any request test runs.
"""

from __future__ import annotations

import pytest

from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import VISITOR, Actor, Scope
from ideation.domain.roles import Role

HOME, OTHER, REGIONAL_ORG = 1, 2, 9
RES_A, RES_B = 10, 11

ORG_SCOPE = Scope(organisation_id=HOME)
OTHER_SCOPE = Scope(organisation_id=OTHER)
RESIDENCE_SCOPE = Scope(organisation_id=HOME, residence_ids=frozenset({RES_A}))
REGIONAL = Scope()

ACTORS = {
    "visitor": VISITOR,
    "tenant_home_a": Actor(id=1, role=Role.TENANT, organisation_id=HOME, residence_id=RES_A),
    "tenant_home_b": Actor(id=2, role=Role.TENANT, organisation_id=HOME, residence_id=RES_B),
    "tenant_other": Actor(id=3, role=Role.TENANT, organisation_id=OTHER, residence_id=99),
    "staff_home": Actor(id=4, role=Role.STAFF, organisation_id=HOME, residence_id=RES_B),
    "staff_other": Actor(id=5, role=Role.STAFF, organisation_id=OTHER),
    "facilitator_home": Actor(id=6, role=Role.FACILITATOR, organisation_id=HOME),
    "facilitator_other": Actor(id=7, role=Role.FACILITATOR, organisation_id=OTHER),
    "facilitator_regional": Actor(
        id=8, role=Role.FACILITATOR, organisation_id=REGIONAL_ORG, organisation_is_regional=True
    ),
    "bailleur_home": Actor(id=11, role=Role.BAILLEUR, organisation_id=HOME),
    "bailleur_other": Actor(id=9, role=Role.BAILLEUR, organisation_id=OTHER),
    "admin": Actor(
        id=10, role=Role.ADMIN, organisation_id=REGIONAL_ORG, organisation_is_regional=True
    ),
    # An admin attached to no organisation still administers everything.
    "admin_no_org": Actor(id=12, role=Role.ADMIN),
}
SCOPES = {
    "regional": REGIONAL,
    "org": ORG_SCOPE,
    "other_org": OTHER_SCOPE,
    "residence": RESIDENCE_SCOPE,
}
CELLS = [(a, s) for a in ACTORS for s in SCOPES]
ORGS = {"none": None, "home": HOME, "other": OTHER, "regional_org": REGIONAL_ORG}

ROLE_OF = {name: actor.role for name, actor in ACTORS.items()}
ORG_OF = {name: actor.organisation_id for name, actor in ACTORS.items()}
REGIONAL_ACTORS = {"facilitator_regional", "admin"}
ADMINS = {"admin", "admin_no_org"}


# --- who runs a challenge (the base of closing votes and promoting) ------------------

MANAGERS = {
    "regional": {"facilitator_regional"} | ADMINS,
    "org": {"facilitator_home", "facilitator_regional"} | ADMINS,
    "other_org": {"facilitator_other", "facilitator_regional"} | ADMINS,
    "residence": {"facilitator_home", "facilitator_regional"} | ADMINS,
}


@pytest.mark.parametrize("actor, scope", CELLS)
def test_who_runs_a_challenge(actor, scope):
    assert rules.can_manage_challenge(ACTORS[actor], SCOPES[scope]) is (actor in MANAGERS[scope])


@pytest.mark.parametrize("actor, scope", CELLS)
def test_who_creates_a_challenge_for_a_scope(actor, scope):
    expected = ROLE_OF[actor] in {Role.FACILITATOR, Role.ADMIN} and actor in MANAGERS[scope]
    assert rules.can_create_challenge_for(ACTORS[actor], SCOPES[scope]) is expected


# --- administration and invitations ---------------------------------------------------


@pytest.mark.parametrize("actor", list(ACTORS))
def test_only_admins_administer(actor):
    assert rules.can_administer(ACTORS[actor]) is (actor in ADMINS)
    assert rules.is_admin(ACTORS[actor]) is (actor in ADMINS)


@pytest.mark.parametrize("actor", list(ACTORS))
def test_only_admins_rewrite_the_site_pages(actor):
    assert rules.can_edit_site_pages(ACTORS[actor]) is (actor in ADMINS)


@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_opens_the_admin_area(actor):
    expected = ROLE_OF[actor] in {Role.FACILITATOR, Role.BAILLEUR, Role.ADMIN}
    assert rules.can_open_admin_area(ACTORS[actor]) is expected


@pytest.mark.parametrize("org", list(ORGS))
@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_manages_which_invitations(actor, org):
    inviting = ROLE_OF[actor] in {Role.FACILITATOR, Role.BAILLEUR, Role.ADMIN}
    # The regional association's facilitator manages its own organisation's codes only.
    expected = inviting and (actor in ADMINS or ORGS[org] is None or ORGS[org] == ORG_OF[actor])
    assert rules.can_manage_invitations(ACTORS[actor], ORGS[org]) is expected


GRANTS = {
    Role.ADMIN: {Role.TENANT, Role.STAFF, Role.FACILITATOR, Role.BAILLEUR, Role.ADMIN},
    Role.FACILITATOR: {Role.TENANT, Role.STAFF},
    Role.BAILLEUR: {Role.TENANT, Role.STAFF},
    Role.STAFF: set(),
    Role.TENANT: set(),
    None: set(),
}


@pytest.mark.parametrize("granted", list(Role))
@pytest.mark.parametrize("actor", list(ACTORS))
def test_roles_each_role_may_grant(actor, granted):
    """One cell per (granting actor, granted role): a landlord manager never grants admin."""
    may = granted in rules.grantable_roles(ACTORS[actor])
    assert may is (granted in GRANTS[ROLE_OF[actor]])


@pytest.mark.parametrize("actor", list(ACTORS))
def test_grantable_roles_is_exactly_the_table(actor):
    assert set(rules.grantable_roles(ACTORS[actor])) == GRANTS[ROLE_OF[actor]]


def test_a_landlord_manager_cannot_grant_admin_nor_facilitator_nor_landlord():
    granted = rules.grantable_roles(ACTORS["bailleur_home"])
    assert Role.ADMIN not in granted
    assert Role.FACILITATOR not in granted
    assert Role.BAILLEUR not in granted


# --- ranked vote ----------------------------------------------------------------------

# docs/domain.md#who-votes: every role votes "in scope" -- the people the challenge speaks to, never
# facilitators of other organisations (unlike submitting ideas).
VOTERS = {
    "regional": set(ACTORS) - {"visitor"},
    "org": {"tenant_home_a", "tenant_home_b", "staff_home", "facilitator_home", "bailleur_home"},
    "other_org": {"tenant_other", "staff_other", "facilitator_other", "bailleur_other"},
    "residence": {"tenant_home_a", "staff_home", "facilitator_home", "bailleur_home"},
}


@pytest.mark.parametrize("actor, scope", CELLS)
def test_who_is_in_a_votes_scope(actor, scope):
    assert rules.in_vote_scope(ACTORS[actor], SCOPES[scope]) is (actor in VOTERS[scope])


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("actor, scope", CELLS)
def test_who_votes_when(actor, scope, phase):
    expected = phase == Phase.VOTING and actor in VOTERS[scope]
    assert rules.can_vote(ACTORS[actor], phase, SCOPES[scope]) is expected


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("actor, scope", CELLS)
def test_who_closes_a_vote(actor, scope, phase):
    """A landlord's facilitator closes its own organisation's vote, not another's."""
    expected = phase == Phase.VOTING and actor in MANAGERS[scope]
    assert rules.can_close_vote(ACTORS[actor], phase, SCOPES[scope]) is expected


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("actor, scope", CELLS)
def test_results_are_public_once_the_vote_is_closed(actor, scope, phase):
    expected = phase in {Phase.RESULTS, Phase.ARCHIVED}
    assert rules.can_view_results(ACTORS[actor], phase, SCOPES[scope]) is expected


# --- promotion to a pilot -------------------------------------------------------------


def _may_promote(actor: str, scope: str, status: IdeaStatus, org: str) -> bool:
    if status != IdeaStatus.SELECTED or actor not in MANAGERS[scope]:
        return False
    if ROLE_OF[actor] not in {Role.FACILITATOR, Role.ADMIN}:
        return False
    # Admins and the regional association promote for any landlord; a landlord's
    # facilitator only for its own organisation.
    return ORGS[org] is None or actor in REGIONAL_ACTORS | ADMINS or ORGS[org] == ORG_OF[actor]


# One test per actor and scope, each walking every status and landlord (40 cells): the
# same table as one test per cell, but 52 tests instead of 2,080 (collecting those took a
# second, paid again by each mutant of `make mutation`). A failure names its cells.
@pytest.mark.parametrize("actor, scope", CELLS)
def test_who_promotes_which_idea_for_which_landlord(actor, scope):
    wrong = [
        (status.value, org)
        for status in IdeaStatus
        for org in ORGS
        if rules.can_promote_idea(ACTORS[actor], status, SCOPES[scope], ORGS[org])
        is not _may_promote(actor, scope, status, org)
    ]
    assert wrong == []


def test_a_landlords_facilitator_promotes_for_its_own_landlord_only():
    own = ACTORS["facilitator_home"]
    assert rules.can_promote_idea(own, IdeaStatus.SELECTED, ORG_SCOPE, HOME)
    assert not rules.can_promote_idea(own, IdeaStatus.SELECTED, ORG_SCOPE, OTHER)
    assert not rules.can_promote_idea(own, IdeaStatus.SELECTED, OTHER_SCOPE, OTHER)
    # On a regional challenge it runs nothing, so it promotes nothing.
    assert not rules.can_promote_idea(own, IdeaStatus.SELECTED, REGIONAL, HOME)
    regional = ACTORS["facilitator_regional"]
    assert rules.can_promote_idea(regional, IdeaStatus.SELECTED, REGIONAL, OTHER)


# --- pilots ---------------------------------------------------------------------------


@pytest.mark.parametrize("org", ["home", "other"])
@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_edits_a_pilot(actor, org):
    expected = actor in ADMINS or (ROLE_OF[actor] == Role.BAILLEUR and ORG_OF[actor] == ORGS[org])
    assert rules.can_edit_pilot(ACTORS[actor], ORGS[org]) is expected


OWNERS = {"nobody": None, "staff_home": 4, "staff_other": 5, "tenant_home_a": 1}


@pytest.mark.parametrize("owner", list(OWNERS))
@pytest.mark.parametrize("org", ["home", "other"])
@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_posts_a_pilot_update(actor, org, owner):
    edits = actor in ADMINS or (ROLE_OF[actor] == Role.BAILLEUR and ORG_OF[actor] == ORGS[org])
    # The named owner posts only if staff of the pilot's landlord (a tenant owner does not).
    owns = ROLE_OF[actor] == Role.STAFF and actor == owner and ORG_OF[actor] == ORGS[org]
    assert rules.can_post_pilot_update(ACTORS[actor], ORGS[org], OWNERS[owner]) is (edits or owns)


@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_follows_a_pilot(actor):
    assert rules.can_follow_pilot(ACTORS[actor]) is (actor != "visitor")


# --- the landlord dashboard and its exports -------------------------------------------

DASHBOARD = {"facilitator_home", "facilitator_other", "facilitator_regional", "bailleur_home"}
DASHBOARD |= {"bailleur_other"} | ADMINS


@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_opens_the_dashboard(actor):
    assert rules.can_view_dashboard(ACTORS[actor]) is (actor in DASHBOARD)


@pytest.mark.parametrize("actor", list(ACTORS))
def test_which_organisation_a_dashboard_is_limited_to(actor):
    expected = None if actor in REGIONAL_ACTORS | ADMINS else ORG_OF[actor]
    assert rules.dashboard_organisation(ACTORS[actor]) == expected


@pytest.mark.parametrize("org", list(ORGS))
@pytest.mark.parametrize("actor", list(ACTORS))
def test_whose_figures_and_exports_an_actor_sees(actor, org):
    """The exports use the same rule: every organisation for admins and the regional
    association, one's own landlord for its facilitators and managers, nothing else."""
    if actor not in DASHBOARD:
        expected = False
    elif actor in REGIONAL_ACTORS | ADMINS:
        expected = True
    else:
        expected = ORGS[org] == ORG_OF[actor]
    assert rules.can_view_dashboard_of(ACTORS[actor], ORGS[org]) is expected


# --- moderation queue and audit log ---------------------------------------------------


@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_opens_the_moderation_queue_and_the_audit_log(actor):
    # One rule guards both (moderation/views.py before_request covers /moderation/journal).
    expected = ROLE_OF[actor] in {Role.FACILITATOR, Role.ADMIN}
    assert rules.can_open_moderation(ACTORS[actor]) is expected


# --- photos ---------------------------------------------------------------------------


@pytest.mark.parametrize("actor, scope", CELLS)
@pytest.mark.parametrize("hidden", [False, True])
def test_who_hides_a_photo_and_only_a_shown_one(actor, scope, hidden):
    """Moderators of what the photo illustrates hide it once; a hidden photo cannot be
    hidden again (it is restored, or stays as it is)."""
    moderates = rules.can_moderate(ACTORS[actor], SCOPES[scope])
    expected = moderates and not hidden
    assert rules.can_hide_photo(ACTORS[actor], SCOPES[scope], hidden) is expected
