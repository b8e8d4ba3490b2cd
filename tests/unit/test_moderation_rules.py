"""The comment, report and moderation rules: role × organisation × phase × status, no app needed."""

from __future__ import annotations

import pytest

from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import VISITOR, Actor, Scope
from ideation.domain.roles import Role

ORG, OTHER = 10, 20
LANDLORD = Scope(organisation_id=ORG)
REGIONAL = Scope()

TENANT = Actor(id=1, role=Role.TENANT, organisation_id=ORG)
OUTSIDER = Actor(id=2, role=Role.TENANT, organisation_id=OTHER)
STAFF = Actor(id=3, role=Role.STAFF, organisation_id=ORG)
BAILLEUR = Actor(id=4, role=Role.BAILLEUR, organisation_id=ORG)
LANDLORD_FACILITATOR = Actor(id=5, role=Role.FACILITATOR, organisation_id=ORG)
OTHER_FACILITATOR = Actor(id=6, role=Role.FACILITATOR, organisation_id=OTHER)
REGIONAL_FACILITATOR = Actor(
    id=7, role=Role.FACILITATOR, organisation_id=99, organisation_is_regional=True
)
ADMIN = Actor(id=8, role=Role.ADMIN, organisation_id=99, organisation_is_regional=True)


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("status", list(IdeaStatus))
def test_comments_open_on_public_ideas_until_archived(phase, status):
    allowed = rules.can_comment(TENANT, phase, status, LANDLORD)
    expected = phase not in {Phase.DRAFT, Phase.ARCHIVED} and status in rules.COMMENTABLE
    assert allowed == expected
    assert (
        IdeaStatus.MERGED not in rules.COMMENTABLE and IdeaStatus.SUBMITTED not in rules.COMMENTABLE
    )


@pytest.mark.parametrize(
    "actor,expected",
    [
        (VISITOR, False),
        (TENANT, True),
        (OUTSIDER, False),
        (STAFF, True),
        (BAILLEUR, True),
        (LANDLORD_FACILITATOR, True),
        (OTHER_FACILITATOR, True),
        (ADMIN, True),
    ],
)
def test_who_comments_in_a_landlords_challenge(actor, expected):
    assert rules.can_comment(actor, Phase.IDEATION, IdeaStatus.PUBLISHED, LANDLORD) is expected


def test_a_hidden_idea_takes_no_comment():
    assert not rules.can_comment(
        TENANT, Phase.IDEATION, IdeaStatus.PUBLISHED, LANDLORD, hidden=True
    )


@pytest.mark.parametrize(
    "age,expected", [(0, True), (899, True), (900, True), (901, False), (-5, False)]
)
def test_author_edits_within_fifteen_minutes(age, expected):
    assert rules.can_edit_comment(TENANT, TENANT.id, age, Phase.IDEATION) is expected


def test_edit_refused_to_others_deleted_hidden_or_archived():
    assert not rules.can_edit_comment(STAFF, TENANT.id, 10, Phase.IDEATION)
    assert not rules.can_edit_comment(TENANT, TENANT.id, 10, Phase.IDEATION, deleted=True)
    assert not rules.can_edit_comment(TENANT, TENANT.id, 10, Phase.IDEATION, hidden=True)
    assert not rules.can_edit_comment(TENANT, TENANT.id, 10, Phase.ARCHIVED)
    assert not rules.can_edit_comment(VISITOR, None, 10, Phase.IDEATION)


def test_delete_own_comment_only_once():
    assert rules.can_delete_comment(TENANT, TENANT.id)
    assert not rules.can_delete_comment(TENANT, TENANT.id, deleted=True)
    assert not rules.can_delete_comment(ADMIN, TENANT.id)


def test_reports_by_participants_in_scope_never_on_own_content():
    assert rules.can_report(STAFF, TENANT.id, LANDLORD)
    assert not rules.can_report(TENANT, TENANT.id, LANDLORD)
    assert not rules.can_report(OUTSIDER, TENANT.id, LANDLORD)
    assert not rules.can_report(VISITOR, TENANT.id, LANDLORD)
    assert rules.can_report(OUTSIDER, TENANT.id, REGIONAL)


@pytest.mark.parametrize(
    "actor,landlord,regional",
    [
        (TENANT, False, False),
        (STAFF, False, False),
        (BAILLEUR, False, False),
        (LANDLORD_FACILITATOR, True, False),
        (OTHER_FACILITATOR, False, False),
        (REGIONAL_FACILITATOR, True, True),
        (ADMIN, True, True),
    ],
)
def test_who_moderates_which_challenge(actor, landlord, regional):
    assert rules.can_moderate(actor, LANDLORD) is landlord
    assert rules.can_moderate(actor, REGIONAL) is regional
    assert rules.can_open_moderation(actor) is (actor.role in {Role.FACILITATOR, Role.ADMIN})
    assert rules.moderates_everything(actor) is (actor in (REGIONAL_FACILITATOR, ADMIN))


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("status", list(IdeaStatus))
def test_reject_and_merge_follow_the_idea_machine_before_the_vote(phase, status):
    open_phase = phase in {Phase.IDEATION, Phase.REVIEW}
    assert rules.can_reject_idea(LANDLORD_FACILITATOR, phase, status, LANDLORD) is (
        open_phase and status == IdeaStatus.SUBMITTED
    )
    assert rules.can_merge_idea(LANDLORD_FACILITATOR, phase, status, LANDLORD) is (
        open_phase and status in {IdeaStatus.PUBLISHED, IdeaStatus.SUBMITTED}
    )
    assert not rules.can_reject_idea(OTHER_FACILITATOR, phase, status, LANDLORD)
    assert not rules.can_merge_idea(BAILLEUR, phase, status, LANDLORD)


def test_answers_on_public_ideas_by_those_who_moderate():
    assert rules.can_answer_idea(LANDLORD_FACILITATOR, IdeaStatus.SHORTLISTED, LANDLORD)
    assert not rules.can_answer_idea(LANDLORD_FACILITATOR, IdeaStatus.SUBMITTED, LANDLORD)
    assert not rules.can_answer_idea(LANDLORD_FACILITATOR, IdeaStatus.MERGED, LANDLORD)
    assert not rules.can_answer_idea(STAFF, IdeaStatus.PUBLISHED, LANDLORD)


def test_hidden_idea_is_seen_by_its_author_and_moderators_only():
    hidden = {
        "status": IdeaStatus.PUBLISHED,
        "author_id": TENANT.id,
        "scope": LANDLORD,
        "hidden": True,
    }
    assert rules.can_view_idea(TENANT, **hidden)
    assert rules.can_view_idea(LANDLORD_FACILITATOR, **hidden)
    assert not rules.can_view_idea(STAFF, **hidden)
    assert not rules.can_view_idea(VISITOR, **hidden)
