"""The pilot machine: every allowed move, every refused one, with its message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import product

import pytest

from ideation.domain.pilot_states import (
    ALLOWED,
    FINAL,
    PilotStatus,
    TransitionRefused,
    check_budget,
    check_dates,
    check_progress,
    is_overdue,
    next_choices,
    next_status,
)

P = PilotStatus

FORWARD = [
    (P.PROPOSED, P.PLANNED),
    (P.PLANNED, P.RUNNING),
    (P.RUNNING, P.EVALUATING),
    (P.EVALUATING, P.GENERALISED),
]
TO_STOP = [(s, P.STOPPED) for s in (P.PROPOSED, P.PLANNED, P.RUNNING, P.EVALUATING)]
ALLOWED_MOVES = FORWARD + TO_STOP
REFUSED_MOVES = [(a, b) for a, b in product(P, P) if (a, b) not in ALLOWED_MOVES]


def test_the_graph_is_the_documented_one():
    assert {(a, b) for a, targets in ALLOWED.items() for b in targets} == set(ALLOWED_MOVES)
    assert FINAL == {P.GENERALISED, P.STOPPED}


@pytest.mark.parametrize(("current", "target"), FORWARD)
def test_each_forward_step_is_allowed(current, target):
    assert next_status(current, target) == target


@pytest.mark.parametrize(("current", "target"), TO_STOP)
def test_any_open_state_may_stop_with_a_reason(current, target):
    assert next_status(current, target, reason="Le prestataire a fait faillite.") == P.STOPPED


@pytest.mark.parametrize("current", [P.PROPOSED, P.PLANNED, P.RUNNING, P.EVALUATING])
@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_stopping_without_a_reason_is_refused(current, reason):
    with pytest.raises(TransitionRefused) as refused:
        next_status(current, P.STOPPED, reason=reason)
    assert "raison" in refused.value.message


@pytest.mark.parametrize(("current", "target"), REFUSED_MOVES)
def test_every_other_move_is_refused_with_a_french_message(current, target):
    with pytest.raises(TransitionRefused) as refused:
        next_status(current, target, reason="une raison")
    message = str(refused.value)
    assert message and message[0].isupper() and message.endswith(".")
    if current == target:
        assert "déjà ce statut" in message
    elif current in FINAL:
        assert "ne change plus" in message
    elif target in {P.PROPOSED, P.PLANNED, P.RUNNING, P.EVALUATING} and list(P).index(
        target
    ) < list(P).index(current):
        assert "en arrière" in message
    else:
        assert "une étape à la fois" in message


def test_skipping_a_step_names_the_expected_one():
    with pytest.raises(TransitionRefused) as refused:
        next_status(P.PROPOSED, P.RUNNING)
    assert refused.value.params == {"current": "Proposé", "expected": "Planifié"}


def test_choices_offer_the_next_step_then_stop():
    assert next_choices(P.RUNNING) == [P.EVALUATING, P.STOPPED]
    assert next_choices(P.GENERALISED) == []


@pytest.mark.parametrize("value", [0, 1, 50, 100, None])
def test_progress_in_range(value):
    assert check_progress(value) == value


@pytest.mark.parametrize("value", [-1, 101, 1000])
def test_progress_out_of_range_is_refused(value):
    with pytest.raises(TransitionRefused, match="entre 0 et 100"):
        check_progress(value)


def test_budget_rules():
    check_budget(Decimal("1250.50"), Decimal("0"))
    for planned, spent, words in [
        (Decimal("-1"), Decimal("0"), "négatif"),
        (Decimal("1"), Decimal("0.001"), "centime"),
        (Decimal("10000000000"), Decimal("0"), "trop grand"),
    ]:
        with pytest.raises(TransitionRefused, match=words):
            check_budget(planned, spent)


def test_dates_in_order():
    check_dates(date(2026, 1, 1), date(2026, 1, 1))
    check_dates(None, date(2026, 1, 1))
    with pytest.raises(TransitionRefused, match="après le début"):
        check_dates(date(2026, 2, 1), date(2026, 1, 1))


@pytest.mark.parametrize(
    ("status", "late"),
    [
        (P.PROPOSED, True),
        (P.PLANNED, True),
        (P.RUNNING, True),
        (P.EVALUATING, False),
        (P.GENERALISED, False),
        (P.STOPPED, False),
    ],
)
def test_overdue_when_end_passed_and_not_evaluating_or_closed(status, late):
    today = date(2026, 6, 15)
    assert is_overdue(status, date(2026, 6, 14), today) is late
    assert is_overdue(status, date(2026, 6, 15), today) is False
    assert is_overdue(status, None, today) is False
