"""Editions and houses (issue 12, points 1-2): public pages, filters, forms and refusals."""

from __future__ import annotations

from sqlalchemy import select

from ideation.domain.roles import OrganisationKind, Role
from ideation.fabrique.models import Edition, House
from tests.factories import (
    HOSTILE,
    make_challenge,
    make_edition,
    make_house,
    make_idea,
    make_org,
    make_pilot,
    make_regional,
    make_user,
)


def _world(n: int = 1):
    edition = make_edition("Fabrique 2026")
    other = make_edition("Fabrique 2024")
    partner = make_org("Compagnons Bâtisseurs Rhône")
    facilitator = make_user(Role.FACILITATOR, org=make_regional(), display_name="Nadia Anime")
    house = make_house(edition, "Co-production", facilitators=[facilitator], partners=[partner])
    org = make_org("Rhône Habitat")
    for i in range(n):
        challenge = make_challenge(org=None, title=f"Défi maison {i}", theme=house, edition=edition)
        make_idea(challenge, title=f"Idée maison {i}")
        make_pilot(org, title=f"Pilote maison {i}", house=house, edition=edition)
    make_challenge(org=None, title="Défi d'avant", edition=other)
    return {"edition": edition, "other": other, "house": house, "partner": partner, "org": org}


def test_edition_page_shows_houses_challenges_pilots_and_figures(client, db):
    w = _world(2)
    db.session.commit()
    page = client.get(f"/editions/{w['edition'].slug}")
    text = page.text
    assert page.status_code == 200
    assert "Co-production" in text and "Défi maison 1" in text and "Pilote maison 0" in text
    assert "Défi d&#39;avant" not in text and "Défi d'avant" not in text
    assert "<strong>programme</strong>" in text  # sanitised Markdown
    assert HOSTILE not in text and "&lt;script&gt;" in text
    assert "<dt>Projets pilotes</dt><dd>2</dd>" in text


def test_editions_list_links_every_edition(client, db):
    w = _world()
    db.session.commit()
    text = client.get("/editions").text
    assert f"/editions/{w['edition'].slug}" in text and f"/editions/{w['other'].slug}" in text


def test_house_page_lists_challenges_ideas_pilots_partners_and_facilitators(client, db):
    w = _world(2)
    db.session.commit()
    text = client.get(f"/maisons/{w['house'].slug}").text
    for expected in (
        "Défi maison 0",
        "Idée maison 1",
        "Pilote maison 1",
        "Compagnons Bâtisseurs Rhône",
        "Nadia Anime",
    ):
        assert expected in text


def test_unknown_edition_and_house_are_404(client, db):
    assert client.get("/editions/nulle-part").status_code == 404
    assert client.get("/maisons/nulle-part").status_code == 404


def test_challenges_and_pilots_filter_by_edition(client, db):
    w = _world()
    make_pilot(w["org"], title="Pilote d'une autre édition", edition=w["other"])
    db.session.commit()
    challenges = client.get(f"/defis?edition={w['edition'].id}").text
    assert "Défi maison 0" in challenges and "avant" not in challenges
    pilots = client.get(f"/projets-pilotes?edition={w['edition'].id}").text
    assert "Pilote maison 0" in pilots and "autre édition" not in pilots
    # Nonsense in the filter is ignored, never a 500.
    assert client.get("/defis?edition=abc").status_code == 200
    assert client.get("/projets-pilotes?edition=99999999999999").status_code == 200


def test_facilitator_creates_an_edition_with_sanitised_programme(client, db, login):
    login(make_user(Role.FACILITATOR, org=make_regional()))
    response = client.post(
        "/editions/nouvelle",
        data={
            "name": "Fabrique 2028",
            "starts_on": "2028-06-01",
            "ends_on": "2028-06-02",
            "place": "Lyon",
            "description": "**Deux jours** <script>alert(1)</script>",
            "programme": "- [lien](javascript:alert(1))",
        },
    )
    assert response.status_code == 302
    edition = db.session.scalar(select(Edition).where(Edition.name == "Fabrique 2028"))
    assert edition is not None and "<script>" not in edition.description_html
    assert "javascript:" not in edition.programme_html
    assert "<strong>Deux jours</strong>" in client.get(response.headers["Location"]).text


def test_a_name_taken_between_the_check_and_the_save_is_a_form_error(
    client, db, login, monkeypatch
):
    """Two facilitators saving one name at once: the database settles it, no 500."""
    from ideation.fabrique import services as fabrique_services

    make_edition("Fabrique 2027")
    db.session.commit()
    monkeypatch.setattr(fabrique_services, "edition_name_taken", lambda *_a, **_k: False)
    login(make_user(Role.FACILITATOR, org=make_regional()))
    response = client.post(
        "/editions/nouvelle",
        data={"name": "Fabrique 2027", "place": "Villeurbanne", "description": "Texte tapé"},
    )
    assert response.status_code == 200
    assert "Une édition porte déjà ce nom." in response.text and "Texte tapé" in response.text
    assert (
        len(db.session.scalars(select(Edition).where(Edition.name == "Fabrique 2027")).all()) == 1
    )


def test_edition_form_refusals_are_explained(client, db, login):
    make_edition("Fabrique 2026")
    db.session.commit()
    login(make_user(Role.FACILITATOR, org=make_regional()))
    same = client.post("/editions/nouvelle", data={"name": "Fabrique 2026"})
    assert same.status_code == 200 and "Une édition porte déjà ce nom." in same.text
    backwards = client.post(
        "/editions/nouvelle",
        data={"name": "Fabrique 2030", "starts_on": "2030-06-02", "ends_on": "2030-06-01"},
    )
    assert "Le dernier jour vient après le premier." in backwards.text


def _house_form(edition, **over):
    data = {
        "edition_id": edition.id,
        "name": "Les services de demain",
        "description": "La *bourse d'échange*",
        "colour": "#1F5F9E",
        "pictogram": "cle",
        "position": "2",
    }
    data.update(over)
    return data


def test_facilitator_creates_a_house_with_colour_and_people(client, db, login):
    edition = make_edition()
    partner = make_org("Régie de quartier", kind=OrganisationKind.PARTNER)
    make_org("Un bailleur")  # not a partner: never offered
    helper = make_user(Role.FACILITATOR, org=make_regional())
    login(make_user(Role.FACILITATOR, org=make_regional()))
    db.session.commit()
    form = client.get("/maisons/nouvelle").text
    assert "Régie de quartier" in form and "Un bailleur" not in form
    response = client.post(
        "/maisons/nouvelle",
        data={
            **_house_form(edition),
            "facilitator_ids": [helper.id],
            "partner_ids": [partner.id],
        },
    )
    assert response.status_code == 302
    house = db.session.scalar(select(House).where(House.name == "Les services de demain"))
    assert house.colour == "#1f5f9e" and house.pictogram == "cle"
    assert [u.id for u in house.facilitators] == [helper.id]
    assert [o.id for o in house.partners] == [partner.id]
    page = client.get(response.headers["Location"]).text
    # The colour reaches the page only as an SVG fill (no style attribute: strict CSP).
    assert 'fill="#1f5f9e"' in page and "style=" not in page.split("<main", 1)[-1]


def test_house_colour_cannot_carry_css(client, db, login):
    edition = make_edition()
    login(make_user(Role.ADMIN, org=make_regional()))
    db.session.commit()
    for bad in ("red", "#12345g", '#fff" onload="x', "#000;}body{", "url(x)"):
        page = client.post("/maisons/nouvelle", data=_house_form(edition, colour=bad))
        assert page.status_code == 200, bad
        assert "Écrivez une couleur comme #1f6f5c" in page.text
    assert db.session.scalar(select(House.id)) is None


def test_house_form_refuses_unknown_choices(client, db, login):
    edition = make_edition()
    login(make_user(Role.ADMIN, org=make_regional()))
    db.session.commit()
    page = client.post("/maisons/nouvelle", data=_house_form(edition, pictogram="<svg>"))
    assert page.status_code == 200
    assert db.session.scalar(select(House.id)) is None
    page = client.post("/maisons/nouvelle", data=_house_form(edition, edition_id=987654))
    assert "Choisissez dans la liste." in page.text
    page = client.post("/maisons/nouvelle", data={**_house_form(edition), "partner_ids": [987654]})
    assert "Choisissez dans la liste." in page.text
    assert db.session.scalar(select(House.id)) is None


def test_only_the_houses_facilitators_edit_it(client, db, login):
    landlord = make_org("Alpes Logis")
    in_charge = make_user(Role.FACILITATOR, org=landlord)
    not_in_charge = make_user(Role.FACILITATOR, org=landlord)
    house = make_house(facilitators=[in_charge])
    db.session.commit()
    login(not_in_charge)
    refused = client.get(f"/maisons/{house.slug}/modifier")
    assert refused.status_code == 403
    assert "Modifier la maison" not in client.get(f"/maisons/{house.slug}").text
    client.post("/deconnexion")
    login(in_charge)
    assert client.get(f"/maisons/{house.slug}/modifier").status_code == 200
    assert "Modifier la maison" in client.get(f"/maisons/{house.slug}").text
    saved = client.post(
        f"/maisons/{house.slug}/modifier",
        data={
            **_house_form(house.edition, name="Maison renommée"),
            "facilitator_ids": [in_charge.id],
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(House, house.id).name == "Maison renommée"


def test_tenants_and_landlords_cannot_create_houses_or_editions(client, db, login):
    edition = make_edition()
    for role in (Role.TENANT, Role.BAILLEUR, Role.STAFF):
        client.post("/deconnexion")
        login(make_user(role, org=make_org()))
        db.session.commit()
        assert client.post("/maisons/nouvelle", data=_house_form(edition)).status_code == 403
        assert client.post("/editions/nouvelle", data={"name": "X"}).status_code == 403
    assert db.session.scalar(select(House.id)) is None


def test_edition_and_house_pages_queries_do_not_grow(client, db, count_queries):
    w = _world(2)
    db.session.commit()
    edition_url, house_url = f"/editions/{w['edition'].slug}", f"/maisons/{w['house'].slug}"
    client.get(edition_url), client.get(house_url)
    with count_queries() as small_edition:
        assert client.get(edition_url).status_code == 200
    with count_queries() as small_house:
        assert client.get(house_url).status_code == 200
    org = w["org"]
    for i in range(20):
        challenge = make_challenge(
            org=None, title=f"Plus {i}", theme=w["house"], edition=w["edition"]
        )
        make_idea(challenge, title=f"Idée plus {i}")
        make_pilot(org, title=f"Pilote plus {i}", house=w["house"], edition=w["edition"])
        make_house(w["edition"], f"Maison plus {i}", partners=[make_org()])
    db.session.commit()
    with count_queries() as large_edition:
        assert "Plus 19" in client.get(edition_url).text
    with count_queries() as large_house:
        assert "Pilote plus 19" in client.get(house_url).text
    assert small_edition.count == large_edition.count, (small_edition.count, large_edition.count)
    assert small_house.count == large_house.count, (small_house.count, large_house.count)
