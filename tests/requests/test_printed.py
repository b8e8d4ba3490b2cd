"""Printed material: the posters (invitation, workshop, vote, results), who may print
them, the short links, and the readable invitation code an admin chooses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from ideation.db_types import utcnow
from ideation.domain.codes import short_code
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db as _db
from ideation.orgs.models import Invitation
from ideation.voting.services import close_vote
from tests.factories import (
    make_ballot,
    make_challenge,
    make_idea,
    make_invitation,
    make_org,
    make_residence,
    make_user,
    make_workshop,
)
from tests.helpers import unchanged


@pytest.fixture
def hall(db):
    org = make_org("Rhône Habitat Affiches")
    other_org = make_org("Autre Bailleur")
    residence = make_residence(org, "Les Tilleuls")
    return {
        "org": org,
        "residence": residence,
        "manager": make_user(Role.BAILLEUR, org=org),
        "stranger_manager": make_user(Role.BAILLEUR, org=other_org),
        "tenant": make_user(Role.TENANT, org=org, residence=residence),
        "admin": make_user(Role.ADMIN, org=make_org("Régionale", kind=OrganisationKind.REGIONAL)),
        "invitation": make_invitation(org, code="TILLEULS26"),
    }


def test_invitation_poster_shows_the_code_the_qr_and_the_landlord(client, login, hall):
    login(hall["manager"])
    response = client.get(f"/imprimer/invitations/{hall['invitation'].id}")
    assert response.status_code == 200
    page = response.text
    assert "TILLEULS26" in page
    assert "Rhône Habitat Affiches" in page
    assert '<svg aria-hidden="true" focusable="false" viewBox=' in page  # drawn inline
    assert "/inscription" in page
    assert "css/print.css" in page
    # The strict CSP still holds on the poster (no inline style or script added).
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]
    assert " style=" not in page


@pytest.mark.parametrize("who", ["tenant", "stranger_manager"])
def test_invitation_poster_is_refused_outside_its_managers(client, login, hall, who):
    login(hall[who])
    assert client.get(f"/imprimer/invitations/{hall['invitation'].id}").status_code == 403


def test_invitation_poster_of_an_unknown_code_is_404(client, login, hall):
    login(hall["admin"])
    assert client.get("/imprimer/invitations/999999").status_code == 404


def test_vote_poster_says_until_when_and_carries_the_short_link(client, login, hall):
    challenge = make_challenge(
        phase="voting", org=hall["org"], voting_ends_at=utcnow() + timedelta(days=5)
    )
    login(hall["manager"])
    response = client.get(f"/imprimer/defis/{challenge.slug}/vote")
    assert response.status_code == 200
    assert "Votez jusqu" in response.text
    assert f"/d/{short_code(challenge.id)}" in response.text


def test_vote_poster_is_refused_outside_the_vote_and_to_others(client, login, hall):
    open_challenge = make_challenge(phase="ideation", org=hall["org"])
    voting = make_challenge(phase="voting", org=hall["org"])
    login(hall["manager"])
    assert client.get(f"/imprimer/defis/{open_challenge.slug}/vote").status_code == 403
    client.post("/deconnexion")
    login(hall["stranger_manager"])
    assert client.get(f"/imprimer/defis/{voting.slug}/vote").status_code == 403
    assert client.get("/imprimer/defis/pas-de-defi/vote").status_code == 404


def test_results_poster_lists_the_winners(client, login, hall):
    challenge = make_challenge(phase="voting", org=hall["org"])
    author = hall["tenant"]
    ideas = [make_idea(challenge, author, status="shortlisted") for _ in range(3)]
    make_ballot(challenge, author, ideas[::-1])
    close_vote(challenge)
    login(hall["manager"])
    response = client.get(f"/imprimer/defis/{challenge.slug}/resultats")
    assert response.status_code == 200
    first, second = (str(escape(i.title)) for i in (ideas[2], ideas[1]))
    assert response.text.index(first) < response.text.index(second)
    client.post("/deconnexion")
    login(hall["tenant"])
    assert client.get(f"/imprimer/defis/{challenge.slug}/resultats").status_code == 403


def test_results_poster_waits_for_the_close(client, login, hall):
    challenge = make_challenge(phase="voting", org=hall["org"])
    login(hall["manager"])
    assert client.get(f"/imprimer/defis/{challenge.slug}/resultats").status_code == 403


def test_workshop_poster_for_its_runners_and_the_residence_landlord(client, login, hall):
    workshop = make_workshop(title="Atelier compost", residence=hall["residence"])
    login(hall["manager"])
    response = client.get(f"/imprimer/ateliers/{workshop.id}")
    assert response.status_code == 200
    assert "Atelier compost" in response.text
    assert f"/a/{short_code(workshop.id)}" in response.text
    for who in ("tenant", "stranger_manager"):
        client.post("/deconnexion")
        login(hall[who])
        assert client.get(f"/imprimer/ateliers/{workshop.id}").status_code == 403


def test_short_links_lead_to_the_pages(client, hall):
    challenge = make_challenge(phase="ideation", org=hall["org"])
    workshop = make_workshop(residence=hall["residence"])
    _db.session.commit()
    response = client.get(f"/d/{short_code(challenge.id).lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/defis/{challenge.slug}")
    response = client.get(f"/a/{short_code(workshop.id)}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ateliers/{workshop.id}")


def test_short_links_refuse_typos_noise_and_drafts(client, hall):
    draft = make_challenge(phase="draft", org=hall["org"])
    _db.session.commit()
    code = short_code(draft.id)
    typo = ("3" if code[0] != "3" else "4") + code[1:]
    for path in (f"/d/{code}", f"/d/{typo}", "/d/%00", "/d/" + "Z" * 200, "/a/2222", "/a/!!"):
        assert client.get(path).status_code == 404, path


# --- the readable invitation code an admin chooses -------------------------------------


def _invitation_form(org, **extra):
    return {
        "organisation_id": org.id,
        "residence_id": 0,
        "role": "tenant",
        "max_uses": 50,
        "days_valid": 90,
        **extra,
    }


def test_admin_chooses_a_readable_code(client, login, hall):
    login(hall["admin"])
    response = client.post(
        "/admin/invitations/nouvelle", data=_invitation_form(hall["org"], code=" compagnons27 ")
    )
    assert response.status_code == 302
    assert _db.session.scalar(select(Invitation).where(Invitation.code == "COMPAGNONS27"))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ABC", "Entre 6 et 20"),
        ("A" * 21, "Entre 6 et 20"),
        ("BONJOUR10", "0 et 1"),
        ("ÉTÉ2026", "0 et 1"),
        ("TILLEULS26", "existe déjà"),
    ],
)
def test_a_chosen_code_that_is_short_ambiguous_or_taken_is_refused(
    client, login, hall, code, message
):
    login(hall["admin"])
    with unchanged(Invitation):
        response = client.post(
            "/admin/invitations/nouvelle", data=_invitation_form(hall["org"], code=code)
        )
        assert response.status_code == 200
    assert message in response.text


def test_only_admins_choose_the_code(client, login, hall):
    login(hall["manager"])
    page = client.get("/admin/invitations/nouvelle").text
    assert 'name="code"' not in page
    response = client.post(
        "/admin/invitations/nouvelle", data=_invitation_form(hall["org"], code="MONCODE22")
    )
    assert response.status_code == 302
    assert _db.session.scalar(select(Invitation).where(Invitation.code == "MONCODE22")) is None


def test_the_pages_offer_their_posters_to_who_may_print_them(client, login, hall):
    workshop = make_workshop(residence=hall["residence"])
    voting = make_challenge(phase="voting", org=hall["org"])
    login(hall["manager"])
    assert f"/imprimer/ateliers/{workshop.id}" in client.get(f"/ateliers/{workshop.id}").text
    assert f"/imprimer/defis/{voting.slug}/vote" in client.get(f"/defis/{voting.slug}").text
    poster = f"/imprimer/invitations/{hall['invitation'].id}"
    assert poster in client.get("/admin/invitations").text
    client.post("/deconnexion")
    login(hall["tenant"])
    assert "/imprimer/" not in client.get(f"/ateliers/{workshop.id}").text
    assert "/imprimer/" not in client.get(f"/defis/{voting.slug}").text
