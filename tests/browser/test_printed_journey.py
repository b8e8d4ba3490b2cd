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

from ideation.db_types import utcnow
from ideation.domain.codes import short_code
from ideation.domain.roles import Role
from tests.conftest import need
from tests.factories import make_challenge, make_invitation, make_org, make_residence, make_user

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
    assert page.get_by_role("heading", name="Affiche du code TILLEULS26", level=1).is_visible()
    assert page.get_by_role("button", name="Imprimer l'affiche").is_visible()
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
    assert page.get_by_role("heading", name="Quel jardin pour la cour ?", level=1).is_visible()
