"""Exports: CSV for French Excel and JSON, parsed back; scoped to the organisation; no formula injection."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest

from ideation.core.time import today
from ideation.domain.roles import Role
from tests.factories import (
    make_challenge,
    make_idea,
    make_org,
    make_pilot,
    make_regional,
    make_residence,
    make_user,
)


@pytest.fixture
def data(db):
    a, b = make_org("Bailleur A"), make_org("Bailleur B")
    residence = make_residence(a, "Les Tilleuls")
    challenge = make_challenge(phase="results", org=a, title="Défi A")
    idea = make_idea(
        challenge,
        make_user(org=a),
        status="selected",
        title='=HYPERLINK("http://x")',
        residence=residence,
    )
    make_idea(challenge, make_user(org=a), status="draft", title="Brouillon secret")
    make_idea(challenge, make_user(org=a), status="submitted", title="En attente secrète")
    hidden = make_idea(challenge, make_user(org=a), status="published", title="Idée masquée")
    from ideation.db_types import utcnow

    hidden.hidden_at = utcnow()
    pilot = make_pilot(
        a,
        idea=idea,
        status="running",
        title="Repair café",
        budget_planned="12500.50",
        budget_spent="0.05",
        planned_start=date(2026, 3, 1),
        planned_end=today() - timedelta(days=1),
        residences=[residence],
    )
    make_pilot(b, title="Pilote de B", budget_planned="1.00")
    manager = make_user(role=Role.BAILLEUR, org=a)
    db.session.commit()
    return {"a": a, "b": b, "idea": idea, "pilot": pilot, "manager": manager}


def _csv(response):
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_pilots_csv_opens_in_french_excel(client, db, login, data):
    login(data["manager"])
    rows = _csv(client.get("/tableau-de-bord/export/projets.csv"))
    assert [r["Titre"] for r in rows] == ["Repair café"]
    row = rows[0]
    assert row["Budget prévu (€)"] == "12500,50" and row["Budget dépensé (€)"] == "0,05"
    assert row["Début prévu"] == "01/03/2026"
    assert row["Fin prévue"] == (today() - timedelta(days=1)).strftime("%d/%m/%Y")
    assert (
        row["Statut"] == "En cours" and row["En retard"] == "oui" and row["Avancement (%)"] == "0"
    )
    assert row["Résidences"] == "Les Tilleuls" and row["Idée d'origine"] == str(data["idea"].id)


def test_ideas_csv_lists_only_public_ideas_and_neutralises_formulas(client, db, login, data):
    login(data["manager"])
    rows = _csv(client.get("/tableau-de-bord/export/idees.csv"))
    titles = [r["Titre"] for r in rows]
    assert titles == ['\'=HYPERLINK("http://x")'] + [t for t in titles[1:]]
    assert not any("secret" in t or "masquée" in t for t in titles)
    first = rows[0]
    assert first["Statut"] == "Devenue projet pilote" and first["Résidence"] == "Les Tilleuls"
    assert first["Projet pilote"] == str(data["pilot"].id)
    assert first["Publiée le"].count("/") == 2


def test_json_exports_parse_back_with_exact_decimals(client, db, login, data):
    login(data["manager"])
    pilots = json.loads(client.get("/tableau-de-bord/export/projets.json").data)
    assert pilots["export"] == "projets" and pilots["count"] == 1
    row = pilots["rows"][0]
    assert row["budget_prevu"] == "12500.50" and row["budget_depense"] == "0.05"
    assert row["debut_prevu"] == "2026-03-01" and row["en_retard"] is True
    ideas = json.loads(client.get("/tableau-de-bord/export/idees.json").data)
    assert {r["titre"] for r in ideas["rows"]} == {
        data["idea"].title
    }  # raw in JSON; the consumer escapes


def test_exports_never_leak_another_organisation(client, db, login, data):
    login(data["manager"])
    for path in ("projets.csv", "projets.json", "idees.csv", "idees.json"):
        body = client.get(f"/tableau-de-bord/export/{path}").data.decode("utf-8-sig")
        assert "Pilote de B" not in body
        assert (
            client.get(f"/tableau-de-bord/export/{path}?organisation={data['b'].id}").status_code
            == 403
        )


def test_regional_level_exports_everything_or_one_landlord(client, db, login, data):
    login(make_user(role=Role.ADMIN, org=make_regional()))
    every = _csv(client.get("/tableau-de-bord/export/projets.csv"))
    assert {r["Titre"] for r in every} == {"Repair café", "Pilote de B"}
    only_b = _csv(client.get(f"/tableau-de-bord/export/projets.csv?organisation={data['b'].id}"))
    assert [r["Titre"] for r in only_b] == ["Pilote de B"]


@pytest.mark.parametrize("path", ["autre.csv", "projets.xlsx", "idees.txt"])
def test_unknown_exports_are_404(client, db, login, data, path):
    login(data["manager"])
    assert client.get(f"/tableau-de-bord/export/{path}").status_code == 404


@pytest.mark.parametrize("role", ["tenant", "staff"])
def test_tenants_and_staff_cannot_export(client, db, as_role, role):
    as_role(role)
    assert client.get("/tableau-de-bord/export/projets.csv").status_code == 403
