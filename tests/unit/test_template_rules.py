"""Rules the templates ask by name (issue 9): the same functions the views check."""

from __future__ import annotations

import pytest

from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import PUBLIC, SUPPORTABLE, IdeaStatus
from ideation.domain.permissions import VISITOR, Actor, Scope
from ideation.domain.roles import Role

ORG, OTHER = 10, 20
LANDLORD = Scope(organisation_id=ORG)
AUTHOR = Actor(id=1, role=Role.TENANT, organisation_id=ORG)
NEIGHBOUR = Actor(id=2, role=Role.TENANT, organisation_id=ORG)
FACILITATOR = Actor(id=5, role=Role.FACILITATOR, organisation_id=ORG)
OTHER_FACILITATOR = Actor(id=6, role=Role.FACILITATOR, organisation_id=OTHER)


def test_is_author_needs_a_signed_in_author():
    assert rules.is_author(AUTHOR, AUTHOR.id)
    assert not rules.is_author(NEIGHBOUR, AUTHOR.id)
    assert not rules.is_author(VISITOR, None)  # an erased author is nobody's


@pytest.mark.parametrize(
    ("actor", "expected"),
    [(AUTHOR, True), (NEIGHBOUR, False), (FACILITATOR, True), (OTHER_FACILITATOR, False)],
)
def test_status_reason_is_for_the_author_and_those_who_run_the_challenge(actor, expected):
    assert rules.can_see_status_reason(actor, AUTHOR.id, LANDLORD) is expected


@pytest.mark.parametrize("status", list(IdeaStatus))
@pytest.mark.parametrize("hidden", [False, True])
def test_hide_and_report_an_idea_only_while_everyone_sees_it(status, hidden):
    public = status in PUBLIC and not hidden
    assert rules.can_hide_idea(FACILITATOR, status, LANDLORD, hidden) is public
    assert not rules.can_hide_idea(OTHER_FACILITATOR, status, LANDLORD, hidden)
    assert rules.can_report_idea(NEIGHBOUR, status, AUTHOR.id, LANDLORD, hidden) is public
    assert not rules.can_report_idea(AUTHOR, status, AUTHOR.id, LANDLORD, hidden)


@pytest.mark.parametrize("idea_public", [False, True])
@pytest.mark.parametrize("visible", [False, True])
def test_report_a_comment_only_when_it_and_its_idea_are_shown(idea_public, visible):
    allowed = rules.can_report_comment(NEIGHBOUR, AUTHOR.id, LANDLORD, idea_public, visible)
    assert allowed is (idea_public and visible)


def test_hide_and_restore_follow_what_is_shown():
    assert rules.can_hide_comment(FACILITATOR, LANDLORD, visible=True)
    assert not rules.can_hide_comment(FACILITATOR, LANDLORD, visible=False)
    assert rules.can_restore(FACILITATOR, LANDLORD, hidden=True)
    assert not rules.can_restore(FACILITATOR, LANDLORD, hidden=False)
    assert not rules.can_restore(OTHER_FACILITATOR, LANDLORD, hidden=True)


@pytest.mark.parametrize("status", list(IdeaStatus))
def test_idea_moderation_page_is_for_every_idea_but_a_draft(status):
    expected = status != IdeaStatus.DRAFT
    assert rules.can_open_idea_moderation(FACILITATOR, status, LANDLORD) is expected
    assert not rules.can_open_idea_moderation(NEIGHBOUR, status, LANDLORD)


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("status", list(IdeaStatus))
def test_visitors_are_offered_to_sign_in_where_they_could_take_part(phase, status):
    support = rules.support_needs_login(VISITOR, phase, status)
    assert support is (phase == Phase.IDEATION and status in SUPPORTABLE)
    comment = rules.comment_needs_login(VISITOR, phase, status, hidden=False)
    signed_in_could = rules.can_comment(NEIGHBOUR, phase, status, LANDLORD)
    assert comment is signed_in_could
    assert not rules.support_needs_login(NEIGHBOUR, phase, status)
    assert not rules.comment_needs_login(NEIGHBOUR, phase, status, hidden=False)


@pytest.mark.parametrize("status", list(IdeaStatus))
def test_discussion_starts_once_an_idea_is_past_validation(status):
    expected = status not in {IdeaStatus.DRAFT, IdeaStatus.SUBMITTED}
    assert rules.has_discussion(status) is expected
