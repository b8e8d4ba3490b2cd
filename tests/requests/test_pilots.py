"""Pilots: promotion, pages, edition, indicators, updates with followers told, follow, refusals, IDOR."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from ideation.domain.idea_states import IdeaStatus
from ideation.domain.pilot_states import PilotStatus
from ideation.domain.roles import Role
from ideation.ideas.models import Idea
from ideation.notifications.models import Delivery, Notification, NotificationKind
from ideation.notifications.services import set_preference
from ideation.pilots.models import Indicator, IndicatorValue, Pilot, PilotFollower, PilotUpdate
from tests.factories import (
    HOSTILE,
    make_ballot,
    make_challenge,
    make_idea,
    make_indicator,
    make_org,
    make_pilot,
    make_regional,
    make_residence,
    make_support,
    make_user,
)
from tests.helpers import outbox, unchanged


@pytest.fixture
def landlord(db):
    """A landlord with a residence, a closed vote whose winner waits for promotion, and people."""
    org = make_org("Rhône Test")
    residence = make_residence(org)
    challenge = make_challenge(phase="results", org=org)
    author = make_user(org=org, residence=residence)
    winner = make_idea(challenge, author, status="selected")
    other_winner = make_idea(challenge, make_user(org=org), status="selected")
    loser = make_idea(challenge, make_user(org=org), status="not_selected")
    merged = make_idea(challenge, make_user(org=org), status="merged")
    merged.merged_into_id = winner.id
    supporter = make_support(winner, make_user(org=org))
    ranked = make_user(org=org)
    make_ballot(challenge, ranked, [loser, winner])
    unranked = make_user(org=org)
    make_ballot(challenge, unranked, [loser])
    staff = make_user(role=Role.STAFF, org=org)
    manager = make_user(role=Role.BAILLEUR, org=org)
    db.session.commit()
    return {
        "org": org,
        "residence": residence,
        "challenge": challenge,
        "winner": winner,
        "author": author,
        "other_winner": other_winner,
        "loser": loser,
        "merged": merged,
        "supporter": supporter,
        "ranked": ranked,
        "unranked": unranked,
        "staff": staff,
        "manager": manager,
    }


def _promotion(w, **overrides):
    data = {
        "title": "Un repair café mensuel",
        "description": "Chaque mois, on répare **ensemble**.",
        "organisation_id": w["org"].id,
        "residence_ids": [w["residence"].id],
        "owner_id": w["staff"].id,
        "planned_start": "2026-09-01",
        "planned_end": "2027-06-30",
        "budget_planned": "12 500,50",
        "budget_spent": "0",
    }
    data.update(overrides)
    return data


def _follower_ids(pilot_id):
    from ideation.extensions import db

    return set(
        db.session.scalars(select(PilotFollower.user_id).where(PilotFollower.pilot_id == pilot_id))
    )


# --- promotion -------------------------------------------------------------------------


def test_facilitator_promotes_a_winner_and_its_people_follow(client, db, as_role, landlord):
    w = landlord
    as_role("facilitator", org=make_regional())
    page = client.get(f"/idees/{w['winner'].id}/projet-pilote")
    assert page.status_code == 200 and "Créer un projet pilote" in page.text
    response = client.post(f"/idees/{w['winner'].id}/projet-pilote", data=_promotion(w))
    assert response.status_code == 302
    pilot = db.session.scalar(select(Pilot))
    assert response.headers["Location"].endswith(f"/projets-pilotes/{pilot.id}")
    assert pilot.budget_planned == Decimal("12500.50") and pilot.budget_spent == Decimal("0.00")
    assert pilot.status == PilotStatus.PROPOSED and pilot.progress == 0
    assert pilot.planned_start == date(2026, 9, 1) and [r.id for r in pilot.residences] == [
        w["residence"].id
    ]
    assert "<strong>ensemble</strong>" in pilot.description_html
    db.session.refresh(w["winner"])
    assert w["winner"].status == IdeaStatus.PILOTED
    expected = {w["author"].id, w["merged"].author_id, w["supporter"].id, w["ranked"].id}
    assert _follower_ids(pilot.id) == expected
    assert w["unranked"].id not in _follower_ids(pilot.id)
    idea_page = client.get(f"/idees/{w['winner'].id}")
    assert f"/projets-pilotes/{pilot.id}" in idea_page.text


def test_promotion_may_group_another_winner(client, db, as_role, landlord):
    w = landlord
    as_role("facilitator", org=make_regional())
    response = client.post(
        f"/idees/{w['winner'].id}/projet-pilote",
        data=_promotion(w, grouped_ids=[w["other_winner"].id]),
    )
    assert response.status_code == 302
    db.session.refresh(w["other_winner"])
    assert w["other_winner"].status == IdeaStatus.PILOTED
    pilot = db.session.scalar(select(Pilot))
    assert w["other_winner"].author_id in _follower_ids(pilot.id)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budget_planned", "douze euros", "Écrivez un nombre"),
        ("budget_planned", "-5", "négatif"),
        ("budget_planned", "10,555", "au centime près"),
        ("budget_planned", "   ", "obligatoire"),  # spaces only: a form error, not a 500
        ("budget_spent", "", "obligatoire"),
        ("planned_end", "2026-01-01", "après le début"),
        ("planned_start", "31/31/2026", "Écrivez une date"),
        ("title", "", "obligatoire"),
    ],
)
def test_bad_promotion_input_shows_the_form_again(
    client, db, as_role, landlord, field, value, message
):
    w = landlord
    as_role("facilitator", org=make_regional())
    response = client.post(
        f"/idees/{w['winner'].id}/projet-pilote", data=_promotion(w, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.text
    if value:
        assert f'value="{value}"' in response.text or value in response.text  # typed values kept
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 0
    db.session.refresh(w["winner"])
    assert w["winner"].status == IdeaStatus.SELECTED


def test_residence_and_owner_must_belong_to_the_landlord(client, db, as_role, landlord):
    w = landlord
    elsewhere = make_org()
    foreign_residence = make_residence(elsewhere)
    foreign_staff = make_user(role=Role.STAFF, org=elsewhere)
    db.session.commit()
    as_role("facilitator", org=make_regional())
    r1 = client.post(
        f"/idees/{w['winner'].id}/projet-pilote",
        data=_promotion(w, residence_ids=[foreign_residence.id]),
    )
    assert r1.status_code == 200 and "résidences de ce bailleur" in r1.text
    r2 = client.post(
        f"/idees/{w['winner'].id}/projet-pilote", data=_promotion(w, owner_id=foreign_staff.id)
    )
    assert r2.status_code == 200 and "travailler chez ce bailleur" in r2.text
    r3 = client.post(
        f"/idees/{w['winner'].id}/projet-pilote", data=_promotion(w, organisation_id=elsewhere.id)
    )
    assert r3.status_code == 200 and "Choisissez dans la liste" in r3.text
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 0


@pytest.mark.parametrize("role", ["tenant", "staff", "bailleur"])
def test_only_facilitators_and_admins_promote(client, db, as_role, landlord, role):
    as_role(role, org=landlord["org"])
    assert client.get(f"/idees/{landlord['winner'].id}/projet-pilote").status_code == 403
    with unchanged():
        assert (
            client.post(
                f"/idees/{landlord['winner'].id}/projet-pilote", data=_promotion(landlord)
            ).status_code
            == 403
        )


def test_a_landlords_facilitator_cannot_promote_another_landlords_idea(
    client, db, as_role, landlord
):
    as_role("facilitator", org=make_org())
    with unchanged():
        assert (
            client.post(
                f"/idees/{landlord['winner'].id}/projet-pilote", data=_promotion(landlord)
            ).status_code
            == 403
        )


@pytest.mark.parametrize("status", ["published", "shortlisted", "not_selected", "piloted"])
def test_only_a_selected_idea_is_promoted(client, db, as_role, landlord, status):
    idea = make_idea(landlord["challenge"], status=status)
    db.session.commit()
    as_role("admin")
    with unchanged():
        assert (
            client.post(f"/idees/{idea.id}/projet-pilote", data=_promotion(landlord)).status_code
            == 403
        )


def test_missing_idea_is_404(client, db, as_role):
    as_role("admin")
    assert client.get("/idees/999999/projet-pilote").status_code == 404
    assert client.get("/projets-pilotes/999999").status_code == 404


# --- public pages ----------------------------------------------------------------------


def test_pilot_page_shows_origin_timeline_indicators_budget(client, db, landlord):
    w = landlord
    pilot = make_pilot(
        w["org"],
        idea=w["winner"],
        status="running",
        progress=40,
        budget_planned="1250.50",
        budget_spent="300.25",
        residences=[w["residence"]],
    )
    indicator = make_indicator(
        pilot, name="Objets réparés", unit="objets", baseline="0", target="100"
    )
    update = PilotUpdate(
        pilot_id=pilot.id,
        author_id=w["manager"].id,
        happened_on=date(2026, 3, 2),
        body_source="x",
        body_html=f"<p>Premier atelier {HOSTILE}</p>".replace("<script>", ""),
    )
    db.session.add(update)
    db.session.flush()
    db.session.add(
        IndicatorValue(
            indicator_id=indicator.id,
            update_id=update.id,
            measured_on=date(2026, 3, 2),
            value=Decimal("12.5"),
        )
    )
    db.session.commit()
    page = client.get(f"/projets-pilotes/{pilot.id}")
    assert page.status_code == 200
    text = page.text
    assert w["winner"].title.split("<")[0] in text and "Résultats du vote" in text
    assert "1\u202f250,50\xa0€" in text or "1 250,50" in text.replace("\u202f", " ").replace(
        "\xa0", " "
    )
    assert 'role="img"' in text and "<svg" in text and "<table" in text
    assert "12,5" in text and "2 mars 2026" in text
    assert '<progress class="progress" value="40"' in text
    assert "<script>alert" not in text


def test_list_filters_by_landlord_status_theme_residence(client, db, landlord):
    w = landlord
    a = make_pilot(w["org"], status="running", title="Pilote A", residences=[w["residence"]])
    other = make_org()
    b = make_pilot(other, status="generalised", title="Pilote B")
    db.session.commit()
    assert (
        "Pilote A" in client.get("/projets-pilotes").text
        and "Pilote B" in client.get("/projets-pilotes").text
    )
    only_a = client.get(f"/projets-pilotes?bailleur={w['org'].id}").text
    assert "Pilote A" in only_a and "Pilote B" not in only_a
    only_b = client.get("/projets-pilotes?statut=generalised").text
    assert "Pilote B" in only_b and "Pilote A" not in only_b
    by_residence = client.get(f"/projets-pilotes?residence={w['residence'].id}").text
    assert "Pilote A" in by_residence and "Pilote B" not in by_residence
    assert a.id and b.id
    for junk in (
        "statut=drop%20table",
        "bailleur=abc",
        "theme=-1",
        "residence=99999999999999",
        "page=0",
    ):
        assert client.get(f"/projets-pilotes?{junk}").status_code == 200


def test_list_filters_by_theme(client, db):
    from tests.factories import make_theme

    theme = make_theme("Jardins")
    org = make_org()
    challenge = make_challenge(phase="results", org=org, theme=theme)
    make_pilot(
        org, idea=make_idea(challenge, theme=theme, status="selected"), title="Pilote jardin"
    )
    make_pilot(org, title="Pilote autre")
    db.session.commit()
    text = client.get(f"/projets-pilotes?theme={theme.id}").text
    assert "Pilote jardin" in text and "Pilote autre" not in text


# --- edition, indicators ---------------------------------------------------------------


def test_landlord_manager_edits_own_pilot_with_exact_euros(client, db, login, landlord):
    w = landlord
    pilot = make_pilot(w["org"])
    elsewhere = make_org()
    db.session.commit()
    login(w["manager"])
    assert client.get(f"/projets-pilotes/{pilot.id}/modifier").status_code == 200
    data = _promotion(
        w, budget_planned="1 234,56 €", budget_spent="0,10", organisation_id=elsewhere.id
    )
    response = client.post(f"/projets-pilotes/{pilot.id}/modifier", data=data)
    assert response.status_code == 302
    db.session.refresh(pilot)
    assert pilot.budget_planned == Decimal("1234.56") and pilot.budget_spent == Decimal("0.10")
    assert pilot.organisation_id == w["org"].id  # no mass assignment of the landlord


def test_indicators_are_added_and_names_unique(client, db, login, landlord):
    pilot = make_pilot(landlord["org"])
    db.session.commit()
    login(landlord["manager"])
    data = {"name": "Taux de participation", "unit": "%", "baseline": "12,5", "target": "40"}
    assert client.post(f"/projets-pilotes/{pilot.id}/indicateurs", data=data).status_code == 302
    again = client.post(f"/projets-pilotes/{pilot.id}/indicateurs", data=data)
    assert again.status_code == 200 and "déjà un indicateur" in again.text
    bad = client.post(
        f"/projets-pilotes/{pilot.id}/indicateurs", data={**data, "name": "Autre", "target": "x"}
    )
    assert bad.status_code == 200 and "Écrivez un nombre" in bad.text
    indicator = db.session.scalar(select(Indicator))
    assert indicator.baseline == Decimal("12.50") and indicator.target == Decimal("40.00")


# --- updates and followers ---------------------------------------------------------------


@pytest.fixture
def followed(db, landlord):
    """A pilot followed by three people with the three e-mail preferences."""
    w = landlord
    pilot = make_pilot(w["org"], owner=w["staff"])
    indicator = make_indicator(pilot, name="Pannes signalées", unit="pannes")
    now_user, digest_user, never_user = (make_user(org=w["org"]) for _ in range(3))
    set_preference(now_user.id, NotificationKind.PILOT_UPDATE, Delivery.IMMEDIATE)
    set_preference(never_user.id, NotificationKind.PILOT_UPDATE, Delivery.NEVER)
    for user in (now_user, digest_user, never_user, w["manager"]):
        db.session.add(PilotFollower(pilot_id=pilot.id, user_id=user.id))
    db.session.commit()
    return {
        "pilot": pilot,
        "indicator": indicator,
        "now": now_user,
        "digest": digest_user,
        "never": never_user,
    }


def test_update_moves_status_records_values_and_tells_followers(
    client, db, login, landlord, followed
):
    pilot, indicator = followed["pilot"], followed["indicator"]
    login(landlord["manager"])
    assert client.get(f"/projets-pilotes/{pilot.id}/point-d-etape").status_code == 200
    response = client.post(
        f"/projets-pilotes/{pilot.id}/point-d-etape",
        data={
            "happened_on": "2026-05-12",
            "body": "Le planning est **validé**.",
            "new_status": "planned",
            "new_progress": "15",
            f"indicator_{indicator.id}": "7,5",
        },
    )
    assert response.status_code == 302
    db.session.refresh(pilot)
    assert pilot.status == PilotStatus.PLANNED and pilot.progress == 15
    value = db.session.scalar(select(IndicatorValue))
    assert value.value == Decimal("7.50") and value.measured_on == date(2026, 5, 12)
    notes = {n.user_id: n for n in db.session.scalars(select(Notification))}
    assert set(notes) == {
        followed["now"].id,
        followed["digest"].id,
        followed["never"].id,
    }  # not the author
    assert all(
        n.kind == NotificationKind.PILOT_UPDATE and f"/projets-pilotes/{pilot.id}" in n.link
        for n in notes.values()
    )
    assert (
        notes[followed["digest"].id].digest_pending and not notes[followed["now"].id].digest_pending
    )
    assert not notes[followed["never"].id].digest_pending
    assert len(outbox(followed["now"].email)) == 1
    assert outbox(followed["digest"].email) == [] and outbox(followed["never"].email) == []
    page = client.get(f"/projets-pilotes/{pilot.id}")
    assert "<strong>validé</strong>" in page.text and "7,5" in page.text


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        ("running", "", "une étape à la fois"),
        ("generalised", "", "une étape à la fois"),
        ("stopped", "", "Indiquez pourquoi"),
        ("proposed", "", "déjà ce statut"),
        ("n'importe quoi", "", "Choisissez dans la liste"),
    ],
)
def test_refused_moves_show_the_form_and_change_nothing(
    client, db, login, landlord, followed, status, reason, message
):
    pilot = followed["pilot"]
    login(landlord["manager"])
    response = client.post(
        f"/projets-pilotes/{pilot.id}/point-d-etape",
        data={
            "happened_on": "2026-05-12",
            "body": "Texte gardé",
            "new_status": status,
            "reason": reason,
        },
    )
    assert response.status_code == 200
    assert message in response.text and "Texte gardé" in response.text
    db.session.refresh(pilot)
    assert pilot.status == PilotStatus.PROPOSED
    assert db.session.scalar(select(func.count()).select_from(PilotUpdate)) == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_stopping_with_a_reason_publishes_it(client, db, login, landlord, followed):
    pilot = followed["pilot"]
    login(landlord["manager"])
    response = client.post(
        f"/projets-pilotes/{pilot.id}/point-d-etape",
        data={
            "happened_on": "2026-05-12",
            "body": "Fin.",
            "new_status": "stopped",
            "reason": "Plus de local disponible.",
        },
    )
    assert response.status_code == 302
    db.session.refresh(pilot)
    assert (
        pilot.status == PilotStatus.STOPPED and pilot.status_reason == "Plus de local disponible."
    )
    assert "Plus de local disponible." in client.get(f"/projets-pilotes/{pilot.id}").text
    again = client.post(
        f"/projets-pilotes/{pilot.id}/point-d-etape",
        data={"happened_on": "2026-05-13", "body": "Reprise ?", "new_status": "running"},
    )
    assert again.status_code == 200 and "ne change plus" in again.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("new_progress", "150", "entre 0 et 100"),
        ("new_progress", "beaucoup", "entre 0 et 100"),
        ("happened_on", "hier", "Écrivez une date"),
        ("body", "", "obligatoire"),
    ],
)
def test_bad_update_input_is_a_form_error(
    client, db, login, landlord, followed, field, value, message
):
    login(landlord["manager"])
    data = {"happened_on": "2026-05-12", "body": "Texte", field: value}
    response = client.post(f"/projets-pilotes/{followed['pilot'].id}/point-d-etape", data=data)
    assert response.status_code == 200 and message in response.text


def test_the_staff_owner_posts_updates_but_other_staff_do_not(
    client, db, login, landlord, followed
):
    pilot = followed["pilot"]
    login(make_user(role=Role.STAFF, org=landlord["org"]))
    assert client.get(f"/projets-pilotes/{pilot.id}/point-d-etape").status_code == 403
    client.post("/deconnexion")
    login(landlord["staff"])
    assert client.get(f"/projets-pilotes/{pilot.id}/modifier").status_code == 403
    response = client.post(
        f"/projets-pilotes/{pilot.id}/point-d-etape",
        data={"happened_on": "2026-05-12", "body": "Du nouveau."},
    )
    assert response.status_code == 302


def test_follow_and_unfollow(client, db, as_role, landlord):
    pilot = make_pilot(landlord["org"])
    db.session.commit()
    user = as_role("tenant")
    assert (
        client.post(f"/projets-pilotes/{pilot.id}/suivre", data={"action": "follow"}).status_code
        == 302
    )
    assert (
        client.post(f"/projets-pilotes/{pilot.id}/suivre", data={"action": "follow"}).status_code
        == 302
    )
    assert _follower_ids(pilot.id) == {user.id}
    assert "Je suis ce projet" in client.get(f"/projets-pilotes/{pilot.id}").text
    assert (
        client.post(f"/projets-pilotes/{pilot.id}/suivre", data={"action": "unfollow"}).status_code
        == 302
    )
    assert _follower_ids(pilot.id) == set()
    assert (
        client.post(f"/projets-pilotes/{pilot.id}/suivre", data={"action": "flip"}).status_code
        == 400
    )
    assert (
        client.post("/projets-pilotes/999999/suivre", data={"action": "follow"}).status_code == 404
    )


def test_visitor_cannot_follow(client, db, landlord):
    pilot = make_pilot(landlord["org"])
    db.session.commit()
    response = client.post(f"/projets-pilotes/{pilot.id}/suivre", data={"action": "follow"})
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


# --- no IDOR: every route with every id of another organisation ---------------------------


@pytest.mark.parametrize("role", [Role.BAILLEUR, Role.STAFF, Role.FACILITATOR, Role.TENANT])
def test_other_organisations_pilots_are_refused_on_every_route(client, db, login, role):
    mine, theirs = make_org(), make_org()
    my_pilot = make_pilot(mine)
    their_pilots = [make_pilot(theirs, status=s) for s in ("proposed", "running", "stopped")]
    for p in their_pilots:
        make_indicator(p)
    user = make_user(role=role, org=mine)
    db.session.commit()
    login(user)
    for pilot in their_pilots:
        before = (pilot.title, pilot.status, pilot.budget_planned)
        for path, data in [
            (
                f"/projets-pilotes/{pilot.id}/modifier",
                {"title": "Piraté", "budget_planned": "1", "budget_spent": "1"},
            ),
            (f"/projets-pilotes/{pilot.id}/indicateurs", {"name": "Piraté"}),
            (
                f"/projets-pilotes/{pilot.id}/point-d-etape",
                {
                    "happened_on": "2026-01-01",
                    "body": "Piraté",
                    "new_status": "stopped",
                    "reason": "x",
                },
            ),
        ]:
            assert client.get(path).status_code == 403, path
            assert client.post(path, data=data).status_code == 403, path
        db.session.refresh(pilot)
        assert (pilot.title, pilot.status, pilot.budget_planned) == before
    assert db.session.scalar(select(func.count()).select_from(PilotUpdate)) == 0
    expected = 200 if role == Role.BAILLEUR else 403
    assert client.get(f"/projets-pilotes/{my_pilot.id}/modifier").status_code == expected


def test_ideas_stay_consistent_when_promotion_is_refused(client, db, as_role, landlord):
    """A refused promotion leaves every idea as it was (nothing half-applied)."""
    w = landlord
    as_role("admin")
    response = client.post(
        f"/idees/{w['winner'].id}/projet-pilote", data=_promotion(w, grouped_ids=[w["loser"].id])
    )
    assert response.status_code == 200 and "Choisissez dans la liste" in response.text
    statuses = dict(db.session.execute(select(Idea.id, Idea.status)).all())
    assert (
        statuses[w["winner"].id] == IdeaStatus.SELECTED
        and statuses[w["loser"].id] == IdeaStatus.NOT_SELECTED
    )


def test_overdue_pilot_is_marked_late(client, db, landlord):
    make_pilot(
        landlord["org"],
        status="running",
        title="Pilote en retard",
        planned_end=date.today() - timedelta(days=3),
    )
    db.session.commit()
    assert "En retard" in client.get("/projets-pilotes").text
