"""Rule tables for the voting desks, running a workshop, posters, reports, photos and
the household check, cell by cell (role x organisation scope x phase x state), as in
tests/unit/test_rule_tables.py whose actors and scopes they reuse.

What they pin that nothing else did (mutation testing found each): that a desk opens only
while the vote is open and only for who runs that challenge (not another landlord's
facilitator), that the workshop's creator runs it like its hosts, that a partner's code's
poster is printed by who enrols the partners, that one's own comment cannot be reported.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import Actor
from ideation.domain.roles import Role
from tests.unit.test_rule_tables import ACTORS, ADMINS, CELLS, MANAGERS, SCOPES

PHASES = list(Phase)

# --- voting desks -----------------------------------------------------------------------


@pytest.mark.parametrize("actor, scope", CELLS)
@pytest.mark.parametrize("phase", PHASES)
def test_who_opens_a_voting_desk_and_when(actor, scope, phase):
    expected = phase == Phase.VOTING and actor in MANAGERS[scope]
    assert rules.can_open_desk(ACTORS[actor], phase, SCOPES[scope]) is expected


@pytest.mark.parametrize("actor, scope", CELLS)
def test_who_manages_a_desk_whatever_the_phase(actor, scope):
    assert rules.can_manage_desk(ACTORS[actor], SCOPES[scope]) is (actor in MANAGERS[scope])


@pytest.mark.parametrize("actor, scope", CELLS)
@pytest.mark.parametrize("assessor", [None, "tenant_home_a", "facilitator_other"])
def test_who_works_at_a_desk(actor, scope, assessor):
    """Its own assessors, and who runs the challenge; another landlord's facilitator
    only when named assessor of this desk."""
    assessors = frozenset() if assessor is None else frozenset({ACTORS[assessor].id})
    expected = actor == assessor or actor in MANAGERS[scope]
    assert rules.can_work_desk(ACTORS[actor], assessors, SCOPES[scope]) is expected


# --- running a workshop -----------------------------------------------------------------

HOST = "staff_home"
CREATOR = "facilitator_other"  # a landlord's facilitator, neither host nor regional


def _runs_workshop(actor: str) -> bool:
    """Hosts, its creator, and the admins and regional facilitators (who edit them all)."""
    return actor in {HOST, CREATOR, "facilitator_regional"} | ADMINS


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("started", [False, True])
def test_who_enters_on_behalf_of_participants_once_the_workshop_has_begun(actor, started):
    hosts, creator = frozenset({ACTORS[HOST].id}), ACTORS[CREATOR].id
    expected = started and _runs_workshop(actor)
    assert rules.can_enter_on_behalf(ACTORS[actor], hosts, creator, started) is expected


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("ended", [False, True])
def test_who_opens_workshop_mode_until_the_end(actor, ended):
    hosts, creator = frozenset({ACTORS[HOST].id}), ACTORS[CREATOR].id
    expected = not ended and _runs_workshop(actor)
    assert rules.can_open_workshop_mode(ACTORS[actor], hosts, creator, ended) is expected


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("organisation", [None, 1, 2])
def test_who_prints_a_workshop_poster(actor, organisation):
    """Who runs it, and the landlord manager of the residence it is held in."""
    hosts, creator = frozenset({ACTORS[HOST].id}), ACTORS[CREATOR].id
    landlord = (
        ACTORS[actor].role == Role.BAILLEUR
        and organisation is not None
        and ACTORS[actor].organisation_id == organisation
    )
    expected = _runs_workshop(actor) or landlord
    assert rules.can_print_workshop_poster(ACTORS[actor], hosts, creator, organisation) is expected


# --- posters of codes and results -------------------------------------------------------

PARTNER_FACILITATOR = Actor(
    id=20, role=Role.FACILITATOR, organisation_id=30, organisation_is_partner=True
)


@pytest.mark.parametrize("partner", [False, True])
def test_the_poster_of_a_partner_s_code_follows_the_partner_s_rule(partner):
    """Exactly who manages the code prints its poster, partner codes included."""
    for actor in [*ACTORS.values(), PARTNER_FACILITATOR]:
        for organisation in (1, 2, 9, 30):
            expected = rules.can_manage_invitations(actor, organisation, partner=partner)
            assert (
                rules.can_print_invitation_poster(actor, organisation, partner=partner) is expected
            )
    # The regional association's facilitator prints a partner's code, not a landlord's;
    # the partner's own members print none.
    regional = ACTORS["facilitator_regional"]
    assert rules.can_print_invitation_poster(regional, 30, partner=True) is True
    assert rules.can_print_invitation_poster(regional, 30, partner=False) is False
    assert rules.can_print_invitation_poster(PARTNER_FACILITATOR, 30, partner=True) is False


@pytest.mark.parametrize("actor, scope", CELLS)
@pytest.mark.parametrize("phase", PHASES)
def test_who_prints_the_results_poster_and_when(actor, scope, phase):
    closed = phase in {Phase.RESULTS, Phase.ARCHIVED}
    a = ACTORS[actor]
    landlord = a.role == Role.BAILLEUR and (
        SCOPES[scope].is_regional or SCOPES[scope].organisation_id == a.organisation_id
    )
    expected = closed and (actor in MANAGERS[scope] or landlord)
    assert rules.can_print_results_poster(a, phase, SCOPES[scope]) is expected


# --- reports, photos, the household check, volunteering -----------------------------------


@pytest.mark.parametrize("actor, scope", CELLS)
def test_nobody_reports_their_own_comment(actor, scope):
    a = ACTORS[actor]
    if not rules.can_report(a, None, SCOPES[scope]):
        return  # not a participant here: nothing to compare
    assert rules.can_report_comment(a, a.id + 100, SCOPES[scope], True, True) is True
    assert rules.can_report_comment(a, a.id, SCOPES[scope], True, True) is False


@pytest.mark.parametrize("actor, scope", CELLS)
@pytest.mark.parametrize("hidden", [False, True])
def test_a_hidden_photo_is_seen_by_that_challenge_s_moderators_only(actor, scope, hidden):
    moderates = ACTORS[actor].role in {Role.FACILITATOR, Role.ADMIN} and actor in MANAGERS[scope]
    expected = not hidden or moderates
    assert rules.can_view_photo(ACTORS[actor], True, SCOPES[scope], hidden) is expected
    assert rules.can_view_photo(ACTORS[actor], False, SCOPES[scope], hidden) is False


@pytest.mark.parametrize("actor, scope", CELLS)
@pytest.mark.parametrize("verified_only", [False, True])
def test_the_household_notice_shows_to_who_would_vote_if_verified(actor, scope, verified_only):
    a = ACTORS[actor]
    verified = replace(a, household_verified=True)
    would_vote = rules.can_vote(verified, Phase.VOTING, SCOPES[scope], verified_only)
    expected = verified_only and would_vote and not a.household_verified
    assert rules.vote_needs_household(a, Phase.VOTING, SCOPES[scope], verified_only) is expected


def test_volunteering_is_offered_on_an_idea_that_is_not_hidden_by_default():
    tenant = ACTORS["tenant_home_a"]
    scope = SCOPES["org"]
    assert rules.can_volunteer_on_idea(tenant, Phase.IDEATION, IdeaStatus.PUBLISHED, scope)
    assert not rules.can_volunteer_on_idea(
        tenant, Phase.IDEATION, IdeaStatus.PUBLISHED, scope, hidden=True
    )


def test_a_vote_is_open_to_households_not_yet_verified_unless_reserved():
    unverified = replace(ACTORS["tenant_home_a"], household_verified=False)
    scope = SCOPES["org"]
    assert rules.can_vote(unverified, Phase.VOTING, scope) is True  # the default: open
    assert rules.can_vote(unverified, Phase.VOTING, scope, verified_only=True) is False
