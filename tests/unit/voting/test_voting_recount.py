"""`python -m ideation.recount` on every format, on bad files, and its imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ideation.domain.voting import Ballots, from_counts, tally
from ideation.domain.voting.formats import write_ballots

from .voting_helpers import REPO_ROOT, TENNESSEE, TENNESSEE_BALLOTS

pytestmark = pytest.mark.child_process


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


def test_recount_reports_the_ballots_per_channel_when_the_file_has_them(tmp_path: Path) -> None:
    with_channels = tmp_path / "canaux.csv"
    with_channels.write_text(
        "receipt,channel,ranking\nR1,en ligne,A > B\nR2,papier,B\nR3,papier,\nR4,bureau,A\n"
        "\ncandidate\nA\nB\n",
        encoding="utf-8",
    )
    done = recount(str(with_channels))
    assert done.returncode == 0, done.stderr
    assert "Nombre de bulletins : 4\n  par canal : en ligne 1, bureau 1, papier 2\n" in done.stdout
    # The JSON is the tally's own object, with or without the column.
    old = tmp_path / "ancien.csv"
    old.write_text(
        "receipt,ranking\nR1,A > B\nR2,B\nR3,\nR4,A\n\ncandidate\nA\nB\n", encoding="utf-8"
    )
    assert "par canal" not in recount(str(old)).stdout
    assert json.loads(recount(str(old), "--json").stdout) == json.loads(
        recount(str(with_channels), "--json").stdout
    )


def test_recount_of_a_bad_channel_exits_2_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "canal.csv"
    path.write_text("receipt,channel,ranking\nR1,urne,A\n\ncandidate\nA\n", encoding="utf-8")
    done = recount(str(path))
    assert done.returncode == 2
    assert "ligne 2 : canal inconnu « urne »" in done.stderr


def test_recount_of_a_malformed_file_exits_2_with_line_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "casse.blt"
    path.write_text('2 1\n1 1 2 0\n1 1 9 0\n0\n"A"\n"B"\n', encoding="utf-8")
    done = recount(str(path), "--json")
    assert done.returncode == 2
    assert "ligne 3 : candidat inconnu « 9 »" in done.stderr
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
