"""Paper ballots in Chromium, at phone and desktop widths, axe-core on every page.

A facilitator prints three sheets (one A4 page each, read back from the PDF, their QR
codes decoded to each sheet's entry page); after the urn closes, two assessors enter the
three sheets independently, one of them read two ways and settled by a third assessor's
reading; the facilitator closes the count and prints the closure record; the vote
closes; the results link to the record, and a recount of the downloaded file matches.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_printed_journey import _tools
from tests.paper_world import close_urn, paper_vote

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def _pdf_text(page, folder: Path, name: str) -> tuple[str, int, list[str]]:
    """Print the page to an A4 PDF: its text, its number of pages, its QR codes."""
    import zxingcpp
    from PIL import Image

    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(page.pdf(format="A4", prefer_css_page_size=True, print_background=True))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(folder / name)], check=True)
    found = []
    for png in sorted(folder.glob(f"{name}-*.png")):
        with Image.open(png) as image:
            found += [code.text for code in zxingcpp.read_barcodes(image)]
    return text, pages, found


def _enter(page, desk_id: int, code: str, boxes: dict[int, str]) -> None:
    page.goto(f"/bureaux/{desk_id}/papier/saisie")
    page.get_by_label("Code du bulletin").fill(code.lower())
    page.get_by_role("button", name="Ouvrir le bulletin").click()
    expect(page.get_by_role("heading", name=f"Bulletin {code}", level=1)).to_be_visible()
    for idea_id, mark in boxes.items():
        page.locator(f"#case-{idea_id}").fill(mark)
    page.get_by_role("button", name="Enregistrer ma saisie").click()
    expect(page.get_by_role("heading", name="Saisir un bulletin", level=1)).to_be_visible()


def test_two_assessors_double_enter_three_sheets_and_the_record_is_published(
    page, db, sign_in, live_server, tmp_path
):
    _tools()
    world = paper_vote(ticked=3, sheets=0, slug="defi-papier-navigateur")
    desk_id = world["desk"].id
    slug = world["challenge"].slug
    a, b, c = (idea.id for idea in world["ideas"])
    facilitator = world["facilitator"].email
    one, two, three = (u.email for u in world["assessors"])

    # The facilitator prints three sheets.
    sign_in(page, facilitator)
    page.goto(f"/bureaux/{desk_id}/papier")
    page.get_by_label("Nombre de bulletins à imprimer").fill("3")
    page.get_by_role("button", name="Préparer les bulletins").click()
    expect(page.get_by_role("button", name="Imprimer les bulletins")).to_be_visible()
    text, pages, qr = _pdf_text(page, tmp_path, "sheets")
    assert pages == 3
    codes = re.findall(r"Bulletin n° ([2-9A-Z]{4,})", text)
    assert len(codes) == 3
    assert "Écrivez 1 dans la case de l" in text
    assert "Votre reçu" in text
    assert "Imprimer les bulletins" not in text  # the toolbar stays on screen
    assert sorted(qr) == sorted(
        f"{live_server}/bureaux/{desk_id}/papier/feuilles/{code}" for code in codes
    )

    close_urn(world, sheets_received=3)

    # Two assessors, independently; the third sheet is read two ways.
    readings = {
        codes[0]: {a: "1", b: "2"},
        codes[1]: {b: "1", c: "1"},
    }
    sign_in(page, one)
    for code, boxes in readings.items():
        _enter(page, desk_id, code, boxes)
    _enter(page, desk_id, codes[2], {a: "1", c: "2"})
    sign_in(page, two)
    for code, boxes in readings.items():
        _enter(page, desk_id, code, boxes)
        expect(page.get_by_text("les saisies concordent, le bulletin est compté")).to_be_visible()
    page.goto(f"/bureaux/{desk_id}/papier/feuilles/{codes[2]}")
    expect(page.locator(f"#case-{a}")).to_have_value("")  # never the first entry
    _enter(page, desk_id, codes[2], {a: "2", c: "1"})
    expect(page.get_by_text("les deux saisies diffèrent")).to_be_visible()
    sign_in(page, three)
    _enter(page, desk_id, codes[2], {a: "1", c: "2"})
    expect(page.get_by_text("les saisies concordent, le bulletin est compté")).to_be_visible()

    # The facilitator closes the count and prints the record.
    sign_in(page, facilitator)
    page.goto(f"/bureaux/{desk_id}/proces-verbal")
    page.get_by_label("Bulletins trouvés dans l'urne (comptés à la main)").fill("3")
    page.get_by_role("button", name="Clore le procès-verbal").click()
    expect(page.get_by_text("Le procès-verbal est clos.")).to_be_visible()
    text, pages, _qr = _pdf_text(page, tmp_path, "record")
    assert pages == 1
    assert "Procès-verbal du bureau" in text
    assert re.search(r"Bulletins comptés \(deux saisies concordantes\)\s+3", text)
    assert re.search(r"Bulletins relus une troisième fois \(saisies différentes\)\s+1", text)
    assert "Alice Assesseure" in text and "Chloé Assesseure" in text

    # The vote closes; the results link to the record; the recount matches.
    page.goto(f"/defis/{slug}")
    page.get_by_role("button", name="Clôturer le vote").click()
    # Closing asks first, on a page that works without JavaScript.
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(f"**/defis/{slug}/resultats")
    page.goto(f"/defis/{slug}/resultats")
    expect(page.get_by_role("heading", name="Les bureaux de vote")).to_be_visible()
    expect(page.get_by_text("3 bulletins papier comptés")).to_be_visible()
    # The turnout per channel: three paper voters ticked, three paper ballots counted.
    channels = page.get_by_role("table", name="Participation par canal")
    expect(channels.get_by_role("row", name=re.compile("^Papier"))).to_contain_text("3")
    digest = page.locator("code.digest").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("format CSV")).click()
    path = tmp_path / "ballots.csv"
    download.value.save_as(path)
    done = subprocess.run(
        [sys.executable, "-m", "ideation.recount", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert f'"digest": "{digest}"' in done.stdout
    page.get_by_role("link", name=re.compile("Procès-verbal du bureau")).click()
    expect(
        page.get_by_role("heading", name=re.compile("Procès-verbal du bureau"), level=1)
    ).to_be_visible()
