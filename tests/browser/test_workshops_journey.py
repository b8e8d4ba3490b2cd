"""Workshops in Chromium, at phone and desktop widths, axe-core on every page: a tenant
finds a workshop on the home page, registers and downloads its calendar file; a host
opens the attendance list and checks her in at the door."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ideation.domain.roles import Role
from tests.browser.steps import log_out
from tests.factories import make_org, make_residence, make_user, make_workshop

pytestmark = pytest.mark.e2e


def test_a_tenant_registers_and_a_host_checks_her_in(page, db, sign_in):
    org = make_org("Rhône Habitat Solidaire")
    residence = make_residence(org, "Les Tilleuls")
    host = make_user(Role.STAFF, org=org, email="sophie@example.test", display_name="Sophie G.")
    make_user(
        Role.TENANT,
        org=org,
        residence=residence,
        email="fatima@example.test",
        display_name="Fatima B.",
    )
    workshop = make_workshop(
        title="Atelier jardin partagé", capacity=12, residence=residence, hosts=[host]
    )
    db.session.commit()

    sign_in(page, "fatima@example.test")
    page.goto("/")
    expect(page.get_by_role("heading", name="Prochains ateliers")).to_be_visible()
    page.get_by_role("link", name="Atelier jardin partagé").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Atelier jardin partagé", level=1)).to_be_visible()
    expect(page.get_by_text("12 places restantes")).to_be_visible()
    page.get_by_role("button", name="Je m'inscris").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Vous êtes inscrit·e.", exact=True)).to_be_visible()
    expect(page.get_by_text("11 places restantes")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == f"atelier-{workshop.id}.ics"
    with open(download.path(), "rb") as f:
        ics = f.read().decode("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Atelier jardin partagé\r\n" in ics
    log_out(page)

    sign_in(page, "sophie@example.test")
    page.goto(f"/ateliers/{workshop.id}")
    page.get_by_role("link", name="Liste des présences").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Liste des présences")).to_be_visible()
    expect(page.get_by_role("button", name="Imprimer la liste")).to_be_visible()
    page.get_by_role("button", name="Présent·e : Fatima B.").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Fatima B. est noté·e présent·e.")).to_be_visible()
    expect(page.get_by_role("button", name="Présent·e : Fatima B.")).to_have_count(0)
    # On paper, the buttons give way to boxes to tick.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Imprimer la liste")).to_be_hidden()
