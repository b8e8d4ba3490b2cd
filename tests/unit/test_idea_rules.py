"""The rules table role × phase × status × scope for challenges and ideas."""

import pytest

from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import VISITOR, Actor, Scope
from ideation.domain.roles import Role

HOME, OTHER, REGIONAL_ORG = 1, 2, 9
RES_A, RES_B = 10, 11

ORG_SCOPE = Scope(organisation_id=HOME)
RESIDENCE_SCOPE = Scope(organisation_id=HOME, residence_ids=frozenset({RES_A}))
REGIONAL = Scope()

# name -> actor
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
    "bailleur_other": Actor(id=9, role=Role.BAILLEUR, organisation_id=OTHER),
    "admin": Actor(
        id=10, role=Role.ADMIN, organisation_id=REGIONAL_ORG, organisation_is_regional=True
    ),
}
SCOPES = {"regional": REGIONAL, "org": ORG_SCOPE, "residence": RESIDENCE_SCOPE}

# Who is in scope, per scope (everyone else is out).
IN_SCOPE = {
    "regional": set(ACTORS) - {"visitor"},
    "org": {
        "tenant_home_a",
        "tenant_home_b",
        "staff_home",
        "facilitator_home",
        "facilitator_other",
        "facilitator_regional",
        "bailleur_other",
        "admin",
    },
    "residence": {
        "tenant_home_a",
        "staff_home",
        "facilitator_home",
        "facilitator_other",
        "facilitator_regional",
        "bailleur_other",
        "admin",
    },
}
# Who runs the challenge, per scope.
MANAGERS = {
    "regional": {"facilitator_regional", "admin"},
    "org": {"facilitator_home", "facilitator_regional", "admin"},
    "residence": {"facilitator_home", "facilitator_regional", "admin"},
}

CELLS = [(a, s) for a in ACTORS for s in SCOPES]


@pytest.mark.parametrize("actor, scope", CELLS)
def test_scope(actor, scope):
    assert rules.in_scope(ACTORS[actor], SCOPES[scope]) is (actor in IN_SCOPE[scope])


@pytest.mark.parametrize("actor, scope", CELLS)
def test_who_runs_a_challenge(actor, scope):
    assert rules.can_manage_challenge(ACTORS[actor], SCOPES[scope]) is (actor in MANAGERS[scope])


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("actor, scope", CELLS)
def test_submit_only_in_scope_and_during_ideation(actor, scope, phase):
    expected = phase == Phase.IDEATION and actor in IN_SCOPE[scope]
    assert rules.can_submit_idea(ACTORS[actor], phase, SCOPES[scope]) is expected


def test_tenant_of_another_landlord_cannot_submit_or_support_in_an_organisation_challenge():
    tenant = ACTORS["tenant_other"]
    assert not rules.can_submit_idea(tenant, Phase.IDEATION, ORG_SCOPE)
    assert not rules.can_support_idea(tenant, Phase.IDEATION, IdeaStatus.PUBLISHED, 1, ORG_SCOPE)
    assert rules.can_submit_idea(tenant, Phase.IDEATION, REGIONAL)


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("actor, scope", CELLS)
def test_support_published_ideas_of_others_in_scope_during_ideation(actor, scope, phase):
    author_id = 1  # tenant_home_a wrote it
    for status in IdeaStatus:
        expected = (
            phase == Phase.IDEATION
            and status == IdeaStatus.PUBLISHED
            and actor in IN_SCOPE[scope]
            and actor != "tenant_home_a"
        )
        assert (
            rules.can_support_idea(ACTORS[actor], phase, status, author_id, SCOPES[scope])
            is expected
        ), status


PUBLIC = {
    IdeaStatus.PUBLISHED,
    IdeaStatus.SHORTLISTED,
    IdeaStatus.SELECTED,
    IdeaStatus.PILOTED,
    IdeaStatus.NOT_SELECTED,
    IdeaStatus.MERGED,
}


@pytest.mark.parametrize("status", list(IdeaStatus))
@pytest.mark.parametrize("actor, scope", CELLS)
def test_who_sees_an_idea(actor, scope, status):
    expected = (
        status in PUBLIC
        or actor == "tenant_home_a"
        or (status != IdeaStatus.DRAFT and actor in MANAGERS[scope])
    )
    assert rules.can_view_idea(ACTORS[actor], status, 1, SCOPES[scope]) is expected


@pytest.mark.parametrize("status", list(IdeaStatus))
@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("actor", ["tenant_home_a", "tenant_home_b", "admin", "visitor"])
def test_only_the_author_edits_until_shortlisted(actor, phase, status):
    expected = (
        actor == "tenant_home_a"
        and status in {IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.PUBLISHED}
        and phase in {Phase.IDEATION, Phase.REVIEW}
    )
    assert rules.can_edit_idea(ACTORS[actor], phase, status, 1) is expected


@pytest.mark.parametrize("status", list(IdeaStatus))
@pytest.mark.parametrize("actor", ["tenant_home_a", "tenant_home_b", "admin"])
def test_only_the_author_withdraws(actor, status):
    expected = actor == "tenant_home_a" and status in {
        IdeaStatus.DRAFT,
        IdeaStatus.SUBMITTED,
        IdeaStatus.PUBLISHED,
    }
    assert rules.can_withdraw_idea(ACTORS[actor], status, 1) is expected


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("actor, scope", CELLS)
def test_facilitators_publish_pending_and_shortlist_published_ideas(actor, scope, phase):
    manager = actor in MANAGERS[scope]
    open_phase = phase in {Phase.IDEATION, Phase.REVIEW}
    for status in IdeaStatus:
        assert rules.can_publish_idea(ACTORS[actor], phase, status, SCOPES[scope]) is (
            manager and open_phase and status == IdeaStatus.SUBMITTED
        ), status
        assert rules.can_shortlist_idea(ACTORS[actor], phase, status, SCOPES[scope]) is (
            manager and open_phase and status == IdeaStatus.PUBLISHED
        ), status


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("actor, scope", CELLS)
def test_drafts_of_challenges_are_seen_by_their_managers_only(actor, scope, phase):
    expected = phase != Phase.DRAFT or actor in MANAGERS[scope]
    assert rules.can_view_challenge(ACTORS[actor], phase, SCOPES[scope]) is expected


@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_creates_challenges(actor):
    assert rules.can_create_challenge(ACTORS[actor]) is actor.startswith(("facilitator", "admin"))


def test_sending_a_draft_needs_the_author_and_an_open_challenge():
    author = ACTORS["tenant_home_a"]
    assert rules.can_send_idea(author, Phase.IDEATION, IdeaStatus.DRAFT, 1, ORG_SCOPE)
    assert not rules.can_send_idea(author, Phase.REVIEW, IdeaStatus.DRAFT, 1, ORG_SCOPE)
    assert not rules.can_send_idea(author, Phase.IDEATION, IdeaStatus.SUBMITTED, 1, ORG_SCOPE)
    assert not rules.can_send_idea(
        ACTORS["tenant_home_b"], Phase.IDEATION, IdeaStatus.DRAFT, 1, ORG_SCOPE
    )
