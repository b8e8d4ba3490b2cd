"""The site's own pages: shipped texts, rewriting by admins, footer links, robots.txt,
and the preview tags of a shared link."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from ideation.core.audit import AuditEntry
from ideation.pages.models import SitePage, SitePageKind
from tests.factories import make_idea, make_user

RGAA_SECTIONS = [
    "État de conformité",
    "Résultats des tests",
    "Contenus non accessibles",
    "Établissement de cette déclaration",
    "Retour d'information et contact",
    "Voies de recours",
]


def _rows(db) -> int:
    return db.session.scalar(select(func.count()).select_from(SitePage))


def test_the_accessibility_statement_has_the_rgaa_sections_and_the_configured_contact(
    app, client, db
):
    app.config["CONTACT_EMAIL"] = "accessibilite@bailleurs.test"
    page = client.get("/accessibilite").get_data(as_text=True)
    for section in RGAA_SECTIONS:
        assert f"<h2>{section}</h2>" in page, section
    assert "<strong>non conforme</strong>" in page
    assert "axe-core" in page and "360 px" in page
    assert 'href="mailto:accessibilite@bailleurs.test"' in page
    assert "Défenseur des droits" in page
    assert "2 décembre 2026" in page


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/aide", "Aide : comment ça marche"),
        ("/mentions-legales", "Mentions légales"),
        ("/a-propos", "À propos de la Fabrique"),
    ],
)
def test_help_legal_and_about_pages_are_public(client, db, path, heading):
    page = client.get(path).get_data(as_text=True)
    assert f"<h1>{html.escape(heading, quote=True)}</h1>" in page
    assert "{" not in re.sub(r"<script.*?</script>", "", page.split("<main")[1])


def test_the_legal_notice_names_the_configured_publisher_and_host(app, client, db):
    app.config.update(
        PUBLISHER_NAME="AURA Hlm", PUBLISHER_ADDRESS="3 rue X, Lyon", HOSTING_PROVIDER="OVH"
    )
    page = client.get("/mentions-legales").get_data(as_text=True)
    assert "AURA Hlm, 3 rue X, Lyon" in page and "OVH" in page


def test_the_english_site_shows_the_english_statement(client, db, login):
    reader = make_user()
    reader.locale = "en"
    login(reader)
    page = client.get("/accessibilite").get_data(as_text=True)
    assert "<h1>Accessibility statement</h1>" in page and "<h2>Remedies</h2>" in page
    assert "État de conformité" not in page


def test_every_page_links_the_four_pages_from_its_footer(client, db):
    footer = client.get("/").get_data(as_text=True).split('class="site-footer"')[1]
    for path in ("/accessibilite", "/aide", "/a-propos", "/mentions-legales", "/confidentialite"):
        assert f'href="{path}"' in footer
    assert "Accessibilité : non conforme" in footer


def test_an_admin_rewrites_a_page_sanitised_and_audited(client, db, login):
    admin = login(make_user("admin"))
    form = client.get("/admin/pages/aide/fr").get_data(as_text=True)
    assert "Un défi est ouvert." in form  # the shipped text is offered for editing
    response = client.post(
        "/admin/pages/aide/fr",
        data={
            "title": "Aide",
            "body": "## Venir\n\nAu local **vendredi**.<script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    row = db.session.scalars(select(SitePage)).one()
    assert (row.kind, row.locale, row.updated_by_id) == (SitePageKind.HELP, "fr", admin.id)
    assert "<script>" not in row.body_html and "<strong>vendredi</strong>" in row.body_html
    page = client.get("/aide").get_data(as_text=True)
    assert "<h2>Venir</h2>" in page and "Un défi est ouvert." not in page
    # Raw HTML is shown as text, never run (as in every user text).
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "site_page.update")
    ).one()
    assert entry.actor_id == admin.id and entry.target_type == "site_page"
    # Saving again rewrites the one row; the English page keeps its shipped text.
    client.post("/admin/pages/aide/fr", data={"title": "Aide", "body": "Deuxième version."})
    assert _rows(db) == 1
    db.session.expire_all()
    assert db.session.scalars(select(SitePage)).one().body_source == "Deuxième version."


def test_an_empty_title_is_a_form_error_and_keeps_the_typed_text(client, db, login):
    login(make_user("admin"))
    page = client.post(
        "/admin/pages/mentions-legales/en", data={"title": " ", "body": "Texte tapé à garder"}
    ).get_data(as_text=True)
    assert "Ce champ est obligatoire." in page and "Texte tapé à garder" in page
    assert _rows(db) == 0


@pytest.mark.parametrize("role", ["tenant", "staff", "facilitator", "bailleur"])
def test_only_admins_may_rewrite_a_page(client, db, login, role):
    login(make_user(role))
    response = client.post("/admin/pages/aide/fr", data={"title": "Pirate", "body": "Pirate"})
    assert response.status_code == 403
    assert _rows(db) == 0
    assert "Pirate" not in client.get("/aide").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/admin/pages/cgu/fr", "/admin/pages/aide/de"])
def test_an_unknown_page_or_language_is_a_404(client, db, login, path):
    login(make_user("admin"))
    assert client.post(path, data={"title": "X", "body": "Y"}).status_code == 404
    assert _rows(db) == 0


def test_robots_txt_keeps_crawlers_out_of_accounts_and_administration(client, db):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    for path in ("/admin/", "/moderation", "/tableau-de-bord", "/compte"):
        assert f"Disallow: {path}" in lines


def _meta(page: str, name: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)">', page)
    assert found is not None, name
    return html.unescape(found.group(1))


def test_a_shared_idea_link_previews_its_title_summary_and_a_picture(app, client, db):
    app.config["BASE_URL"] = "https://fabrique.example.org"
    idea = make_idea(title="Un composteur partagé", summary="Pour les déchets de la cour.")
    db.session.commit()
    page = client.get(f"/idees/{idea.id}", headers={"Host": "localhost"}).get_data(as_text=True)
    assert _meta(page, "og:title") == "Un composteur partagé"
    assert _meta(page, "og:description") == "Pour les déchets de la cour."
    assert _meta(page, "description") == "Pour les déchets de la cour."
    assert _meta(page, "og:type") == "article"
    assert _meta(page, "og:url") == f"https://fabrique.example.org/idees/{idea.id}"
    assert _meta(page, "og:image") == "https://fabrique.example.org/static/img/share.png"
    assert client.get("/static/img/share.png").mimetype == "image/png"


def test_every_page_has_a_description_even_without_its_own(client, db):
    page = client.get("/connexion").get_data(as_text=True)
    assert "bailleurs sociaux" in _meta(page, "description")
    assert _meta(page, "og:type") == "website"
