"""The moderation queue and its actions: role × scope, reasons, merge counts, shortlist and answer."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ideation.comments.models import Comment
from ideation.core.audit import AuditEntry
from ideation.domain.roles import OrganisationKind
from ideation.ideas.models import Idea, IdeaAnswer, Support
from ideation.moderation.models import Report, ReportStatus
from ideation.notifications.models import Notification, NotificationKind
from tests.factories import (
    make_challenge,
    make_comment,
    make_idea,
    make_org,
    make_report,
    make_support,
    make_user,
)
from tests.helpers import unchanged


def _kinds(db, user) -> list[NotificationKind]:
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def _audit(db) -> list[tuple[str, str]]:
    return list(
        db.session.execute(
            select(AuditEntry.action, AuditEntry.reason).order_by(AuditEntry.id)
        ).all()
    )


@pytest.fixture
def landlord(db):
    """A landlord with its own facilitator, a challenge with a pending and a published idea."""
    org = make_org("Bailleur Un")
    challenge = make_challenge(org=org, slug="defi-un")
    author = make_user("tenant", org=org)
    return {
        "org": org,
        "challenge": challenge,
        "author": author,
        "pending": make_idea(challenge, author, status="submitted", title="Idée en attente"),
        "published": make_idea(challenge, author, status="published", title="Idée publiée"),
        "facilitator": make_user("facilitator", org=org),
    }


# --- who sees the queue ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["tenant", "staff", "bailleur"])
def test_queue_is_refused_to_non_moderators(client, db, as_role, role):
    as_role(role)
    assert client.get("/moderation").status_code == 403
    assert client.get("/moderation/journal").status_code == 403


def test_queue_is_scoped_to_the_facilitators_organisation(client, db, login, landlord):
    other_org = make_org("Bailleur Deux")
    other = make_idea(make_challenge(org=other_org), status="submitted", title="Idée ailleurs")
    regional_idea = make_idea(make_challenge(org=None), status="submitted", title="Idée régionale")
    login(landlord["facilitator"])
    page = client.get("/moderation").text
    assert (
        "Idée en attente" in page and "Idée ailleurs" not in page and "Idée régionale" not in page
    )
    assert client.get(f"/moderation/idees/{other.id}").status_code == 403
    with unchanged():
        assert client.post(f"/moderation/idees/{other.id}/publier").status_code == 403
    assert client.get(f"/moderation/idees/{regional_idea.id}").status_code == 403


@pytest.mark.parametrize("role", ["facilitator", "admin"])
def test_regional_facilitator_and_admin_see_everything(client, db, login, landlord, role):
    make_idea(make_challenge(org=make_org()), status="submitted", title="Idée ailleurs")
    regional = make_org("Région", kind=OrganisationKind.REGIONAL)
    login(make_user(role, org=regional))
    page = client.get("/moderation").text
    assert "Idée en attente" in page and "Idée ailleurs" in page


def test_nav_shows_moderation_with_the_waiting_count(client, db, login, landlord):
    make_report(landlord["published"], make_user("tenant", org=landlord["org"]))
    login(landlord["facilitator"])
    page = client.get("/").text
    assert "Modération" in page and '>2<span class="visually-hidden"> en attente' in page


def test_tenant_has_no_moderation_entry(client, db, as_role):
    as_role("tenant")
    assert "/moderation" not in client.get("/").text


# --- publish and reject -------------------------------------------------------------------


def test_publish_from_the_queue_is_audited_and_notified(client, db, login, landlord):
    login(landlord["facilitator"])
    idea = landlord["pending"]
    assert client.post(f"/moderation/idees/{idea.id}/publier").status_code == 302
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status.value == "published"
    assert _audit(db) == [("idea.publish", "")]
    assert _kinds(db, landlord["author"]) == [NotificationKind.IDEA_PUBLISHED]


def test_publish_from_the_idea_page_uses_the_one_publish_url_and_comes_back(
    client, db, login, landlord
):
    idea_id = landlord["pending"].id
    login(landlord["facilitator"])
    page = client.get(f"/idees/{idea_id}").text
    assert f'action="/moderation/idees/{idea_id}/publier"' in page
    assert f'action="/idees/{idea_id}/publier"' not in page
    response = client.post(
        f"/moderation/idees/{idea_id}/publier", data={"next": f"/idees/{idea_id}"}
    )
    assert response.status_code == 302 and response.location == f"/idees/{idea_id}"
    assert _audit(db) == [("idea.publish", "")]
    assert client.post(f"/idees/{idea_id}/publier").status_code == 404


def test_reject_needs_a_reason_shown_to_the_author(client, db, login, landlord):
    idea = landlord["pending"]
    login(landlord["facilitator"])
    response = client.post(f"/moderation/idees/{idea.id}/refuser", data={"reject-reason": "  "})
    assert response.status_code == 400 and "Indiquez la raison" in response.text
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status.value == "submitted"
    response = client.post(
        f"/moderation/idees/{idea.id}/refuser",
        data={"reject-reason": "Cette idée existe déjà dans le défi."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status.value == "rejected"
    assert _audit(db) == [("idea.reject", "Cette idée existe déjà dans le défi.")]
    assert _kinds(db, landlord["author"]) == [NotificationKind.IDEA_REJECTED]
    client.post("/deconnexion")
    login(landlord["author"])
    assert "Cette idée existe déjà dans le défi." in client.get(f"/idees/{idea.id}").text


def test_reject_of_a_published_idea_is_refused(client, db, login, landlord):
    login(landlord["facilitator"])
    with unchanged():
        response = client.post(
            f"/moderation/idees/{landlord['published'].id}/refuser", data={"reject-reason": "x"}
        )
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["tenant", "staff", "bailleur"])
def test_actions_are_refused_to_other_roles(client, db, login, landlord, role):
    login(make_user(role, org=landlord["org"]))
    idea = landlord["published"]
    for path, data in [
        (f"/moderation/idees/{landlord['pending'].id}/publier", {}),
        (f"/moderation/idees/{landlord['pending'].id}/refuser", {"reject-reason": "x"}),
        (f"/moderation/idees/{idea.id}/masquer", {"hide-reason": "x"}),
        (f"/moderation/idees/{idea.id}/retenir", {}),
        (f"/moderation/idees/{idea.id}/reponse", {"answer-answer": "x"}),
        (f"/moderation/idees/{idea.id}/classer", {}),
    ]:
        assert client.post(path, data=data).status_code == 403, path
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


# --- hide, restore, dismiss -------------------------------------------------------------------


def test_hide_and_restore_an_idea_with_reasons(client, db, login, landlord):
    idea = landlord["published"]
    report = make_report(idea, make_user("tenant", org=landlord["org"]))
    login(landlord["facilitator"])
    response = client.post(f"/moderation/idees/{idea.id}/masquer", data={"hide-reason": ""})
    assert response.status_code == 400
    assert (
        client.post(
            f"/moderation/idees/{idea.id}/masquer",
            data={"hide-reason": "Données personnelles d'un voisin"},
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).hidden_at is not None
    assert db.session.get(Report, report.id).status == ReportStatus.UPHELD
    assert _kinds(db, landlord["author"]) == [NotificationKind.IDEA_HIDDEN]
    assert (
        client.post(
            f"/moderation/idees/{idea.id}/retablir",
            data={"restore-reason": "Le texte a été corrigé"},
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).hidden_at is None
    assert [a for a, _ in _audit(db)] == ["idea.hide", "idea.restore"]


def test_dismiss_closes_reports_and_shows_the_hidden_comment_again(client, db, login, landlord):
    comment = make_comment(landlord["published"], body="Texte correct")
    from ideation.db_types import utcnow

    comment.hidden_at = utcnow()
    comment.hidden_reason = "Masqué après 3 signalements"
    reports = [make_report(comment, make_user("tenant", org=landlord["org"])) for _ in range(3)]
    login(landlord["facilitator"])
    page = client.get("/moderation?onglet=signalements").text
    assert "Texte correct" in page and "3 signalements" in page
    assert client.post(f"/moderation/commentaires/{comment.id}/classer", data={}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).hidden_at is None
    assert {db.session.get(Report, r.id).status for r in reports} == {ReportStatus.DISMISSED}
    assert db.session.get(Idea, landlord["published"].id).comments_count == 1
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "reports.dismiss" and entry.details == {"reports": 3}


def test_hide_and_restore_a_comment(client, db, login, landlord):
    writer = make_user("tenant", org=landlord["org"])
    comment = make_comment(landlord["published"], writer)
    login(landlord["facilitator"])
    assert client.get(f"/moderation/commentaires/{comment.id}").status_code == 200
    assert (
        client.post(
            f"/moderation/commentaires/{comment.id}/masquer",
            data={"hide-reason": "Propos blessants"},
        ).status_code
        == 302
    )
    assert _kinds(db, writer) == [NotificationKind.COMMENT_HIDDEN]
    assert (
        client.post(
            f"/moderation/commentaires/{comment.id}/retablir", data={"restore-reason": ""}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/moderation/commentaires/{comment.id}/retablir", data={"restore-reason": "Erreur"}
        ).status_code
        == 302
    )
    assert [a for a, _ in _audit(db)] == ["comment.hide", "comment.restore"]


def test_hidden_tab_lists_hidden_items(client, db, login, landlord):
    from ideation.db_types import utcnow

    landlord["published"].hidden_at = utcnow()
    landlord["published"].hidden_reason = "Spam"
    login(landlord["facilitator"])
    page = client.get("/moderation?onglet=masques").text
    assert "Idée publiée" in page and "Spam" in page


# --- merge ------------------------------------------------------------------------------------


def test_merge_moves_supports_counting_a_supporter_of_both_once(client, db, login, landlord):
    challenge = landlord["challenge"]
    source = landlord["published"]
    target = make_idea(challenge, title="Idée cible")
    both = make_user("tenant", org=landlord["org"])
    only_source = [make_user("tenant", org=landlord["org"]) for _ in range(2)]
    only_target = make_user("tenant", org=landlord["org"])
    for user in [both, *only_source]:
        make_support(source, user)
    for user in [both, only_target]:
        make_support(target, user)
    make_comment(source, body="Commentaire gardé")
    login(landlord["facilitator"])
    response = client.post(
        f"/moderation/idees/{source.id}/regrouper",
        data={"merge-target": target.id, "merge-reason": "Même proposition"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    target = db.session.get(Idea, target.id)
    source = db.session.get(Idea, source.id)
    assert target.supports_count == 4  # both, two from the source, one of its own
    assert (
        db.session.scalar(
            select(func.count()).select_from(Support).where(Support.idea_id == target.id)
        )
        == 4
    )
    assert source.status.value == "merged" and source.merged_into_id == target.id
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "idea.merge" and entry.reason == "Même proposition"
    assert entry.details["into"] == target.id and entry.details["supports_moved"] == 2
    assert _kinds(db, landlord["author"]) == [NotificationKind.IDEA_MERGED]
    client.post("/deconnexion")
    page = client.get(f"/idees/{source.id}").text
    assert (
        "Idée cible" in page
        and f'href="/idees/{target.id}"' in page
        and "Commentaire gardé" in page
    )


def test_merge_needs_a_target_of_the_same_challenge_and_a_reason(client, db, login, landlord):
    source = landlord["published"]
    elsewhere = make_idea(make_challenge(org=landlord["org"]), title="Autre défi")
    login(landlord["facilitator"])
    for data in (
        {"merge-target": elsewhere.id, "merge-reason": "x"},
        {"merge-target": source.id, "merge-reason": "x"},
        {"merge-target": 0, "merge-reason": "x"},
        {"merge-target": "abc", "merge-reason": "x"},
    ):
        response = client.post(f"/moderation/idees/{source.id}/regrouper", data=data)
        assert response.status_code == 400, data
        assert "avec laquelle regrouper" in response.text
    target = make_idea(landlord["challenge"])
    response = client.post(
        f"/moderation/idees/{source.id}/regrouper",
        data={"merge-target": target.id, "merge-reason": ""},
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Idea, source.id).status.value == "published"


# --- shortlist and answer ---------------------------------------------------------------------------


def test_shortlist_in_review_with_a_public_answer(client, db, login, landlord):
    challenge = make_challenge(org=landlord["org"], phase="review")
    idea = make_idea(challenge, landlord["author"], title="À retenir")
    login(landlord["facilitator"])
    response = client.post(
        f"/moderation/idees/{idea.id}/retenir",
        data={"shortlist-answer": "Bonne idée, **faisable** dès le printemps."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status.value == "shortlisted"
    assert _kinds(db, landlord["author"]) == [
        NotificationKind.IDEA_SHORTLISTED,
        NotificationKind.IDEA_ANSWERED,
    ]
    assert [a for a, _ in _audit(db)] == ["idea.shortlist", "idea.answer"]
    client.post("/deconnexion")
    page = client.get(f"/idees/{idea.id}").text
    assert "Réponse de l'équipe" in page and "<strong>faisable</strong>" in page


def test_answer_can_be_written_and_changed(client, db, login, landlord):
    idea = landlord["published"]
    login(landlord["facilitator"])
    assert (
        client.post(f"/moderation/idees/{idea.id}/reponse", data={"answer-answer": ""}).status_code
        == 400
    )
    assert (
        client.post(
            f"/moderation/idees/{idea.id}/reponse", data={"answer-answer": "Première"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/moderation/idees/{idea.id}/reponse", data={"answer-answer": "Seconde"}
        ).status_code
        == 302
    )
    answers = db.session.scalars(select(IdeaAnswer)).all()
    assert len(answers) == 1 and answers[0].body_source == "Seconde"


def test_shortlist_is_refused_once_the_vote_is_open(client, db, login, landlord):
    idea = make_idea(make_challenge(org=landlord["org"], phase="voting"))
    login(landlord["facilitator"])
    with unchanged():
        assert client.post(f"/moderation/idees/{idea.id}/retenir", data={}).status_code == 403


# --- query budget ----------------------------------------------------------------------------


@pytest.mark.parametrize("tab", ["attente", "signalements", "masques"])
def test_queue_issues_a_constant_number_of_queries(app, db, count_queries, tab):
    from ideation.db_types import utcnow
    from tests.conftest import _empty_tables

    counts = []
    for size in (2, 15):
        db.session.rollback()
        _empty_tables()
        org = make_org()
        challenge = make_challenge(org=org)
        facilitator = make_user("facilitator", org=org)
        for n in range(size):
            make_idea(challenge, status="submitted")
            idea = make_idea(challenge)
            make_report(idea, make_user("tenant", org=org))
            comment = make_comment(idea)
            make_report(comment, make_user("tenant", org=org))
            if n % 2:
                idea.hidden_at = utcnow()
                comment.hidden_at = utcnow()
        db.session.commit()
        client = app.test_client()
        client.post(
            "/connexion",
            data={"email": facilitator.email, "password": "un mot de passe de test solide"},
        )
        client.get(f"/moderation?onglet={tab}")
        with count_queries() as counter:
            assert client.get(f"/moderation?onglet={tab}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
