"""Per-user hourly limits on ideas, comments and reports: a clear French message, the text kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ideation.comments.models import Comment
from ideation.ideas.models import Idea
from ideation.moderation.models import Report
from tests.factories import (
    make_challenge,
    make_idea,
    make_org,
    make_residence,
    make_theme,
    make_user,
)


@pytest.fixture
def limits(app):
    keys = ("RATELIMIT_IDEAS", "RATELIMIT_COMMENTS", "RATELIMIT_REPORTS")
    saved = {k: app.config[k] for k in keys}
    yield lambda **values: app.config.update(values)
    app.config.update(saved)


def test_comments_over_the_limit_get_429_with_the_text_kept(client, db, login, limits):
    limits(RATELIMIT_COMMENTS="2 per hour")
    org = make_org()
    idea = make_idea(make_challenge(org=org))
    login(make_user("tenant", org=org))
    for n in range(2):
        assert (
            client.post(
                f"/idees/{idea.id}/commentaires", data={"body": f"Commentaire {n}"}
            ).status_code
            == 302
        )
    blocked = client.post(
        f"/idees/{idea.id}/commentaires", data={"body": "Mon troisième commentaire"}
    )
    assert blocked.status_code == 429
    assert "patienter" in blocked.text and "Mon troisième commentaire" in blocked.text
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 2


def test_comment_limit_is_per_user(client, db, login, limits):
    limits(RATELIMIT_COMMENTS="1 per hour")
    org = make_org()
    idea = make_idea(make_challenge(org=org))
    login(make_user("tenant", org=org))
    assert client.post(f"/idees/{idea.id}/commentaires", data={"body": "Un"}).status_code == 302
    client.post("/deconnexion")
    login(make_user("tenant", org=org))
    assert client.post(f"/idees/{idea.id}/commentaires", data={"body": "Deux"}).status_code == 302


def test_invalid_comments_do_not_count(client, db, login, limits):
    limits(RATELIMIT_COMMENTS="1 per hour")
    org = make_org()
    idea = make_idea(make_challenge(org=org))
    login(make_user("tenant", org=org))
    for _ in range(3):
        assert client.post(f"/idees/{idea.id}/commentaires", data={"body": ""}).status_code == 200
    assert client.post(f"/idees/{idea.id}/commentaires", data={"body": "Enfin"}).status_code == 302


def test_reports_over_the_limit_get_429_with_the_text_kept(client, db, login, limits):
    limits(RATELIMIT_REPORTS="1 per hour")
    org = make_org()
    challenge = make_challenge(org=org)
    first, second = make_idea(challenge), make_idea(challenge)
    login(make_user("tenant", org=org))
    assert client.post(f"/idees/{first.id}/signaler", data={"reason": "spam"}).status_code == 302
    blocked = client.post(
        f"/idees/{second.id}/signaler", data={"reason": "other", "details": "Mes précisions"}
    )
    assert blocked.status_code == 429
    assert "patienter" in blocked.text and "Mes précisions" in blocked.text
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1


def test_ideas_over_the_limit_get_429_with_the_text_kept(client, db, login, limits):
    limits(RATELIMIT_IDEAS="1 per hour")
    org = make_org()
    residence = make_residence(org)
    challenge = make_challenge(org=org)
    theme = make_theme()
    login(make_user("tenant", org=org, residence=residence))
    data = {
        "title": "Première idée",
        "summary": "Un résumé",
        "body": "",
        "theme_id": theme.id,
        "residence_id": 0,
        "save_draft": "1",
    }
    assert client.post(f"/defis/{challenge.slug}/idees/nouvelle", data=data).status_code == 302
    blocked = client.post(
        f"/defis/{challenge.slug}/idees/nouvelle",
        data={**data, "title": "Deuxième idée très travaillée"},
    )
    assert blocked.status_code == 429
    assert "patienter" in blocked.text and "Deuxième idée très travaillée" in blocked.text
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 1
