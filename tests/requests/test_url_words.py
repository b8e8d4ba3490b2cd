"""Code uses English constants; the public URLs keep their French words (bookmarks, flyers)."""

from __future__ import annotations

import pytest

from ideation.dashboard.exports import ExportKind
from ideation.ideas.services import IdeaSort
from ideation.moderation.views import QueueTab
from tests.factories import make_challenge, make_idea, make_org, make_user


@pytest.mark.parametrize(
    ("constants", "words"),
    [
        (IdeaSort, {"hasard", "recentes", "soutenues", "discutees", "pertinence"}),
        (QueueTab, {"attente", "signalements", "masques"}),
        (ExportKind, {"idees", "projets", "participation"}),
    ],
)
def test_each_constant_keeps_its_public_url_word(constants, words):
    assert {member.value for member in constants} == words


def test_unknown_sort_word_falls_back_to_the_given_default():
    assert IdeaSort.from_url("id;drop", IdeaSort.RANDOM) is IdeaSort.RANDOM
    assert IdeaSort.from_url(None, IdeaSort.RANDOM) is IdeaSort.RANDOM
    assert IdeaSort.from_url("soutenues", IdeaSort.RANDOM) is IdeaSort.MOST_SUPPORTED


def test_unknown_queue_tab_shows_the_ideas_waiting_for_validation(client, db, login):
    org = make_org("Bailleur Un")
    challenge = make_challenge(org=org, slug="defi-un")
    make_idea(challenge, make_user("tenant", org=org), status="submitted", title="Idée en attente")
    login(make_user("facilitator", org=org))
    page = client.get("/moderation?onglet=inconnu").text
    assert "Idée en attente" in page


@pytest.mark.parametrize("path", ["autre.csv", "idees.xml", "ideas.csv"])
def test_unknown_export_word_is_not_found(client, db, login, path):
    login(make_user("bailleur", org=make_org("Bailleur Un")))
    assert client.get(f"/tableau-de-bord/export/{path}").status_code == 404
