"""Browser journeys of the foundation: register with a code, log in, switch language,
reset a password through the e-mailed link, log out — axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.a11y import check_a11y
from tests.browser.steps import open_menu
from tests.factories import DEFAULT_PASSWORD, make_invitation, make_org, make_residence, make_user
from tests.helpers import link_in, outbox

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "les géraniums du troisième étage"


def test_register_with_invitation_code_then_confirm_email(page, db):
    org = make_org("Rhône Habitat Solidaire")
    residence = make_residence(org, "Les Tilleuls")
    make_invitation(org, code="TILLEULS26", residence=residence)
    db.session.commit()

    page.goto("/")
    check_a11y(page, "home")
    open_menu(page)
    page.get_by_role("link", name="Créer un compte").first.click()
    check_a11y(page, "register")
    # An empty submission shows the error summary, and it is accessible too.
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_a11y(page, "register with errors")

    page.get_by_label("Code d'invitation").fill("TILLEULS26")
    page.get_by_label("Nom affiché").fill("Zoé M.")
    page.get_by_label("Adresse e-mail").fill("zoe@example.test")
    page.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", name="Regardez vos e-mails").wait_for()
    check_a11y(page, "check e-mail")

    db.session.expire_all()
    page.goto(link_in(outbox("zoe@example.test")[-1], "/verifier/"))
    check_a11y(page, "verify")
    page.get_by_role("button", name="Je confirme mon adresse").click()
    expect(page.get_by_text("adresse e-mail est confirmée")).to_be_visible()


def test_login_switch_language_and_logout(page, db):
    make_user(email="fatima@example.test", display_name="Fatima B.")
    db.session.commit()

    page.goto("/connexion")
    check_a11y(page, "login")
    page.get_by_label("Adresse e-mail").fill("fatima@example.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Bonjour Fatima B.")).to_be_visible()
    check_a11y(page, "home logged in")

    open_menu(page)
    page.get_by_role("link", name="Mon compte").click()
    check_a11y(page, "profile")
    open_menu(page)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    check_a11y(page, "profile in English")
    open_menu(page)
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    open_menu(page)
    page.get_by_role("button", name="Se déconnecter", exact=True).click()
    expect(page.get_by_text("Vous êtes déconnecté·e")).to_be_visible()
    page.goto("/compte")
    assert "/connexion" in page.url


def test_reset_password_through_the_outbox_link(page, db):
    make_user(email="oubli@example.test", display_name="Gérard T.")
    db.session.commit()

    page.goto("/connexion")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    check_a11y(page, "forgot")
    page.get_by_label("Adresse e-mail").fill("oubli@example.test")
    page.get_by_role("button", name="Recevoir le lien").click()
    page.get_by_role("heading", name="Regardez vos e-mails").wait_for()

    db.session.expire_all()
    link = link_in(outbox("oubli@example.test")[-1], "/reinitialiser/")
    page.goto(link)
    check_a11y(page, "reset")
    page.get_by_label("Nouveau mot de passe").fill("trop court")
    page.get_by_label("Confirmez le mot de passe").fill("trop court")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.locator(".error-summary")).to_contain_text("au moins 12 caractères")
    check_a11y(page, "reset with errors")
    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page).to_have_url(re.compile(r"/connexion"))

    page.get_by_label("Adresse e-mail").fill("oubli@example.test")
    page.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Bonjour Gérard T.")).to_be_visible()

    page.goto(link)  # the link worked once; now it is spent
    expect(page.locator("body")).to_contain_text("Lien expiré ou déjà utilisé")
    check_a11y(page, "spent link")


def test_admin_pages_are_accessible(page, db):
    admin = make_user(role="admin", email="admin@example.test", display_name="Claire A.")
    make_invitation(admin.organisation, code="AXE00001")
    db.session.commit()
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill("admin@example.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Bonjour Claire A.")).to_be_visible()
    for path in [
        "/admin/",
        "/admin/organisations",
        "/admin/residences",
        "/admin/utilisateurs",
        "/admin/invitations",
        "/admin/invitations/nouvelle",
        "/admin/organisations/nouvelle",
        "/compte/mot-de-passe",
        "/confidentialite",
        "/page-inexistante",
    ]:
        page.goto(path)
        check_a11y(page, path)
