"""The Fabrique in Chromium, at phone and desktop widths, axe-core on every page: a visitor
browses an edition and one of its houses; a landlord manager of a second organisation finds
a pilot in the library of innovations and takes it up."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ideation.domain.roles import Role
from tests.factories import (
    make_challenge,
    make_edition,
    make_house,
    make_idea,
    make_org,
    make_pilot,
    make_regional,
    make_user,
)

pytestmark = pytest.mark.e2e


def test_a_visitor_browses_an_edition_and_a_house(page, db):
    edition = make_edition("Fabrique 2026", place="Villeurbanne")
    partner = make_org("Compagnons Bâtisseurs Rhône")
    facilitator = make_user(Role.FACILITATOR, org=make_regional(), display_name="Yasmine A.")
    house = make_house(
        edition,
        "La co-production",
        facilitators=[facilitator],
        partners=[partner],
        colour="#2e7d4f",
        pictogram="outils",
    )
    make_house(edition, "Les services de demain")
    org = make_org("Rhône Habitat Solidaire")
    challenge = make_challenge(
        org=None, title="Rénover ensemble", theme=house, edition=edition, slug="renover"
    )
    make_idea(challenge, title="Un chantier d'auto-réhabilitation", body="")
    make_pilot(org, title="Auto-réhabilitation accompagnée", house=house, edition=edition)
    db.session.commit()

    page.goto("/editions")
    page.get_by_role("link", name="Fabrique 2026").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Fabrique 2026", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Les maisons")).to_be_visible()
    expect(page.get_by_role("link", name="Les services de demain")).to_be_visible()
    expect(page.get_by_role("link", name="Rénover ensemble")).to_be_visible()

    page.get_by_role("link", name="La co-production").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="La co-production", level=1)).to_be_visible()
    main = page.locator("main")
    for text in (
        "Yasmine A.",
        "Compagnons Bâtisseurs Rhône",
        "Un chantier d'auto-réhabilitation",
        "Auto-réhabilitation accompagnée",
    ):
        expect(main.get_by_text(text).first, text).to_be_visible()
    # Back to the edition from the breadcrumb.
    page.get_by_role("link", name="Fabrique 2026").first.click()
    page.wait_for_load_state()
    assert "/editions/" in page.url


def test_a_second_landlord_finds_a_pilot_in_the_library_and_adopts_it(page, db, sign_in):
    edition = make_edition("Fabrique 2026")
    house = make_house(edition, "La co-production")
    rhone, loire = make_org("Rhône Habitat Solidaire"), make_org("Loire Foyers")
    original = make_pilot(
        rhone, status="generalised", title="Jardinières partagées", house=house, edition=edition
    )
    original.lessons_source = "Les locataires arrosent mieux quand ils choisissent les plantes."
    original.lessons_html = (
        "<p>Les locataires arrosent mieux quand ils choisissent les plantes.</p>"
    )
    make_pilot(rhone, status="running", title="Atelier vélo mobile")
    make_user(Role.BAILLEUR, org=loire, email="manon@example.test", display_name="Manon L.")
    db.session.commit()

    sign_in(page, "manon@example.test")
    page.goto("/innovations")
    page.get_by_text("Filtrer", exact=True).click()  # the filters are folded
    page.get_by_label("Mots à chercher").fill("jardinière")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Atelier vélo mobile")).to_have_count(0)
    page.get_by_role("link", name="Jardinières partagées", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Ce que nous avons appris")).to_be_visible()

    page.get_by_role("button", name="Reprendre ce projet dans mon organisme").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Le projet est repris par votre organisme.")).to_be_visible()
    expect(page.get_by_text("Repris du projet")).to_be_visible()
    copy_url = page.url
    assert copy_url.rstrip("/").split("/")[-1] != str(original.id)

    # The original now shows its lineage; a second adoption is not offered.
    page.get_by_role("link", name="Jardinières partagées").first.click()
    page.wait_for_load_state()
    expect(page.get_by_text("Repris par 1 bailleur")).to_be_visible()
    expect(page.get_by_role("button", name="Reprendre ce projet dans mon organisme")).to_have_count(
        0
    )
    page.get_by_role("link", name="Votre organisme mène déjà ce projet").click()
    page.wait_for_load_state()
    assert page.url == copy_url
