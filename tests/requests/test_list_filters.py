"""Lists' filters: folded behind « Filtrer », offering only the values the list holds
(a challenge's ideas, the pilots)."""

from __future__ import annotations

import re

from tests.factories import (
    make_challenge,
    make_edition,
    make_idea,
    make_org,
    make_pilot,
    make_residence,
    make_theme,
    make_user,
)


def options(html: str, name: str) -> list[str]:
    found = re.search(rf'<select id="{name}"[^>]*>(.*?)</select>', html, re.DOTALL)
    if found is None:
        return []
    return re.findall(r'<option value="([^"]*)"', found.group(1))


def _challenge():
    org = make_org()
    used, unused = make_theme("Vivre ensemble"), make_theme("Rénover")
    tilleuls, platanes = make_residence(org, "Les Tilleuls"), make_residence(org, "Les Platanes")
    secret = make_residence(org, "La Résidence secrète")
    challenge = make_challenge(org=org, slug="accueil")
    make_idea(challenge, theme=used, residence=tilleuls)
    make_idea(challenge, theme=used, residence=platanes, status="shortlisted")
    make_idea(challenge, residence=secret, status="submitted")  # awaiting moderation
    return challenge, used, unused, tilleuls, platanes, secret


def test_filters_offer_only_the_values_of_the_visible_ideas(client, db):
    challenge, used, unused, tilleuls, platanes, secret = _challenge()
    db.session.commit()
    html = client.get("/defis/accueil").text
    assert options(html, "theme") == ["", str(used.id)]
    assert sorted(options(html, "residence")) == sorted(["", str(tilleuls.id), str(platanes.id)])
    assert options(html, "status") == ["", "published", "shortlisted"]
    assert "La Résidence secrète" not in html


def test_filters_are_folded_until_the_address_filters(client, db):
    challenge, used, *_ = _challenge()
    db.session.commit()
    folded = client.get("/defis/accueil").text
    assert '<details class="filter-box">' in folded
    assert "<summary>Filtrer</summary>" in folded
    opened = client.get(f"/defis/accueil?theme={used.id}").text
    assert '<details class="filter-box" open>' in opened


def test_a_chosen_value_stays_offered_when_no_idea_holds_it(client, db):
    challenge, used, unused, *_ = _challenge()
    db.session.commit()
    html = client.get(f"/defis/accueil?theme={unused.id}").text
    assert str(unused.id) in options(html, "theme")
    assert re.search(rf'<option value="{unused.id}" selected>Rénover</option>', html)


def test_the_author_is_offered_the_values_of_their_own_pending_idea_not_a_hidden_one(
    client, db, login
):
    from ideation.db_types import utcnow

    challenge, used, unused, tilleuls, platanes, secret = _challenge()
    author = make_user(email="auteur@example.test")
    make_idea(challenge, author, theme=unused, residence=secret, status="submitted")
    hidden = make_idea(
        challenge,
        theme=make_theme("Masqué"),
        residence=make_residence(challenge.organisation, "La Résidence masquée"),
    )
    hidden.hidden_at = utcnow()
    db.session.commit()
    anonymous = client.get("/defis/accueil").text
    assert options(anonymous, "theme") == ["", str(used.id)]
    login(author)
    html = client.get("/defis/accueil").text
    assert sorted(options(html, "theme")) == sorted(["", str(used.id), str(unused.id)])
    assert sorted(options(html, "residence")) == sorted(
        ["", str(tilleuls.id), str(platanes.id), str(secret.id)]
    )
    # A pending idea is not a status one may filter on outside « mes idées ».
    assert options(html, "status") == ["", "published", "shortlisted"]
    assert "La Résidence masquée" not in html and "Masqué" not in html


def test_filter_values_cost_the_same_queries_whatever_the_number_of_ideas(
    client, db, count_queries
):
    counts = []
    for n in (2, 40):
        challenge = make_challenge(slug=f"defi-{n}")
        org = make_org()
        for _ in range(n):
            make_idea(challenge, theme=make_theme(), residence=make_residence(org))
        db.session.commit()
        with count_queries() as counter:
            assert client.get(f"/defis/defi-{n}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_pilot_filters_offer_only_what_the_pilots_hold(client, db):
    runs, idle = make_org("Rhône Habitat"), make_org("Sans Projet Habitat")
    tilleuls = make_residence(runs, "Les Tilleuls")
    make_residence(runs, "Les Platanes")
    house, other_house = make_theme("Vivre ensemble"), make_theme("Rénover")
    edition = make_edition("Fabrique 2026")
    make_edition("Fabrique 2030")
    make_pilot(runs, status="running", residences=[tilleuls], house=house, edition=edition)
    db.session.commit()
    html = client.get("/projets-pilotes").text
    assert '<details class="filter-box">' in html
    assert options(html, "f-bailleur") == ["", str(runs.id)]
    assert options(html, "f-statut") == ["", "running"]
    assert options(html, "f-theme") == ["", str(house.id)]
    assert options(html, "f-edition") == ["", str(edition.id)]
    assert options(html, "f-residence") == ["", str(tilleuls.id)]
    assert "Sans Projet Habitat" not in html and "Les Platanes" not in html
    chosen = client.get(f"/projets-pilotes?theme={other_house.id}&bailleur={idle.id}").text
    assert '<details class="filter-box" open>' in chosen
    assert str(other_house.id) in options(chosen, "f-theme")
    assert str(idle.id) in options(chosen, "f-bailleur")


def test_library_filters_offer_only_what_the_pilots_hold(client, db):
    runs, idle = make_org("Rhône Habitat"), make_org("Sans Projet Habitat")
    house, other_house = make_theme("Vivre ensemble"), make_theme("Rénover")
    edition = make_edition("Fabrique 2026")
    make_edition("Fabrique 2030")
    make_pilot(runs, status="running", house=house, edition=edition)
    db.session.commit()
    html = client.get("/innovations").text
    assert options(html, "l-bailleur") == ["", str(runs.id)]
    assert options(html, "l-maison") == ["", str(house.id)]
    assert options(html, "l-edition") == ["", str(edition.id)]
    chosen = client.get(f"/innovations?maison={other_house.id}&bailleur={idle.id}").text
    assert str(other_house.id) in options(chosen, "l-maison")
    assert str(idle.id) in options(chosen, "l-bailleur")
