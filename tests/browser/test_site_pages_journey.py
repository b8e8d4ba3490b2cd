"""The site's own pages in Chromium, at phone and desktop widths, axe-core on every load:
a visitor finds the accessibility statement and the help from the footer; an
administrator rewrites the help page; a tenant prints "Mes données" without the site's
menus around it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_idea, make_org, make_user

pytestmark = pytest.mark.e2e


def test_visitor_reads_the_statement_and_an_admin_rewrites_the_help(page, db, sign_in):
    make_user("admin", email="admin@example.test")
    db.session.commit()

    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibilité : non conforme").click()
    page.get_by_role("heading", level=1, name="Déclaration d'accessibilité").wait_for()
    expect(page.get_by_role("heading", level=2, name="Voies de recours")).to_be_visible()
    page.get_by_role("contentinfo").get_by_role("link", name="Aide").click()
    page.get_by_role("heading", level=1, name="Aide : comment ça marche").wait_for()

    sign_in(page, "admin@example.test")
    page.goto("/admin/")
    page.get_by_role("link", name="Pages du site").click()
    page.get_by_role("heading", level=1, name="Pages du site").wait_for()
    page.get_by_role("link", name="Modifier Aide : comment ça marche (français)").click()
    page.get_by_label("Texte").fill("## Nous trouver\n\nLe local est ouvert le **mardi**.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Page enregistrée.").wait_for()
    page.goto("/aide")
    expect(page.get_by_role("heading", level=2, name="Nous trouver")).to_be_visible()
    expect(page.locator("main strong", has_text="mardi")).to_be_visible()


def test_tenant_prints_my_data_without_the_menus(page, db, sign_in):
    org = make_org("Rhône Habitat Solidaire")
    tenant = make_user(org=org, email="awa@example.test", display_name="Awa D.")
    make_idea(author=tenant, title="Un coin lecture dans le hall")
    db.session.commit()

    sign_in(page, "awa@example.test")
    page.goto("/compte/mes-donnees")
    page.get_by_role("heading", level=2, name="Ce que la Fabrique garde sur vous").wait_for()
    expect(page.get_by_role("heading", level=3, name="Mes idées (1)")).to_be_visible()
    expect(page.get_by_text("Un coin lecture dans le hall").first).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text("Un coin lecture dans le hall").first).to_be_visible()
