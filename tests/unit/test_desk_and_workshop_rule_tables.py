"""Rule tables for the voting desks, running a workshop, posters, reports, photos and
the household check, cell by cell (role x organisation scope x phase x state), as in
tests/unit/test_rule_tables.py whose actors and scopes they reuse.

What they pin that nothing else did (mutation testing found each): that a desk opens only
while the vote is open and only for who runs that challenge (not another landlord's
facilitator), that the workshop's creator runs it like its hosts, that a partner's code's
poster is printed by who enrols the partners, that one's own comment cannot be reported.

One test per rule, its cells looped inside (each failure names its cell): `make mutation`
collects a test module again for every mutant, and 1,200 parametrized cells cost 0.3 s
each time.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import Actor
from ideation.domain.roles import Role
from tests.unit.test_rule_tables import ACTORS, ADMINS, MANAGERS, SCOPES

PHASES = list(Phase)
CELLS = [(actor, scope) for actor in ACTORS for scope in SCOPES]

# --- voting desks -----------------------------------------------------------------------


def test_who_opens_a_voting_desk_and_when():
    for (actor, scope), phase in itertools.product(CELLS, PHASES):
        expected = phase == Phase.VOTING and actor in MANAGERS[scope]
        got = rules.can_open_desk(ACTORS[actor], phase, SCOPES[scope])
        assert got is expected, (actor, scope, phase)


def test_who_manages_a_desk_whatever_the_phase():
    for actor, scope in CELLS:
        got = rules.can_manage_desk(ACTORS[actor], SCOPES[scope])
        assert got is (actor in MANAGERS[scope]), (actor, scope)


def test_who_works_at_a_desk():
    """Its own assessors, and who runs the challenge; another landlord's facilitator
    only when named assessor of this desk."""
    for (actor, scope), assessor in itertools.product(
        CELLS, [None, "tenant_home_a", "facilitator_other"]
    ):
        assessors = frozenset() if assessor is None else frozenset({ACTORS[assessor].id})
        expected = actor == assessor or actor in MANAGERS[scope]
        got = rules.can_work_desk(ACTORS[actor], assessors, SCOPES[scope])
        assert got is expected, (actor, scope, assessor)


# --- running a workshop -----------------------------------------------------------------

HOST = "staff_home"
CREATOR = "facilitator_other"  # a landlord's facilitator, neither host nor regional
HOSTS, CREATOR_ID = frozenset({ACTORS[HOST].id}), ACTORS[CREATOR].id


def _runs_workshop(actor: str) -> bool:
    """Hosts, its creator, and the admins and regional facilitators (who edit them all)."""
    return actor in {HOST, CREATOR, "facilitator_regional"} | ADMINS


def test_who_enters_on_behalf_of_participants_once_the_workshop_has_begun():
    for actor, started in itertools.product(ACTORS, [False, True]):
        expected = started and _runs_workshop(actor)
        got = rules.can_enter_on_behalf(ACTORS[actor], HOSTS, CREATOR_ID, started)
        assert got is expected, (actor, started)


def test_who_opens_workshop_mode_until_the_end():
    for actor, ended in itertools.product(ACTORS, [False, True]):
        expected = not ended and _runs_workshop(actor)
        got = rules.can_open_workshop_mode(ACTORS[actor], HOSTS, CREATOR_ID, ended)
        assert got is expected, (actor, ended)


def test_who_prints_a_workshop_poster():
    """Who runs it, and the landlord manager of the residence it is held in."""
    for actor, organisation in itertools.product(ACTORS, [None, 1, 2]):
        a = ACTORS[actor]
        landlord = (
            a.role == Role.BAILLEUR
            and organisation is not None
            and a.organisation_id == organisation
        )
        expected = _runs_workshop(actor) or landlord
        got = rules.can_print_workshop_poster(a, HOSTS, CREATOR_ID, organisation)
        assert got is expected, (actor, organisation)


# --- posters of codes and results -------------------------------------------------------

PARTNER_FACILITATOR = Actor(
    id=20, role=Role.FACILITATOR, organisation_id=30, organisation_is_partner=True
)


def test_the_poster_of_a_code_follows_who_manages_the_code():
    """Exactly who manages the code prints its poster, partner codes included."""
    actors = [*ACTORS.values(), PARTNER_FACILITATOR]
    for actor, organisation, partner in itertools.product(actors, (1, 2, 9, 30), (False, True)):
        expected = rules.can_manage_invitations(actor, organisation, partner=partner)
        got = rules.can_print_invitation_poster(actor, organisation, partner=partner)
        assert got is expected, (actor, organisation, partner)
    # The regional association's facilitator prints a partner's code, not a landlord's;
    # the partner's own members print none.
    regional = ACTORS["facilitator_regional"]
    assert rules.can_print_invitation_poster(regional, 30, partner=True) is True
    assert rules.can_print_invitation_poster(regional, 30, partner=False) is False
    assert rules.can_print_invitation_poster(PARTNER_FACILITATOR, 30, partner=True) is False


def test_who_prints_the_results_poster_and_when():
    for (actor, scope), phase in itertools.product(CELLS, PHASES):
        a, where = ACTORS[actor], SCOPES[scope]
        closed = phase in {Phase.RESULTS, Phase.ARCHIVED}
        landlord = a.role == Role.BAILLEUR and (
            where.is_regional or where.organisation_id == a.organisation_id
        )
        expected = closed and (actor in MANAGERS[scope] or landlord)
        got = rules.can_print_results_poster(a, phase, where)
        assert got is expected, (actor, scope, phase)


# --- reports, photos, the household check, volunteering -----------------------------------


def test_nobody_reports_their_own_comment():
    participants = 0
    for actor, scope in CELLS:
        a = ACTORS[actor]
        if not rules.can_report(a, None, SCOPES[scope]):
            continue  # not a participant here: nothing to compare
        participants += 1
        assert rules.can_report_comment(a, a.id + 100, SCOPES[scope], True, True), (actor, scope)
        assert not rules.can_report_comment(a, a.id, SCOPES[scope], True, True), (actor, scope)
    assert participants > 10


def test_a_hidden_photo_is_seen_by_that_challenge_s_moderators_only():
    for (actor, scope), hidden in itertools.product(CELLS, [False, True]):
        a = ACTORS[actor]
        moderates = a.role in {Role.FACILITATOR, Role.ADMIN} and actor in MANAGERS[scope]
        expected = not hidden or moderates
        got = rules.can_view_photo(a, True, SCOPES[scope], hidden)
        assert got is expected, (actor, scope, hidden)
        assert rules.can_view_photo(a, False, SCOPES[scope], hidden) is False


def test_the_household_notice_shows_to_who_would_vote_if_verified():
    for (actor, scope), verified_only in itertools.product(CELLS, [False, True]):
        a = ACTORS[actor]
        would_vote = rules.can_vote(
            replace(a, household_verified=True), Phase.VOTING, SCOPES[scope], verified_only
        )
        expected = verified_only and would_vote and not a.household_verified
        got = rules.vote_needs_household(a, Phase.VOTING, SCOPES[scope], verified_only)
        assert got is expected, (actor, scope, verified_only)


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
