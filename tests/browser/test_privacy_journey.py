"""Privacy in Chromium, at phone and desktop widths, axe-core on every page: a tenant opens
"Mes données" from "Mon compte", downloads the JSON file of their data, then deletes their
account; their idea stays, under "Participant·e supprimé·e", and they can no longer log in."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.a11y import check_a11y
from tests.factories import (
    DEFAULT_PASSWORD,
    make_challenge,
    make_idea,
    make_org,
    make_residence,
    make_user,
)

pytestmark = pytest.mark.e2e


def test_tenant_downloads_their_data_then_deletes_their_account(page, db, tmp_path):
    org = make_org("Rhône Habitat Solidaire")
    residence = make_residence(org, "Les Tilleuls")
    ines = make_user(
        org=org, residence=residence, email="ines@example.test", display_name="Inès R."
    )
    idea = make_idea(make_challenge(org=org), ines, title="Des bancs dans la cour", body="")
    db.session.commit()

    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill("ines@example.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()

    page.goto("/compte")
    check_a11y(page, "my account")
    page.get_by_role("link", name="Télécharger mes données ou supprimer mon compte").click()
    page.get_by_role("heading", level=1, name="Mes données").wait_for()
    check_a11y(page, "my data")

    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger mes données", exact=True).click()
    download = info.value
    assert download.suggested_filename == "mes-donnees-fabrique.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["profile"]["email"] == "ines@example.test"
    assert [i["title"] for i in data["ideas"]] == ["Des bancs dans la cour"]

    page.get_by_role("link", name="Supprimer mon compte", exact=True).click()
    page.get_by_role("heading", level=1, name="Supprimer mon compte").wait_for()
    check_a11y(page, "erase")
    # The box left unticked: a clear error, and it is accessible too.
    page.get_by_label("Mon mot de passe actuel").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Supprimer mon compte pour de bon").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Cochez la case pour confirmer.")
    check_a11y(page, "erase with errors")

    page.get_by_label("Mon mot de passe actuel").fill(DEFAULT_PASSWORD)
    page.get_by_label("Je comprends que mon compte sera supprimé pour de bon.").check()
    page.get_by_role("button", name="Supprimer mon compte pour de bon").click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("Votre compte est supprimé")
    check_a11y(page, "home after erasure")

    page.goto(f"/idees/{idea.id}")
    expect(page.locator("body")).to_contain_text("Participant·e supprimé·e")
    assert "Inès R." not in page.content()
    check_a11y(page, "idea of an erased account")

    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill("ines@example.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("body")).to_contain_text("E-mail ou mot de passe incorrect.")
