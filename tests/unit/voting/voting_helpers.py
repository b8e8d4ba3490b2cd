"""Shared paths and small builders for the voting unit tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURES = REPO_ROOT / "tests" / "data" / "ballots"
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
# A copy of the collapsed Burlington ballots (36 kB, with its licence note) ships with the
# tests, so a clone anywhere finds it; the shared folder is the fallback for the rest.
VENDORED_DATA = REPO_ROOT / "tests" / "data"


def examples(normal: int) -> int:
    """How many random profiles a property test draws: `normal`, at most
    FABRIQUE_HYPOTHESIS_EXAMPLES when it is set (`make mutation` runs each test once per
    mutant and asks for 40)."""
    cap = os.environ.get("FABRIQUE_HYPOTHESIS_EXAMPLES")
    return min(normal, int(cap)) if cap else normal


def shared_data(name: str) -> Path:
    """A data set from the repository copy or the shared folder; skipped when absent, except on CI."""
    path = VENDORED_DATA / name
    if not path.exists():
        path = SHARED_DATA / name
    if not path.exists():
        reason = f"données partagées absentes : {path}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


TENNESSEE = ("Memphis", "Nashville", "Chattanooga", "Knoxville")
TENNESSEE_BALLOTS = [
    (("Memphis", "Nashville", "Chattanooga", "Knoxville"), 42),
    (("Nashville", "Chattanooga", "Knoxville", "Memphis"), 26),
    (("Chattanooga", "Knoxville", "Nashville", "Memphis"), 15),
    (("Knoxville", "Chattanooga", "Nashville", "Memphis"), 17),
]
