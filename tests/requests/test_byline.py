"""The author's byline (templates/macros/people.html): read from the user row when the
page is drawn, so an erased account reads « Participant·e supprimé·e » everywhere."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale

from ideation.privacy.services import erase_account
from tests.factories import HOSTILE, make_comment, make_idea, make_user

BYLINE = '{% from "macros/people.html" import byline %}{{ byline(user) }}'


def _byline(app, user, locale: str = "fr") -> str:
    with app.test_request_context("/"), force_locale(locale):
        return render_template_string(BYLINE, user=user)


def test_byline_shows_the_display_name_escaped(app, db):
    user = make_user(display_name=f"Amina {HOSTILE}")
    shown = _byline(app, user)
    assert shown.startswith("Amina &lt;script&gt;") and "<script>" not in shown


def test_byline_of_an_erased_user_is_the_erased_label(app, db):
    user = make_user(display_name="Amina K.")
    erase_account(user, actor=None)
    db.session.flush()
    assert user.is_erased
    assert _byline(app, user) == "Participant·e supprimé·e"


def test_byline_of_an_erased_user_is_translated(app, db):
    user = make_user(display_name="Amina K.")
    erase_account(user, actor=None)
    assert _byline(app, user, "en") == "Deleted participant"


def test_byline_of_a_vanished_author_is_the_erased_label(app, db):
    assert _byline(app, None) == "Participant·e supprimé·e"


@pytest.mark.parametrize("where", ["idea", "comment"])
def test_erasure_reaches_idea_and_comment_bylines_at_display_time(client, db, where):
    author = make_user(display_name="Bruno Durand")
    idea_author = author if where == "idea" else make_user(display_name="Chantal")
    idea = make_idea(author=idea_author, title="Un banc")
    if where == "comment":
        make_comment(idea, author, body="Je propose un banc")
    db.session.commit()
    before = client.get(f"/idees/{idea.id}").text
    assert "Bruno Durand" in before
    erase_account(author, actor=None)
    db.session.commit()
    after = client.get(f"/idees/{idea.id}").text
    assert "Bruno Durand" not in after and "Participant·e supprimé·e" in after
