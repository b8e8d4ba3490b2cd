"""Forms that help, in Chromium at phone and desktop widths (axe-core on every load): a
tenant pastes a summary that is too long — nothing is cut, a live counter says by how
much, and the form's error keeps the text; "Gras" and "Liste" write the formatting."""

from __future__ import annotations

import pytest

from tests.factories import make_challenge, make_org, make_user

pytestmark = pytest.mark.e2e


def test_a_too_long_summary_is_counted_not_cut_and_formatting_needs_no_markdown(page, db, sign_in):
    org = make_org("Rhône Habitat Solidaire")
    challenge = make_challenge(org=org, slug="accueil", title="Mieux accueillir")
    make_user(org=org, email="lea@example.test")
    db.session.commit()

    sign_in(page, "lea@example.test")
    page.goto(f"/defis/{challenge.slug}/idees/nouvelle")
    summary = page.get_by_label("Votre idée en deux phrases")
    assert summary.get_attribute("maxlength") is None
    pasted = "Un goûter de bienvenue pour les nouveaux voisins. " * 7  # 350 characters
    summary.fill(pasted)
    assert summary.input_value() == pasted  # nothing cut
    count = page.locator("#summary-count")
    assert count.is_visible() and count.inner_text() == "50 caractères de trop"

    details = page.get_by_label("Détails (facultatif)")
    details.fill("important")
    details.evaluate("el => el.setSelectionRange(0, el.value.length)")
    page.get_by_role("button", name="Gras").click()
    assert details.input_value() == "**important**"
    page.get_by_role("button", name="Liste").click()
    assert details.input_value() == "- **important**"
    assert "**gras**" not in page.content()

    page.get_by_label("Titre de votre idée").fill("Un goûter")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("alert").wait_for()
    assert "300 caractères au plus." in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Votre idée en deux phrases").input_value() == pasted.strip() or (
        page.get_by_label("Votre idée en deux phrases").input_value() == pasted
    )
