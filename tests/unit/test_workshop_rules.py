"""Rule tables for workshops (issue 13) and the calendar file's escaping and folding.

Each table restates docs/domain.md#workshops cell by cell: who plans a workshop, who
edits it, who runs it at the door, who writes the minutes and when, who signs up.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ideation.domain import permissions as rules
from ideation.domain.permissions import VISITOR, Actor
from ideation.domain.roles import Role
from ideation.domain.workshops import calendar_file, fold, ics_escape, places_left

HOME, OTHER, REGIONAL_ORG, PARTNER = 1, 2, 9, 5
HOST, CREATOR = 20, 21

ACTORS = {
    "visitor": VISITOR,
    "tenant": Actor(id=1, role=Role.TENANT, organisation_id=HOME, residence_id=10),
    "tenant_unconfirmed": Actor(id=2, role=Role.TENANT, organisation_id=HOME, confirmed=False),
    "staff": Actor(id=4, role=Role.STAFF, organisation_id=HOME),
    "staff_host": Actor(id=HOST, role=Role.STAFF, organisation_id=HOME),
    "partner_host": Actor(
        id=22, role=Role.TENANT, organisation_id=PARTNER, organisation_is_partner=True
    ),
    "partner_facilitator": Actor(
        id=23, role=Role.FACILITATOR, organisation_id=PARTNER, organisation_is_partner=True
    ),
    "facilitator_home": Actor(id=6, role=Role.FACILITATOR, organisation_id=HOME),
    "facilitator_creator": Actor(id=CREATOR, role=Role.FACILITATOR, organisation_id=OTHER),
    "facilitator_regional": Actor(
        id=8, role=Role.FACILITATOR, organisation_id=REGIONAL_ORG, organisation_is_regional=True
    ),
    "bailleur": Actor(id=11, role=Role.BAILLEUR, organisation_id=HOME),
    "admin": Actor(id=10, role=Role.ADMIN),
}
HOSTS = frozenset({HOST, 22, 23})

CREATORS = {"facilitator_home", "facilitator_creator", "facilitator_regional", "admin"}
EDITORS = {"facilitator_creator", "facilitator_regional", "admin"}
RUNNERS = EDITORS | {"staff_host", "partner_host", "partner_facilitator"}
REGISTRANTS = set(ACTORS) - {"visitor", "tenant_unconfirmed"}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_plans_a_workshop(actor):
    assert rules.can_create_workshop(ACTORS[actor]) is (actor in CREATORS)


@pytest.mark.parametrize("actor", ACTORS)
def test_who_edits_a_workshop(actor):
    assert rules.can_edit_workshop(ACTORS[actor], HOSTS, CREATOR) is (actor in EDITORS)


@pytest.mark.parametrize("actor", ACTORS)
def test_who_runs_the_door_and_the_attendance_list(actor):
    assert rules.can_run_workshop(ACTORS[actor], HOSTS, CREATOR) is (actor in RUNNERS)


@pytest.mark.parametrize("started", [False, True])
@pytest.mark.parametrize("actor", ACTORS)
def test_who_writes_the_minutes_and_when(actor, started):
    expected = started and actor in RUNNERS
    assert rules.can_write_minutes(ACTORS[actor], HOSTS, CREATOR, started) is expected


@pytest.mark.parametrize("started", [False, True])
@pytest.mark.parametrize("actor", ACTORS)
def test_who_signs_up_and_until_when(actor, started):
    expected = not started and actor in REGISTRANTS
    assert rules.can_register_workshop(ACTORS[actor], started) is expected
    assert rules.workshop_needs_login(ACTORS[actor], started) is (
        actor == "visitor" and not started
    )


@pytest.mark.parametrize("active", [False, True])
@pytest.mark.parametrize("started", [False, True])
@pytest.mark.parametrize("actor", ["visitor", "tenant", "tenant_unconfirmed", "admin"])
def test_who_cancels(actor, started, active):
    expected = actor != "visitor" and active and not started
    assert rules.can_cancel_registration(ACTORS[actor], active, started) is expected


def test_a_host_of_nothing_runs_nothing():
    assert not rules.can_run_workshop(ACTORS["staff_host"], frozenset(), None)
    assert not rules.can_edit_workshop(ACTORS["facilitator_home"], frozenset(), None)


# --- the calendar file ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Atelier; jardin, et récolte", "Atelier\\; jardin\\, et récolte"),
        ("deux\nlignes\r\net\rtrois", "deux\\nlignes\\net\\ntrois"),
        ("C:\\chemin", "C:\\\\chemin"),
        ("bip\x07\x00", "bip"),
    ],
)
def test_text_values_are_escaped(text, escaped):
    assert ics_escape(text) == escaped


def test_long_lines_fold_at_75_octets_without_cutting_a_character():
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line


def test_the_calendar_file_is_one_event_in_utc_with_crlf():
    body = calendar_file(
        uid="atelier-1@fabrique.example",
        starts_at=datetime(2027, 3, 12, 17, 30, tzinfo=UTC),
        ends_at=datetime(2027, 3, 12, 19, 30, tzinfo=UTC),
        summary="Atelier",
        description="Un café",
        location="Salle commune, Les Tilleuls",
        url="https://fabrique.example/ateliers/1",
        now=datetime(2027, 3, 1, tzinfo=UTC),
    )
    lines = body.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART:20270312T173000Z" in lines
    assert "DTSTAMP:20270301T000000Z" in lines
    assert "LOCATION:Salle commune\\, Les Tilleuls" in lines
    assert lines.count("BEGIN:VEVENT") == 1


def test_places_left_never_go_below_zero():
    assert places_left(10, 3) == 7
    assert places_left(2, 5) == 0


@pytest.mark.parametrize("ended", [False, True])
@pytest.mark.parametrize("actor", ACTORS)
def test_who_marks_the_absent_and_when(actor, ended):
    expected = ended and actor in RUNNERS
    assert rules.can_mark_absent(ACTORS[actor], HOSTS, CREATOR, ended) is expected
