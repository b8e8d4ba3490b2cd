"""The refusal paths of the views and services that no other test ran (issue 17, point 5).

Each refused write shows the user why and leaves the database as it was (`unchanged`).
Where the rules in front of a service already stop every request, the service's own
guard is driven directly, and the view's handling of a refusal by a refused transition
(the second move of a send that finds the idea already moved).
"""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import select

from ideation.domain.idea_states import IdeaStatus, TransitionRefused
from ideation.domain.roles import Role
from ideation.ideas import lifecycle
from ideation.ideas.models import Idea
from ideation.moderation.models import Report, ReportStatus
from ideation.pilots import services as pilots
from ideation.pilots.models import IndicatorValue
from tests.factories import (
    make_challenge,
    make_idea,
    make_indicator,
    make_org,
    make_pilot,
    make_report,
    make_residence,
    make_user,
)
from tests.helpers import outbox, unchanged


@pytest.fixture
def world(db):
    org = make_org("Bailleur des refus")
    residence = make_residence(org)
    challenge = make_challenge(org=org, slug="defi-refus")
    author = make_user("tenant", org=org, residence=residence)
    facilitator = make_user("facilitator", org=org)
    staff = make_user(Role.STAFF, org=org)
    manager = make_user(Role.BAILLEUR, org=org)
    db.session.commit()
    return {
        "org": org,
        "residence": residence,
        "challenge": challenge,
        "author": author,
        "facilitator": facilitator,
        "staff": staff,
        "manager": manager,
    }


# --- ideas: a send refused by the machine --------------------------------------------------


def test_a_send_refused_by_the_machine_is_shown_and_rolled_back(
    client, db, login, world, monkeypatch
):
    """The second step of the send finds the idea already submitted (as after a double
    click racing itself): the first step's flush is rolled back, the author is told."""
    idea = make_idea(world["challenge"], world["author"], status="draft")
    db.session.commit()
    login(world["author"])
    monkeypatch.setattr(
        lifecycle, "submission_path", lambda premoderation: (IdeaStatus.SUBMITTED,) * 2
    )
    with unchanged():
        response = client.post(f"/idees/{idea.id}/envoyer")
        assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/idees/{idea.id}")
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "L'idée a déjà ce statut." in page


# --- moderation: a publish refused by the machine, dismissing reports on an idea ----------


def test_a_moderation_move_refused_by_the_machine_is_shown_and_rolled_back(
    client, db, login, world, monkeypatch
):
    idea = make_idea(world["challenge"], world["author"], status="submitted")
    db.session.commit()
    login(world["facilitator"])

    def refused(actor, idea):  # type: ignore[no-untyped-def]
        idea.status = IdeaStatus.PUBLISHED  # flushed with the refusal: must be rolled back
        db.session.flush()
        raise TransitionRefused("L'idée a déjà ce statut.")

    monkeypatch.setattr(lifecycle, "publish", refused)
    with unchanged():
        response = client.post(f"/moderation/idees/{idea.id}/publier")
        assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/moderation/idees/{idea.id}")
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "L'idée a déjà ce statut." in page


def test_dismissing_the_reports_on_an_idea_closes_them_all(client, db, login, world):
    idea = make_idea(world["challenge"], world["author"], status="published")
    reports = [make_report(idea, make_user("tenant", org=world["org"])) for _ in range(2)]
    db.session.commit()
    login(world["facilitator"])
    response = client.post(
        f"/moderation/idees/{idea.id}/classer", data={"dismiss-reason": "Rien d'anormal"}
    )
    assert response.status_code == 302
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "Signalements classés sans suite." in page
    db.session.expire_all()
    statuses = {db.session.get(Report, r.id).status for r in reports}
    assert statuses == {ReportStatus.DISMISSED}


def test_a_dismissal_note_too_long_is_a_form_error(client, db, login, world):
    idea = make_idea(world["challenge"], world["author"], status="published")
    make_report(idea, make_user("tenant", org=world["org"]))
    db.session.commit()
    login(world["facilitator"])
    with unchanged():
        response = client.post(
            f"/moderation/idees/{idea.id}/classer", data={"dismiss-reason": "x" * 5000}
        )
        assert response.status_code == 400
    assert "caractères au plus." in html.unescape(response.text)


# --- merging: the service's own guard ------------------------------------------------------


def test_the_merge_service_refuses_the_idea_itself_and_another_challenges_idea(db, world):
    idea = make_idea(world["challenge"], world["author"], status="published")
    elsewhere = make_idea(make_challenge(org=world["org"]), status="published")
    db.session.commit()
    with unchanged():
        for target in (idea, elsewhere):
            with pytest.raises(TransitionRefused, match="une autre idée publiée du même défi"):
                lifecycle.merge(world["facilitator"], idea, target, "Même proposition")
            db.session.rollback()
    assert db.session.get(Idea, idea.id).merged_into_id is None


# --- pilots: a refused edit, an update naming another pilot's indicator -------------------


def test_a_pilot_edit_with_dates_in_the_wrong_order_is_refused(client, db, login, world):
    pilot = make_pilot(world["org"], owner=world["staff"])
    db.session.commit()
    login(world["manager"])
    with unchanged():
        response = client.post(
            f"/projets-pilotes/{pilot.id}/modifier",
            data={
                "title": "Un repair café mensuel",
                "description": "Chaque mois.",
                "residence_ids": [world["residence"].id],
                "owner_id": world["staff"].id,
                "planned_start": "2027-06-30",
                "planned_end": "2026-09-01",
                "budget_planned": "100",
                "budget_spent": "0",
            },
        )
        assert response.status_code == 200
    assert "La fin prévue doit venir après le début prévu." in html.unescape(response.text)


def test_an_update_naming_another_pilots_indicator_is_refused(db, world):
    pilot = make_pilot(world["org"], owner=world["staff"])
    other = make_pilot(world["org"])
    foreign = make_indicator(other, name="Pannes ailleurs")
    db.session.commit()
    data = pilots.UpdateData(happened_on=date(2026, 5, 12), body="x", values={foreign.id: 3})
    with unchanged():
        with pytest.raises(TransitionRefused, match="n'appartient pas à ce projet"):
            pilots.post_update(pilot, world["staff"], data)
        db.session.rollback()


def test_the_update_form_ignores_a_field_for_another_pilots_indicator(client, db, login, world):
    """The view builds its fields from the pilot's own indicators: a forged field for
    another pilot's indicator records nothing there."""
    pilot = make_pilot(world["org"], owner=world["staff"])
    foreign = make_indicator(make_pilot(world["org"]), name="Pannes ailleurs")
    db.session.commit()
    login(world["manager"])
    response = client.post(
        f"/projets-pilotes/{pilot.id}/point-d-etape",
        data={"happened_on": "2026-05-12", "body": "Du nouveau.", f"indicator_{foreign.id}": "3"},
    )
    assert response.status_code == 302
    assert list(db.session.scalars(select(IndicatorValue))) == []


# --- resending the verification e-mail ---------------------------------------------------


def test_resending_to_a_verified_address_sends_nothing(client, db, login, world):
    login(world["author"])
    with unchanged():
        response = client.post("/verifier")
        assert response.status_code == 302
    assert response.headers["Location"].endswith("/compte")
    assert outbox(world["author"].email) == []
    page = html.unescape(client.get("/compte").text)
    assert "Un nouvel e-mail de confirmation vient de partir." not in page
