"""Participation rules need a confirmed actor; fresh accounts' reports do not hide alone."""

from __future__ import annotations

import pytest

from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.roles import Role

SCOPE = rules.Scope(organisation_id=1)


def _actor(confirmed: bool) -> rules.Actor:
    return rules.Actor(id=7, role=Role.TENANT, organisation_id=1, confirmed=confirmed)


CHECKS = {
    "submit": lambda a: rules.can_submit_idea(a, Phase.IDEATION, SCOPE),
    "support": lambda a: rules.can_support_idea(a, Phase.IDEATION, IdeaStatus.PUBLISHED, 99, SCOPE),
    "comment": lambda a: rules.can_comment(a, Phase.IDEATION, IdeaStatus.PUBLISHED, SCOPE),
    "report": lambda a: rules.can_report(a, 99, SCOPE),
    "vote": lambda a: rules.can_vote(a, Phase.VOTING, SCOPE),
}


@pytest.mark.parametrize("name", sorted(CHECKS))
@pytest.mark.parametrize("confirmed", [True, False])
def test_participation_follows_confirmation(name, confirmed):
    assert CHECKS[name](_actor(confirmed)) is confirmed


def test_needs_confirmation_only_for_logged_in_unconfirmed_actors():
    assert rules.needs_confirmation(_actor(False)) is True
    assert rules.needs_confirmation(_actor(True)) is False
    assert rules.needs_confirmation(rules.VISITOR) is False


@pytest.mark.parametrize(
    ("confirmed", "age", "counts"),
    [
        (True, 24 * 3600, True),
        (True, 24 * 3600 - 1, False),
        (False, 365 * 24 * 3600, False),
        (True, 0, False),
    ],
)
def test_only_day_old_confirmed_reports_count_toward_hiding(confirmed, age, counts):
    assert rules.report_counts_toward_hiding(confirmed, age) is counts
