"""Steps shared by the browser journeys."""

from __future__ import annotations

from tests.factories import DEFAULT_PASSWORD


def log_in(page, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Log in through the form and wait for the page that follows."""
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def log_out(page) -> None:
    open_menu(page)
    page.get_by_role("button", name="Se déconnecter", exact=True).click()
    page.wait_for_load_state()


def open_menu(page) -> None:
    """Open the main menu when it is folded (on a phone), as a finger would."""
    # site.js decides first (on a wide screen it opens the menu and hides its button):
    # a page just shown may not have run it yet, and the button would vanish mid-click.
    page.wait_for_load_state()
    menu = page.locator("details.menu")
    if menu.evaluate("menu => menu.open"):
        return
    summary = menu.locator("> summary")
    if summary.is_visible():
        summary.click()
    else:
        # A wide screen: site.js opens the menu once it has run (the button is hidden).
        page.wait_for_function("document.querySelector('details.menu').open")
