"""Issue 12 in Chromium, at phone and desktop widths, axe-core on every page: a partner's
member registers with the partner's code and offers help on a pilot; a facilitator writes
to a residence and a tenant receives it by her preferences (e-mail and notification)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ideation.domain.roles import OrganisationKind, Role
from ideation.notifications.models import Delivery, NotificationKind
from ideation.notifications.services import set_preference
from tests.a11y import check_a11y
from tests.browser.steps import log_in, log_out
from tests.factories import (
    make_invitation,
    make_org,
    make_pilot,
    make_regional,
    make_residence,
    make_user,
)
from tests.helpers import link_in, outbox

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "des tomates sur le balcon"


def test_partner_member_registers_with_a_partner_code_and_volunteers(page, db, sign_in):
    org = make_org("Rhône Habitat Solidaire")
    owner = make_user(Role.STAFF, org=org, email="sophie@example.test", display_name="Sophie G.")
    pilot = make_pilot(org, owner=owner, title="Jardinières partagées sur les balcons")
    partner = make_org("Compagnons Bâtisseurs Rhône-Alpes", kind=OrganisationKind.PARTNER)
    make_invitation(partner, code="COMPAGNONS26", role=Role.STAFF)
    db.session.commit()

    page.goto("/inscription")
    page.get_by_label("Code d'invitation").fill("COMPAGNONS26")
    page.get_by_label("Nom affiché").fill("Karim B.")
    page.get_by_label("Adresse e-mail").fill("karim@example.test")
    page.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", name="Regardez vos e-mails").wait_for()
    db.session.expire_all()
    page.goto(link_in(outbox("karim@example.test")[-1], "/verifier/"))
    page.get_by_role("button", name="Je confirme mon adresse").click()
    expect(page.get_by_text("adresse e-mail est confirmée")).to_be_visible()
    if page.locator("form[action='/deconnexion']").count() == 0:
        log_in(page, "karim@example.test", NEW_PASSWORD)

    page.goto(f"/projets-pilotes/{pilot.id}")
    check_a11y(page, "pilot page, offer form")
    page.get_by_label("Ce que je peux faire").fill(
        "Encadrer un chantier d'auto-réhabilitation un samedi par mois."
    )
    page.get_by_role("button", name="Je propose mon aide").click()
    expect(page.get_by_text("Votre proposition d'aide est enregistrée")).to_be_visible()
    expect(page.get_by_text("1 personne propose son aide")).to_be_visible()
    expect(page.get_by_role("button", name="Je suis ce projet ✓")).to_be_visible()
    check_a11y(page, "pilot page, own offer")
    log_out(page)

    # The pilot's owner sees who offered, with the partner's badge beside the name.
    sign_in(page, "sophie@example.test")
    page.goto(f"/projets-pilotes/{pilot.id}")
    offers = page.locator("#aider")
    expect(offers.get_by_text("Karim B.")).to_be_visible()
    expect(offers.locator(".badge-partner")).to_have_text("Compagnons Bâtisseurs Rhône-Alpes")
    check_a11y(page, "pilot page, offers for the owner")


def test_facilitator_writes_to_a_residence_and_a_tenant_receives_it(page, db, sign_in):
    org = make_org("Rhône Habitat Solidaire")
    tilleuls = make_residence(org, "Les Tilleuls", city="Villeurbanne")
    make_residence(org, "Les Acacias", city="Lyon")
    nadia = make_user(
        org=org, residence=tilleuls, email="nadia@example.test", display_name="Nadia K."
    )
    louis = make_user(org=org, residence=tilleuls, email="louis@example.test")
    make_user(Role.FACILITATOR, org=make_regional(), email="anim@example.test")
    db.session.flush()
    set_preference(nadia.id, NotificationKind.TEAM_MESSAGE, Delivery.IMMEDIATE)
    set_preference(louis.id, NotificationKind.TEAM_MESSAGE, Delivery.NEVER)
    db.session.commit()

    sign_in(page, "anim@example.test")
    page.goto("/messages")
    check_a11y(page, "messages list, empty")
    page.get_by_role("link", name="Écrire un message").click()
    check_a11y(page, "message form")
    page.get_by_label("Une ou plusieurs résidences").check()
    page.get_by_label("Résidences", exact=True).select_option(
        label="Les Tilleuls (Villeurbanne) — Rhône Habitat Solidaire"
    )
    page.get_by_label("Objet").fill("Réunion mardi 18 h")
    page.get_by_label("Message", exact=True).fill("Venez découvrir les projets de la résidence.")
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.get_by_text("2 personnes recevront ce message")).to_be_visible()
    check_a11y(page, "message preview")
    page.get_by_role("button", name="Envoyer à 2 personnes").click()
    expect(page.get_by_text("Message envoyé : 2 personnes")).to_be_visible()
    expect(page.get_by_text("Envoyé le")).to_be_visible()
    check_a11y(page, "messages list")
    log_out(page)

    # Nadia asked for these e-mails at once: one is in the outbox; Louis gets none.
    db.session.expire_all()
    [mail] = outbox("nadia@example.test")
    assert mail.subject == "Réunion mardi 18 h" and mail.list_unsubscribe
    assert "Venez découvrir les projets de la résidence." in mail.body_text
    assert outbox("louis@example.test") == []
    # Both see it in the app.
    sign_in(page, "nadia@example.test")
    page.goto("/notifications")
    expect(page.get_by_text("Réunion mardi 18 h")).to_be_visible()
    check_a11y(page, "tenant notifications")
    log_out(page)
    sign_in(page, "louis@example.test")
    page.goto("/notifications")
    expect(page.get_by_text("Réunion mardi 18 h")).to_be_visible()
