"""The Fabrique's rules (issue 12): who manages editions and houses, who adopts a pilot,
when lessons are written, house colours, the library's maturity, participation rates."""

from __future__ import annotations

import pytest

from ideation.domain import permissions as rules
from ideation.domain.fabrique import (
    Maturity,
    maturity,
    normal_colour,
    participation_rate,
    valid_colour,
)
from ideation.domain.permissions import VISITOR, Actor
from ideation.domain.pilot_states import PilotStatus
from ideation.domain.roles import Role

LANDLORD, OTHER, REGIONAL = 10, 20, 1


def actor(role: Role | None, org: int | None = LANDLORD, *, regional: bool = False, id_=5):
    if role is None:
        return VISITOR
    return Actor(id=id_, role=role, organisation_id=org, organisation_is_regional=regional)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (VISITOR, False),
        (actor(Role.TENANT), False),
        (actor(Role.STAFF), False),
        (actor(Role.BAILLEUR), False),
        (actor(Role.FACILITATOR), True),
        (actor(Role.ADMIN, REGIONAL, regional=True), True),
    ],
)
def test_who_manages_editions_and_creates_houses(who, expected):
    assert rules.can_manage_editions(who) is expected


@pytest.mark.parametrize(
    ("who", "in_charge", "expected"),
    [
        (VISITOR, frozenset({5}), False),
        (actor(Role.TENANT), frozenset({5}), False),  # being listed is not enough
        (actor(Role.BAILLEUR), frozenset({5}), False),
        (actor(Role.FACILITATOR), frozenset({5}), True),  # in charge
        (actor(Role.FACILITATOR), frozenset({6}), False),  # a landlord's, not in charge
        (actor(Role.FACILITATOR, REGIONAL, regional=True), frozenset(), True),
        (actor(Role.ADMIN, REGIONAL, regional=True), frozenset(), True),
    ],
)
def test_who_edits_a_house(who, in_charge, expected):
    assert rules.can_edit_house(who, in_charge) is expected


@pytest.mark.parametrize(
    ("who", "in_charge", "expected"),
    [
        (VISITOR, frozenset({5}), False),
        (actor(Role.TENANT), frozenset({5}), False),
        (actor(Role.STAFF), frozenset({5}), False),
        (actor(Role.BAILLEUR), frozenset({5}), False),  # houses are the Fabrique's
        (actor(Role.FACILITATOR), frozenset({5}), True),  # in charge of the house
        (actor(Role.FACILITATOR), frozenset({6}), False),
        (actor(Role.FACILITATOR, REGIONAL, regional=True), frozenset(), True),
        (actor(Role.ADMIN, REGIONAL, regional=True), frozenset(), True),
    ],
)
def test_who_writes_to_a_houses_participants(who, in_charge, expected):
    assert rules.can_message_house(who, in_charge) is expected


@pytest.mark.parametrize(
    ("who", "pilot_org", "expected"),
    [
        (VISITOR, OTHER, False),
        (actor(Role.TENANT), OTHER, False),
        (actor(Role.STAFF), OTHER, False),
        (actor(Role.FACILITATOR), OTHER, False),
        (actor(Role.ADMIN, REGIONAL, regional=True), OTHER, False),  # no landlord to adopt for
        (actor(Role.BAILLEUR), OTHER, True),
        (actor(Role.BAILLEUR), LANDLORD, False),  # her own pilot
        (actor(Role.BAILLEUR, None), OTHER, False),
        (actor(Role.BAILLEUR, REGIONAL, regional=True), OTHER, False),
    ],
)
def test_who_adopts_a_pilot(who, pilot_org, expected):
    assert rules.can_adopt_pilot(who, pilot_org) is expected


@pytest.mark.parametrize("status", list(PilotStatus))
def test_lessons_open_at_evaluation_to_the_pilots_editors(status):
    opened = status in {PilotStatus.EVALUATING, PilotStatus.GENERALISED, PilotStatus.STOPPED}
    assert rules.can_write_lessons(actor(Role.BAILLEUR), LANDLORD, status) is opened
    assert rules.can_write_lessons(actor(Role.ADMIN, REGIONAL), LANDLORD, status) is opened
    assert rules.can_write_lessons(actor(Role.BAILLEUR), OTHER, status) is False
    assert rules.can_write_lessons(actor(Role.STAFF), LANDLORD, status) is False


@pytest.mark.parametrize("good", ["", None, "#1f5f9e", "#ABCDEF", "#000000"])
def test_valid_colours(good):
    assert valid_colour(good)


@pytest.mark.parametrize(
    "bad", ["red", "#fff", "#12345g", "#1234567", '#fff" onload="', "#000;}", " #000000", "url(x)"]
)
def test_colours_that_could_carry_css_are_refused(bad):
    assert not valid_colour(bad)
    with pytest.raises(ValueError):
        normal_colour(bad)


def test_colours_are_stored_lowercase():
    assert normal_colour("#ABCDEF") == "#abcdef" and normal_colour("") is None


@pytest.mark.parametrize(
    ("status", "adoptions", "expected"),
    [
        (PilotStatus.PROPOSED, 0, Maturity.EXPERIMENTING),
        (PilotStatus.PLANNED, 0, Maturity.EXPERIMENTING),
        (PilotStatus.RUNNING, 0, Maturity.EXPERIMENTING),
        (PilotStatus.EVALUATING, 0, Maturity.EVALUATED),
        (PilotStatus.GENERALISED, 0, Maturity.GENERALISED),
        (PilotStatus.STOPPED, 0, None),
        (PilotStatus.RUNNING, 1, Maturity.ADOPTED),
        (PilotStatus.STOPPED, 2, Maturity.ADOPTED),
    ],
)
def test_maturity_in_the_library(status, adoptions, expected):
    assert maturity(status, adoptions) is expected


@pytest.mark.parametrize(
    ("participants", "dwellings", "expected"),
    [(0, 200, 0.0), (21, 200, 10.5), (1, 3, 33.3), (5, None, None), (5, 0, None)],
)
def test_participation_rate(participants, dwellings, expected):
    assert participation_rate(participants, dwellings) == expected
