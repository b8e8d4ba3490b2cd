"""`python -m ideation.recount` on every format, on bad files, and its imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ideation.domain.voting import Ballots, from_counts, tally
from ideation.domain.voting.formats import read_ballots, write_ballots

from .voting_helpers import REPO_ROOT, TENNESSEE, TENNESSEE_BALLOTS


def recount(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "ideation.recount", *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=60,
    )


@pytest.fixture
def profile() -> Ballots:
    ballots = list(TENNESSEE_BALLOTS) + [((("Memphis", "Knoxville"),), 3), ((), 2)]
    return from_counts(TENNESSEE, ballots)


@pytest.mark.parametrize("suffix", [".toi", ".blt", ".csv"])
@pytest.mark.parametrize("method", ["schulze", "irv", "borda"])
def test_recount_json_equals_the_tally(
    tmp_path: Path, profile: Ballots, suffix: str, method: str
) -> None:
    path = tmp_path / f"bulletins{suffix}"
    write_ballots(profile, path)
    done = recount(str(path), "--method", method, "--winners", "2", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == tally(profile, method, winners=2).to_json_dict()


def test_recount_accepts_an_explicit_tie_break(tmp_path: Path) -> None:
    path = tmp_path / "egalite.csv"
    write_ballots(from_counts("ABC", [(("A",), 1), (("B",), 1)]), path)
    done = recount(str(path), "--tie-break", "B,A,C", "--json")
    assert json.loads(done.stdout)["winners"] == ["B"]
    assert json.loads(done.stdout)["tie_break"] == ["B", "A", "C"]


def test_recount_prints_a_french_report(tmp_path: Path) -> None:
    path = tmp_path / "bulletins.toi"
    write_ballots(from_counts("ABC", [(("A", ("B", "C")), 2)]), path)
    done = recount(str(path))
    assert done.returncode == 0
    assert "Méthode : méthode de Schulze" in done.stdout
    assert "Nombre de bulletins : 2" in done.stdout
    assert "B, C (ex aequo)" in done.stdout
    assert "Gagnant·e : A" in done.stdout


def test_recount_of_a_malformed_file_exits_2_with_line_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "casse.blt"
    path.write_text('2 1\n1 1 2 0\n1 1 9 0\n0\n"A"\n"B"\n', encoding="utf-8")
    done = recount(str(path), "--json")
    assert done.returncode == 2
    assert "ligne 3 : candidat inconnu « 9 »" in done.stderr
    assert done.stdout == ""


def test_recount_of_a_missing_file_or_bad_tie_break_exits_2(tmp_path: Path) -> None:
    assert recount(str(tmp_path / "absent.csv")).returncode == 2
    path = tmp_path / "ok.csv"
    write_ballots(from_counts("AB", [(("A",), 1)]), path)
    assert recount(str(path), "--tie-break", "A,Z").returncode == 2


def test_recount_imports_neither_flask_nor_sqlalchemy() -> None:
    code = (
        "import sys, ideation.recount\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'sqlalchemy', 'flask_sqlalchemy', 'werkzeug', 'jinja2'))\n"
        "print(','.join(bad))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("suffix", [".toi", ".csv"])
def test_recounting_100000_ballots_takes_well_under_a_second(tmp_path: Path, suffix: str) -> None:
    rng = np.random.default_rng(2024)
    n, m = 100_000, 8
    order = rng.permuted(np.tile(np.arange(m), (n, 1)), axis=1)
    lengths = rng.integers(1, m + 1, n)
    ranks = np.where(order < lengths[:, None], order, m)
    big = Ballots([f"Idée {i}" for i in range(1, m + 1)], ranks)
    path = tmp_path / f"grand{suffix}"
    write_ballots(from_counts(big.candidates, big.rankings()), path)
    # Best of two runs, so that a busy shared machine does not make the test flaky.
    reading = min(_seconds(lambda: read_ballots(path)) for _ in range(2))
    for method in ("schulze", "irv", "borda"):
        counting = min(
            _seconds(lambda m=method: tally(read_ballots(path).ballots, m)) for _ in range(2)
        )
        assert counting < 1.0, f"{method}: {counting:.2f} s (lecture {reading:.2f} s)"
    assert tally(read_ballots(path).ballots, "irv").ballots == n


def _seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start
