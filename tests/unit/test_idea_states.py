import pytest

from ideation.domain.idea_states import (
    ALLOWED,
    EDITABLE,
    PUBLIC,
    IdeaStatus,
    TransitionRefused,
    next_status,
    submission_path,
)

S = IdeaStatus

EXPECTED_GRAPH = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.WITHDRAWN),
    (S.SUBMITTED, S.PUBLISHED),
    (S.SUBMITTED, S.REJECTED),
    (S.SUBMITTED, S.MERGED),  # a pending near copy, from the queue
    (S.SUBMITTED, S.WITHDRAWN),
    (S.PUBLISHED, S.SHORTLISTED),
    (S.PUBLISHED, S.MERGED),
    (S.PUBLISHED, S.WITHDRAWN),
    (S.SHORTLISTED, S.SELECTED),
    (S.SHORTLISTED, S.NOT_SELECTED),
    (S.SELECTED, S.PILOTED),
}
ALLOWED_MOVES = sorted(EXPECTED_GRAPH)
REFUSED_MOVES = [(a, b) for a in S for b in S if (a, b) not in EXPECTED_GRAPH]


def test_graph_is_exactly_the_documented_one():
    assert {(a, b) for a, targets in ALLOWED.items() for b in targets} == EXPECTED_GRAPH


@pytest.mark.parametrize("current, target", ALLOWED_MOVES)
def test_every_allowed_transition(current, target):
    assert next_status(current, target, reason="Doublon de l'idée 3") == target


@pytest.mark.parametrize("current, target", REFUSED_MOVES)
def test_every_refused_transition_has_a_clear_message(current, target):
    with pytest.raises(TransitionRefused) as refused:
        next_status(current, target, reason="une raison")
    text = str(refused.value)
    assert text and text[0].isupper() and text.endswith(".")
    assert "%(" not in text


@pytest.mark.parametrize(
    "current, target, words",
    [
        (S.DRAFT, S.PUBLISHED, "envoyée avant d'être publiée"),
        (S.SHORTLISTED, S.WITHDRAWN, "ne peut plus être retirée"),
        (S.WITHDRAWN, S.PUBLISHED, "a été retirée"),
        (S.REJECTED, S.PUBLISHED, "a été refusée"),
        (S.PUBLISHED, S.PUBLISHED, "déjà ce statut"),
        (S.SUBMITTED, S.SELECTED, "« En attente de validation » à « Lauréate »"),
    ],
)
def test_refusal_messages_say_why(current, target, words):
    with pytest.raises(TransitionRefused, match=words):
        next_status(current, target)


@pytest.mark.parametrize("target, current", [(S.REJECTED, S.SUBMITTED), (S.MERGED, S.PUBLISHED)])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_rejection_and_merging_need_a_reason(target, current, reason):
    with pytest.raises(TransitionRefused, match="raison"):
        next_status(current, target, reason=reason)


def test_submission_with_and_without_premoderation():
    assert submission_path(True) == (S.SUBMITTED,)
    assert submission_path(False) == (S.SUBMITTED, S.PUBLISHED)


def test_pending_and_drafts_are_not_public_and_shortlisted_is_not_editable():
    assert S.DRAFT not in PUBLIC and S.SUBMITTED not in PUBLIC and S.WITHDRAWN not in PUBLIC
    assert S.SHORTLISTED not in EDITABLE and S.PUBLISHED in EDITABLE
