"""Assisted participation in Chromium, at phone and desktop widths, axe-core on every
page: a host opens an account for a tenant without e-mail, enters an idea on her behalf
and the workshop's own idea, prints her card; the tenant later takes the account over
with the card's code and finds her idea in her space."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from ideation.domain.roles import Role
from tests.browser.steps import log_out
from tests.factories import make_challenge, make_org, make_residence, make_user, make_workshop

pytestmark = pytest.mark.e2e

PASSWORD = "des tomates sur le balcon"


def test_a_host_opens_an_assisted_account_and_the_tenant_claims_it(page, db, sign_in):
    org = make_org("Rhône Habitat Solidaire")
    residence = make_residence(org, "Les Tilleuls")
    host = make_user(Role.STAFF, org=org, email="sophie@example.test", display_name="Sophie G.")
    challenge = make_challenge(org=org, title="Mieux accueillir", premoderation=False)
    workshop = make_workshop(
        title="Atelier accueil",
        residence=residence,
        hosts=[host],
        challenges=[challenge],
        starts_in=-timedelta(hours=1),
        hours=3,
    )
    db.session.commit()

    sign_in(page, "sophie@example.test")
    page.goto(f"/ateliers/{workshop.id}/presences")
    page.get_by_role("link", name="Créer un compte accompagné").click()
    page.wait_for_load_state()
    page.get_by_label("Nom, comme la personne veut le voir affiché").fill("Yvette R.")
    page.get_by_label("Résidence").select_option(label=residence.label)
    page.get_by_label("La personne est d'accord").check()
    page.get_by_role("button", name="Créer le compte et imprimer la carte").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Carte de participation")).to_be_visible()
    code = page.locator("[data-claim-code]").inner_text().strip()
    assert len(code) == 11
    # On paper: the card alone, the buttons and the site's header give way.
    page.emulate_media(media="print")
    expect(page.locator(".participation-card")).to_be_visible()
    expect(page.get_by_role("button", name="Imprimer la carte")).to_be_hidden()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Saisir pour cette personne").click()
    page.wait_for_load_state()
    page.get_by_label("Pour qui ?").select_option(label="Yvette R.")
    page.get_by_label("Titre de l'idée").fill("Des bancs à l'ombre")
    page.get_by_label("L'idée en deux phrases").fill("Des bancs sous les arbres de la cour.")
    page.get_by_label("La personne est présente et d'accord (ou").check()
    page.get_by_role("button", name="Enregistrer l'idée").click()
    page.wait_for_load_state()
    expect(page.get_by_text("L'idée est enregistrée.")).to_be_visible()

    page.get_by_label("Pour qui ?").select_option(label="Tout l'atelier (idée de l'atelier)")
    page.get_by_label("Titre de l'idée").fill("Une fête des voisins en juin")
    page.get_by_label("L'idée en deux phrases").fill(
        "Une fête dans la cour, chacun apporte un plat."
    )
    page.get_by_label("La personne est présente et d'accord (ou").check()
    page.get_by_role("button", name="Enregistrer l'idée").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Une fête des voisins en juin").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Idée de l'atelier du")).to_be_visible()
    expect(page.get_by_text("aux Tilleuls")).to_be_visible()
    log_out(page)

    page.goto("/compte/reprendre")
    page.get_by_label("Code de votre carte").fill(code)
    page.get_by_label("Votre adresse e-mail").fill("yvette@example.test")
    page.get_by_label("Choisissez un mot de passe").fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Reprendre mon compte").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Votre compte est à vous.")).to_be_visible()
    expect(page.get_by_role("link", name="Des bancs à l'ombre")).to_be_visible()
    expect(page.get_by_text("saisie en atelier par Sophie G.").first).to_be_visible()
