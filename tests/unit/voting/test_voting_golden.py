"""The published JSON of each method, byte for byte, against fixed files.

`python -m ideation.recount --json` prints this object and the platform stores it as the
result's explanation; anyone recounting compares it with theirs, so its keys, their
order, the number formats (1.5 stays 1.5, 4 is never 4.0) and the French names are part
of the contract. The files in tests/data/golden/ were generated once from the code and
reviewed by hand (the reasoning is in each test's docstring); regenerate one only on
purpose: `FABRIQUE_WRITE_GOLDEN=1 pytest tests/unit/voting/test_voting_golden.py`.
"""

from __future__ import annotations

import json
import os

import pytest

from ideation import recount
from ideation.domain.voting import from_counts, registry, tally
from ideation.domain.voting.formats import write_ballots

from .voting_helpers import REPO_ROOT, TENNESSEE, TENNESSEE_BALLOTS

GOLDEN = REPO_ROOT / "tests" / "data" / "golden"

PROFILES = {
    # Tennessee (the textbook example) plus a tied ballot and two blank ballots.
    "tennessee": (
        TENNESSEE,
        [*TENNESSEE_BALLOTS, ((("Memphis", "Knoxville"),), 3), ((), 2)],
        2,
        None,
    ),
    # A split first place gives fractional counts; equal last places use the tie-break.
    "entraide": (
        ("Jardin", "Bricothèque", "Café", "Navette"),
        [
            ((("Jardin", "Bricothèque"),), 3),
            ((("Café",), ("Jardin",)), 2),
            ((("Bricothèque",),), 1),
            ((("Navette",), ("Café", "Jardin")), 2),
            ((("Navette",),), 1),
        ],
        3,
        ["Café", "Navette", "Jardin", "Bricothèque"],
    ),
}
CASES = [(name, method) for name in PROFILES for method in ("schulze", "irv", "borda")]


def published(name: str, method: str) -> bytes:
    """The bytes `python -m ideation.recount --json` writes for this profile and method."""
    candidates, ballots, winners, tie_break = PROFILES[name]
    result = tally(from_counts(candidates, ballots), method, winners=winners, tie_break=tie_break)
    return (json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n").encode("utf-8")


@pytest.mark.parametrize("name, method", CASES)
def test_published_json_is_byte_for_byte_the_golden_file(name, method):
    path = GOLDEN / f"{name}-{method}.json"
    if os.environ.get("FABRIQUE_WRITE_GOLDEN") == "1":
        path.write_bytes(published(name, method))
    assert published(name, method) == path.read_bytes()


@pytest.mark.parametrize("method", ["schulze", "irv", "borda"])
def test_the_recount_command_prints_the_golden_file(tmp_path, capsys, method):
    candidates, ballots, winners, _ = PROFILES["tennessee"]
    path = tmp_path / "bulletins.csv"
    write_ballots(from_counts(candidates, ballots), path)
    assert recount.main([str(path), "--method", method, "--winners", str(winners), "--json"]) == 0
    out = capsys.readouterr().out.encode("utf-8")
    assert out == (GOLDEN / f"tennessee-{method}.json").read_bytes()


def test_golden_tennessee_reads_as_the_textbook_says():
    """Review notes, checked in code so they stay true.

    Schulze: Nashville is the Condorcet winner (58-45, 68-32, 68-35), then Chattanooga
    (beats Knoxville 83-20), Knoxville, Memphis. Instant-runoff: Memphis leads the first
    round with 42 plus half of the 3 tied ballots (43.5) but never reaches half of 103;
    Chattanooga (15), then Nashville (26) go, their ballots reach Knoxville, which wins
    59.5 to 43.5 -- the known instant-runoff outcome of this example. Borda: Memphis
    scores 42 × 3 + 3 × 2 = 132, Nashville 194, first.
    Entraide: the three Jardin = Bricothèque ballots give 1.5 to each; Jardin (1.5) goes
    first and those ballots move whole to Bricothèque (4), which wins 4 to 3 once Café's
    two ballots are exhausted.
    """
    schulze = json.loads((GOLDEN / "tennessee-schulze.json").read_bytes())
    assert schulze["ranking"] == [["Nashville"], ["Chattanooga"], ["Knoxville"], ["Memphis"]]
    assert schulze["winners"] == ["Nashville", "Chattanooga"] and schulze["ballots"] == 105
    irv = json.loads((GOLDEN / "tennessee-irv.json").read_bytes())
    first = irv["rounds"][0]
    assert first["counts"]["Memphis"] == 43.5 and first["exhausted"] == 2
    assert sum(first["counts"].values()) == 103
    assert irv["winners"] == [irv["ranking"][0][0], irv["ranking"][1][0]]
    borda = json.loads((GOLDEN / "tennessee-borda.json").read_bytes())
    assert borda["ranking"][0] == ["Nashville"] and borda["scores"]["Memphis"] == 132
    assert irv["ranking"][0] == ["Knoxville"] and irv["rounds"][-1]["counts"]["Knoxville"] == 59.5
    entraide = json.loads((GOLDEN / "entraide-irv.json").read_bytes())
    assert entraide["rounds"][0]["counts"]["Jardin"] == 1.5
    assert entraide["rounds"][1]["counts"]["Bricothèque"] == 4
    assert entraide["winners"][0] == "Bricothèque"
    assert "Bricothèque" in (GOLDEN / "entraide-irv.json").read_text(encoding="utf-8")


def printed(name: str, method: str) -> bytes:
    """The French report `python -m ideation.recount FILE` prints (without --json)."""
    candidates, ballots, winners, tie_break = PROFILES[name]
    result = tally(from_counts(candidates, ballots), method, winners=winners, tie_break=tie_break)
    return (recount.report(result) + "\n").encode("utf-8")


def presented(name: str, method: str) -> bytes:
    """What the results page is given to draw: the method's `present` of the published JSON."""
    data = json.loads(published(name, method))
    shown = registry.require(method).present(data)
    return (json.dumps(shown, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@pytest.mark.parametrize("name, method", CASES)
def test_the_printed_report_is_the_golden_text(name, method):
    """Reviewed once: the header (method, ballots, candidates, digest), the ranking with
    ties on one line, then the method's own table (rounds; pairwise strongest paths;
    points), French decimal commas, "—" where a candidate had left the count."""
    path = GOLDEN / f"{name}-{method}.txt"
    if os.environ.get("FABRIQUE_WRITE_GOLDEN") == "1":
        path.write_bytes(printed(name, method))
    assert printed(name, method) == path.read_bytes()


@pytest.mark.parametrize("name, method", CASES)
def test_what_the_results_page_draws_is_the_golden_file(name, method):
    """Reviewed once: the bars are the last round's votes (instant-runoff), the points
    (Borda) or the number of candidates each one beats (Schulze), in candidate order."""
    path = GOLDEN / f"{name}-{method}.present.json"
    if os.environ.get("FABRIQUE_WRITE_GOLDEN") == "1":
        path.write_bytes(presented(name, method))
    assert presented(name, method) == path.read_bytes()


def test_instant_runoff_bars_fall_back_to_the_first_round_when_the_last_is_empty():
    irv = registry.require("irv")
    data = {
        "candidates": ["A", "B"],
        "rounds": [{"counts": {"A": 2, "B": 1}}, {"counts": {}}],
    }
    assert irv.present(data)["chart"] == [("A", 2), ("B", 1)]
    assert irv.present({"candidates": ["A", "B"], "rounds": []}) == {
        "rounds": [],
        "chart": [("A", 0), ("B", 0)],
    }
    assert irv.report({"candidates": ["A"], "rounds": []}) == []


def test_the_schulze_report_needs_both_matrices():
    schulze = registry.require("schulze")
    one = {"candidates": ["A", "B"], "pairwise": [[0, 1], [0, 0]], "strongest_paths": []}
    assert schulze.report(one) == []
    assert schulze.report({**one, "pairwise": [], "strongest_paths": [[0, 1], [0, 0]]}) == []
    both = {**one, "strongest_paths": [[0, 1], [0, 0]]}
    assert schulze.report(both)[-2:] == ["  1. A", "  2. B"]
