"""Accounts: registration, verification, login, logout, reset, change password, profile."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ideation.auth.models import User
from ideation.domain.roles import Role
from ideation.orgs.models import Invitation
from tests.factories import DEFAULT_PASSWORD, make_invitation, make_org, make_residence, make_user
from tests.helpers import link_in, outbox, unchanged, without_tokens

GOOD_PASSWORD = "des tomates sur le balcon"


def register(client, **overrides):
    data = {
        "code": "",
        "display_name": "Zoé Martin",
        "email": "zoe.martin@example.test",
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
    }
    data.update(overrides)
    return client.post("/inscription", data=data)


def test_register_with_invitation_code_creates_account_and_verification_email(client, db):
    org = make_org("Rhône Habitat")
    residence = make_residence(org, "Les Tilleuls")
    invitation = make_invitation(org, code="TILLEULS26", residence=residence, max_uses=2)
    db.session.commit()

    response = register(client, code="tilleuls26 ", email="Zoe.Martin@Example.test")

    assert response.status_code == 200
    assert "Regardez vos e-mails" in response.text
    user = db.session.scalar(select(User).where(User.email == "zoe.martin@example.test"))
    assert user.organisation_id == org.id and user.residence_id == residence.id
    assert user.role == Role.TENANT and not user.email_verified
    db.session.refresh(invitation)
    assert invitation.uses == 1
    [email] = outbox("zoe.martin@example.test")
    assert "Confirmez" in email.subject and "/verifier/" in email.body_text


def test_register_without_code_is_refused_when_self_registration_is_off(client, db):
    response = register(client)
    assert "Saisissez le code d&#39;invitation" in response.text
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize("case", ["unknown", "expired", "used_up", "inactive"])
def test_unusable_codes_are_refused_and_the_typed_values_kept(client, db, case):
    org = make_org()
    kwargs = {
        "expired": {"days": -1},
        "used_up": {"max_uses": 1, "uses": 1},
        "inactive": {"active": False},
    }.get(case, {})
    make_invitation(org, code="CODE2026", **kwargs)
    db.session.commit()
    response = register(client, code="CODE2026" if case != "unknown" else "NOPE")
    assert "n&#39;est pas valable" in response.text
    assert 'value="Zoé Martin"' in response.text
    assert db.session.scalar(select(User)) is None


def test_open_self_registration_lets_a_tenant_choose_a_landlord(app, client, db):
    org = make_org("Alpes Logis")
    db.session.commit()
    app.config["ALLOW_SELF_REGISTRATION"] = True
    try:
        response = register(client, organisation=str(org.id))
    finally:
        app.config["ALLOW_SELF_REGISTRATION"] = False
    assert "Regardez vos e-mails" in response.text
    user = db.session.scalar(select(User))
    assert user.organisation_id == org.id and user.role == Role.TENANT


def test_invitation_can_grant_staff_role(client, db):
    make_invitation(code="EQUIPE", role=Role.STAFF)
    db.session.commit()
    register(client, code="EQUIPE")
    assert db.session.scalar(select(User)).role == Role.STAFF


@pytest.mark.parametrize(
    "password, message",
    [
        ("onze-carac", "au moins 12 caractères"),
        ("azertyuiop123", "trop courant"),
        ("zoe.martin.2026", "votre nom ou votre e-mail"),
    ],
)
def test_weak_passwords_get_a_clear_error(client, db, password, message):
    make_invitation(code="CODE")
    db.session.commit()
    response = register(client, code="CODE", password=password, password_confirm=password)
    assert message in response.text
    assert 'class="error-summary"' in response.text
    assert db.session.scalar(select(User)) is None


def test_registering_a_known_email_reveals_nothing_and_warns_the_owner(client, db):
    org = make_org()
    make_invitation(org, code="CODE")
    existing = make_user(email="zoe.martin@example.test", org=org)
    db.session.commit()
    known = register(client, code="CODE")
    fresh = register(client, code="CODE", email="someone.new@example.test")
    assert known.status_code == fresh.status_code == 200
    assert without_tokens(known.text, "zoe.martin@example.test") == without_tokens(
        fresh.text, "someone.new@example.test"
    )
    [notice] = outbox(existing.email)
    assert "déjà un compte" in notice.subject


def test_email_verification_needs_a_post_and_a_valid_token(client, db):
    make_invitation(code="CODE")
    db.session.commit()
    register(client, code="CODE")
    path = link_in(outbox()[0], "/verifier/")
    page = client.get(path)
    assert page.status_code == 200 and "Je confirme" in page.text
    user = db.session.scalar(select(User))
    assert not user.email_verified  # a GET (mail scanner) confirms nothing
    client.post(path)
    db.session.refresh(user)
    assert user.email_verified
    assert client.get(path[:-3] + "abc").status_code == 400


def test_login_logout_and_login_required(client, db):
    user = make_user(email="fatima@example.test")
    db.session.commit()
    assert client.get("/compte").status_code == 302
    response = client.post(
        "/connexion", data={"email": "FATIMA@example.test", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/compte").status_code == 200
    db.session.refresh(user)
    assert user.last_login_at is not None
    client.post("/deconnexion")
    assert client.get("/compte").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(client, db):
    make_user(email="fatima@example.test")
    db.session.commit()
    wrong = client.post(
        "/connexion", data={"email": "fatima@example.test", "password": "pas le bon mot de passe"}
    )
    unknown = client.post(
        "/connexion", data={"email": "nobody@example.test", "password": "pas le bon mot de passe"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert "E-mail ou mot de passe incorrect" in wrong.text
    assert without_tokens(wrong.text, "fatima@example.test") == without_tokens(
        unknown.text, "nobody@example.test"
    )


def test_inactive_account_cannot_log_in(client, db):
    make_user(email="gone@example.test", active=False)
    db.session.commit()
    response = client.post(
        "/connexion", data={"email": "gone@example.test", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200 and "incorrect" in response.text


def test_password_changed_at_its_75th_character_does_not_log_in(client, db):
    long_password = "a" * 40 + "une phrase vraiment très longue pour tester" + "z" * 10
    user = make_user(email="long@example.test", password=long_password)
    db.session.commit()
    altered = long_password[:74] + ("X" if long_password[74] != "X" else "Y") + long_password[75:]
    bad = client.post("/connexion", data={"email": user.email, "password": altered})
    assert bad.status_code == 200
    good = client.post("/connexion", data={"email": user.email, "password": long_password})
    assert good.status_code == 302


def test_remember_me_sets_a_persistent_cookie(client, db):
    user = make_user()
    db.session.commit()
    client.post(
        "/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y"}
    )
    assert client.get_cookie("remember_token") is not None


def test_login_starts_a_new_session(client, db):
    user = make_user()
    db.session.commit()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/compte", "/compte"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https:evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("https://evil.example/x", "/"),
    ],
)
def test_next_redirects_only_to_same_site_paths(client, db, target, expected):
    user = make_user()
    db.session.commit()
    response = client.post(
        f"/connexion?next={target}", data={"email": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_password_reset_link_works_once(client, db):
    user = make_user(email="reset@example.test")
    db.session.commit()
    client.post("/mot-de-passe-oublie", data={"email": "reset@example.test"})
    path = link_in(outbox("reset@example.test")[-1], "/reinitialiser/")
    assert client.get(path).status_code == 200
    new = "un tout nouveau mot de passe"
    response = client.post(path, data={"password": new, "password_confirm": new})
    assert response.status_code == 302
    assert client.post("/connexion", data={"email": user.email, "password": new}).status_code == 302
    client.post("/deconnexion")
    with unchanged():
        again = client.post(
            path,
            data={
                "password": "encore un autre mot de passe",
                "password_confirm": "encore un autre mot de passe",
            },
        )
        assert again.status_code == 400 and "déjà utilisé" in again.text


def test_password_reset_link_expires(app, client, db):
    make_user(email="reset@example.test")
    db.session.commit()
    client.post("/mot-de-passe-oublie", data={"email": "reset@example.test"})
    path = link_in(outbox("reset@example.test")[-1], "/reinitialiser/")
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    try:
        assert client.get(path).status_code == 400
    finally:
        app.config["RESET_TOKEN_MAX_AGE"] = 3600


def test_forgot_password_answers_the_same_for_unknown_email(client, db):
    make_user(email="known@example.test")
    db.session.commit()
    known = client.post("/mot-de-passe-oublie", data={"email": "known@example.test"})
    unknown = client.post("/mot-de-passe-oublie", data={"email": "unknown@example.test"})
    assert without_tokens(known.text, "known@example.test") == without_tokens(
        unknown.text, "unknown@example.test"
    )
    assert len(outbox("known@example.test")) == 1 and outbox("unknown@example.test") == []


def test_change_password_signs_out_other_sessions(app, client, db):
    user = make_user(email="two@example.test")
    db.session.commit()
    other = app.test_client()
    for c in (client, other):
        assert (
            c.post(
                "/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD}
            ).status_code
            == 302
        )
    new = "mon nouveau mot de passe secret"
    response = client.post(
        "/compte/mot-de-passe",
        data={"current_password": DEFAULT_PASSWORD, "password": new, "password_confirm": new},
    )
    assert response.status_code == 302
    assert client.get("/compte").status_code == 200  # this session stays
    assert other.get("/compte").status_code == 302  # the other one is signed out


def test_change_password_needs_the_current_one(client, db, login):
    login(make_user())
    response = client.post(
        "/compte/mot-de-passe",
        data={
            "current_password": "faux mot de passe",
            "password": GOOD_PASSWORD,
            "password_confirm": GOOD_PASSWORD,
        },
    )
    assert "actuel est incorrect" in response.text


def test_profile_changes_name_residence_and_language(client, db, login):
    org = make_org()
    residence = make_residence(org, "Les Glycines")
    elsewhere = make_residence(make_org(), "Ailleurs")
    user = login(make_user(org=org))
    response = client.post(
        "/compte",
        data={"display_name": "  Fatima  B. ", "residence": str(residence.id), "locale": "en"},
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.residence_id, user.locale) == ("Fatima B.", residence.id, "en")
    refused = client.post(
        "/compte", data={"display_name": "Fatima", "residence": str(elsewhere.id), "locale": "fr"}
    )
    assert refused.status_code == 200
    db.session.refresh(user)
    assert user.residence_id == residence.id


def test_display_name_with_direction_override_is_refused(client, db, login):
    login(make_user())
    response = client.post(
        "/compte", data={"display_name": "Admin\u202e", "residence": "0", "locale": "fr"}
    )
    assert "caractères invisibles" in response.text


def test_hostile_display_name_is_escaped(client, db, login):
    user = login(make_user())
    page = client.get("/compte")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;" in page.text
    assert user.display_name.startswith("Participant")


def test_password_hash_is_scrypt_with_a_long_salt(db):
    user = make_user(password="un autre mot de passe unique")
    method, salt, _ = user.password_hash.split("$")
    assert method.startswith("scrypt")
    assert len(salt) * 5.95 >= 128  # 62-letter alphabet: log2(62) ≈ 5.95 bits per character


def test_invitation_uses_are_counted_in_sql(client, db):
    make_invitation(code="ONCE", max_uses=1)
    db.session.commit()
    register(client, code="ONCE")
    second = register(client, code="ONCE", email="other@example.test")
    assert "n&#39;est pas valable" in second.text
    assert db.session.scalar(select(Invitation)).uses == 1


def test_outside_tests_passwords_use_full_strength_scrypt():
    from werkzeug.security import generate_password_hash

    from config import DevelopmentConfig, ProductionConfig

    for config in (DevelopmentConfig, ProductionConfig):
        assert config.PASSWORD_HASH_METHOD == "scrypt"
    assert generate_password_hash("x", method="scrypt").startswith("scrypt:32768:8:1$")


def test_registration_reports_every_mistake_in_one_pass_and_keeps_what_was_typed(client, db):
    """Before, the code and the password were checked only once the other fields were
    right: three submissions for one set of mistakes."""
    response = client.post(
        "/inscription",
        data={
            "code": "FAUX-CODE",
            "display_name": "",
            "email": "pas-une-adresse",
            "password": "azertyuiop",
            "password_confirm": "autre chose",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ce code d&#39;invitation n&#39;est pas valable" in page or (
        "Ce code d'invitation n'est pas valable" in page
    )
    assert "Les deux mots de passe ne sont pas identiques." in page
    assert 'value="pas-une-adresse"' in page and 'value="FAUX-CODE"' in page
    summary = page.split('class="error-summary"')[1].split("</ul>")[0]
    assert summary.count("<li>") >= 4  # name, e-mail, code, confirmation at once
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
