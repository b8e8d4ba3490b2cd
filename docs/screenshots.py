"""Regenerate the README screenshots from a freshly seeded demo.

    .venv/bin/python docs/screenshots.py

Builds a throwaway SQLite database, runs the migrations and `seed-demo`, serves the
app on a free port and photographs the main pages with Debian's Chromium, at a
phone width (360 px) and a desktop width.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots"

# (file name, path or callable(app) -> path, who is logged in)
PAGES = [
    ("accueil", "/", None),
    ("accueil-connecte", "/", "locataire@demo.fabrique.test"),
    ("mes-participations", "/compte/mes-participations", "locataire@demo.fabrique.test"),
    ("idee-photo", "idea_photo", None),
    ("atelier", "workshop", None),
    ("affiche-hall", "hall_poster", "bailleur@demo.fabrique.test"),
    ("connexion", "/connexion", None),
    ("defis", "/defis", None),
    ("defi", "challenge", None),
    ("idee", "idea", "locataire@demo.fabrique.test"),
    ("vote", "vote", "locataire@demo.fabrique.test"),
    ("resultats", "results", None),
    ("moderation", "/moderation", "animation@demo.fabrique.test"),
    ("pilotes", "/projets-pilotes", None),
    ("pilote", "pilot", None),
    ("tableau-de-bord", "/tableau-de-bord/", "bailleur@demo.fabrique.test"),
]


# Symbolic targets: the query that finds one in the seeded demo, and the page it opens.
TARGETS = {
    "challenge": (
        "select slug from challenges where phase='ideation' order by id limit 1",
        "/defis/{}",
    ),
    "idea": (
        "select i.id from ideas i join challenges c on c.id=i.challenge_id "
        "where i.status='published' and c.phase='ideation' order by i.id limit 1",
        "/idees/{}",
    ),
    "idea_photo": (
        "select p.owner_id from photos p join ideas i on i.id = p.owner_id "
        "where p.owner_kind = 'idea' and p.hidden_at is null "
        "and i.status = 'published' order by p.id limit 1",
        "/idees/{}",
    ),
    "workshop": (
        "select id from workshops where minutes_published_at is not null "
        "order by starts_at desc limit 1",
        "/ateliers/{}",
    ),
    "hall_poster": (
        "select i.id from invitations i join users u on u.organisation_id = i.organisation_id "
        "where u.email = 'bailleur@demo.fabrique.test' order by i.id limit 1",
        "/imprimer/invitations/{}",
    ),
    "vote": (
        "select slug from challenges where phase='voting' order by id limit 1",
        "/defis/{}/vote",
    ),
    "results": (
        "select slug from challenges where phase='results' order by id limit 1",
        "/defis/{}/resultats",
    ),
    "pilot": ("select id from pilots order by id limit 1", "/projets-pilotes/{}"),
}


def _resolve(app, target: str) -> str | None:
    """Turn a symbolic target into a URL of the seeded demo, or None if the area is absent."""
    if target.startswith("/"):
        return target
    import sqlalchemy as sa

    from ideation.extensions import db

    query, page = TARGETS[target]
    with app.app_context():
        try:
            found = db.session.execute(sa.text(query)).scalar()
        except Exception:  # an area not built yet: no screenshot
            db.session.rollback()
            return None
    return page.format(found) if found else None


def main() -> None:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from ideation import create_app

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        app = create_app(
            {"CONFIG": "development", "SQLALCHEMY_DATABASE_URI": url, "MAIL_CONSOLE": False}
        )
        with app.app_context():
            from flask_migrate import upgrade

            from ideation.seed import seed_demo

            upgrade()
            seed_demo()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/lib/chromium/chromium",
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            for width, suffix, full in ((360, "telephone", True), (1280, "ordinateur", False)):
                sessions: dict[str | None, object] = {}
                for name, target, who in PAGES:
                    path = _resolve(app, target)
                    if path is None:
                        continue
                    if who not in sessions:
                        context = browser.new_context(
                            base_url=base,
                            viewport={"width": width, "height": 800},
                            device_scale_factor=1,
                            locale="fr-FR",
                        )
                        page = context.new_page()
                        if who:
                            page.goto("/connexion")
                            page.get_by_label("Adresse e-mail").fill(who)
                            page.get_by_label("Mot de passe").fill("fabrique-demo-2026")
                            page.get_by_role("button", name="Se connecter").click()
                        sessions[who] = page
                    page = sessions[who]
                    response = page.goto(path)
                    if response is None or response.status >= 400:
                        continue
                    page.screenshot(path=str(OUT / f"{name}-{suffix}.png"), full_page=full)
                    print("screenshot", name, suffix, path)
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
