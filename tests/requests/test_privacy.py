"""Privacy (RGPD): export of one's data, erasure by oneself or an admin, inactive accounts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ideation.auth.models import User
from ideation.comments.models import Comment
from ideation.core.audit import AuditEntry
from ideation.db_types import utcnow
from ideation.domain import voting as engine
from ideation.domain.roles import Role
from ideation.ideas.models import Idea, IdeaRevision
from ideation.mail.models import Email, EmailStatus
from ideation.notifications.models import (
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from ideation.pilots.models import PilotFollower
from ideation.privacy.services import ERASED_NAME, erased_email
from ideation.voting import services as voting
from ideation.voting.models import Ballot, VoteResult
from tests.factories import (
    DEFAULT_PASSWORD,
    make_ballot,
    make_challenge,
    make_comment,
    make_follower,
    make_idea,
    make_invitation,
    make_notification,
    make_org,
    make_pilot,
    make_report,
    make_residence,
    make_support,
    make_user,
)
from tests.helpers import outbox

EXPORT = "/compte/mes-donnees/mes-donnees-fabrique.json"
ERASE = "/compte/supprimer"


def _world(db):
    """Amina (the owner) and Bruno (someone else), each with a bit of everything."""
    org = make_org("Rhône Habitat Privé")
    residence = make_residence(org, "Les Acacias")
    amina = make_user(
        org=org, residence=residence, email="amina@example.test", display_name="Amina K."
    )
    bruno = make_user(org=org, email="bruno@example.test", display_name="Bruno SECRETNAME")
    challenge = make_challenge(org=org, title="Défi des jardins")
    idea = make_idea(challenge, amina, title="Un potager partagé", body="Des bacs dans la cour.")
    db.session.add(
        IdeaRevision(
            idea_id=idea.id,
            editor_id=amina.id,
            title="Un potager",
            summary="Première version",
            body_source="Des bacs.",
        )
    )
    bruno_idea = make_idea(
        challenge, bruno, title="Idée de Bruno", body="Texte privé de Bruno BRUNOTEXT"
    )
    make_support(bruno_idea, amina)
    make_support(idea, bruno)
    comment = make_comment(bruno_idea, amina, body="Bonne idée, Bruno !")
    make_comment(idea, bruno, body="Commentaire de Bruno BRUNOCOMMENT")
    make_report(
        make_comment(bruno_idea, bruno, body="Hors sujet"),
        amina,
        reason="off_topic",
        details="Ce n'est pas le sujet",
    )
    vote = make_challenge(phase="voting", org=org, title="Vote des jardins")
    shortlisted = [make_idea(vote, bruno, status="shortlisted", title=f"Option {t}") for t in "ABC"]
    ballot = make_ballot(vote, amina, [shortlisted[2], [shortlisted[0], shortlisted[1]]])
    make_ballot(vote, bruno, shortlisted)
    make_notification(amina, title="Votre idée est publiée")
    make_notification(bruno, title="Notification de Bruno BRUNONOTE")
    db.session.add(
        NotificationPreference(
            user_id=amina.id, kind=NotificationKind.PILOT_UPDATE, delivery=Delivery.IMMEDIATE
        )
    )
    pilot = make_pilot(org, title="Potager pilote")
    make_follower(pilot, amina)
    make_follower(pilot, bruno)
    db.session.commit()
    return {
        "org": org,
        "amina": amina,
        "bruno": bruno,
        "idea": idea,
        "bruno_idea": bruno_idea,
        "comment": comment,
        "ballot": ballot,
        "vote": vote,
        "pilot": pilot,
    }


# --- export ---------------------------------------------------------------------------


def test_export_contains_my_data_and_nobody_elses_and_no_secret(client, db, login):
    w = _world(db)
    amina = login(w["amina"])
    amina.totp_secret = (
        "JBSWY3DPEHPK3PXPJBSWY3DP"  # set after the login, which would ask for a code
    )
    db.session.commit()
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="mes-donnees-fabrique.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/json"
    data = json.loads(response.data)

    profile = data["profile"]
    assert profile["email"] == "amina@example.test"
    assert profile["display_name"] == "Amina K."
    assert profile["role"] == "tenant"
    assert profile["organisation"] == "Rhône Habitat Privé"
    assert profile["residence"].startswith("Les Acacias")
    assert profile["email_verified"] is True and profile["second_factor_enabled"] is True
    assert profile["last_login_at"] and profile["created_at"] and profile["locale"] == "fr"

    [idea] = data["ideas"]
    assert idea["title"] == "Un potager partagé" and idea["body"] == "Des bacs dans la cour."
    assert [r["title"] for r in idea["revisions"]] == ["Un potager"]
    assert [s["idea"] for s in data["supports"]] == ["Idée de Bruno"]
    assert [c["body"] for c in data["comments"]] == ["Bonne idée, Bruno !"]
    [report] = data["reports"]
    assert report["reason"] == "off_topic" and report["details"] == "Ce n'est pas le sujet"
    [ballot] = data["ballots"]
    assert ballot["challenge"] == "Vote des jardins"
    assert ballot["ranking"] == [["Option C"], ["Option A", "Option B"]]
    assert ballot["receipt"] == w["ballot"].receipt
    assert [n["title"] for n in data["notifications"]] == ["Votre idée est publiée"]
    assert data["notification_preferences"] == {"pilot_update": "immediate"}
    assert [p["pilot"] for p in data["pilots_followed"]] == ["Potager pilote"]

    text = response.get_data(as_text=True)
    for foreign in ("bruno@example.test", "SECRETNAME", "BRUNOTEXT", "BRUNOCOMMENT", "BRUNONOTE"):
        assert foreign not in text
    db.session.refresh(amina)
    for secret in (
        amina.password_hash,
        amina.totp_secret,
        amina.session_token,
        "password",
        "totp_secret",
    ):
        assert secret not in text


def test_export_and_my_data_page_need_a_login(client, db):
    for path in (EXPORT, "/compte/mes-donnees", ERASE):
        response = client.get(path)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_no_privacy_route_takes_a_user_id(app):
    """Only one's own data: the owner is the session, never a parameter someone could change."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("privacy.")]
    assert {r.endpoint for r in rules} == {"privacy.index", "privacy.export", "privacy.erase"}
    assert all(not r.arguments for r in rules)


def test_each_user_downloads_only_their_own_file(app, client, db, login):
    w = _world(db)
    login(w["bruno"])
    data = json.loads(client.get(f"{EXPORT}?user_id={w['amina'].id}").data)
    assert data["profile"]["email"] == "bruno@example.test"
    assert "Amina K." not in json.dumps(data, ensure_ascii=False)


def test_export_runs_a_constant_number_of_queries(client, db, login, count_queries):
    w = _world(db)
    login(w["amina"])
    with count_queries() as small:
        assert client.get(EXPORT).status_code == 200
    challenge = make_challenge(org=w["org"])
    for i in range(6):
        idea = make_idea(challenge, w["amina"], title=f"Encore {i}")
        db.session.add(IdeaRevision(idea_id=idea.id, title="v1", summary="s", body_source="b"))
        make_comment(w["bruno_idea"], w["amina"])
        make_support(idea, w["bruno"])
        make_support(make_idea(challenge, w["bruno"]), w["amina"])
        make_notification(w["amina"])
        make_follower(make_pilot(w["org"]), w["amina"])
        vote = make_challenge(phase="voting", org=w["org"])
        make_ballot(vote, w["amina"], [make_idea(vote, status="shortlisted") for _ in range(2)])
    db.session.commit()
    with count_queries() as large:
        data = json.loads(client.get(EXPORT).data)
    assert len(data["ideas"]) == 7 and len(data["ballots"]) == 7
    assert large.count == small.count


def test_my_data_page_is_linked_from_my_account(client, db, login):
    login(make_user())
    assert 'href="/compte/mes-donnees"' in client.get("/compte").text
    page = client.get("/compte/mes-donnees").text
    assert EXPORT in page and ERASE in page


def test_privacy_page_tells_export_erasure_and_retention(client, db):
    page = client.get("/confidentialite").text
    assert "télécharger toutes vos données" in page
    assert "supprimer votre compte" in page
    assert "trois ans sans connexion" in page and "30 jours" in page


# --- erasure by oneself --------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("pas le bon mot de passe", "y", "Le mot de passe est incorrect."),
        (DEFAULT_PASSWORD, "", "Cochez la case pour confirmer."),
        ("", "y", "Ce champ est obligatoire."),
    ],
)
def test_erasure_needs_the_right_password_and_the_box(
    client, db, login, password, confirm, message
):
    user = login(make_user(email="reste@example.test"))
    data = {"password": password}
    if confirm:
        data["confirm"] = confirm
    response = client.post(ERASE, data=data)
    assert response.status_code == 200
    assert message in response.text
    db.session.expire_all()
    kept = db.session.get(User, user.id)
    assert kept.email == "reste@example.test" and kept.active
    assert client.get("/compte").status_code == 200  # still logged in


def _erase(client):
    return client.post(ERASE, data={"password": DEFAULT_PASSWORD, "confirm": "y"})


def test_erasure_blanks_personal_data_and_keeps_content(app, client, db, login):
    w = _world(db)
    amina = w["amina"]
    pending = Email(
        recipient="amina@example.test",
        subject="s",
        body_text="Bonjour Amina K.",
        body_html="<p>Bonjour Amina K.</p>",
    )
    sent = Email(
        recipient="amina@example.test",
        subject="s",
        body_text="t",
        body_html="h",
        status=EmailStatus.SENT,
    )
    db.session.add_all([pending, sent])
    db.session.commit()
    login(amina)

    response = _erase(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/compte").status_code == 302  # this session has ended too

    db.session.expire_all()
    user = db.session.get(User, amina.id)
    assert user.email == erased_email(amina.id) == f"supprime-{amina.id}@invalid.fabrique"
    assert user.display_name == ERASED_NAME
    assert user.totp_secret is None and user.residence_id is None and not user.active
    assert not user.check_password(DEFAULT_PASSWORD)
    # Notifications, preferences, follows and e-mails to the old address are gone.
    for model in (Notification, NotificationPreference, PilotFollower):
        assert (
            db.session.scalar(
                select(func.count()).select_from(model).where(model.user_id == amina.id)
            )
            == 0
        )
    assert outbox("amina@example.test") == []
    # Bruno's things are untouched.
    assert (
        len(
            db.session.scalars(
                select(Notification).where(Notification.user_id == w["bruno"].id)
            ).all()
        )
        == 1
    )
    # Content stays, under the blanked name.
    assert db.session.get(Idea, w["idea"].id).author_id == amina.id
    assert db.session.get(Comment, w["comment"].id).author_id == amina.id
    idea_page = client.get(f"/idees/{w['idea'].id}").text
    assert ERASED_NAME in idea_page and "Amina K." not in idea_page
    assert "Un potager partagé" in idea_page
    comments_page = client.get(f"/idees/{w['bruno_idea'].id}").text
    assert ERASED_NAME in comments_page and "Bonne idée, Bruno !" in comments_page
    assert "Amina K." not in comments_page
    # Audited without the name or the address.
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.erase"))
    assert entry.target_id == amina.id and entry.details == {"by": "self"}
    assert "Amina" not in f"{entry.actor_name} {entry.target_label} {entry.reason}"
    assert "amina@" not in f"{entry.actor_name} {entry.target_label} {entry.reason}"


def test_erased_account_cannot_log_in(client, db, login):
    user = login(make_user(email="parti@example.test"))
    _erase(client)
    response = client.post(
        "/connexion", data={"email": "parti@example.test", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200 and "E-mail ou mot de passe incorrect." in response.text
    response = client.post(
        "/connexion", data={"email": erased_email(user.id), "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200


def test_erasure_ends_every_other_session_and_remember_me(app, client, db):
    user = make_user(email="deux@example.test")
    db.session.commit()
    other = app.test_client()
    remembered = app.test_client()
    assert (
        client.post(
            "/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD}
        ).status_code
        == 302
    )
    assert (
        other.post(
            "/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD}
        ).status_code
        == 302
    )
    assert (
        remembered.post(
            "/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y"}
        ).status_code
        == 302
    )
    session_cookie = app.config["SESSION_COOKIE_NAME"]
    remembered.delete_cookie(session_cookie)
    assert remembered.get("/compte").status_code == 200  # the remember-me cookie alone works

    assert _erase(client).status_code == 302
    assert other.get("/compte").status_code == 302
    remembered.delete_cookie(session_cookie)
    assert (
        remembered.get_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token")) is not None
    )
    assert remembered.get("/compte").status_code == 302


def test_erasure_leaves_the_stored_result_and_the_recount_unchanged(client, db, login):
    org = make_org()
    challenge = make_challenge(phase="voting", org=org)
    ideas = [make_idea(challenge, status="shortlisted", title=f"Option {t}") for t in "ABC"]
    voter = make_user(org=org, email="votante@example.test")
    make_ballot(challenge, voter, [ideas[1], ideas[0]])
    for ranking in ([ideas[0], ideas[1]], [ideas[0]], [ideas[2], ideas[1]]):
        make_ballot(challenge, ranking=ranking)
    result = voting.close_vote(challenge)
    db.session.commit()
    before = {
        c: getattr(result, c)
        for c in ("ranking", "winners", "digest", "ballots_count", "explanation")
    }
    ballots_before = sorted(db.session.execute(select(Ballot.receipt, Ballot.ranking)).all())

    login(voter)
    assert _erase(client).status_code == 302

    db.session.expire_all()
    stored = db.session.scalar(select(VoteResult).where(VoteResult.challenge_id == challenge.id))
    assert {c: getattr(stored, c) for c in before} == before
    assert (
        sorted(db.session.execute(select(Ballot.receipt, Ballot.ranking)).all()) == ballots_before
    )
    assert voting.ballots_count(challenge.id) == 4
    profile, _named = voting.profile_from_ballots(
        stored.candidate_ids, stored.candidate_names, voting._stored_rows(challenge.id)
    )
    recount = engine.tally(profile, stored.method, stored.winners_count)
    assert recount.digest == stored.digest
    assert recount.to_json_dict() == stored.explanation


def test_erased_address_can_register_again_and_placeholders_are_unique(app, client, db):
    org = make_org("Bailleur du retour")
    make_invitation(org, code="RETOUR26")
    first = make_user(email="retour@example.test")
    second = make_user(email="autre@example.test")
    db.session.commit()
    for user in (first, second):
        c = app.test_client()
        assert (
            c.post(
                "/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD}
            ).status_code
            == 302
        )
        assert _erase(c).status_code == 302
    db.session.expire_all()
    emails = [db.session.get(User, u.id).email for u in (first, second)]
    assert len(set(emails)) == 2 and all(e.endswith("@invalid.fabrique") for e in emails)

    password = "les géraniums du troisième étage"
    response = client.post(
        "/inscription",
        data={
            "code": "RETOUR26",
            "display_name": "Nouvelle Vie",
            "email": "retour@example.test",
            "password": password,
            "password_confirm": password,
        },
    )
    assert response.status_code == 200
    new = db.session.scalar(select(User).where(User.email == "retour@example.test"))
    assert new is not None and new.id != first.id and new.display_name == "Nouvelle Vie"


def test_erasure_post_without_csrf_is_refused(app, db):
    from ideation import create_app

    csrf_app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": True,
        }
    )
    user = make_user()
    db.session.commit()
    c = csrf_app.test_client()
    login_page = c.get("/connexion").text
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert (
        c.post(
            "/connexion",
            data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token},
        ).status_code
        == 302
    )
    assert c.post(ERASE, data={"password": DEFAULT_PASSWORD, "confirm": "y"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).active


# --- erasure by an administrator -------------------------------------------------------


def _admin_erase(client, user_id: int, reason: str = "Demande écrite reçue le 3 mars"):
    return client.post(
        f"/admin/utilisateurs/{user_id}/supprimer",
        data={"erase-reason": reason, "erase-confirm": "y"},
    )


def test_admin_erases_an_account_with_a_reason_and_it_is_audited(app, client, db, login):
    target = make_user(email="cible@example.test", display_name="Cible Nominative")
    idea = make_idea(author=target, title="Idée de la cible")
    db.session.commit()
    other = app.test_client()
    assert (
        other.post(
            "/connexion", data={"email": target.email, "password": DEFAULT_PASSWORD}
        ).status_code
        == 302
    )
    admin = login(make_user(Role.ADMIN, display_name="Admin A."))

    page = client.get(f"/admin/utilisateurs/{target.id}").text
    assert "Supprimer ce compte" in page and f"/admin/utilisateurs/{target.id}/supprimer" in page
    response = _admin_erase(client, target.id)
    assert response.status_code == 302
    assert other.get("/compte").status_code == 302

    db.session.expire_all()
    erased = db.session.get(User, target.id)
    assert erased.email == erased_email(target.id) and erased.display_name == ERASED_NAME
    assert not erased.active
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.erase"))
    assert entry.actor_id == admin.id and entry.target_id == target.id
    assert entry.reason == "Demande écrite reçue le 3 mars" and entry.details == {"by": "admin"}
    assert "Cible" not in entry.target_label and "cible@" not in entry.target_label
    assert ERASED_NAME in client.get(f"/idees/{idea.id}").text
    assert "Compte supprimé" in client.get("/moderation/journal").text


def test_admin_erasure_needs_a_reason_and_the_box(client, db, login):
    target = make_user(email="garde@example.test")
    login(make_user(Role.ADMIN))
    response = client.post(
        f"/admin/utilisateurs/{target.id}/supprimer", data={"erase-confirm": "y"}
    )
    assert response.status_code == 200 and "Ce champ est obligatoire." in response.text
    response = client.post(
        f"/admin/utilisateurs/{target.id}/supprimer", data={"erase-reason": "Demande"}
    )
    assert response.status_code == 200 and "Cochez la case pour confirmer." in response.text
    db.session.expire_all()
    assert db.session.get(User, target.id).email == "garde@example.test"


def test_admin_cannot_erase_their_own_account_from_the_admin_page(client, db, login):
    admin = login(make_user(Role.ADMIN, email="moi-admin@example.test"))
    response = _admin_erase(client, admin.id)
    assert response.status_code == 200 and "Mes données" in response.text
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


@pytest.mark.parametrize("role", ["tenant", "staff", "facilitator", "bailleur"])
def test_only_admins_erase_other_accounts(client, db, as_role, role):
    target = make_user(email="protege@example.test")
    db.session.commit()
    as_role(role)
    assert _admin_erase(client, target.id).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, target.id).active


def test_visitor_is_sent_to_login_by_admin_erasure(client, db):
    target = make_user()
    db.session.commit()
    response = _admin_erase(client, target.id)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_admin_erasure_of_an_unknown_account_is_404(client, db, login):
    login(make_user(Role.ADMIN))
    assert _admin_erase(client, 999999).status_code == 404


# --- inactive accounts --------------------------------------------------------------

DAYS = 1095
GRACE = 30


def _aged(
    email: str, *, created_days: int, login_days: int | None, warned_days: int | None = None
) -> User:
    now = utcnow()
    user = make_user(email=email)
    user.created_at = now - timedelta(days=created_days)
    user.last_login_at = None if login_days is None else now - timedelta(days=login_days)
    user.inactivity_warned_at = None if warned_days is None else now - timedelta(days=warned_days)
    return user


def test_warn_inactive_warns_once_the_accounts_past_the_threshold(runner, db):
    old_login = _aged("vieux@example.test", created_days=2000, login_days=DAYS + 1)
    never = _aged("jamais@example.test", created_days=DAYS + 1, login_days=None)
    recent = _aged("recent@example.test", created_days=2000, login_days=DAYS - 1)
    young = _aged("jeune@example.test", created_days=DAYS - 1, login_days=None)
    warned = _aged("deja@example.test", created_days=2000, login_days=DAYS + 40, warned_days=10)
    gone = _aged("desactive@example.test", created_days=2000, login_days=DAYS + 1)
    gone.active = False
    db.session.commit()

    result = runner.invoke(args=["accounts", "warn-inactive", "--days", str(DAYS)])
    assert result.exit_code == 0, result.output
    assert "2 compte(s) prévenu(s)." in result.output
    db.session.expire_all()
    for user in (old_login, never):
        [mail] = outbox(user.email)
        assert "anonymisé" in mail.subject and "/connexion" in mail.body_text
        assert db.session.get(User, user.id).inactivity_warned_at is not None
    for user in (recent, young, warned, gone):
        assert outbox(user.email) == []
    assert db.session.get(User, recent.id).inactivity_warned_at is None

    again = runner.invoke(args=["accounts", "warn-inactive", "--days", str(DAYS)])
    assert "0 compte(s) prévenu(s)." in again.output
    assert len(outbox(old_login.email)) == 1


def test_an_account_that_came_back_after_a_warning_is_warned_again_later(runner, db):
    user = _aged(
        "revenu@example.test", created_days=3000, login_days=DAYS + 5, warned_days=DAYS + 20
    )
    db.session.commit()
    result = runner.invoke(args=["accounts", "warn-inactive", "--days", str(DAYS)])
    assert "1 compte(s) prévenu(s)." in result.output
    assert len(outbox(user.email)) == 1


def test_anonymise_inactive_erases_only_the_warned_after_the_grace(runner, db):
    due = _aged("echu@example.test", created_days=3000, login_days=DAYS + 40, warned_days=GRACE + 1)
    never = _aged(
        "jamais-venu@example.test", created_days=DAYS + 40, login_days=None, warned_days=GRACE + 1
    )
    waiting = _aged(
        "attente@example.test", created_days=3000, login_days=DAYS + 40, warned_days=GRACE - 1
    )
    unwarned = _aged("pas-prevenu@example.test", created_days=3000, login_days=DAYS + 40)
    came_back = _aged("retour@example.test", created_days=3000, login_days=2, warned_days=GRACE + 1)
    idea = make_idea(author=due, title="Idée conservée")
    db.session.add(Email(recipient="echu@example.test", subject="s", body_text="t", body_html="h"))
    db.session.commit()

    result = runner.invoke(
        args=["accounts", "anonymise-inactive", "--days", str(DAYS), "--grace", str(GRACE)]
    )
    assert result.exit_code == 0, result.output
    assert "2 compte(s) anonymisé(s)." in result.output
    db.session.expire_all()
    for user in (due, never):
        erased = db.session.get(User, user.id)
        assert erased.email == erased_email(user.id) and erased.display_name == ERASED_NAME
        assert not erased.active
    for user in (waiting, unwarned, came_back):
        assert db.session.get(User, user.id).email == user.email
    assert outbox("echu@example.test") == []
    assert db.session.get(Idea, idea.id).author_id == due.id
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.erase")).all()
    assert sorted(e.target_id for e in entries) == sorted([due.id, never.id])
    assert all(e.actor_id is None and e.details == {"by": "inactivity"} for e in entries)

    again = runner.invoke(
        args=["accounts", "anonymise-inactive", "--days", str(DAYS), "--grace", str(GRACE)]
    )
    assert "0 compte(s) anonymisé(s)." in again.output
