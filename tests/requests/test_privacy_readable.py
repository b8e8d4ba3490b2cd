""" "Mes données" as a page: everything the JSON download holds, in words, printable."""

from __future__ import annotations

import json
import re

from ideation.privacy.readable import FIELD_LABELS, SECTION_LABELS, label
from tests.factories import make_comment, make_idea, make_report, make_user


def _keys(value, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            _keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _keys(item, found)
    return found


def _active_tenant(db):
    tenant = make_user(display_name="Nadia Benali")
    idea = make_idea(author=tenant, title="Des bancs dans la cour")
    make_comment(idea, tenant, body="Et un point d'eau.")
    make_report(make_idea(challenge=idea.challenge), reporter=tenant, details="Propos blessants")
    db.session.commit()
    return tenant, idea


def test_the_page_shows_what_the_file_holds(client, db, login):
    tenant, idea = _active_tenant(db)
    login(tenant)
    page = client.get("/compte/mes-donnees").get_data(as_text=True)
    exported = json.loads(client.get("/compte/mes-donnees/mes-donnees-fabrique.json").data)
    assert "Ce que la Fabrique garde sur vous" in page
    for heading in ("Mon compte", "Mes idées", "Mes commentaires", "Mes signalements"):
        assert heading in page
    assert tenant.email in page and "Nadia Benali" in page
    assert "Des bancs dans la cour" in page and "Et un point d&#39;eau." in page
    assert "Propos blessants" in page
    assert exported["profile"]["email"] == tenant.email
    # Dates in words, not ISO stamps; booleans in words.
    assert not re.search(r"<dd>\d{4}-\d\d-\d\dT", page)
    assert "<dd>non</dd>" in page or "<dd>oui</dd>" in page
    assert 'href="/compte/mes-donnees/mes-donnees-fabrique.json"' in page


def test_every_key_of_the_export_has_a_name_for_people(app, client, db, login):
    tenant, _idea = _active_tenant(db)
    login(tenant)
    exported = json.loads(client.get("/compte/mes-donnees/mes-donnees-fabrique.json").data)
    sections = set(exported) - {"format", "exported_at"}
    assert sections <= set(SECTION_LABELS), sections - set(SECTION_LABELS)
    fields = _keys({k: exported[k] for k in sections}, set()) - sections
    with app.test_request_context():
        unnamed = {key for key in fields if label(key) == key}
    assert unnamed == set()
    assert len(FIELD_LABELS) > 50


def test_a_stranger_sees_only_their_own_data(client, db, login):
    tenant, _idea = _active_tenant(db)
    login(make_user(display_name="Autre Personne"))
    page = client.get("/compte/mes-donnees").get_data(as_text=True)
    assert "Nadia Benali" not in page and "Des bancs dans la cour" not in page
    assert "Autre Personne" in page


def test_the_page_prints_without_the_site_chrome(client):
    css = client.get("/static/css/site.css").get_data(as_text=True)
    assert "@media print" in css and ".site-header, .site-footer" in css
