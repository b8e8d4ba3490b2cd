"""What templates get from views (issue 9): no query from a template, one error box."""

from __future__ import annotations

import re

from tests.factories import make_challenge, make_idea, make_org, make_pilot, make_user


def test_no_template_global_reads_the_database_for_the_idea_page(app):
    assert "pilot_for_idea" not in app.jinja_env.globals


def test_piloted_idea_page_links_to_its_pilot(client, db):
    org = make_org()
    idea = make_idea(make_challenge(org=org), status="piloted", title="Un jardin")
    pilot = make_pilot(org, idea=idea, title="Jardin partagé")
    db.session.commit()
    page = client.get(f"/idees/{idea.id}").text
    assert f'href="/projets-pilotes/{pilot.id}">Jardin partagé</a>' in page


def test_vote_errors_use_the_one_error_summary_linked_to_the_first_rank(client, db, login):
    org = make_org()
    challenge = make_challenge(org=org, slug="defi-vote", phase="voting")
    first = make_idea(challenge, status="shortlisted")
    make_idea(challenge, status="shortlisted")
    voter = make_user("tenant", org=org)
    login(voter)
    response = client.post("/defis/defi-vote/vote", data={f"rang-{first.id}": "9"})
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', response.text, re.S)
    assert summary is not None and "data-autofocus" in summary.group(0)
    assert f'<a href="#rang-{first.id}">' in summary.group(0)


def test_moderation_page_of_a_draft_is_refused(client, db, login):
    org = make_org()
    draft = make_idea(make_challenge(org=org), status="draft")
    login(make_user("facilitator", org=org))
    assert client.get(f"/moderation/idees/{draft.id}").status_code == 403
