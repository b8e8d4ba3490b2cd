"""Every template parses: a broken tag (a merge that lost an endif) fails here, in a
second, rather than on the one page that renders it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ideation.app import create_app

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "templates").rglob("*.html"))


@pytest.fixture(scope="module")
def env():
    return create_app("testing").jinja_env


def test_there_are_templates():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_template_parses(env, path):
    env.parse(path.read_text(encoding="utf-8"))
