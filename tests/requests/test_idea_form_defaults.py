"""The new-idea form starts from what is known: the author's residence, the challenge's house."""

from __future__ import annotations

import re

from sqlalchemy import select

from ideation.ideas.models import Idea
from tests.factories import make_challenge, make_org, make_residence, make_theme, make_user


def selected(html: str, field: str) -> str | None:
    found = re.search(rf'<select[^>]*id="{field}"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert found, field
    chosen = re.search(r'<option selected value="([^"]*)"', found.group(1))
    return chosen.group(1) if chosen else None


def test_the_form_preselects_my_residence_and_the_challenges_house(client, db, login):
    org = make_org()
    home = make_residence(org, "Les Tilleuls")
    house = make_theme("Vivre ensemble")
    make_theme("Rénover")
    make_challenge(org=org, slug="accueil", theme=house)
    login(make_user("tenant", org=org, residence=home))
    html = client.get("/defis/accueil/idees/nouvelle").text
    assert selected(html, "residence_id") == str(home.id)
    assert selected(html, "theme_id") == str(house.id)


def test_without_a_house_or_a_residence_nothing_is_preselected(client, db, login):
    org = make_org()
    make_residence(org, "Les Tilleuls")
    make_challenge(org=org, slug="accueil")
    login(make_user("tenant", org=org, residence=None))
    html = client.get("/defis/accueil/idees/nouvelle").text
    assert selected(html, "residence_id") == "0"
    assert selected(html, "theme_id") == "0"


def test_the_defaults_stay_a_choice(client, db, login):
    org = make_org()
    home = make_residence(org, "Les Tilleuls")
    house = make_theme("Vivre ensemble")
    make_challenge(org=org, slug="accueil", theme=house)
    login(make_user("tenant", org=org, residence=home))
    response = client.post(
        "/defis/accueil/idees/nouvelle",
        data={
            "title": "Un goûter d'accueil",
            "summary": "Chaque mois, un goûter dans le hall.",
            "body": "",
            "theme_id": 0,
            "residence_id": 0,
            "proceed": "1",
        },
    )
    assert response.status_code == 302
    idea = db.session.scalar(select(Idea))
    assert idea.theme_id is None and idea.residence_id is None
