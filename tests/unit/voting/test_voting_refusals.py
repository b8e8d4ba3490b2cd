"""What `tally` refuses, word for word (the recount prints these messages to whoever
checks a vote), and a published JSON that is the caller's own copy.

Mutation testing found each of these unchecked: a refusal that raised with no message,
a boolean taken for a number of winners, a JSON whose nested lists were the result's own.
"""

from __future__ import annotations

import dataclasses

import pytest

from ideation.domain.voting import from_counts, registry, tally
from tests.fake_vote_method import METHOD as FAKE


@pytest.fixture
def ballots():
    return from_counts(["A", "B", "C"], [((("A",), ("B",)), 3), ((("C",),), 2)])


@pytest.mark.parametrize("winners", [True, False, 0, 4, 1.0, "1"])
def test_a_number_of_winners_outside_one_to_m_is_refused_with_its_bounds(ballots, winners):
    with pytest.raises(ValueError) as refused:
        tally(ballots, "irv", winners=winners)
    assert str(refused.value) == "le nombre de gagnant·es doit être compris entre 1 et 3"


@pytest.mark.parametrize("order", [["A", "B"], ["A", "B", "B"], ["A", "B", "D"], []])
def test_a_tie_break_order_must_name_each_candidate_once(ballots, order):
    with pytest.raises(ValueError) as refused:
        tally(ballots, "schulze", tie_break=order)
    assert str(refused.value) == (
        "l'ordre de départage doit citer chaque candidat exactement une fois : A, B, C"
    )


def test_a_method_that_publishes_other_fields_than_it_declares_is_refused(ballots):
    liar = dataclasses.replace(FAKE, name="menteuse", json_fields=("votes",))
    registry.register(liar)
    try:
        with pytest.raises(ValueError) as refused:
            tally(ballots, "menteuse")
    finally:
        registry.unregister("menteuse")
    # Narrow no-break spaces inside the French quotation marks.
    assert str(refused.value) == (
        "la méthode «\u202fmenteuse\u202f» a rendu ('approvals',) au lieu de ('votes',)"
    )


def test_a_result_names_the_missing_attribute(ballots):
    result = tally(ballots, "borda")
    assert result.scores == {"A": 6, "B": 3, "C": 4}  # a JSON field, read as an attribute
    with pytest.raises(AttributeError) as missing:
        _ = result.no_such_field
    assert str(missing.value) == "'TallyResult' object has no attribute 'no_such_field'"


def test_the_published_json_is_a_copy_the_caller_may_change(ballots):
    result = tally(ballots, "irv")
    published = result.to_json_dict()
    published["rounds"][0]["counts"]["A"] = 999
    published["rounds"].clear()
    assert result.to_json_dict()["rounds"][0]["counts"]["A"] == 3
