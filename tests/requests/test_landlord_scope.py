"""A landlord's own people act on their own landlord only, through the real views.

The rule tables (tests/unit/test_rule_tables.py) pin each cell; these tests prove the
views ask the right rule with the right organisation: a landlord's facilitator promotes
and closes its own vote and is refused another landlord's (nothing written), a landlord
manager hands out tenant and staff codes and never admin.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ideation.db_types import utcnow
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.roles import Role
from ideation.ideas.models import Idea
from ideation.orgs.models import Invitation
from ideation.pilots.models import Pilot
from ideation.voting.models import VoteResult
from tests.factories import (
    make_ballot,
    make_challenge,
    make_idea,
    make_org,
    make_residence,
    make_user,
)


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def two_landlords(db):
    """Two landlords, each with its own facilitator, a closed vote with a winner, an open vote."""
    world = {}
    for key in ("home", "other"):
        org = make_org(f"Bailleur {key}")
        residence = make_residence(org)
        closed = make_challenge(phase="results", org=org)
        winner = make_idea(closed, make_user(org=org, residence=residence), status="selected")
        open_vote = make_challenge(
            phase="voting",
            org=org,
            slug=f"vote-{key}",
            voting_ends_at=utcnow() + timedelta(days=3),
        )
        ideas = [make_idea(open_vote, status="shortlisted", title=f"{key} {n}") for n in "AB"]
        make_ballot(open_vote, make_user(org=org, residence=residence), ideas)
        world[key] = {
            "org": org,
            "residence": residence,
            "winner": winner,
            "vote": open_vote,
            "facilitator": make_user(Role.FACILITATOR, org=org),
            "staff": make_user(Role.STAFF, org=org),
        }
    db.session.commit()
    return world


def _promotion(side) -> dict:
    return {
        "title": "Un composteur partagé",
        "description": "Au pied de l'immeuble.",
        "organisation_id": side["org"].id,
        "residence_ids": [side["residence"].id],
        "owner_id": side["staff"].id,
        "planned_start": "2026-09-01",
        "planned_end": "2027-06-30",
        "budget_planned": "800",
        "budget_spent": "0",
    }


def test_a_landlords_facilitator_promotes_its_own_landlords_winner(
    client, db, login, two_landlords
):
    home = two_landlords["home"]
    login(home["facilitator"])
    response = client.post(f"/idees/{home['winner'].id}/projet-pilote", data=_promotion(home))
    assert response.status_code == 302
    db.session.expire_all()
    pilot = db.session.scalar(select(Pilot))
    assert pilot.organisation_id == home["org"].id and pilot.idea_id == home["winner"].id
    assert db.session.get(Idea, home["winner"].id).status == IdeaStatus.PILOTED


def test_a_landlords_facilitator_is_refused_another_landlords_promotion(
    client, db, login, two_landlords
):
    home, other = two_landlords["home"], two_landlords["other"]
    login(home["facilitator"])
    response = client.post(f"/idees/{other['winner'].id}/projet-pilote", data=_promotion(other))
    assert response.status_code == 403
    assert _count(db, Pilot) == 0
    assert db.session.get(Idea, other["winner"].id).status == IdeaStatus.SELECTED


def test_a_landlords_facilitator_cannot_give_its_winner_to_another_landlord(
    client, db, login, two_landlords
):
    """The organisation list holds only its own landlord: naming another is a form error."""
    home, other = two_landlords["home"], two_landlords["other"]
    login(home["facilitator"])
    data = _promotion(home) | {"organisation_id": other["org"].id}
    response = client.post(f"/idees/{home['winner'].id}/projet-pilote", data=data)
    assert response.status_code == 200
    assert "error-summary" in response.text
    assert _count(db, Pilot) == 0
    assert db.session.get(Idea, home["winner"].id).status == IdeaStatus.SELECTED


def test_a_landlords_facilitator_closes_its_own_vote(client, db, login, two_landlords):
    home = two_landlords["home"]
    login(home["facilitator"])
    response = client.post("/defis/vote-home/vote/cloturer", data={"confirm": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    result = db.session.scalar(select(VoteResult))
    assert result.challenge_id == home["vote"].id and result.ballots_count == 1
    assert home["vote"].phase == Phase.RESULTS


def test_a_landlords_facilitator_is_refused_another_landlords_vote(
    client, db, login, two_landlords
):
    home, other = two_landlords["home"], two_landlords["other"]
    login(home["facilitator"])
    response = client.post("/defis/vote-other/vote/cloturer", data={"confirm": "1"})
    assert response.status_code == 403
    assert _count(db, VoteResult) == 0
    db.session.refresh(other["vote"])
    assert other["vote"].phase == Phase.VOTING
    statuses = set(
        db.session.scalars(select(Idea.status).where(Idea.challenge_id == other["vote"].id))
    )
    assert statuses == {IdeaStatus.SHORTLISTED}


# --- invitation codes: the roles a landlord manager may grant ----------------------------


def _code(org, role: str) -> dict:
    return {
        "organisation_id": org.id,
        "residence_id": 0,
        "role": role,
        "max_uses": 5,
        "days_valid": 10,
    }


@pytest.mark.parametrize("role", ["tenant", "staff"])
def test_a_landlord_manager_hands_out_tenant_and_staff_codes(client, db, login, role):
    org = make_org()
    login(make_user(Role.BAILLEUR, org=org))
    assert client.post("/admin/invitations/nouvelle", data=_code(org, role)).status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.role == Role(role) and invitation.organisation_id == org.id


@pytest.mark.parametrize("role", ["admin", "facilitator", "bailleur"])
def test_a_landlord_manager_cannot_grant_a_higher_role(client, db, login, role):
    org = make_org()
    login(make_user(Role.BAILLEUR, org=org))
    page = client.get("/admin/invitations/nouvelle").text
    assert f'value="{role}"' not in page
    response = client.post("/admin/invitations/nouvelle", data=_code(org, role))
    assert response.status_code == 200
    assert "error-summary" in response.text
    assert _count(db, Invitation) == 0


def test_a_landlord_manager_cannot_create_codes_for_another_landlord(client, db, login):
    mine, theirs = make_org(), make_org()
    login(make_user(Role.BAILLEUR, org=mine))
    response = client.post("/admin/invitations/nouvelle", data=_code(theirs, "tenant"))
    assert response.status_code == 200
    assert "error-summary" in response.text
    assert _count(db, Invitation) == 0
