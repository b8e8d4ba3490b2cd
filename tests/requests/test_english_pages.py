"""The English site speaks English: the main pages, rendered for a reader who chose
English, carry no French text from the code (only what participants wrote)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ideation.auth.models import erased_email
from ideation.privacy.services import ERASED_NAME
from tests.factories import (
    make_challenge,
    make_comment,
    make_idea,
    make_org,
    make_pilot,
    make_report,
    make_user,
)
from tests.helpers import unchanged

TEXT = re.compile(r">([^<>]+)<")
ATTR = re.compile(r'(?:aria-label|title|placeholder|alt|data-[a-z-]+)="([^"]+)"')
PO = Path(__file__).parents[2] / "ideation/translations/en/LC_MESSAGES/messages.po"

# French that the English site showed before the templates were cleaned up.
KNOWN_LEFTOVERS = ["Participant·e supprimé·e", "participant·e supprimé·e", "«", "»", "Idea :"]


def page_texts(body: str) -> list[str]:
    """The words a reader sees or hears: text nodes and labelling attributes."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", body, flags=re.S)
    found = [html.unescape(t).strip() for t in TEXT.findall(body) + ATTR.findall(body)]
    return [t for t in found if re.search(r"[A-Za-zÀ-ÿ]{2}", t)]


def french_sentences() -> set[str]:
    """Every French source string whose English differs (placeholders left out)."""
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    out = set()
    for message in catalog:
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        if source and "%(" not in source and len(source) > 3 and target and target != source:
            out.add(source)
    return out


@pytest.fixture
def site(db):
    """One of everything the main pages show, written in English by its participants."""
    org = make_org("Landlord One")
    facilitator = make_user("facilitator", org=org, display_name="Fatou")
    facilitator.locale = "en"
    author = make_user("tenant", org=org, display_name="Amina")
    challenge = make_challenge(org=org, slug="challenge-one", title="Challenge one")
    published = make_idea(challenge, author, status="published", title="Idea one")
    pending = make_idea(challenge, author, status="submitted", title="Idea two")
    comment = make_comment(published, author)
    make_report(published, details="Looks like spam")
    make_report(comment)
    voting = make_challenge(org=org, slug="challenge-vote", phase="voting", title="Vote one")
    make_idea(voting, author, status="shortlisted", title="Idea three")
    # An erased author, as erasure leaves the row (see ideation/privacy).
    gone = make_user("tenant", org=org)
    gone.email, gone.display_name = erased_email(gone.id), ERASED_NAME
    make_idea(challenge, gone, status="published", title="Idea four")
    piloted = make_idea(challenge, author, status="piloted", title="Idea five")
    pilot = make_pilot(org, idea=piloted, title="Pilot one")
    db.session.commit()
    return {
        "facilitator": facilitator,
        "challenge": challenge,
        "published": published,
        "pending": pending,
        "comment": comment,
        "voting": voting,
        "pilot": pilot,
    }


def _pages(site) -> list[str]:
    c, v, p = site["challenge"], site["voting"], site["published"]
    return [
        "/",
        "/defis",
        f"/defis/{c.slug}",
        f"/defis/{c.slug}/gestion",
        f"/defis/{c.slug}/modifier",
        f"/idees/{p.id}",
        f"/idees/{site['pending'].id}",
        f"/idees/{p.id}/signaler",
        f"/defis/{v.slug}/vote",
        "/moderation",
        "/moderation?onglet=signalements",
        "/moderation?onglet=masques",
        f"/moderation/idees/{p.id}",
        f"/moderation/idees/{site['pending'].id}",
        f"/moderation/commentaires/{site['comment'].id}",
        "/moderation/journal",
        "/projets-pilotes",
        f"/projets-pilotes/{site['pilot'].id}",
        "/notifications",
        "/compte",
    ]


def test_main_pages_in_english_show_no_french_from_the_code(client, db, login, site):
    login(site["facilitator"])
    french = french_sentences()
    leftovers = {}
    for url in _pages(site):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.text, url
        texts = page_texts(response.text)
        found = [t for t in texts if t in french]
        found += [k for k in KNOWN_LEFTOVERS if any(k in t for t in texts)]
        if found:
            leftovers[url] = found
    assert leftovers == {}


def test_moderation_answers_in_english_show_no_french(client, db, login, site):
    """Errors, confirmations and the log after moderation actions, in English."""
    login(site["facilitator"])
    pending, published = site["pending"], site["published"]
    with unchanged():
        refused = client.post(f"/moderation/idees/{pending.id}/refuser", data={"reject-reason": ""})
        assert refused.status_code == 400
    assert "Reason for rejecting: " in refused.text and "Reason for rejecting :" not in refused.text
    hidden = client.post(
        f"/moderation/idees/{published.id}/masquer",
        data={"hide-reason": "Rude words"},
        follow_redirects=True,
    )
    assert "Idea hidden. Its author has been told." in hidden.text
    log = client.get("/moderation/journal").text
    assert "Idea:" in log and "Idea :" not in log and "Idée" not in log


def test_erased_author_is_named_in_english_on_the_english_site(client, db, login, site):
    login(site["facilitator"])
    page = client.get(f"/defis/{site['challenge'].slug}").text
    assert "Deleted participant" in page and ERASED_NAME not in page
