"""Rule tables for printed material (issue 13), the short codes and the readable
invitation codes: who prints which poster, when; codes that survive a typo."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.codes import (
    SHORT_ALPHABET,
    normalise_readable_code,
    read_short_code,
    readable_code_problem,
    short_code,
)
from ideation.domain.permissions import REGIONAL, VISITOR, Actor, Scope
from ideation.domain.roles import Role

HOME, OTHER, REGIONAL_ORG, PARTNER = 1, 2, 9, 5
HOST, CREATOR = 20, 21

ACTORS = {
    "visitor": VISITOR,
    "tenant": Actor(id=1, role=Role.TENANT, organisation_id=HOME, residence_id=10),
    "staff": Actor(id=4, role=Role.STAFF, organisation_id=HOME),
    "staff_host": Actor(id=HOST, role=Role.STAFF, organisation_id=HOME),
    "partner_staff": Actor(
        id=22, role=Role.STAFF, organisation_id=PARTNER, organisation_is_partner=True
    ),
    "facilitator_home": Actor(id=6, role=Role.FACILITATOR, organisation_id=HOME),
    "facilitator_other": Actor(id=7, role=Role.FACILITATOR, organisation_id=OTHER),
    "facilitator_regional": Actor(
        id=8, role=Role.FACILITATOR, organisation_id=REGIONAL_ORG, organisation_is_regional=True
    ),
    "bailleur": Actor(id=11, role=Role.BAILLEUR, organisation_id=HOME),
    "bailleur_other": Actor(id=12, role=Role.BAILLEUR, organisation_id=OTHER),
    "admin": Actor(id=10, role=Role.ADMIN),
}
HOME_SCOPE = Scope(organisation_id=HOME)

INVITATION_PRINTERS = {"facilitator_home", "bailleur", "admin"}
HOME_CHALLENGE_PRINTERS = {"facilitator_home", "facilitator_regional", "bailleur", "admin"}
REGIONAL_CHALLENGE_PRINTERS = {"facilitator_regional", "bailleur", "bailleur_other", "admin"}
WORKSHOP_PRINTERS = {"staff_host", "facilitator_regional", "bailleur", "admin"}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_prints_an_invitation_poster(actor):
    assert rules.can_print_invitation_poster(ACTORS[actor], HOME) is (actor in INVITATION_PRINTERS)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_admins_choose_an_invitation_code(actor):
    assert rules.can_choose_invitation_code(ACTORS[actor]) is (actor == "admin")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("scope", "printers"),
    [(HOME_SCOPE, HOME_CHALLENGE_PRINTERS), (REGIONAL, REGIONAL_CHALLENGE_PRINTERS)],
)
def test_who_prints_a_challenge_poster(actor, scope, printers):
    assert rules.can_print_for_challenge(ACTORS[actor], scope) is (actor in printers)


@pytest.mark.parametrize("phase", list(Phase))
def test_the_vote_poster_only_while_the_vote_is_open(phase):
    admin = ACTORS["admin"]
    assert rules.can_print_vote_poster(admin, phase, HOME_SCOPE) is (phase == Phase.VOTING)


@pytest.mark.parametrize("phase", list(Phase))
def test_the_results_poster_once_the_vote_is_closed(phase):
    bailleur = ACTORS["bailleur"]
    expected = phase in {Phase.RESULTS, Phase.ARCHIVED}
    assert rules.can_print_results_poster(bailleur, phase, HOME_SCOPE) is expected


@pytest.mark.parametrize("actor", ACTORS)
def test_who_prints_a_workshop_poster(actor):
    allowed = rules.can_print_workshop_poster(ACTORS[actor], frozenset({HOST}), CREATOR, HOME)
    assert allowed is (actor in WORKSHOP_PRINTERS)


def test_a_workshop_at_an_address_has_no_landlord_to_print_it():
    assert not rules.can_print_workshop_poster(ACTORS["bailleur"], frozenset(), None, None)


# --- short codes ------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=10**12))
def test_a_short_code_reads_back_to_its_id(row_id):
    code = short_code(row_id)
    assert read_short_code(code) == row_id
    assert read_short_code(code.lower()) == row_id
    assert set(code) <= set(SHORT_ALPHABET)


@given(st.integers(min_value=1, max_value=10**9), st.data())
def test_one_mistyped_character_never_lands_on_another_id(row_id, data):
    code = short_code(row_id)
    at = data.draw(st.integers(min_value=0, max_value=len(code) - 1))
    wrong = data.draw(st.sampled_from([c for c in SHORT_ALPHABET if c != code[at]]))
    assert read_short_code(code[:at] + wrong + code[at + 1 :]) is None


def test_short_codes_are_short_and_free_of_ambiguous_characters():
    assert len(short_code(1)) == 4
    assert len(short_code(30000)) == 4
    assert not set("01OI") & set("".join(short_code(i) for i in range(1, 5000)))


@pytest.mark.parametrize("text", ["", "ABC", "2", "0000", "Z" * 13, "AB CD", "22223", "é" * 5])
def test_what_is_not_a_short_code(text):
    assert read_short_code(text) is None


# --- readable invitation codes -------------------------------------------------------------


@pytest.mark.parametrize("code", ["COMPAGNONS26", "TILLEULS", "ABCDEF", "A" * 20, "BONJOUR2"])
def test_readable_codes_accepted(code):
    assert readable_code_problem(code) is None


@pytest.mark.parametrize(
    "code", ["ABCDE", "A" * 21, "BONJOUR10", "TILLEUL-26", "ÉTÉ222", "HELLO WORLD", "abcdefg"]
)
def test_readable_codes_refused(code):
    assert readable_code_problem(code) is not None


# --- verified households ------------------------------------------------------------------

LETTER_ISSUERS = {"bailleur", "admin"}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_makes_a_residences_dwelling_letters(actor):
    assert rules.can_issue_dwelling_codes(ACTORS[actor], HOME) is (actor in LETTER_ISSUERS)
    assert rules.can_open_dwelling_letters(ACTORS[actor]) is (
        actor in LETTER_ISSUERS | {"bailleur_other"}
    )


UNVERIFIED = Actor(
    id=30, role=Role.TENANT, organisation_id=HOME, residence_id=10, household_verified=False
)
VERIFIED = Actor(id=31, role=Role.TENANT, organisation_id=HOME, residence_id=10)


@pytest.mark.parametrize(
    ("actor", "verified_only", "votes", "told_how"),
    [
        (VERIFIED, True, True, False),
        (UNVERIFIED, True, False, True),
        (UNVERIFIED, False, True, False),
        (VERIFIED, False, True, False),
    ],
)
def test_votes_reserved_to_verified_households(actor, verified_only, votes, told_how):
    assert rules.can_vote(actor, Phase.VOTING, HOME_SCOPE, verified_only) is votes
    assert rules.vote_needs_household(actor, Phase.VOTING, HOME_SCOPE, verified_only) is told_how


def test_no_household_notice_for_those_who_could_not_vote_anyway():
    outsider = Actor(id=32, role=Role.TENANT, organisation_id=OTHER, household_verified=False)
    assert not rules.vote_needs_household(outsider, Phase.VOTING, HOME_SCOPE, True)
    assert not rules.vote_needs_household(UNVERIFIED, Phase.IDEATION, HOME_SCOPE, True)


def test_a_typed_invitation_code_is_trimmed_and_put_in_capitals():
    assert normalise_readable_code("  atelier-2026 \n") == "ATELIER-2026"
    assert normalise_readable_code("") == ""
    assert normalise_readable_code(None) == ""  # type: ignore[arg-type]  # an absent field
