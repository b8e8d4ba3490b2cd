"""Every design document a comment cites exists, and so does the section it names.

Code comments cite the design in the repository as ``docs/<file>.md`` with an optional
``#anchor`` (for example docs/domain.md#ranked-vote). The anchor is the heading's
GitHub slug, so the link also works when the file is read on a forge. This test finds
every such citation in the code, templates and tests and fails on a missing file or
an anchor that matches no heading, so a renamed heading cannot silently orphan the
comments that point at it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Where citations are looked for: the code, the templates, the tests, and the few
# top-level files that carry comments too.
SCANNED = ("ideation", "templates", "tests", "bench", ".ci", "config.py", "Makefile")
SUFFIXES = {".py", ".html", ".jinja", ".j2", ".txt", ".js", ".css", ".md", ".sh", ""}
SKIPPED_DIRS = {"__pycache__", ".venv", "node_modules", "translations"}

# "docs/<path>.md" not glued to a longer path, then an optional "#anchor". An anchor
# never ends with the sentence's full stop because "." is not a slug character.
CITATION = re.compile(r"(?<![\w/.-])docs/((?:[\w-]+/)*[\w.-]+\.md)(?:#([\w-]+))?")
# The shared design files that lived outside the repository, by their old names.
OLD_NAMES = re.compile(r"(?<![\w/])(?:DOMAIN|SECURITY|STYLE)\.md")

HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
SAME_FILE_LINK = re.compile(r"\]\(#([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: link text kept, lower case, punctuation dropped,
    each space a hyphen (github-slugger's rule; Python's \\w keeps accented letters)."""
    text = LINK.sub(r"\1", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """The anchors a Markdown text defines: one per heading (repeats numbered -1, -2…,
    as GitHub does), plus explicit <a id> / <a name> anchors. Fenced code is skipped."""
    found: set[str] = set(HTML_ANCHOR.findall(markdown))
    seen: dict[str, int] = {}
    fence: str | None = None
    for line in markdown.splitlines():
        opening = FENCE.match(line)
        if opening:
            marker = opening.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def scanned_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix in SUFFIXES
                and not SKIPPED_DIRS.intersection(p.relative_to(root).parts)
            )
    return files


def citations(root: Path) -> list[tuple[str, int, str, str | None]]:
    """(file, line, cited document, anchor or None) for every citation under `root`."""
    found = []
    for path in scanned_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a binary fixture carries no comments
        for number, line in enumerate(text.splitlines(), 1):
            for match in CITATION.finditer(line):
                where = str(path.relative_to(root))
                found.append((where, number, match.group(1), match.group(2)))
    return found


def problems(root: Path, cited: list[tuple[str, int, str, str | None]]) -> list[str]:
    """One sentence per citation that does not resolve inside `root`."""
    wrong = []
    known: dict[str, set[str] | None] = {}
    for where, number, document, anchor in cited:
        if document not in known:
            target = root / "docs" / document
            known[document] = anchors(target.read_text("utf-8")) if target.is_file() else None
        defined = known[document]
        if defined is None:
            wrong.append(f"{where}:{number}: docs/{document} does not exist")
        elif anchor is not None and anchor not in defined:
            wrong.append(f"{where}:{number}: docs/{document} has no heading #{anchor}")
    return wrong


# --------------------------------------------------------------------- the repository


def test_every_design_document_cited_in_the_code_resolves() -> None:
    cited = citations(ROOT)
    # The comments rewritten to cite the domain document are found: the scan works.
    assert any(document == "domain.md" and anchor for _, _, document, anchor in cited)
    assert problems(ROOT, cited) == []


def test_no_comment_cites_a_design_file_outside_the_repository() -> None:
    stale = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in scanned_files(ROOT)
        if path.suffix in {".py", ".html", ".jinja", ".j2", ".js", ".css", ".sh", ""}
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if OLD_NAMES.search(line)
    ]
    assert stale == []


@pytest.mark.parametrize("document", sorted(p.name for p in (ROOT / "docs").glob("*.md")))
def test_links_inside_a_design_document_point_at_its_own_headings(document: str) -> None:
    text = (ROOT / "docs" / document).read_text("utf-8")
    defined = anchors(text)
    assert [a for a in SAME_FILE_LINK.findall(text) if a not in defined] == []


# ----------------------------------------------------------------------- the checker

D = "docs"  # keeps the examples below from being read as citations of this repository


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Roles", "roles"),
        ("What each role may do", "what-each-role-may-do"),
        ("E-mails and cookies", "e-mails-and-cookies"),
        ("Ties and tie-breaks", "ties-and-tie-breaks"),
        ("Vote: ballots & receipts", "vote-ballots--receipts"),
        ("`Ballot` integrity", "ballot-integrity"),
        ("Données collectées", "données-collectées"),
        ("See [the code](https://example.org) here", "see-the-code-here"),
    ],
)
def test_slug_follows_githubs_rule(heading: str, expected: str) -> None:
    assert slug(heading) == expected


def test_repeated_headings_are_numbered_and_code_blocks_ignored() -> None:
    text = "# Votes\n## Votes\n```\n## Not a heading\n```\n### Votes ###\n"
    assert anchors(text) == {"votes", "votes-1", "votes-2"}


def test_a_missing_document_and_a_wrong_anchor_are_reported(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "rules.md").write_text("# Rules\n\n## Ranked vote\n", "utf-8")
    (tmp_path / "ideation").mkdir()
    (tmp_path / "ideation" / "x.py").write_text(
        f"# See {D}/rules.md#ranked-vote and {D}/rules.md.\n"
        f"# See {D}/rules.md#ranked-votes, {D}/absent.md#a and {D}/absent.md.\n",
        "utf-8",
    )
    cited = citations(tmp_path)
    assert [(line, doc, anchor) for _, line, doc, anchor in cited] == [
        (1, "rules.md", "ranked-vote"),
        (1, "rules.md", None),
        (2, "rules.md", "ranked-votes"),
        (2, "absent.md", "a"),
        (2, "absent.md", None),
    ]
    assert problems(tmp_path, cited) == [
        f"ideation/x.py:2: {D}/rules.md has no heading #ranked-votes",
        f"ideation/x.py:2: {D}/absent.md does not exist",
        f"ideation/x.py:2: {D}/absent.md does not exist",
    ]
