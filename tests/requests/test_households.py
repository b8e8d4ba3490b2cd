"""Verified households (issue 13): a landlord manager's dwelling letters, registration by
a letter's code (tied to the dwelling, at most DWELLING_MAX_ACCOUNTS, race-safe), and the
votes reserved to verified households. Refused writes leave the database unchanged."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from ideation.auth import services as auth_services
from ideation.auth.models import User
from ideation.core.audit import AuditEntry
from ideation.db_types import utcnow
from ideation.domain.roles import Role
from ideation.extensions import db as _db
from ideation.orgs.models import Dwelling, DwellingCode
from ideation.orgs.services import issue_dwelling_codes
from ideation.voting.models import Ballot
from tests.factories import make_challenge, make_idea, make_org, make_residence, make_user
from tests.helpers import unchanged

PASSWORD = "des tomates sur le balcon"


@pytest.fixture
def estate(db):
    org = make_org("Rhône Habitat Logements")
    residence = make_residence(org, "Les Tilleuls")
    return {
        "org": org,
        "residence": residence,
        "manager": make_user(Role.BAILLEUR, org=org),
        "stranger_manager": make_user(Role.BAILLEUR, org=make_org("Autre Bailleur")),
        "tenant": make_user(Role.TENANT, org=org, residence=residence),
    }


def _sign_up(client, code: str, n: int = 0):
    return client.post(
        "/inscription",
        data={
            "code": code,
            "display_name": f"Voisine {n}",
            "email": f"voisine{n}@example.test",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )


def test_a_manager_makes_one_letter_per_dwelling_and_prints_them(client, login, estate):
    login(estate["manager"])
    response = client.post(
        "/imprimer/logements",
        data={
            "residence_id": estate["residence"].id,
            "references": "Bât. A – 12\n\nBât. A – 14\nBât. A – 12\n",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/imprimer/residences/{estate['residence'].id}/courriers"
    )
    codes = _db.session.scalars(select(DwellingCode).order_by(DwellingCode.id)).all()
    assert len(codes) == 2  # the repeated reference is one dwelling
    assert (
        _db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "dwelling_codes.issue")
        )
        == 1
    )
    page = client.get(f"/imprimer/residences/{estate['residence'].id}/courriers").text
    for code in codes:
        assert code.code in page
        assert f"/inscription?code={code.code}" in page
    # The reference shows on screen (a no-print table), never on a letter.
    letters = page[page.index('class="posters"') :]
    assert "Bât. A" not in letters


def test_a_new_letter_replaces_the_unused_one(db, estate):
    first = issue_dwelling_codes(estate["residence"].id, ["A12"], None)[0].code
    second = issue_dwelling_codes(estate["residence"].id, ["A12"], None)[0].code
    assert first != second
    assert db.session.scalar(select(DwellingCode).where(DwellingCode.code == first)) is None


@pytest.mark.parametrize("who", ["tenant", "stranger_manager"])
def test_letters_are_refused_outside_the_residence_landlord(client, login, estate, who):
    login(estate[who])
    with unchanged(Dwelling, DwellingCode, AuditEntry):
        response = client.post(
            "/imprimer/logements",
            data={"residence_id": estate["residence"].id, "references": "A12"},
        )
        # A stranger's list holds only her own residences: the choice is refused.
        assert response.status_code == (403 if who == "tenant" else 200)
    page = client.get(f"/imprimer/residences/{estate['residence'].id}/courriers")
    assert page.status_code == 403


def test_registering_with_a_letter_ties_the_account_to_the_dwelling(client, db, estate):
    code = issue_dwelling_codes(estate["residence"].id, ["A12"], None)[0]
    db.session.commit()
    response = _sign_up(client, code.code.lower())
    assert response.status_code == 200
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "voisine0@example.test"))
    assert user.household_verified_at is not None
    assert user.residence_id == estate["residence"].id
    assert user.organisation_id == estate["org"].id
    assert user.role == Role.TENANT
    used = db.session.get(DwellingCode, code.id)
    assert used.used_by_id == user.id and used.used_at is not None
    assert db.session.get(Dwelling, code.dwelling_id).accounts_count == 1
    # Single use: the same letter creates nothing more.
    with unchanged(User, DwellingCode, Dwelling):
        again = _sign_up(client, code.code, n=1)
        assert again.status_code == 200
    assert "pas valable ou a expiré" in again.text


def test_at_most_the_configured_accounts_per_dwelling(app, client, db, estate):
    app.config["DWELLING_MAX_ACCOUNTS"] = 2
    for n in range(2):
        code = issue_dwelling_codes(estate["residence"].id, ["A12"], None)[0]
        db.session.commit()
        assert _sign_up(client, code.code, n).status_code == 200
    third = issue_dwelling_codes(estate["residence"].id, ["A12"], None)[0]
    db.session.commit()
    with unchanged(User, DwellingCode, Dwelling):
        response = _sign_up(client, third.code, 2)
        assert response.status_code == 200
    assert "pas valable ou a expiré" in response.text


def test_concurrent_letters_of_one_dwelling_never_exceed_its_accounts(app, db, estate):
    """Two letters of one dwelling (limit 1) posted at once: the pause holds both requests
    after the check, so both take the window; the conditional UPDATE lets one through."""
    app.config["DWELLING_MAX_ACCOUNTS"] = 1
    dwelling = Dwelling(residence_id=estate["residence"].id, reference="A12", accounts_count=0)
    db.session.add(dwelling)
    db.session.flush()
    codes = [DwellingCode(dwelling_id=dwelling.id, code=f"RACECODE{n}222") for n in range(2)]
    db.session.add_all(codes)
    db.session.commit()
    checked = threading.Barrier(2, timeout=10)
    paused: list[str] = []

    def pause(point: str) -> None:
        if point == "dwelling":
            paused.append(point)
            try:
                checked.wait()
            except threading.BrokenBarrierError:
                pass

    auth_services.PAUSE_HOOK = pause
    pages: list[str] = []
    errors: list[BaseException] = []

    def post(n: int) -> None:
        try:
            pages.append(_sign_up(app.test_client(), f"RACECODE{n}222", n).text)
        except Exception as error:  # noqa: BLE001  (checked below)
            errors.append(error)

    try:
        threads = [threading.Thread(target=post, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        auth_services.PAUSE_HOOK = None
    assert not errors, errors
    assert len(paused) == 2
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.household_verified_at.is_not(None))
        )
        == 1
    )
    assert db.session.get(Dwelling, dwelling.id).accounts_count == 1
    assert sum("a déjà servi" in p for p in pages) == 1


# --- votes reserved to verified households ---------------------------------------------


@pytest.fixture
def reserved_vote(db, estate):
    challenge = make_challenge(phase="voting", org=estate["org"])
    challenge.vote_verified_only = True
    ideas = [make_idea(challenge, estate["tenant"], status="shortlisted") for _ in range(2)]
    return challenge, ideas


def test_the_reserved_vote_says_how_to_get_verified_and_refuses_the_ballot(
    client, login, estate, reserved_vote
):
    challenge, ideas = reserved_vote
    login(estate["tenant"])
    page = client.get(f"/defis/{challenge.slug}/vote")
    assert page.status_code == 403
    assert "Vote réservé aux foyers vérifiés" in page.text
    assert "boîte aux lettres" in page.text
    with unchanged(Ballot):
        response = client.post(f"/defis/{challenge.slug}/vote", data={f"rank-{ideas[0].id}": "1"})
        assert response.status_code == 403


def test_a_verified_household_votes(client, login, db, estate, reserved_vote):
    challenge, ideas = reserved_vote
    estate["tenant"].household_verified_at = utcnow()
    login(estate["tenant"])
    assert client.get(f"/defis/{challenge.slug}/vote").status_code == 200


def test_a_person_verified_in_person_votes_too(client, login, db, estate, reserved_vote):
    challenge, _ideas = reserved_vote
    estate["tenant"].verified_in_person_at = utcnow()
    login(estate["tenant"])
    assert client.get(f"/defis/{challenge.slug}/vote").status_code == 200
