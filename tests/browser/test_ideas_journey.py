"""The ideation loop in Chromium, at phone and desktop widths, axe-core on every page:
a tenant reads a challenge, drafts, sees similar ideas, submits and waits for validation;
the facilitator publishes it; another tenant finds it by search, supports it, takes it back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.a11y import check_a11y
from tests.browser.steps import log_out
from tests.factories import (
    make_challenge,
    make_idea,
    make_org,
    make_regional,
    make_residence,
    make_theme,
    make_user,
)

pytestmark = pytest.mark.e2e


def test_tenant_proposes_facilitator_publishes_neighbour_supports(page, db, sign_in):
    org = make_org("Rhône Habitat Solidaire")
    residence = make_residence(org, "Les Tilleuls", city="Villeurbanne")
    make_theme("Qualité de service de proximité")
    challenge = make_challenge(
        org=org, slug="accueil", title="Comment mieux accueillir les nouveaux locataires ?"
    )
    neighbour_author = make_user("tenant", org=org, residence=residence, display_name="Nadia K.")
    make_idea(
        challenge,
        neighbour_author,
        title="Un goûter de bienvenue dans le hall",
        summary="Un goûter chaque trimestre pour rencontrer les nouveaux voisins.",
        body="",
    )
    make_user(
        "tenant",
        org=org,
        residence=residence,
        email="fatima@example.test",
        display_name="Fatima B.",
    )
    make_user(
        "tenant", org=org, residence=residence, email="karim@example.test", display_name="Karim D."
    )
    make_user(
        "facilitator", org=make_regional(), email="anim@example.test", display_name="Yasmine A."
    )
    db.session.commit()

    # A tenant reads the challenge and drafts an idea.
    sign_in(page, "fatima@example.test")
    page.goto("/defis")
    check_a11y(page, "challenges list")
    page.get_by_role(
        "link", name="Comment mieux accueillir les nouveaux locataires ?"
    ).first.click()
    check_a11y(page, "challenge page")
    page.get_by_role("link", name="Proposer une idée").click()
    check_a11y(page, "idea form")
    page.get_by_role("button", name="Continuer").click()  # empty: errors, accessible
    expect(page.locator(".error-summary")).to_be_visible()
    check_a11y(page, "idea form with errors")
    page.get_by_label("Titre de votre idée").fill("Un goûter pour les nouveaux voisins")
    page.get_by_label("Votre idée en deux phrases").fill(
        "Un goûter dans le hall pour accueillir les nouveaux voisins."
    )
    page.get_by_label("Détails (facultatif)").fill(
        "- des gâteaux\n- du café\n\n<script>alert('x')</script>"
    )
    page.get_by_role("button", name="Continuer").click()

    # Similar ideas are shown before sending.
    page.get_by_role("heading", name="Ces idées ressemblent à la vôtre").wait_for()
    expect(page.get_by_role("link", name="Un goûter de bienvenue dans le hall")).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile("Soutenir plutôt cette idée"))
    ).to_be_visible()
    check_a11y(page, "similar ideas")
    page.get_by_role("button", name="Envoyer mon idée").click()
    expect(page.locator("body")).to_contain_text("en attente de validation")
    check_a11y(page, "idea pending")
    idea_url = page.url
    log_out(page)

    # Nobody else sees it yet; the facilitator publishes it.
    page.goto("/defis/accueil?q=nouveaux+voisins")
    assert "Un goûter pour les nouveaux voisins" not in page.content()
    sign_in(page, "anim@example.test")
    page.goto(idea_url)
    check_a11y(page, "idea seen by the facilitator")
    page.get_by_role("button", name="Publier cette idée").click()
    expect(page.locator("body")).to_contain_text("Idée publiée")
    log_out(page)

    # Another tenant finds it by search, supports it, then takes the support back.
    sign_in(page, "karim@example.test")
    page.goto("/defis/accueil")
    page.get_by_text("Filtrer", exact=True).click()  # the filters are folded
    page.get_by_role("searchbox", name="Chercher").fill("goûter voisin")
    page.get_by_role("button", name="Afficher").click()
    check_a11y(page, "search results")
    expect(page.get_by_role("link", name="Un goûter pour les nouveaux voisins")).to_be_visible()
    page.get_by_role("link", name="Un goûter pour les nouveaux voisins").click()
    check_a11y(page, "published idea")
    assert "<script>" not in page.locator(".rich-text").inner_html()
    page.get_by_role("button", name=re.compile("^Soutenir")).click()
    expect(page.locator("body")).to_contain_text("1 soutien")
    assert (
        page.get_by_role("button", name=re.compile("^Je soutiens")).get_attribute("aria-pressed")
        == "true"
    )
    check_a11y(page, "idea supported")
    page.get_by_role("button", name=re.compile("^Je soutiens")).click()
    expect(page.locator("body")).to_contain_text("0 soutien")
    check_a11y(page, "support taken back")


def test_facilitator_creates_and_publishes_a_challenge(page, db, sign_in):
    make_theme("Services de demain")
    make_user(
        "facilitator", org=make_regional(), email="anim2@example.test", display_name="Yasmine A."
    )
    db.session.commit()
    sign_in(page, "anim2@example.test")
    page.goto("/defis")
    page.get_by_role("link", name="Créer un défi").click()
    check_a11y(page, "challenge form")
    page.get_by_label("Titre du défi").fill("Des halls d'immeuble plus sûrs")
    page.get_by_label("Résumé en une ou deux phrases").fill("Éclairage, portes, interphones.")
    page.get_by_role("button", name="Enregistrer et voir l'aperçu").click()
    check_a11y(page, "challenge preview")
    page.get_by_role("button", name="Publier et ouvrir aux idées").click()
    expect(page.locator("body")).to_contain_text("Idées ouvertes")
    check_a11y(page, "published challenge")
    page.goto("/")
    expect(page.locator("body")).to_contain_text("Des halls d'immeuble plus sûrs")
    check_a11y(page, "home with challenges")
