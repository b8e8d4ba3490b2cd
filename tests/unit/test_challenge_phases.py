from datetime import UTC, datetime, timedelta

import pytest

from ideation.domain.challenge_phases import (
    ALLOWED,
    ORDER,
    Phase,
    PhaseError,
    Schedule,
    move,
    next_phase,
    opens_vote,
    scheduled_phase,
    vote_opening_refusal,
)

NOW = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)

ALLOWED_MOVES = [(a, b) for a in Phase for b in Phase if b in ALLOWED[a]]
REFUSED_MOVES = [(a, b) for a in Phase for b in Phase if b not in ALLOWED[a]]


def test_the_machine_is_the_documented_chain():
    assert ALLOWED_MOVES == [
        (Phase.DRAFT, Phase.IDEATION),
        (Phase.IDEATION, Phase.REVIEW),
        (Phase.REVIEW, Phase.VOTING),
        (Phase.VOTING, Phase.RESULTS),
        (Phase.RESULTS, Phase.ARCHIVED),
    ]


@pytest.mark.parametrize("current, target", ALLOWED_MOVES)
def test_every_allowed_move_is_accepted(current, target):
    assert move(current, target) == target
    assert next_phase(current) == target


@pytest.mark.parametrize("current, target", REFUSED_MOVES)
def test_every_refused_move_raises_with_a_message(current, target):
    with pytest.raises(PhaseError) as refused:
        move(current, target)
    message = refused.value.message
    if current == target:
        assert message == "Le défi est déjà dans cette phase."
    elif current == Phase.ARCHIVED:
        assert message == "Un défi archivé ne change plus de phase."
    elif ORDER.index(target) < ORDER.index(current):
        assert message == "Un défi ne revient jamais à une phase passée."
    else:
        assert "une à la fois" in message


def test_archived_is_final():
    assert next_phase(Phase.ARCHIVED) is None


def test_ideation_ends_on_time_without_anybody_clicking():
    schedule = Schedule(ideation_ends_at=NOW - DAY)
    assert scheduled_phase(Phase.IDEATION, schedule, NOW) == Phase.REVIEW


def test_ideation_stays_open_before_its_end():
    schedule = Schedule(ideation_ends_at=NOW + DAY)
    assert scheduled_phase(Phase.IDEATION, schedule, NOW) == Phase.IDEATION


def test_end_date_is_inclusive_of_the_exact_second():
    assert scheduled_phase(Phase.VOTING, Schedule(voting_ends_at=NOW), NOW) == Phase.RESULTS


def test_several_phases_can_pass_at_once():
    schedule = Schedule(
        ideation_ends_at=NOW - 10 * DAY, voting_starts_at=NOW - 5 * DAY, voting_ends_at=NOW - DAY
    )
    assert scheduled_phase(Phase.IDEATION, schedule, NOW) == Phase.RESULTS


def test_review_opens_the_vote_at_review_end_when_no_vote_start():
    schedule = Schedule(ideation_ends_at=NOW - 3 * DAY, review_ends_at=NOW - DAY)
    assert scheduled_phase(Phase.REVIEW, schedule, NOW) == Phase.VOTING


def test_a_draft_never_opens_by_itself():
    schedule = Schedule(ideation_ends_at=NOW - DAY, voting_ends_at=NOW - DAY)
    assert scheduled_phase(Phase.DRAFT, schedule, NOW) == Phase.DRAFT


@pytest.mark.parametrize("phase", [Phase.RESULTS, Phase.ARCHIVED])
def test_results_and_archives_do_not_move_by_the_calendar(phase):
    schedule = Schedule(
        ideation_ends_at=NOW - 9 * DAY, voting_starts_at=NOW - 5 * DAY, voting_ends_at=NOW - DAY
    )
    assert scheduled_phase(phase, schedule, NOW) == phase


def test_no_dates_no_automatic_move():
    for phase in Phase:
        assert scheduled_phase(phase, Schedule(), NOW) == phase


def test_contradictory_dates_are_reported():
    bad = Schedule(ideation_ends_at=NOW, voting_starts_at=NOW - DAY, voting_ends_at=NOW - 2 * DAY)
    assert len(bad.errors()) == 2
    assert (
        Schedule(
            ideation_ends_at=NOW, voting_starts_at=NOW + DAY, voting_ends_at=NOW + 2 * DAY
        ).errors()
        == []
    )


# --- the opening of the vote: more shortlisted ideas than winners --------------------


@pytest.mark.parametrize(("shortlisted", "winners"), [(0, 1), (1, 1), (3, 3), (2, 3)])
def test_a_vote_with_no_more_ideas_than_winners_may_not_open(shortlisted, winners):
    refused = vote_opening_refusal(shortlisted, winners)
    assert isinstance(refused, PhaseError)
    assert refused.params == {"shortlisted": shortlisted, "winners": winners}
    assert "plus d'idées sélectionnées que de gagnantes" in refused.message
    assert f"Idées sélectionnées : {shortlisted} ; gagnantes prévues : {winners}" in str(refused)


@pytest.mark.parametrize(("shortlisted", "winners"), [(2, 1), (4, 3), (10, 3)])
def test_a_vote_with_more_ideas_than_winners_may_open(shortlisted, winners):
    assert vote_opening_refusal(shortlisted, winners) is None


def test_the_calendar_does_not_open_a_vote_that_is_not_ready():
    schedule = Schedule(voting_starts_at=NOW - DAY, voting_ends_at=NOW + DAY)
    assert scheduled_phase(Phase.REVIEW, schedule, NOW) == Phase.VOTING
    assert scheduled_phase(Phase.REVIEW, schedule, NOW, vote_ready=False) == Phase.REVIEW
    # even when the vote's end has passed too: it stays in review, it never "closes"
    late = Schedule(voting_starts_at=NOW - 3 * DAY, voting_ends_at=NOW - DAY)
    assert scheduled_phase(Phase.REVIEW, late, NOW, vote_ready=False) == Phase.REVIEW
    # ideation still ends by its date
    both = Schedule(ideation_ends_at=NOW - 2 * DAY, voting_starts_at=NOW - DAY)
    assert scheduled_phase(Phase.IDEATION, both, NOW, vote_ready=False) == Phase.REVIEW


@pytest.mark.parametrize(
    ("current", "reached", "expected"),
    [
        (Phase.REVIEW, Phase.VOTING, True),
        (Phase.IDEATION, Phase.RESULTS, True),
        (Phase.IDEATION, Phase.REVIEW, False),
        (Phase.VOTING, Phase.RESULTS, False),
        (Phase.REVIEW, Phase.REVIEW, False),
    ],
)
def test_which_moves_open_the_vote(current, reached, expected):
    assert opens_vote(current, reached) is expected
