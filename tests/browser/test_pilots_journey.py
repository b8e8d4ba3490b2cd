"""Pilots in Chromium, at phone and desktop widths, axe-core on every page: the facilitator
promotes the winner of a closed vote; the landlord adds an indicator and posts an update with
a value; the idea's author sees the notification and the pilot page; the landlord reads the
dashboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ideation.domain.roles import Role
from ideation.voting.services import close_vote
from tests.a11y import check_a11y
from tests.browser.steps import log_out
from tests.factories import (
    make_ballot,
    make_challenge,
    make_idea,
    make_org,
    make_regional,
    make_residence,
    make_user,
)

pytestmark = pytest.mark.e2e


def test_winner_becomes_a_pilot_that_its_author_follows(page, db, sign_in):
    org = make_org("Rhône Habitat Solidaire")
    residence = make_residence(org, "Les Tilleuls", city="Villeurbanne")
    challenge = make_challenge(
        phase="voting", org=org, slug="voisins", title="Créer du lien entre voisins"
    )
    author = make_user(
        "tenant", org=org, residence=residence, email="nadia@example.test", display_name="Nadia K."
    )
    winner = make_idea(
        challenge,
        author,
        status="shortlisted",
        title="Un repair café une fois par mois",
        summary="Réparer ensemble grille-pain, vélos et vêtements.",
        body="",
    )
    other = make_idea(
        challenge, make_user(org=org), status="shortlisted", title="Une boîte à livres", body=""
    )
    challenge.vote_winners = 1
    for _ in range(3):
        make_ballot(challenge, make_user(org=org, residence=residence), [winner, other])
    make_user(Role.BAILLEUR, org=org, email="marc@example.test", display_name="Marc D.")
    make_user(Role.STAFF, org=org, email="sophie@example.test", display_name="Sophie G.")
    make_user(
        Role.FACILITATOR, org=make_regional(), email="anim@example.test", display_name="Yasmine A."
    )
    close_vote(challenge)
    db.session.commit()

    # The facilitator promotes the winner from its page.
    sign_in(page, "anim@example.test")
    page.goto(f"/idees/{winner.id}")
    page.get_by_role("link", name="En faire un projet pilote").click()
    check_a11y(page, "promotion form")
    page.get_by_label("Budget prévu (en euros)").fill("beaucoup")
    page.get_by_role("button", name="Créer le projet pilote").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_a11y(page, "promotion form with errors")
    page.get_by_label("Budget prévu (en euros)").fill("2 500,50")
    page.get_by_label("Résidences concernées").select_option(label="Les Tilleuls (Villeurbanne)")
    page.get_by_label("Responsable du projet").select_option(label="Sophie G.")
    page.get_by_label("Début prévu").fill("2026-09-01")
    page.get_by_label("Fin prévue").fill("2027-06-30")
    page.get_by_role("button", name="Créer le projet pilote").click()
    page.get_by_role("heading", name="Un repair café une fois par mois", level=1).wait_for()
    assert "500,50" in page.inner_text("main")
    check_a11y(page, "new pilot page")
    log_out(page)

    # The landlord adds an indicator, then posts an update with a value.
    sign_in(page, "marc@example.test")
    page.goto("/projets-pilotes")
    check_a11y(page, "pilot list")
    page.get_by_role("link", name="Un repair café une fois par mois").click()
    page.get_by_role("link", name="Indicateurs").click()
    check_a11y(page, "indicators")
    page.get_by_label("Nom de l'indicateur").fill("Objets réparés")
    page.get_by_label("Unité (facultatif)").fill("objets")
    page.get_by_label("Objectif (facultatif)").fill("100")
    page.get_by_role("button", name="Ajouter l'indicateur").click()
    page.get_by_role("link", name="Un repair café une fois par mois").click()
    page.get_by_role("link", name="Publier un point d'étape").click()
    check_a11y(page, "update form")
    page.get_by_label("Ce qui s'est passé").fill("Premier atelier : 23 objets réparés.")
    page.get_by_label("Nouveau statut (facultatif)").select_option("planned")
    page.get_by_label("Avancement en % (facultatif)").fill("20")
    page.get_by_label("Objets réparés (objets)").fill("23")
    page.get_by_role("button", name="Publier").click()
    page.get_by_role("heading", name="Points d'étape").wait_for()
    assert page.locator("svg[role=img]").count() >= 1
    check_a11y(page, "pilot page with update and chart")

    # The landlord reads the dashboard.
    page.locator("form[action='/deconnexion']").wait_for(state="attached")
    page.goto("/tableau-de-bord/")
    page.get_by_role("heading", name="Tableau de bord", level=1).wait_for()
    assert page.locator("svg[role=img]").count() >= 5
    check_a11y(page, "dashboard")
    log_out(page)

    # The idea's author sees the notification and opens the pilot.
    sign_in(page, "nadia@example.test")
    page.goto("/notifications")
    check_a11y(page, "notifications")
    page.get_by_text("Du nouveau sur le projet pilote").first.click()
    page.wait_for_load_state()
    page.get_by_role("heading", name="Un repair café une fois par mois", level=1).wait_for()
    assert "Premier atelier" in page.inner_text("main")
    assert "Je suis ce projet" in page.inner_text("main")
    check_a11y(page, "pilot page for the author")
