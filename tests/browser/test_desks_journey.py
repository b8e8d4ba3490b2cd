"""A voting desk in Chromium, at phone and desktop widths, axe-core on every page.

A facilitator opens a desk with two assessors; an assessor finds a tenant by name,
records her ranking with a tie (without JavaScript's help: the rank selects) and shows
her the receipt; another tenant who had voted online is ticked for the paper urn; the
facilitator closes the urn, confirming first. (The paper sheets' double entry, the
record and the results: tests/browser/test_paper_journey.py.)
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ideation.desks.models import VoteDesk
from ideation.domain.desks import Channel
from ideation.domain.roles import Role
from ideation.extensions import db as _db
from ideation.voting import services as voting
from tests.factories import make_residence, make_user
from tests.paper_world import paper_vote

pytestmark = pytest.mark.e2e


def test_a_facilitator_opens_a_desk_and_an_assessor_records_votes(page, db, sign_in):
    world = paper_vote(ticked=0, sheets=0, slug="defi-bureau-navigateur")
    residence = make_residence(world["org"], name="Les Tilleuls", city="Vaulx-en-Velin")
    ines = make_user(Role.TENANT, org=world["org"], residence=residence, display_name="Inès B.")
    karim = make_user(Role.TENANT, org=world["org"], residence=residence, display_name="Karim H.")
    a, b, c = world["ideas"]
    voting.cast_ballot(world["challenge"], karim.id, [[a.id]])
    _db.session.commit()
    slug = world["challenge"].slug
    alice, bruno = world["assessors"][:2]

    # The facilitator opens a desk from the challenge page.
    sign_in(page, world["facilitator"].email)
    page.goto(f"/defis/{slug}")
    page.get_by_role("link", name="Bureaux de vote").click()
    page.get_by_label("Nom du bureau").fill("Atelier de la salle commune")
    page.get_by_label(alice.display_name).check()
    page.get_by_label(bruno.display_name).check()
    page.get_by_role("button", name="Ouvrir le bureau").click()
    expect(
        page.get_by_role("heading", name="Bureau de vote : Atelier de la salle commune")
    ).to_be_visible()
    desk = _db.session.scalar(
        select(VoteDesk).where(VoteDesk.name == "Atelier de la salle commune")
    )
    assert desk.assessor_ids == {alice.id, bruno.id}

    # An assessor finds Inès and records her ranking, two ideas ex aequo.
    sign_in(page, alice.email)
    page.goto(f"/defis/{slug}")
    page.get_by_role("link", name="Mon bureau de vote : Atelier de la salle commune").click()
    page.get_by_label("Nom", exact=True).fill("inès")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_text("N'a pas encore voté.")).to_be_visible()
    page.get_by_role("link", name="Inès B.").click()
    page.get_by_label(f"Rang de « {b.title} »").select_option("1")
    page.get_by_label(f"Rang de « {c.title} »").select_option("1")
    page.get_by_label(f"Rang de « {a.title} »").select_option("2")
    page.get_by_role("button", name="Enregistrer son vote").click()
    expect(page.get_by_role("heading", name="Le vote est enregistré")).to_be_visible()
    receipt = page.locator("[data-receipt]").inner_text().strip()
    _db.session.expire_all()
    ballot = voting.get_ballot(world["challenge"].id, ines.id)
    assert ballot.receipt == receipt and ballot.channel == Channel.DESK
    assert ballot.ranking in ([[b.id, c.id], [a.id]], [[c.id, b.id], [a.id]])

    # Karim voted online; he drops a paper sheet: ticked, his online ballot annulled.
    page.get_by_role("link", name="Votant·e suivant·e").click()
    page.get_by_label("Nom", exact=True).fill("Karim")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_text("A voté en ligne.")).to_be_visible()
    page.get_by_role("link", name="Karim H.").click()
    page.get_by_role("button", name="Émarger : bulletin déposé dans l'urne").click()
    expect(page.get_by_text("Son vote en ligne est annulé")).to_be_visible()
    page.get_by_role("link", name="Liste d'émargement").click()
    expect(page.get_by_role("table")).to_contain_text("Karim H.")
    expect(page.get_by_role("table")).to_contain_text("Inès B.")

    # The facilitator closes the urn, confirming first.
    sign_in(page, world["facilitator"].email)
    page.goto(f"/bureaux/{desk.id}")
    page.get_by_role("link", name="Clôturer le bureau").click()
    page.get_by_label("Bulletins papier trouvés dans l'urne (comptés à la main)").fill("1")
    page.get_by_role("button", name="Clôturer le bureau").click()
    expect(page.get_by_text("1 bulletin trouvé dans l'urne")).to_be_visible()
    page.get_by_role("button", name="Confirmer").click()
    expect(
        page.get_by_role("heading", name="Bulletins papier : Atelier de la salle commune")
    ).to_be_visible()
    _db.session.expire_all()
    assert _db.session.get(VoteDesk, desk.id).sheets_received == 1
