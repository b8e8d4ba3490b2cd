"""Hostile inputs (OWASP XSS filter-evasion cheat sheet) in comments, replies, report texts,
moderation reasons and team answers: stored, shown, never executable, never a 500."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.factories import make_challenge, make_comment, make_idea, make_org, make_user

PAYLOADS = [
    line
    for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt").read_text().splitlines()
    if line.strip()
]


class _Inspector(HTMLParser):
    """Collects every real tag or attribute of a page that could run script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag == "script" and not any(
            k == "src" and (v or "").startswith("/static/") for k, v in attrs
        ):
            self.found.append(f"<script> {attrs}")
        if tag in {"iframe", "object", "embed", "base"} or (
            tag == "meta" and any(k == "http-equiv" for k, _ in attrs)
        ):
            self.found.append(f"<{tag}> {attrs}")
        for name, value in attrs:
            compact = re.sub(r"[\s\x00-\x20]+", "", (value or "")).lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "background", "action", "formaction"} and compact.startswith(
                ("javascript:", "vbscript:", "data:text")
            ):
                self.found.append(f"<{tag} {name}={value!r}>")


def _safe(html: str) -> None:
    inspector = _Inspector()
    inspector.feed(html)
    assert not inspector.found, inspector.found


def test_payload_file_has_about_thirty_entries():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_comment_and_report_are_inert(client, db, login, payload):
    org = make_org("Bailleur")
    challenge = make_challenge(org=org, title="Défi", slug="defi")
    idea = make_idea(challenge, title="Idée", summary="Résumé", body="Texte")
    parent = make_comment(idea, body="Parent")
    tenant = make_user("tenant", org=org, display_name="Locataire")
    facilitator = make_user("facilitator", org=org, display_name="Animatrice")
    login(tenant)
    # every payload is kept as text: the comment and the reply are stored (redirect)
    assert client.post(f"/idees/{idea.id}/commentaires", data={"body": payload}).status_code == 302
    assert (
        client.post(f"/commentaires/{parent.id}/repondre", data={"body": payload}).status_code
        == 302
    )
    assert (
        client.post(
            f"/idees/{idea.id}/signaler", data={"reason": "other", "details": payload}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/commentaires/{parent.id}/signaler", data={"reason": payload[:20], "details": payload}
        ).status_code
        == 200
    )
    page = client.get(f"/idees/{idea.id}")
    assert page.status_code == 200
    _safe(page.text)
    client.post("/deconnexion")
    login(facilitator)
    for path in (
        "/moderation?onglet=signalements",
        f"/moderation/idees/{idea.id}",
        f"/moderation/commentaires/{parent.id}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        _safe(response.text)
    hidden = client.post(f"/moderation/idees/{idea.id}/masquer", data={"hide-reason": payload})
    assert hidden.status_code == 302
    answer = client.post(f"/moderation/idees/{idea.id}/reponse", data={"answer-answer": payload})
    # the landlord's own facilitator may answer: the answer is stored, shown inert below
    assert answer.status_code == 302
    for path in (
        f"/moderation/idees/{idea.id}",
        "/moderation/journal",
        "/moderation?onglet=masques",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        _safe(response.text)
    client.post("/deconnexion")
    login(idea.author)
    for path in (f"/idees/{idea.id}", "/notifications"):
        response = client.get(path)
        assert response.status_code == 200
        _safe(response.text)


def test_template_syntax_stays_literal(client, db, login):
    org = make_org()
    idea = make_idea(make_challenge(org=org))
    login(make_user("tenant", org=org))
    client.post(f"/idees/{idea.id}/commentaires", data={"body": "Calcul {{7*7}} et {% raw %}"})
    page = client.get(f"/idees/{idea.id}").text
    assert "{{7*7}}" in page and "{% raw %}" in page


@pytest.mark.parametrize(
    "markup",
    [
        "<img src=x onerror=alert(1)>",
        '<a href=" java script:alert(1)">x</a>',
        "<script>alert(1)</script>",
        '<a href="JAVASCRIPT:alert(1)">x</a>',
    ],
)
def test_the_inspector_catches_live_markup(markup):
    with pytest.raises(AssertionError):
        _safe(markup)
