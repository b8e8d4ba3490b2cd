"""Browser journeys of the ranked vote, at phone and desktop widths, axe-core on each page:
rank by dragging, rank with the keyboard only, vote without JavaScript, change the
vote, see the receipt; after the close, read the results and verify the receipt."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ideation.domain.roles import Role
from ideation.voting import services as voting
from ideation.voting.models import Ballot
from tests.a11y import check_a11y
from tests.factories import (
    make_ballot,
    make_challenge,
    make_idea,
    make_org,
    make_user,
)

pytestmark = pytest.mark.e2e

TITLES = ["Jardin partagé", "Fresque du hall", "Repair café", "Boîte à livres"]


@pytest.fixture
def ballot_box(db):
    org = make_org("Rhône Habitat Solidaire")
    challenge = make_challenge(
        phase="voting", org=org, slug="defi-navigateur", title="Créer du lien entre voisins"
    )
    author = make_user(org=org, display_name="Nadia K.")
    ideas = {
        t: make_idea(challenge, author, status="shortlisted", title=t, summary=f"Résumé : {t}.")
        for t in TITLES
    }
    voter = make_user(Role.TENANT, org=org, email="fatima@example.test", display_name="Fatima B.")
    db.session.commit()
    return {"challenge": challenge, "ideas": ideas, "voter": voter}


def _card(page, title: str):
    return page.locator(f"[data-title='{title}']")


def _ranked_titles(page) -> list[str]:
    return page.locator(".ranking-ranked > li").evaluate_all(
        "(els) => els.map(e => e.dataset.title)"
    )


def _stored_groups(db, ballot_box) -> list[set[str]]:
    db.session.expire_all()
    ballot = db.session.scalar(select(Ballot).where(Ballot.voter_id == ballot_box["voter"].id))
    names = {i.id: t for t, i in ballot_box["ideas"].items()}
    return [{names[i] for i in g} for g in ballot.ranking]


def _stored_ranking(db, ballot_box) -> list[str]:
    groups = _stored_groups(db, ballot_box)
    assert all(len(g) == 1 for g in groups), groups
    return [next(iter(g)) for g in groups]


def test_rank_by_dragging_then_change_the_vote(page, db, ballot_box, sign_in):
    sign_in(page, "fatima@example.test")
    page.goto("/defis/defi-navigateur")
    page.get_by_role("link", name="Voter").click()
    page.get_by_role("heading", name="Je vote").wait_for()
    assert _ranked_titles(page) == []
    check_a11y(page, "vote page")

    ranked = page.locator(".ranking-ranked")
    _card(page, "Fresque du hall").locator(".drag-handle").drag_to(ranked)
    assert _ranked_titles(page) == ["Fresque du hall"]
    fresque = _card(page, "Fresque du hall")
    _card(page, "Jardin partagé").locator(".drag-handle").drag_to(
        fresque, target_position={"x": 20, "y": 4}
    )
    assert _ranked_titles(page) == ["Jardin partagé", "Fresque du hall"]
    # the hidden selects follow, so the form posts the order
    assert page.locator(f"#rang-{ballot_box['ideas']['Jardin partagé'].id}").input_value() == "1"
    check_a11y(page, "vote page after dragging")

    page.get_by_role("button", name="Enregistrer mon vote").click()
    page.get_by_role("heading", name="Votre vote est enregistré").wait_for()
    receipt = page.locator("[data-receipt]").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", receipt)
    check_a11y(page, "confirmation")
    assert _stored_ranking(db, ballot_box) == ["Jardin partagé", "Fresque du hall"]

    # change the vote: the page opens with the current ranking
    page.get_by_role("link", name="Changer mon vote").click()
    page.get_by_role("heading", name="Je vote").wait_for()
    # The script lays the current ranking out after the page loads: wait for it.
    expect(page.locator(".ranking-ranked > li")).to_have_count(2)
    assert _ranked_titles(page) == ["Jardin partagé", "Fresque du hall"]
    page.get_by_role("button", name="Descendre « Jardin partagé »").click()
    page.get_by_role("button", name="Enregistrer mon vote").click()
    page.get_by_role("heading", name="Votre vote est enregistré").wait_for()
    assert page.locator("[data-receipt]").inner_text().strip() == receipt
    assert _stored_ranking(db, ballot_box) == ["Fresque du hall", "Jardin partagé"]
    page.goto("/defis/defi-navigateur/mon-vote")
    check_a11y(page, "my ballot")


def test_rank_with_the_keyboard_only(page, db, ballot_box, sign_in):
    sign_in(page, "fatima@example.test")
    page.goto("/defis/defi-navigateur/vote")
    live = page.locator("[data-ranking-live]")

    page.get_by_role("button", name="Ajouter « Repair café »").focus()
    page.keyboard.press("Enter")
    assert _ranked_titles(page) == ["Repair café"]
    page.wait_for_function(
        "() => document.querySelector('[data-ranking-live]').textContent.includes('Repair café')"
    )
    assert "ajoutée au classement, à la place 1" in live.inner_text()
    # focus stays on the moved idea, now on its "Retirer" button
    focused = page.evaluate("() => document.activeElement.textContent")
    assert "Retirer" in focused and "Repair café" in focused

    page.get_by_role("button", name="Ajouter « Boîte à livres »").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Monter « Boîte à livres »").focus()
    page.keyboard.press("Enter")
    assert _ranked_titles(page) == ["Boîte à livres", "Repair café"]
    page.wait_for_function(
        "() => document.querySelector('[data-ranking-live]').textContent.includes('place 1 sur 2')"
    )
    page.get_by_role("button", name="Ajouter « Jardin partagé »").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Retirer « Jardin partagé »").focus()
    page.keyboard.press("Enter")
    assert _ranked_titles(page) == ["Boîte à livres", "Repair café"]
    check_a11y(page, "vote page, keyboard")

    # ex aequo: Fresque du hall joins Repair café's rank, then leaves it, then joins again
    page.get_by_role("button", name="Ajouter « Fresque du hall »").focus()
    page.keyboard.press("Enter")
    tie = page.get_by_role("button", name="Ex aequo avec la précédente « Fresque du hall »")
    tie.focus()
    page.keyboard.press("Enter")
    expect(live).to_contain_text("ex aequo avec « Repair café », à la place 2")
    expect(tie).to_have_attribute("aria-pressed", "true")
    fresque = ballot_box["ideas"]["Fresque du hall"].id
    assert page.locator(f"#rang-{fresque}").input_value() == "2"
    page.keyboard.press("Enter")
    expect(live).to_contain_text("n'est plus ex aequo : elle est seule à la place 3")
    assert page.locator(f"#rang-{fresque}").input_value() == "3"
    page.keyboard.press("Space")
    expect(tie).to_have_attribute("aria-pressed", "true")
    # the first idea has nobody above it: no tie button
    expect(
        page.get_by_role("button", name="Ex aequo avec la précédente « Boîte à livres »")
    ).to_be_hidden()
    check_a11y(page, "vote page, ex aequo")

    page.get_by_role("button", name="Enregistrer mon vote").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Votre vote est enregistré").wait_for()
    assert _stored_groups(db, ballot_box) == [
        {"Boîte à livres"},
        {"Repair café", "Fresque du hall"},
    ]
    expect(page.locator(".ballot-ranking")).to_contain_text("ex aequo")
    # changing the vote: the script lays the tie out again
    page.get_by_role("link", name="Changer mon vote").click()
    expect(page.locator(".ranking-ranked > li")).to_have_count(3)
    # (the two tied ideas come in the voter's own order: either may be the second)
    expect(page.locator(".ranking-ranked .ranking-tie[aria-pressed='true']")).to_have_count(1)
    repair = ballot_box["ideas"]["Repair café"].id
    assert page.locator(f"#rang-{repair}").input_value() == "2"
    assert page.locator(f"#rang-{fresque}").input_value() == "2"


def test_vote_without_javascript(browser, live_server, viewport, db, ballot_box, sign_in):
    context = browser.new_context(
        base_url=live_server,
        viewport=viewport,
        locale="fr-FR",
        java_script_enabled=False,
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, "fatima@example.test")
        page.goto("/defis/defi-navigateur/vote")
        # a gap is refused, the choices are kept
        page.get_by_label("Rang de « Repair café »").select_option("1")
        page.get_by_label("Rang de « Jardin partagé »").select_option("3")
        page.get_by_role("button", name="Enregistrer mon vote").click()
        summary = page.locator(".error-summary")
        assert "il manque le rang 2" in summary.inner_text()
        assert page.get_by_label("Rang de « Repair café »").input_value() == "1"
        # the same rank twice: ex aequo, as the form says
        assert "elles sont ex aequo" in page.locator(".vote-intro").inner_text()
        page.get_by_label("Rang de « Jardin partagé »").select_option("1")
        page.get_by_label("Rang de « Boîte à livres »").select_option("2")
        page.get_by_role("button", name="Enregistrer mon vote").click()
        page.get_by_role("heading", name="Votre vote est enregistré").wait_for()
        assert page.locator("[data-receipt]").inner_text().strip()
        assert "(ex aequo)" in page.locator(".ballot-ranking").inner_text()
        assert _stored_groups(db, ballot_box) == [
            {"Repair café", "Jardin partagé"},
            {"Boîte à livres"},
        ]
    finally:
        context.close()


def test_results_then_verify_the_receipt(page, db, ballot_box, sign_in):
    ideas = ballot_box["ideas"]
    mine = make_ballot(
        ballot_box["challenge"],
        ballot_box["voter"],
        [ideas["Repair café"], ideas["Fresque du hall"]],
    )
    for ranking in (
        ["Repair café", "Jardin partagé"],
        ["Jardin partagé", "Repair café"],
        ["Boîte à livres"],
        ["Repair café"],
    ):
        make_ballot(ballot_box["challenge"], ranking=[ideas[t] for t in ranking])
    voting.close_vote(ballot_box["challenge"])
    db.session.commit()

    sign_in(page, "fatima@example.test")
    page.goto("/defis/defi-navigateur")
    page.get_by_role("link", name="Voir les résultats du vote").click()
    page.get_by_role("heading", name="Résultats du vote").wait_for()
    assert "Repair café" in page.locator(".winners-list").inner_text()
    check_a11y(page, "results")

    page.get_by_label("Mon code de reçu").fill(mine.receipt.lower())
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_role("heading", name="Vérifier mon bulletin").wait_for()
    text = page.locator(".notice-ok").inner_text()
    assert mine.receipt in text and text.index("Repair café") < text.index("Fresque du hall")
    check_a11y(page, "verify receipt")
