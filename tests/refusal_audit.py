"""Count the refused-write tests that check only a status (issue 17, point 2).

A request test "refuses a write" when it sends a POST/PUT/PATCH/DELETE and asserts a
4xx status code. Such a test must also show that the rows the write could have touched
are as before: either through `tests.helpers.unchanged(...)` or through an assertion
about something other than the HTTP responses (a row re-read, the outbox, a count...).
This script lists the tests that do neither; `tests/test_refusal_audit.py` keeps the
count at 0. Run it alone: ``python tests/refusal_audit.py``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent
WRITES = {"post", "put", "patch", "delete"}
# Names that stand for the HTTP client or a response in request tests.
CLIENTS = {"client", "other", "anon", "browser_client"}


def _is_refusal_status(node: ast.AST) -> bool:
    """`... .status_code == 4xx` (either side)."""
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return False
    if not isinstance(node.ops[0], ast.Eq):
        return False
    left, right = node.left, node.comparators[0]
    for a, b in ((left, right), (right, left)):
        if (
            isinstance(a, ast.Attribute)
            and a.attr == "status_code"
            and isinstance(b, ast.Constant)
            and isinstance(b.value, int)
            and 400 <= b.value < 500
        ):
            return True
    return False


def _writes(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in WRITES
        for n in ast.walk(node)
    )


def _refused_writes(func: ast.AST) -> list[ast.Assert]:
    """The assertions of a 4xx status on the answer to a write.

    The write is either inside the assertion or bound to a name the assertion reads
    (``r = client.post(...)`` then ``assert r.status_code == 403``).
    """
    written = {
        t.id
        for n in ast.walk(func)
        if isinstance(n, ast.Assign) and _is_client_call(n.value) and _writes(n.value)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    found = []
    for node in ast.walk(func):
        if not isinstance(node, ast.Assert):
            continue
        if not any(_is_refusal_status(n) for n in ast.walk(node.test)):
            continue
        names = {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)}
        if _writes(node.test) or names & written:
            found.append(node)
    return found


def _response_names(func: ast.AST) -> set[str]:
    """Names bound to what a client call returns (``r = client.post(...)``)."""
    names: set[str] = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and _is_client_call(node.value):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _is_client_call(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    owner = node.func.value
    return isinstance(owner, ast.Name) and (owner.id in CLIENTS or owner.id.endswith("client"))


def _about_state(test: ast.AST, assertion: ast.Assert, responses: set[str]) -> bool:
    """True when the assertion reads no HTTP response: a row, the outbox, a count..."""
    for node in ast.walk(assertion.test):
        if isinstance(node, ast.Call) and _is_client_call(node):
            return False
        if isinstance(node, ast.Name) and (
            node.id in responses or node.id in CLIENTS or node.id.endswith("client")
        ):
            return False
    return True


def _uses_unchanged(func: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call)
        and (
            (isinstance(n.func, ast.Name) and n.func.id == "unchanged")
            or (isinstance(n.func, ast.Attribute) and n.func.attr == "unchanged")
        )
        for n in ast.walk(func)
    )


def status_only_refusals(paths: list[Path], root: Path = ROOT.parent) -> Iterator[str]:
    for path in paths:
        tree = ast.parse(path.read_text(), str(path))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if not func.name.startswith("test_"):
                continue
            if not _refused_writes(func):
                continue
            asserts = [n for n in ast.walk(func) if isinstance(n, ast.Assert)]
            if _uses_unchanged(func):
                continue
            responses = _response_names(func)
            if any(_about_state(func, a, responses) for a in asserts):
                continue
            yield f"{path.relative_to(root)}::{func.name}"


def request_test_files() -> list[Path]:
    return sorted((ROOT / "requests").glob("test_*.py")) + sorted(ROOT.glob("test_*races.py"))


def main() -> int:
    found = list(status_only_refusals(request_test_files()))
    for name in found:
        print(name)
    print(f"{len(found)} refused-write tests check only a status")
    return 0


if __name__ == "__main__":
    sys.exit(main())
