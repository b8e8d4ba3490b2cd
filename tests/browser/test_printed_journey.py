"""Printed posters in Chromium, at phone and desktop widths, axe-core on every page: a
landlord manager prints the hall poster of her invitation code and the vote poster of a
challenge. Each is printed to PDF by Chromium (`page.pdf()`), read back with pdftotext
(the code and the link are on the sheet, one A4 page) and its QR code decoded from the
rasterised page (pdftoppm + zxing-cpp) to the sign-up page or the short link."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ideation.auth.models import User
from ideation.db_types import utcnow
from ideation.domain.codes import short_code
from ideation.domain.roles import Role
from ideation.orgs.models import DwellingCode
from tests.browser.steps import log_out
from tests.conftest import need
from tests.factories import (
    make_challenge,
    make_idea,
    make_invitation,
    make_org,
    make_residence,
    make_user,
)

pytestmark = pytest.mark.e2e


def _tools() -> None:
    for tool in ("pdftotext", "pdftoppm", "pdfinfo"):
        need(shutil.which(tool) is not None, f"{tool} is missing (apt-get install poppler-utils)")
    try:
        import zxingcpp  # noqa: F401
    except ImportError:
        need(False, "zxing-cpp is not installed (the test extra of pyproject.toml)")


def _printed(page, folder: Path, name: str) -> tuple[str, list[str]]:
    """Print the page to an A4 PDF; its text, and what its QR codes say."""
    import zxingcpp
    from PIL import Image

    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(page.pdf(format="A4", prefer_css_page_size=True, print_background=True))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout, info.stdout  # one poster, one sheet
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(folder / name)], check=True
    )
    with Image.open(folder / f"{name}.png") as image:
        found = [code.text for code in zxingcpp.read_barcodes(image)]
    return text, found


def test_a_landlord_manager_prints_the_hall_and_vote_posters(
    page, db, sign_in, live_server, tmp_path
):
    _tools()
    org = make_org("Rhône Habitat Affiches")
    residence = make_residence(org, "Les Tilleuls")
    make_user(Role.BAILLEUR, org=org, email="nadia@example.test", display_name="Nadia R.")
    make_invitation(org, code="TILLEULS26", residence=residence)
    challenge = make_challenge(
        phase="voting",
        org=org,
        title="Quel jardin pour la cour ?",
        voting_ends_at=utcnow() + timedelta(days=6),
    )
    db.session.commit()
    host = live_server.split("://", 1)[1]

    sign_in(page, "nadia@example.test")
    page.goto("/admin/invitations")
    page.get_by_role("link", name="Affiche TILLEULS26").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Affiche du code TILLEULS26", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Imprimer l'affiche")).to_be_visible()
    text, codes = _printed(page, tmp_path, "hall")
    assert "TILLEULS26" in text
    assert f"{host}/inscription" in text
    assert "Rhône Habitat Affiches" in text
    assert "Imprimer l'affiche" not in text  # the toolbar stays on screen
    assert codes == [f"{live_server}/inscription?code=TILLEULS26"]

    page.goto(f"/defis/{challenge.slug}")
    page.get_by_role("link", name="Imprimer l'affiche du vote").click()
    page.wait_for_load_state()
    text, codes = _printed(page, tmp_path, "vote")
    short = f"{host}/d/{short_code(challenge.id)}"
    assert "Votez jusqu" in text
    assert short in text
    assert codes == [f"http://{short}"]

    # The short link on the sheet leads to the challenge.
    page.goto(codes[0])
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Quel jardin pour la cour ?", level=1)).to_be_visible()


def test_dwelling_letters_are_printed_and_a_tenant_registers_by_one(
    page, db, sign_in, live_server, tmp_path
):
    """The manager makes the letters of three dwellings, prints them as one PDF of three
    A4 pages (codes on them, references not), and a neighbour signs up with one; the vote
    reserved to verified households then accepts her."""
    _tools()
    org = make_org("Rhône Habitat Courriers")
    residence = make_residence(org, "Les Érables")
    make_user(Role.BAILLEUR, org=org, email="nadia@example.test", display_name="Nadia R.")
    challenge = make_challenge(phase="voting", org=org, title="Quelle fête des voisins ?")
    challenge.vote_verified_only = True
    karim = make_user(
        Role.TENANT, org=org, residence=residence, email="karim@example.test", display_name="Karim"
    )
    for _ in range(2):
        make_idea(challenge, karim, status="shortlisted")
    db.session.commit()

    sign_in(page, "nadia@example.test")
    page.goto("/admin/")
    page.get_by_role("link", name="Courriers logement").click()
    page.wait_for_load_state()
    page.get_by_label("Résidence").select_option(label=residence.label)
    page.get_by_label("Logements").fill("Bât. B – 1\nBât. B – 2\nBât. B – 3")
    page.get_by_role("button", name="Créer les courriers").click()
    page.wait_for_load_state()
    expect(page.get_by_text("3 courriers prêts à imprimer.")).to_be_visible()
    codes = [
        c.code for c in db.session.scalars(select(DwellingCode).order_by(DwellingCode.id)).all()
    ]
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(page.pdf(format="A4", prefer_css_page_size=True))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           3" in info.stdout  # one letter per page, one PDF
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert all(code in text for code in codes)
    assert "Bât. B" not in text  # the dwelling's reference is never printed
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(tmp_path / "letter"),
        ],
        check=True,
    )
    import zxingcpp
    from PIL import Image

    with Image.open(tmp_path / "letter.png") as image:
        found = [c.text for c in zxingcpp.read_barcodes(image)]
    first_letter = f"{live_server}/inscription?code={codes[0]}"
    assert found == [first_letter]
    log_out(page)

    page.goto(first_letter)  # the QR code of the first letter
    page.get_by_label("Nom affiché").fill("Aïcha M.")
    page.get_by_label("Adresse e-mail").fill("aicha@example.test")
    page.get_by_label("Mot de passe", exact=True).fill("des tomates sur le balcon")
    page.get_by_label("Confirmez le mot de passe").fill("des tomates sur le balcon")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state()
    db.session.expire_all()
    aicha = db.session.scalar(select(User).where(User.email == "aicha@example.test"))
    assert aicha is not None and aicha.household_verified_at is not None
    assert aicha.residence_id == residence.id
    aicha.email_verified = True  # she opened the e-mail's link
    db.session.commit()

    sign_in(page, "aicha@example.test")
    assert page.goto(f"/defis/{challenge.slug}/vote").status == 200
    expect(page.get_by_role("heading", name="Vote réservé aux foyers vérifiés")).to_have_count(0)
    log_out(page)

    # A neighbour whose account is tied to no dwelling is told how to get verified.
    sign_in(page, "karim@example.test")
    assert page.goto(f"/defis/{challenge.slug}/vote").status == 403
    expect(page.get_by_role("heading", name="Vote réservé aux foyers vérifiés")).to_be_visible()
    expect(page.get_by_role("link", name="Voir les prochains ateliers")).to_be_visible()
