"""Every refused write in the request tests also shows the database unchanged (issue 17)."""

from __future__ import annotations

import ast

import pytest

from ideation.ideas.models import Support
from tests.factories import make_challenge, make_idea, make_org, make_user
from tests.helpers import unchanged
from tests.refusal_audit import request_test_files, status_only_refusals


def test_no_refused_write_is_checked_by_its_status_alone():
    assert list(status_only_refusals(request_test_files())) == []


def test_the_audit_sees_a_status_only_refusal(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "def test_a(client):\n"
        "    assert client.post('/x').status_code == 403\n"
        "def test_b(client, db):\n"
        "    r = client.post('/x')\n"
        "    assert r.status_code == 400\n"
        "    assert 'Erreur' in r.text\n"
        "def test_c(client, idea):\n"
        "    assert client.post('/x').status_code == 403\n"
        "    assert idea.status == 'draft'\n"
        "def test_d(client):\n"
        "    with unchanged():\n"
        "        assert client.post('/x').status_code == 404\n"
        "def test_e(client):\n"
        "    assert client.get('/x').status_code == 403\n"
    )
    ast.parse(sample.read_text())
    found = [name.rsplit("::", 1)[1] for name in status_only_refusals([sample], root=tmp_path)]
    assert found == ["test_a", "test_b"]


def test_unchanged_sees_what_a_request_commits(client, db, login):
    """The helper is not vacuous: a write that succeeds fails it."""
    org = make_org()
    challenge = make_challenge(org=org, phase="ideation")
    idea = make_idea(challenge, status="published")
    db.session.commit()
    login(make_user("tenant", org=org))
    with pytest.raises(AssertionError, match="table supports changed"):
        with unchanged(Support):
            response = client.post(f"/idees/{idea.id}/soutien", data={"action": "add"})
            assert response.status_code == 302


def test_each_request_expects_one_status():
    """No `status_code in (..., ...)`: a test that accepts two answers pins neither."""
    loose = [
        f"{path.name}:{node.lineno}"
        for path in request_test_files()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Attribute)
        and node.left.attr == "status_code"
        and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
    ]
    assert loose == []
