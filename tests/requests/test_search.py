"""Idea lists: full-text search, filters, sorts, stable random order, pagination, similar ideas,
and a constant number of SQL queries whatever the number of ideas."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ideation.domain.idea_states import IdeaStatus
from ideation.ideas.models import Idea
from tests.conftest import _empty_tables
from tests.factories import (
    make_challenge,
    make_idea,
    make_org,
    make_residence,
    make_support,
    make_theme,
    make_user,
)


def titles(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/idees/\d+">([^<]+)</a></h3>', html)


@pytest.fixture
def garden(db):
    challenge = make_challenge(slug="jardins", title="Jardins")
    make_idea(
        challenge,
        title="Des jardins partagés au pied des tours",
        summary="Cultiver ensemble.",
        body="",
    )
    make_idea(
        challenge,
        title="Un composteur collectif",
        summary="Moins de déchets, plus de terreau.",
        body="",
    )
    make_idea(
        challenge,
        title="Fête des voisins",
        summary="Une fois par an, dans la cour.",
        body="Avec un jardinage pour enfants",
    )
    make_idea(
        challenge, title="Jardin secret", summary="Pas encore validé.", status="submitted", body=""
    )
    db.session.commit()
    return challenge


@pytest.mark.parametrize(
    "query, expected",
    [
        ("jardin", {"Des jardins partagés au pied des tours"}),
        ("JARDINS partages", {"Des jardins partagés au pied des tours"}),  # plural, case, accents
        ("composteur", {"Un composteur collectif"}),
        ("déchets terreau", {"Un composteur collectif"}),
        ("piscine", set()),
    ],
)
def test_full_text_search_folds_plurals_and_accents(client, garden, query, expected):
    found = set(titles(client.get("/defis/jardins", query_string={"q": query}).text))
    assert found == expected


@pytest.mark.parametrize(
    "hostile", ['"', "jardin OR", "NEAR(", "*", "jardin' --", ")(", "a:b", "\\", "x" * 500, "&|!"]
)
def test_search_syntax_in_the_query_is_harmless(client, garden, hostile):
    assert client.get("/defis/jardins", query_string={"q": hostile}).status_code == 200


def test_search_never_shows_pending_ideas(client, garden):
    assert "Jardin secret" not in client.get("/defis/jardins?q=secret").text


def test_filters_by_theme_residence_status_and_mine(client, db, login):
    challenge = make_challenge(slug="filtres")
    theme = make_theme("Éco")
    residence = make_residence(make_org(), "Les Lilas")
    me = make_user("tenant")
    make_idea(challenge, title="Thématique", theme=theme)
    make_idea(challenge, title="Résidentielle", residence=residence)
    make_idea(challenge, title="Retenue", status="shortlisted")
    make_idea(challenge, me, title="La mienne en attente", status="submitted")
    make_idea(challenge, me, title="Mon brouillon", status="draft")
    db.session.commit()
    assert titles(client.get(f"/defis/filtres?theme={theme.id}").text) == ["Thématique"]
    assert titles(client.get(f"/defis/filtres?residence={residence.id}").text) == ["Résidentielle"]
    assert titles(client.get("/defis/filtres?status=shortlisted").text) == ["Retenue"]
    assert (
        "La mienne" not in client.get("/defis/filtres?status=submitted").text
    )  # not an allowed filter for visitors
    login(me)
    everyone_view = titles(client.get("/defis/filtres").text)
    assert "La mienne en attente" in everyone_view and "Mon brouillon" not in everyone_view
    assert set(titles(client.get("/defis/filtres?mine=1").text)) == {
        "La mienne en attente",
        "Mon brouillon",
    }


@pytest.mark.parametrize(
    "bad",
    [
        "theme=abc",
        "residence=-1",
        "status=<script>",
        "sort=id;drop",
        "page=-3",
        "page=zz",
        "mine=yes",
    ],
)
def test_bad_filter_values_are_ignored_never_a_500(client, garden, bad):
    assert client.get(f"/defis/jardins?{bad}").status_code == 200


def test_sorts_by_supports_recent_and_discussed(client, db):
    challenge = make_challenge(slug="tri")
    make_idea(challenge, title="Peu", supports_count=1)
    make_idea(challenge, title="Beaucoup", supports_count=9)
    make_idea(challenge, title="Moyen", supports_count=4).comments_count = 30
    db.session.commit()
    assert titles(client.get("/defis/tri?sort=soutenues").text) == ["Beaucoup", "Moyen", "Peu"]
    assert titles(client.get("/defis/tri?sort=recentes").text) == ["Moyen", "Beaucoup", "Peu"]
    assert titles(client.get("/defis/tri?sort=discutees").text)[0] == "Moyen"


def test_random_order_is_stable_for_one_member_and_differs_between_members(app, db):
    from tests.factories import DEFAULT_PASSWORD

    challenge = make_challenge(slug="hasard")
    for n in range(20):
        make_idea(challenge, title=f"Idée numéro {n}")
    members = [make_user("tenant") for _ in range(5)]
    db.session.commit()
    clients = []
    for member in members:
        member_client = app.test_client()
        member_client.post("/connexion", data={"email": member.email, "password": DEFAULT_PASSWORD})
        clients.append(member_client)
    order = titles(clients[0].get("/defis/hasard").text)
    assert len(order) == 20
    assert titles(clients[0].get("/defis/hasard").text) == order  # stable
    orders = {tuple(titles(c.get("/defis/hasard").text)) for c in clients}
    assert len(orders) > 1  # other members get other orders


def test_visitors_share_the_days_random_order_without_a_cookie(app, db):
    challenge = make_challenge(slug="hasard")
    for n in range(20):
        make_idea(challenge, title=f"Idée numéro {n}")
    db.session.commit()
    first = app.test_client().get("/defis/hasard")
    # No cookie: the page is the same for every visitor, so the page cache can share it.
    assert "Set-Cookie" not in first.headers
    orders = {tuple(titles(app.test_client().get("/defis/hasard").text)) for _ in range(3)}
    assert orders == {tuple(titles(first.text))}
    assert sorted(titles(first.text)) != titles(first.text)  # still shuffled


def test_pagination_20_per_page_and_random_order_does_not_repeat_across_pages(client, db):
    challenge = make_challenge(slug="pages")
    for n in range(45):
        make_idea(challenge, title=f"Idée {n:02d}")
    db.session.commit()
    pages = [titles(client.get(f"/defis/pages?page={p}").text) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [20, 20, 5]
    assert len(set(sum(pages, []))) == 45
    assert "Page 1 sur 3" in client.get("/defis/pages").text
    assert titles(client.get("/defis/pages?page=99").text) == []


def test_similar_ideas_are_shown_before_sending_and_limited_to_five_of_the_same_challenge(
    client, db, login
):
    challenge = make_challenge(slug="simil")
    other_challenge = make_challenge(slug="autre")
    for n in range(7):
        make_idea(
            challenge, title=f"Jardin partagé numéro {n}", summary="Un potager pour la résidence."
        )
    make_idea(challenge, title="Jardin en attente", status="submitted")
    make_idea(other_challenge, title="Jardin ailleurs")
    make_idea(challenge, title="Parking vélos", summary="Des arceaux sécurisés.")
    author = make_user("tenant")
    draft = make_idea(
        challenge, author, status="draft", title="Un jardin potager", summary="Planter des légumes."
    )
    db.session.commit()
    login(author)
    page = client.get(f"/idees/{draft.id}/verifier").text
    similar = re.findall(r'<h3><a href="/idees/\d+">([^<]+)</a></h3>', page)
    assert len(similar) == 5 and all(t.startswith("Jardin partagé") for t in similar)
    assert "Soutenir plutôt cette idée" in page


def test_support_instead_from_the_check_page(client, db, login):
    challenge = make_challenge(slug="plutot")
    existing = make_idea(
        challenge, title="Boîte à livres dans le hall", summary="Échanger des livres."
    )
    author = make_user("tenant")
    draft = make_idea(
        challenge, author, status="draft", title="Une boîte à livres", summary="Des livres."
    )
    db.session.commit()
    login(author)
    response = client.post(
        f"/idees/{existing.id}/soutien", data={"action": "add", "next": f"/idees/{existing.id}"}
    )
    assert response.headers["Location"].endswith(f"/idees/{existing.id}")
    db.session.refresh(existing)
    db.session.refresh(draft)
    assert existing.supports_count == 1 and draft.status == IdeaStatus.DRAFT


# --- the query budget -------------------------------------------------------------


def _fill(challenge, n: int, supporters: list) -> None:
    theme = make_theme()
    for i in range(n):
        residence = make_residence(challenge.organisation) if challenge.organisation else None
        author = make_user("tenant", residence=residence)
        idea = make_idea(challenge, author, theme=theme, residence=residence)
        for user in supporters[: i % 4]:
            make_support(idea, user)


@pytest.mark.parametrize(
    "path_of",
    [
        lambda c, i: f"/defis/{c.slug}",
        lambda c, i: f"/defis/{c.slug}?sort=soutenues&q=idée",
        lambda c, i: f"/idees/{i.id}",
    ],
)
def test_list_and_idea_pages_issue_a_constant_number_of_queries(app, db, count_queries, path_of):
    counts = []
    for size in (5, 40):
        db.session.rollback()
        _empty_tables()
        org = make_org()
        challenge = make_challenge(org=org, slug="budget")
        supporters = [make_user("tenant", org=org) for _ in range(4)]
        _fill(challenge, size, supporters)
        viewer = supporters[0]
        db.session.commit()
        first_idea = db.session.scalars(select(Idea).order_by(Idea.id)).first()
        client = app.test_client()
        client.post(
            "/connexion", data={"email": viewer.email, "password": "un mot de passe de test solide"}
        )
        path = path_of(challenge, first_idea)
        assert client.get(path).status_code == 200
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], f"queries at 5 and 40 ideas: {counts}"
    assert counts[0] <= 12
