"""Every template parses: a broken tag (a merge that lost an endif) fails here, in a
second, rather than on the one page that renders it."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "templates").rglob("*.html"))


@pytest.fixture(scope="module")
def env():
    # The extensions the app's environment has (ideation/app.py, Flask-Babel): parsing
    # needs no app, no database.
    return jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.i18n"])


def test_there_are_templates():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_template_parses(env, path):
    env.parse(path.read_text(encoding="utf-8"))
