"""Comments and moderation in Chromium, at phone and desktop widths, axe-core on every page:
a tenant comments and another replies then reports; the facilitator works the queue (reject
with a reason, merge, shortlist with an answer); the author sees the reason and the notification.
Hostile payloads from the OWASP cheat sheet never open a dialog (the `page` fixture fails on one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.a11y import check_a11y
from tests.browser.steps import log_out, open_menu
from tests.factories import (
    make_challenge,
    make_comment,
    make_idea,
    make_org,
    make_regional,
    make_report,
    make_residence,
    make_user,
)

pytestmark = pytest.mark.e2e

PAYLOADS = [
    line
    for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt").read_text().splitlines()
    if line.strip()
]


def test_comment_reply_report_then_the_facilitator_works_the_queue(page, db, sign_in):
    org = make_org("Rhône Habitat Solidaire")
    residence = make_residence(org, "Les Tilleuls", city="Villeurbanne")
    challenge = make_challenge(
        org=org, slug="accueil", title="Comment mieux accueillir les nouveaux locataires ?"
    )
    nadia = make_user(
        "tenant", org=org, residence=residence, email="nadia@example.test", display_name="Nadia K."
    )
    karim = make_user(
        "tenant", org=org, residence=residence, email="karim@example.test", display_name="Karim D."
    )
    make_user(
        "tenant",
        org=org,
        residence=residence,
        email="fatima@example.test",
        display_name="Fatima B.",
    )
    make_user(
        "facilitator", org=make_regional(), email="anim@example.test", display_name="Yasmine A."
    )
    livret = make_idea(
        challenge,
        nadia,
        title="Un livret d'accueil illustré",
        summary="Un petit livret avec des dessins pour les nouveaux.",
        body="",
    )
    guide = make_idea(
        challenge,
        karim,
        title="Un guide de bienvenue",
        summary="Un guide remis avec les clés.",
        body="",
    )
    make_idea(
        challenge,
        nadia,
        status="submitted",
        title="Un parrain dans l'immeuble",
        summary="Un voisin accueille le nouvel arrivant.",
        body="",
    )
    db.session.commit()

    # A tenant comments (a hostile payload stays text).
    sign_in(page, "fatima@example.test")
    page.goto(f"/idees/{livret.id}")
    check_a11y(page, "idea page")
    page.get_by_label("Votre commentaire").fill(
        "Très bonne idée ! <img src=x onerror=alert('XSS')>"
    )
    page.get_by_role("button", name="Publier mon commentaire").click()
    page.get_by_text("Merci, votre commentaire est publié.").wait_for()
    expect(page.get_by_text("Très bonne idée !")).to_be_visible()
    check_a11y(page, "idea page with a comment")
    log_out(page)

    # Another tenant replies, then reports the comment (a first try without a reason).
    sign_in(page, "karim@example.test")
    page.goto(f"/idees/{livret.id}")
    page.get_by_role("link", name="Répondre au commentaire de Fatima B.").click()
    check_a11y(page, "reply form")
    page.get_by_label("Votre réponse").fill("D'accord, avec des dessins des enfants.")
    page.get_by_role("button", name="Publier ma réponse").click()
    page.get_by_text("D'accord, avec des dessins des enfants.").wait_for()
    page.get_by_role("link", name="Signaler ce commentaire").first.click()
    check_a11y(page, "report form")
    page.get_by_label("Précisions (facultatif)").fill("Une image bizarre dans le texte")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert (
        page.get_by_label("Précisions (facultatif)").input_value()
        == "Une image bizarre dans le texte"
    )
    check_a11y(page, "report form with errors")
    page.get_by_label("Spam ou publicité").check()
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.get_by_text("Merci, votre signalement est transmis").wait_for()
    log_out(page)

    # The facilitator works the queue.
    sign_in(page, "anim@example.test")
    page.goto("/")
    open_menu(page)
    page.get_by_role("link", name="Modération").first.click()
    page.wait_for_url("**/moderation**")
    check_a11y(page, "queue: pending ideas")
    page.get_by_role("link", name="Refuser ou regarder « Un parrain dans l'immeuble »").click()
    check_a11y(page, "moderate a pending idea")
    page.get_by_role("button", name="Refuser cette idée").click()
    expect(page.locator(".error-summary").first).to_be_visible()
    check_a11y(page, "reject without a reason")
    page.get_by_label("Raison du refus").fill(
        "Une idée très proche existe déjà : soutenez « Un livret d'accueil »."
    )
    page.get_by_role("button", name="Refuser cette idée").click()
    page.get_by_text("Idée refusée.").wait_for()

    page.goto("/moderation?onglet=signalements")
    check_a11y(page, "queue: reports")
    page.get_by_role("link", name="Décider").first.click()
    check_a11y(page, "moderate a comment")
    page.get_by_role("button", name="Classer sans suite").click()
    page.get_by_text("Signalements classés sans suite.").wait_for()

    page.goto(f"/moderation/idees/{guide.id}")
    page.get_by_label("Regrouper avec l'idée").select_option(label="Un livret d'accueil illustré")
    page.get_by_label("Raison du regroupement").fill(
        "Les deux idées proposent un livret remis à l'arrivée."
    )
    page.get_by_role("button", name="Regrouper").click()
    page.get_by_text("Idée regroupée.").wait_for()

    page.goto(f"/moderation/idees/{livret.id}")
    page.get_by_label("Réponse de l'équipe (facultatif)").fill(
        "Retenue : l'atelier dessin prépare une maquette."
    )
    page.get_by_role("button", name="Retenir pour le vote").click()
    page.get_by_text("Idée retenue pour le vote.").wait_for()
    check_a11y(page, "idea after shortlist")
    page.goto("/moderation/journal")
    check_a11y(page, "audit log")
    expect(page.get_by_role("cell", name="Idée regroupée avec une autre")).to_be_visible()
    page.goto("/moderation?onglet=masques")
    check_a11y(page, "queue: hidden")
    log_out(page)

    # The author sees the notification and the reason; the merged idea links to its target.
    sign_in(page, "nadia@example.test")
    page.goto("/")
    open_menu(page)
    page.get_by_role("link", name="Notifications").click()
    check_a11y(page, "notifications")
    page.get_by_role(
        "button", name="Votre idée « Un parrain dans l'immeuble » n'est pas publiée"
    ).click()
    page.get_by_text("Une idée très proche existe déjà").wait_for()
    check_a11y(page, "rejected idea with its reason")
    page.goto(f"/idees/{livret.id}")
    expect(page.get_by_role("heading", name="Réponse de l'équipe")).to_be_visible()
    page.goto(f"/idees/{guide.id}")
    page.get_by_role("link", name="Un livret d'accueil illustré").wait_for()
    check_a11y(page, "merged idea")


def test_hostile_comments_and_reports_never_run(page, db, sign_in):
    org = make_org("Bailleur")
    residence = make_residence(org, "Les Pins")
    challenge = make_challenge(org=org, slug="defi", title="Un défi")
    idea = make_idea(challenge, title="Une idée", summary="Résumé", body="")
    make_user("tenant", org=org, residence=residence, email="t@example.test", display_name="Tina")
    make_user("facilitator", org=make_regional(), email="anim@example.test", display_name="Anim")
    for payload in PAYLOADS:
        comment = make_comment(idea, body=payload)
        make_report(comment, reason="other", details=payload)
    db.session.commit()

    sign_in(page, "t@example.test")
    page.goto(f"/idees/{idea.id}")
    page.get_by_label("Votre commentaire").fill(PAYLOADS[1])
    page.get_by_role("button", name="Publier mon commentaire").click()
    page.wait_for_load_state()
    page.goto(f"/idees/{idea.id}?page=2")
    log_out(page)
    sign_in(page, "anim@example.test")
    for path in ("/moderation?onglet=signalements", "/moderation?onglet=signalements&page=2"):
        page.goto(path)
        page.wait_for_load_state()
    check_a11y(page, "reports full of hostile text")
