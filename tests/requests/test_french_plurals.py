"""French plurals: 0 and 1 are singular ("0 soutien"), and every count has both forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ideation.ideas.models import Idea
from tests.factories import make_idea, make_user

ROOT = Path(__file__).resolve().parents[2] / "ideation" / "translations"
# Numbers that are not counts of things: percentages, ordinals, round numbers, a time.
NOT_COUNTS = re.compile(r"%\(num\)d ?%%|%\(num\)de\b|Tour %\(num\)d|%\(num\)d/")


def _catalogue(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def test_the_french_catalogue_has_the_french_rule_and_every_plural_message():
    template = _catalogue(ROOT / "messages.pot")
    french = _catalogue(ROOT / "fr" / "LC_MESSAGES" / "messages.po")
    assert french.plural_expr == "(n > 1)"
    plurals = {m.id for m in template if m.id and m.pluralizable}
    assert len(plurals) >= 15
    for msgid in plurals:
        entry = french.get(msgid)
        assert entry is not None, (
            f"{msgid[0]!r} missing from the French catalogue (make extract-messages)"
        )
        assert tuple(entry.string) == tuple(msgid)


def test_every_plural_message_has_its_two_english_forms():
    template = _catalogue(ROOT / "messages.pot")
    english = _catalogue(ROOT / "en" / "LC_MESSAGES" / "messages.po")
    for message in template:
        if message.id and message.pluralizable:
            entry = english.get(message.id)
            assert entry is not None and all(entry.string), message.id[0]


def test_every_count_in_a_message_is_phrased_in_both_forms():
    """A `_()` message with a count would read "1 idées" or "0 soutiens" in French."""
    template = _catalogue(ROOT / "messages.pot")
    singular_counts = [
        m.id
        for m in template
        if m.id and not m.pluralizable and "%(num)d" in NOT_COUNTS.sub("", m.id)
    ]
    assert singular_counts == []


@pytest.mark.parametrize(
    ("supports", "expected"), [(0, "0 soutien"), (1, "1 soutien"), (2, "2 soutiens")]
)
def test_the_idea_page_counts_supports_in_french(client, db, supports, expected):
    idea = make_idea(supports_count=supports)
    db.session.commit()
    page = client.get(f"/idees/{idea.id}").get_data(as_text=True)
    count = re.search(r'class="support-count"><strong>([^<]*)</strong>', page)
    assert count is not None and count.group(1) == expected
    assert db.session.get(Idea, idea.id).supports_count == supports


def test_english_keeps_the_english_rule(client, db, login):
    reader = make_user()
    reader.locale = "en"
    idea = make_idea(supports_count=0)
    db.session.commit()
    login(reader)
    page = client.get(f"/idees/{idea.id}").get_data(as_text=True)
    assert "<strong>0 supporters</strong>" in page
