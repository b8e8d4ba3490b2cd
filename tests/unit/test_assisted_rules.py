"""Rule tables for assisted participation (issue 13): who opens an assisted account, who
manages (resets) one, who enters on someone's behalf and when, who opens workshop mode;
and the claim code's alphabet, normalisation and hash."""

from __future__ import annotations

import pytest

from ideation.domain import permissions as rules
from ideation.domain.assisted import (
    ALPHABET,
    claim_code_hash,
    french_at,
    new_claim_code,
    normalise_claim_code,
)
from ideation.domain.permissions import VISITOR, Actor
from ideation.domain.roles import Role

HOME, OTHER, REGIONAL_ORG, PARTNER = 1, 2, 9, 5
HOST, CREATOR = 20, 21

ACTORS = {
    "visitor": VISITOR,
    "tenant": Actor(id=1, role=Role.TENANT, organisation_id=HOME),
    "staff_home": Actor(id=4, role=Role.STAFF, organisation_id=HOME),
    "staff_other": Actor(id=5, role=Role.STAFF, organisation_id=OTHER),
    "staff_host": Actor(id=HOST, role=Role.STAFF, organisation_id=HOME),
    "partner_host": Actor(
        id=22, role=Role.STAFF, organisation_id=PARTNER, organisation_is_partner=True
    ),
    "facilitator_home": Actor(id=6, role=Role.FACILITATOR, organisation_id=HOME),
    "facilitator_other": Actor(id=7, role=Role.FACILITATOR, organisation_id=OTHER),
    "facilitator_regional": Actor(
        id=8, role=Role.FACILITATOR, organisation_id=REGIONAL_ORG, organisation_is_regional=True
    ),
    "bailleur": Actor(id=11, role=Role.BAILLEUR, organisation_id=HOME),
    "admin": Actor(id=10, role=Role.ADMIN),
}
HOSTS = frozenset({HOST, 22})

# At an office: staff, facilitators, admins (never a partner's member, nor a landlord manager).
OPENERS = {
    "staff_home",
    "staff_other",
    "staff_host",
    "facilitator_home",
    "facilitator_other",
    "facilitator_regional",
    "admin",
}
# An account of HOME created by CREATOR (not in ACTORS) or by the host.
MANAGERS = {"staff_home", "staff_host", "facilitator_home", "facilitator_regional", "admin"}
# Who runs a workshop created by nobody listed: its hosts, the regional facilitator, admins.
RUNNERS = {"staff_host", "partner_host", "facilitator_regional", "admin"}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_opens_an_assisted_account_at_an_office(actor):
    assert rules.can_create_assisted_account(ACTORS[actor]) == (actor in OPENERS)


@pytest.mark.parametrize("actor", ACTORS)
def test_a_workshops_host_opens_one_at_the_workshop(actor):
    expected = actor in OPENERS or actor != "visitor"
    assert rules.can_create_assisted_account(ACTORS[actor], is_host=True) == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_who_manages_and_resets_an_assisted_account(actor):
    assert rules.can_manage_assisted_account(ACTORS[actor], HOME, CREATOR) == (actor in MANAGERS)


def test_who_created_it_manages_it_whatever_their_role():
    assert rules.can_manage_assisted_account(ACTORS["partner_host"], HOME, 22)
    assert not rules.can_manage_assisted_account(VISITOR, HOME, None)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("started", [True, False])
def test_who_enters_on_someones_behalf_and_when(actor, started):
    expected = started and actor in RUNNERS
    assert rules.can_enter_on_behalf(ACTORS[actor], HOSTS, None, started) == expected


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("ended", [True, False])
def test_who_opens_workshop_mode_and_until_when(actor, ended):
    expected = not ended and actor in RUNNERS
    assert rules.can_open_workshop_mode(ACTORS[actor], HOSTS, None, ended) == expected


def test_claim_codes_avoid_look_alike_letters_and_are_grouped():
    for look_alike in "0O1IL2Z5S8B":
        assert look_alike not in ALPHABET
    codes = {new_claim_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 11 and code[5] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET)


def test_a_code_typed_loosely_hashes_like_the_printed_one():
    assert normalise_claim_code(" acdef-ghjkm ") == "ACDEFGHJKM"
    assert claim_code_hash("acdef ghjkm") == claim_code_hash("ACDEF-GHJKM")
    assert claim_code_hash("ACDEF-GHJKM") != claim_code_hash("ACDEF-GHJKN")
    assert "ACDEF" not in claim_code_hash("ACDEF-GHJKM")


@pytest.mark.parametrize(
    "place, said",
    [
        ("Les Tilleuls", "aux Tilleuls"),
        ("Le Parc", "au Parc"),
        ("La Source", "à la Source"),
        ("L'Orée", "à l'Orée"),
        ("Vaulx", "à Vaulx"),
    ],
)
def test_the_workshop_idea_says_where_in_french(place, said):
    assert french_at(place) == said
