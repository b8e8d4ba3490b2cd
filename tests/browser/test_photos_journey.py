"""Photos in Chromium, at phone and desktop widths, axe-core on every page: a tenant
attaches a photo to an idea (first forgetting its description) and sees it on the idea's
page; a landlord manager posts a pilot update with a photo."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from ideation.domain.roles import Role
from tests.browser.steps import log_out
from tests.factories import make_challenge, make_org, make_pilot, make_residence, make_user
from tests.photo_files import jpeg

pytestmark = pytest.mark.e2e


def _photo_shown(page, alt: str) -> None:
    image = page.get_by_role("img", name=alt)
    image.scroll_into_view_if_needed()
    image.wait_for()
    assert image.get_attribute("loading") == "lazy" and image.get_attribute("srcset")
    page.wait_for_function(
        "alt => { const i = [...document.images].find(i => i.alt === alt);"
        " return i && i.complete && i.naturalWidth > 0; }",
        arg=alt,
    )
    # From our origin (CSP img-src 'self'), one of the srcset's widths.
    current = urlsplit(image.evaluate("i => i.currentSrc"))
    assert current.netloc == urlsplit(page.url).netloc and current.path.startswith("/photos/")


def test_a_tenant_photographs_a_problem_and_a_manager_posts_an_update_with_a_photo(
    page, db, sign_in
):
    org = make_org("Rhône Habitat Photos")
    residence = make_residence(org, "Les Acacias", city="Vénissieux")
    make_challenge(phase="ideation", org=org, slug="local-velos", title="Mieux ranger les vélos")
    make_user(
        "tenant", org=org, residence=residence, email="samia@example.test", display_name="Samia B."
    )
    make_user(Role.BAILLEUR, org=org, email="gestion@example.test", display_name="Paul R.")
    pilot = make_pilot(org, title="Un local à vélos fermé à clé")
    db.session.commit()
    picture = {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": jpeg(1600, 1200)}

    sign_in(page, "samia@example.test")
    page.goto("/defis/local-velos/idees/nouvelle")
    page.get_by_label("Titre de votre idée").fill("Réparer la porte du local à vélos")
    page.get_by_label("Votre idée en deux phrases").fill(
        "La porte ne ferme plus : les vélos partent."
    )
    page.get_by_label("Photo (facultatif)").set_input_files(picture)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.locator(".error-summary").wait_for()
    assert "Décrivez la photo en quelques mots" in page.inner_text(".error-summary")
    assert (
        page.get_by_label("Titre de votre idée").input_value()
        == "Réparer la porte du local à vélos"
    )
    page.get_by_label("Photo (facultatif)").set_input_files(picture)
    page.get_by_label("Ce que montre la photo").fill("La porte du local à vélos, arrachée")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("heading", name="Réparer la porte du local à vélos", level=1).wait_for()
    _photo_shown(page, "La porte du local à vélos, arrachée")
    log_out(page)

    sign_in(page, "gestion@example.test")
    page.goto(f"/projets-pilotes/{pilot.id}")
    page.get_by_role("link", name="Publier un point d'étape").click()
    page.get_by_label("Ce qui s'est passé").fill(
        "La serrure à badge est posée ; les clés sont données."
    )
    page.get_by_label("Photo (facultatif)").set_input_files(
        {"name": "serrure.png", "mimeType": "image/png", "buffer": jpeg(900, 1200)}
    )
    page.get_by_label("Ce que montre la photo").fill("La nouvelle serrure à badge du local")
    page.get_by_role("button", name="Publier").click()
    page.get_by_role("heading", name="Points d'étape").wait_for()
    _photo_shown(page, "La nouvelle serrure à badge du local")
