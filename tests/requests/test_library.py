"""The library of innovations (issue 12, point 5): catalogue, French search, filters,
lessons learnt, adoption with lineage (race-safe), the printable fiche."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from ideation.domain.roles import Role
from ideation.extensions import db as _db
from ideation.pilots import services as pilot_services
from ideation.pilots.models import Pilot
from tests.factories import (
    HOSTILE,
    make_edition,
    make_house,
    make_org,
    make_pilot,
    make_regional,
    make_user,
)


@pytest.fixture
def shelf(db):
    edition = make_edition("Fabrique 2026")
    house = make_house(edition, "Co-production")
    rhone, loire = make_org("Rhône Habitat"), make_org("Loire Foyers")
    garden = make_pilot(rhone, status="generalised", title="Jardinières partagées", house=house)
    garden.description_source = "Des jardinières sur les balcons, arrosées par les locataires."
    digital = make_pilot(loire, status="evaluating", title="Permanence numérique")
    running = make_pilot(loire, status="running", title="Atelier vélo", edition=edition)
    db.session.commit()
    return {
        "edition": edition,
        "house": house,
        "rhone": rhone,
        "loire": loire,
        "garden": garden,
        "digital": digital,
        "running": running,
    }


def _titles(text: str, shelf) -> set[str]:
    names = {"garden": "Jardinières partagées", "digital": "Permanence numérique"}
    names["running"] = "Atelier vélo"
    return {key for key, title in names.items() if title in text}


def test_library_lists_every_landlords_pilots(client, shelf):
    assert _titles(client.get("/innovations").text, shelf) == {"garden", "digital", "running"}


def test_library_searches_in_french(client, shelf):
    # Plurals and capitals do not matter: "jardinière" finds "Jardinières".
    assert _titles(client.get("/innovations?q=jardinière").text, shelf) == {"garden"}
    assert _titles(client.get("/innovations?q=balcon locataire").text, shelf) == {"garden"}
    assert _titles(client.get("/innovations?q=introuvable").text, shelf) == set()
    # Search syntax is only words: quotes and operators do not break the query.
    assert client.get('/innovations?q="OR" NEAR( * -').status_code == 200


def test_library_filters_by_house_landlord_maturity_and_edition(client, shelf):
    s = shelf
    assert _titles(client.get(f"/innovations?maison={s['house'].id}").text, s) == {"garden"}
    assert _titles(client.get(f"/innovations?bailleur={s['loire'].id}").text, s) == {
        "digital",
        "running",
    }
    assert _titles(client.get("/innovations?maturite=evalue").text, s) == {"digital"}
    assert _titles(client.get("/innovations?maturite=generalise").text, s) == {"garden"}
    assert _titles(client.get("/innovations?maturite=experimentation").text, s) == {"running"}
    assert _titles(client.get(f"/innovations?edition={s['edition'].id}").text, s) == {"running"}
    # Unknown values are ignored, never a 500.
    for junk in ("maturite=<script>", "maison=abc", "page=-3", "edition=1e9", "bailleur=٣"):
        assert client.get(f"/innovations?{junk}").status_code == 200, junk
    assert client.get("/innovations?bailleur=%00").status_code == 400  # NUL: the app's 400


def _adopt(client, pilot_id: int):
    return client.post(f"/projets-pilotes/{pilot_id}/reprendre", follow_redirects=True)


def test_a_second_landlord_adopts_a_pilot_keeping_its_lineage(client, db, login, shelf):
    s = shelf
    manager = login(make_user(Role.BAILLEUR, org=s["loire"]))
    page = client.get(f"/projets-pilotes/{s['garden'].id}").text
    assert "Reprendre ce projet dans mon organisme" in page
    answer = _adopt(client, s["garden"].id)
    assert "Le projet est repris par votre organisme." in answer.text
    copy = db.session.scalar(select(Pilot).where(Pilot.adopted_from_id == s["garden"].id))
    assert copy.organisation_id == s["loire"].id and copy.owner_id == manager.id
    assert copy.status.value == "proposed" and copy.house_id == s["house"].id
    assert "Repris du projet" in answer.text and "Rhône Habitat" in answer.text
    original = client.get(f"/projets-pilotes/{s['garden'].id}").text
    assert "Repris par 1 bailleur" in original and f"/projets-pilotes/{copy.id}" in original
    # The library now files the original as taken up elsewhere.
    assert "garden" in _titles(client.get("/innovations?maturite=repris").text, s)


def test_adopting_twice_is_refused_with_a_message(client, db, login, shelf):
    s = shelf
    login(make_user(Role.BAILLEUR, org=s["loire"]))
    _adopt(client, s["garden"].id)
    again = _adopt(client, s["garden"].id)
    assert "Votre organisme a déjà repris ce projet" in again.text
    count = select(func.count()).select_from(Pilot).where(Pilot.adopted_from_id.is_not(None))
    assert db.session.scalar(count) == 1
    # Adopting the copy of someone else's copy adopts the original: still refused.
    third = make_org("Alpes Logis")
    other_copy = make_pilot(third, title="Copie", adopted_from=s["garden"])
    db.session.commit()
    assert "déjà repris" in _adopt(client, other_copy.id).text
    assert db.session.scalar(count) == 2


def test_adoption_is_refused_to_the_owner_and_to_other_roles(client, db, login, shelf):
    s = shelf
    login(make_user(Role.BAILLEUR, org=s["rhone"]))
    page = client.get(f"/projets-pilotes/{s['garden'].id}").text
    assert "Reprendre ce projet" not in page
    assert client.post(f"/projets-pilotes/{s['garden'].id}/reprendre").status_code == 403
    regional = make_regional()
    others = [
        make_user(Role.TENANT, org=s["loire"]),
        make_user(Role.STAFF, org=s["loire"]),
        make_user(Role.FACILITATOR, org=regional),
        make_user(Role.ADMIN, org=regional),
    ]
    db.session.commit()
    for user in others:
        client.post("/deconnexion")
        login(user)
        assert client.post(f"/projets-pilotes/{s['garden'].id}/reprendre").status_code == 403
    client.post("/deconnexion")
    assert client.post(f"/projets-pilotes/{s['garden'].id}/reprendre").status_code == 302
    assert (
        client.post("/projets-pilotes/999999/reprendre").status_code == 302
    )  # a visitor is sent to log in first
    assert db.session.scalar(select(Pilot.id).where(Pilot.adopted_from_id.is_not(None))) is None


def test_two_simultaneous_adoptions_make_one_copy(app, db, shelf):
    """The first request passes the "no copy yet" check and pauses there (PAUSE_HOOK);
    a second request for the same landlord runs to its commit inside that window. The
    first then meets the unique constraint and is answered AlreadyAdopted: one copy."""
    s = shelf
    manager = make_user(Role.BAILLEUR, org=s["loire"])
    db.session.commit()
    pilot_id, manager_id = s["garden"].id, manager.id
    outcomes: list[str] = []
    rival: list[threading.Thread] = []

    def adopt_once() -> None:
        with app.app_context():
            try:
                pilot = _db.session.get(Pilot, pilot_id)
                pilot_services.adopt(pilot, _db.session.get(type(manager), manager_id))
                _db.session.commit()
                outcomes.append("copied")
            except pilot_services.AlreadyAdopted:
                _db.session.rollback()
                outcomes.append("refused")
            except Exception as error:  # noqa: BLE001  (reported by the assertion)
                _db.session.rollback()
                outcomes.append(repr(error))
            finally:
                _db.session.remove()

    def pause(point: str) -> None:
        assert point == "adopt"
        if not rival:  # the first request, in its window: the second one runs entirely
            rival.append(threading.Thread(target=adopt_once))
            rival[0].start()
            rival[0].join(30)

    pilot_services.PAUSE_HOOK = pause
    try:
        first = threading.Thread(target=adopt_once)
        first.start()
        first.join(60)
    finally:
        pilot_services.PAUSE_HOOK = None
    assert outcomes == ["copied", "refused"], outcomes
    _db.session.expire_all()
    copies = select(func.count()).select_from(Pilot).where(Pilot.adopted_from_id == pilot_id)
    assert _db.session.scalar(copies) == 1


def test_lessons_are_written_at_evaluation_and_sanitised(client, db, login, shelf):
    s = shelf
    login(make_user(Role.BAILLEUR, org=s["loire"]))
    url = f"/projets-pilotes/{s['digital'].id}/enseignements"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        data={
            "lessons": f"Le **mardi soir** marche mieux. {HOSTILE}",
            "costs": "300 € d'ordinateurs",
            "conditions": "[un local](javascript:alert(1))",
        },
        follow_redirects=True,
    )
    assert "Merci : ce que vous avez appris aidera les autres bailleurs." in response.text
    assert "<strong>mardi soir</strong>" in response.text and HOSTILE not in response.text
    assert "javascript:" not in response.text
    # Found by the library's search.
    assert "digital" in _titles(client.get("/innovations?q=mardi").text, s)


def test_lessons_are_refused_before_evaluation_and_to_other_landlords(client, db, login, shelf):
    s = shelf
    login(make_user(Role.BAILLEUR, org=s["loire"]))
    assert client.get(f"/projets-pilotes/{s['running'].id}/enseignements").status_code == 403
    page = client.get(f"/projets-pilotes/{s['running'].id}").text
    assert "Ce que nous avons appris</a>" not in page
    assert client.get(f"/projets-pilotes/{s['garden'].id}/enseignements").status_code == 403


def test_the_fiche_prints_on_a4_and_shares_well(client, shelf):
    s = shelf
    page = client.get(f"/projets-pilotes/{s['garden'].id}/fiche")
    assert page.status_code == 200
    assert "css/sheet.css" in page.text
    assert '<meta property="og:title" content="Jardinières partagées — Rhône Habitat">' in page.text
    assert 'property="og:description"' in page.text
    css = client.get("/static/css/sheet.css").text
    assert "@page" in css and "size: A4" in css
    assert client.get("/projets-pilotes/999999/fiche").status_code == 404


def test_library_queries_do_not_grow(client, db, count_queries, shelf):
    s = shelf
    client.get("/innovations")
    with count_queries() as small:
        assert client.get("/innovations").status_code == 200
    for n in range(20):
        original = make_pilot(
            s["rhone"], title=f"Projet {n}", house=s["house"], edition=s["edition"]
        )
        make_pilot(s["loire"], title=f"Copie {n}", adopted_from=original)
    _db.session.commit()
    with count_queries() as large:
        assert client.get("/innovations").status_code == 200
    with count_queries() as searched:
        assert client.get("/innovations?q=projet&maturite=repris").status_code == 200
    assert small.count == large.count == searched.count, (small.count, large.count, searched.count)
