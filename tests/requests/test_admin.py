"""Administration: organisations, residences, users and roles, invitation codes (scoped)."""

from __future__ import annotations

from sqlalchemy import select

from ideation.auth.models import User
from ideation.domain.roles import Role
from ideation.orgs.models import Invitation, Organisation, Residence
from tests.factories import make_invitation, make_org, make_regional, make_residence, make_user
from tests.helpers import unchanged


def test_admin_creates_and_edits_an_organisation(client, db, login):
    login(make_user(role="admin"))
    response = client.post(
        "/admin/organisations/nouvelle",
        data={"name": "Isère Habitat", "slug": "isere-habitat", "kind": "landlord"},
    )
    assert response.status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "isere-habitat"))
    assert org.name == "Isère Habitat"
    client.post(
        f"/admin/organisations/{org.id}",
        data={"name": "Isère Habitat Social", "slug": "isere-habitat", "kind": "landlord"},
    )
    db.session.refresh(org)
    assert org.name == "Isère Habitat Social"


def test_duplicate_or_invalid_slug_gets_a_form_error(client, db, login):
    login(make_user(role="admin"))
    make_org(slug="pris")
    db.session.commit()
    taken = client.post(
        "/admin/organisations/nouvelle", data={"name": "X", "slug": "pris", "kind": "landlord"}
    )
    assert "déjà pris" in taken.text
    bad = client.post(
        "/admin/organisations/nouvelle", data={"name": "X", "slug": "Pas Bon!", "kind": "landlord"}
    )
    assert "Lettres minuscules" in bad.text


def test_admin_creates_a_residence(client, db, login):
    login(make_user(role="admin"))
    org = make_org()
    db.session.commit()
    client.post(
        "/admin/residences/nouvelle",
        data={"organisation_id": org.id, "name": "Les Lilas", "city": "Grenoble", "quartier": ""},
    )
    residence = db.session.scalar(select(Residence).where(Residence.name == "Les Lilas"))
    assert residence.organisation_id == org.id and residence.quartier is None


def test_residence_list_filters_by_organisation(client, db, login):
    login(make_user(role="admin"))
    a, b = make_org(), make_org()
    make_residence(a, "Résidence A")
    make_residence(b, "Résidence B")
    db.session.commit()
    page = client.get(f"/admin/residences?organisation={a.id}").text
    assert "Résidence A" in page and "Résidence B" not in page


def test_admin_changes_a_role_and_deactivates_an_account(client, db, login, app):
    login(make_user(role="admin"))
    target = make_user(role="tenant")
    db.session.commit()
    other = app.test_client()
    from tests.factories import DEFAULT_PASSWORD

    other.post("/connexion", data={"email": target.email, "password": DEFAULT_PASSWORD})
    assert other.get("/compte").status_code == 200
    client.post(
        f"/admin/utilisateurs/{target.id}",
        data={"role": "staff", "organisation_id": target.organisation_id},
    )
    db.session.refresh(target)
    assert target.role == Role.STAFF and not target.active
    assert other.get("/compte").status_code == 302  # a deactivated account is signed out


def test_admin_cannot_remove_their_own_admin_rights(client, db, login):
    admin = login(make_user(role="admin"))
    response = client.post(
        f"/admin/utilisateurs/{admin.id}",
        data={"role": "tenant", "organisation_id": admin.organisation_id, "active": "y"},
    )
    assert "propres droits" in response.text
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN


def test_user_search_by_name_role_and_organisation(client, db, login):
    login(make_user(role="admin"))
    org = make_org()
    make_user(display_name="Mireille Durand", org=org)
    make_user(display_name="Karim Benali", role="staff")
    db.session.commit()
    page = client.get("/admin/utilisateurs?q=mireille").text
    assert "Mireille Durand" in page and "Karim Benali" not in page
    page = client.get("/admin/utilisateurs?role=staff").text
    assert "Karim Benali" in page and "Mireille Durand" not in page
    page = client.get(f"/admin/utilisateurs?organisation={org.id}").text
    assert "Mireille Durand" in page and "Karim Benali" not in page


def test_user_list_is_paginated(client, db, login):
    login(make_user(role="admin"))
    for i in range(25):
        make_user(display_name=f"Locataire {i:02d}")
    db.session.commit()
    first = client.get("/admin/utilisateurs").text
    assert "Page 1 sur 2" in first
    second = client.get("/admin/utilisateurs?page=2").text
    assert "Page 2 sur 2" in second


def test_facilitator_creates_a_code_for_their_own_organisation(client, db, login):
    org = make_org()
    residence = make_residence(org)
    facilitator = login(make_user(role="facilitator", org=org))
    response = client.post(
        "/admin/invitations/nouvelle",
        data={
            "organisation_id": org.id,
            "residence_id": residence.id,
            "role": "tenant",
            "max_uses": 30,
            "days_valid": 60,
        },
    )
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.organisation_id == org.id and invitation.residence_id == residence.id
    assert invitation.max_uses == 30 and invitation.created_by_id == facilitator.id
    assert len(invitation.code) == 10 and invitation.code.isalnum()


def test_landlord_cannot_create_a_code_for_another_organisation(client, db, login):
    mine, theirs = make_org(), make_org()
    login(make_user(role="bailleur", org=mine))
    response = client.post(
        "/admin/invitations/nouvelle",
        data={
            "organisation_id": theirs.id,
            "residence_id": 0,
            "role": "tenant",
            "max_uses": 5,
            "days_valid": 10,
        },
    )
    # Another organisation is not in the form's choices: a form error, nothing written.
    assert response.status_code == 200 and "error-summary" in response.text
    assert db.session.scalar(select(Invitation)) is None


def test_facilitator_cannot_grant_admin_role(client, db, login):
    org = make_org()
    login(make_user(role="facilitator", org=org))
    response = client.post(
        "/admin/invitations/nouvelle",
        data={
            "organisation_id": org.id,
            "residence_id": 0,
            "role": "admin",
            "max_uses": 5,
            "days_valid": 10,
        },
    )
    assert response.status_code == 200 and "error-summary" in response.text
    assert db.session.scalar(select(Invitation)) is None


def test_residence_of_another_organisation_is_refused(client, db, login):
    org = make_org()
    foreign = make_residence(make_org())
    login(make_user(role="admin"))
    response = client.post(
        "/admin/invitations/nouvelle",
        data={
            "organisation_id": org.id,
            "residence_id": foreign.id,
            "role": "tenant",
            "max_uses": 5,
            "days_valid": 10,
        },
    )
    assert "n&#39;appartient pas" in response.text


def test_invalid_numbers_get_french_errors(client, db, login):
    org = make_org()
    login(make_user(role="bailleur", org=org))
    response = client.post(
        "/admin/invitations/nouvelle",
        data={
            "organisation_id": org.id,
            "residence_id": 0,
            "role": "tenant",
            "max_uses": 0,
            "days_valid": "abc",
        },
    )
    assert "Entre 1 et 10 000" in response.text


def test_invitation_list_shows_only_own_organisation(client, db, login):
    mine, theirs = make_org(), make_org()
    make_invitation(mine, code="MINE0001")
    make_invitation(theirs, code="THEIRS01")
    login(make_user(role="bailleur", org=mine))
    page = client.get("/admin/invitations").text
    assert "MINE0001" in page and "THEIRS01" not in page


def test_deactivating_another_organisations_code_is_forbidden(client, db, login):
    mine, theirs = make_org(), make_org()
    foreign = make_invitation(theirs)
    own = make_invitation(mine)
    login(make_user(role="facilitator", org=mine))
    assert client.post(f"/admin/invitations/{foreign.id}/desactiver").status_code == 403
    assert client.post(f"/admin/invitations/{own.id}/desactiver").status_code == 302
    db.session.refresh(foreign)
    db.session.refresh(own)
    assert foreign.active and not own.active


def test_tenants_and_staff_cannot_post_to_admin_actions(client, db, login):
    org = make_org()
    invitation = make_invitation(org)
    for role in ("tenant", "staff"):
        login(make_user(role=role, org=org))
        assert client.post(f"/admin/invitations/{invitation.id}/desactiver").status_code == 403
        assert (
            client.post(
                "/admin/organisations/nouvelle", data={"name": "X", "slug": "x", "kind": "landlord"}
            ).status_code
            == 403
        )
        client.post("/deconnexion")
    assert db.session.scalar(select(Organisation).where(Organisation.slug == "x")) is None


def test_regional_facilitator_does_not_manage_landlord_codes(client, db, login):
    regional = make_regional()
    landlord = make_org()
    code = make_invitation(landlord)
    login(make_user(role="facilitator", org=regional))
    with unchanged():
        assert client.post(f"/admin/invitations/{code.id}/desactiver").status_code == 403


def test_organisation_list_counts_without_n_plus_one(client, db, login, count_queries):
    login(make_user(role="admin"))
    for _i in range(3):
        make_residence(make_org())
    db.session.commit()
    with count_queries() as small:
        client.get("/admin/organisations")
    for _i in range(12):
        org = make_org()
        make_residence(org)
        make_user(org=org)
    db.session.commit()
    with count_queries() as large:
        client.get("/admin/organisations")
    assert small.count == large.count


def test_users_list_without_n_plus_one(client, db, login, count_queries):
    login(make_user(role="admin"))
    db.session.commit()
    with count_queries() as small:
        client.get("/admin/utilisateurs")
    for _ in range(15):
        make_user()
    db.session.commit()
    with count_queries() as large:
        client.get("/admin/utilisateurs")
    assert small.count == large.count
    assert User


def test_admin_records_a_residences_dwellings(client, db, login):
    """The participation rate's denominator: a number of dwellings, bounded, optional."""
    from ideation.orgs.models import Residence
    from tests.factories import make_org, make_regional, make_residence, make_user

    residence = make_residence(make_org("Loire Foyers"), "Cité Beaulieu")
    login(make_user("admin", org=make_regional()))
    url = f"/admin/residences/{residence.id}"
    base = {
        "organisation_id": residence.organisation_id,
        "name": "Cité Beaulieu",
        "city": "Saint-Étienne",
    }
    refused = client.post(url, data={**base, "dwellings": "-4"})
    assert refused.status_code == 200 and "Entre 0 et 100 000." in refused.text
    assert client.post(url, data={**base, "dwellings": "410"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Residence, residence.id).dwellings == 410
    assert "410" in client.get("/admin/residences").text
