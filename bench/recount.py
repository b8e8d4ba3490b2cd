"""Benchmark of the offline recount, as a whole process, and against pref_voting.

    python bench/recount.py [--before DIR] [--runs 5] [--pref-voting-runs 1] [--files DIR]

1. ``python -m ideation.recount FILE --method M --json`` on a 1,000,000-ballot × 20
   PrefLib file, one process per run and per method (start-up, reading, digest and
   count included): the goal is at most 2 s per method.
2. The same on a 100,000-ballot file, for the three methods in three processes, against
   pref_voting building its profile from the same ballots and running the same three
   methods in memory: the goal is a ratio of at least 5.

With ``--before DIR`` (a checkout of another version, e.g. ``git archive main | tar -x
-C DIR``) each measure is also taken with that version, in the same run, and the JSON
results must be byte for byte the same. Files come from the generator of
``bench/tally.py`` (random partial ballots, nearly all distinct: the worst case).
Timing uses hyperfine when it is installed (``apt-get install hyperfine``), otherwise
repeated runs; medians and the spread (min–max) are printed. Timing lives here, never
in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tally import random_ballots  # noqa: E402

from ideation.domain.voting import Ballots, registry  # noqa: E402
from ideation.domain.voting.formats import read_ballots, write_ballots  # noqa: E402

METHODS = registry.names()


def _command(tree: Path, path: Path, method: str) -> list[str]:
    return [sys.executable, "-m", "ideation.recount", str(path), "--method", method, "--json"]


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree)}


def _times(tree: Path, path: Path, method: str, runs: int) -> tuple[list[float], float]:
    """Wall-clock seconds of `runs` whole recount processes (hyperfine if available),
    and their mean CPU seconds (user + system): on a shared machine the wall clock
    also counts the time other jobs held the cores."""
    command = _command(tree, path, method)
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            subprocess.run(
                ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--style", "none"]
                + ["--export-json", report.name, " ".join(command)],
                check=True,
                cwd=tree,
                env=_env(tree),
                stdout=subprocess.DEVNULL,
            )
            result = json.loads(Path(report.name).read_text())["results"][0]
            return result["times"], result["user"] + result["system"]
    found = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=tree, env=_env(tree), stdout=subprocess.DEVNULL)
        found.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return found, cpu / runs


def _output(tree: Path, path: Path, method: str) -> str:
    done = subprocess.run(
        _command(tree, path, method), check=True, cwd=tree, env=_env(tree), capture_output=True
    )
    return done.stdout.decode()


def _figure(times: list[float]) -> str:
    return f"{statistics.median(times):6.2f} s ({min(times):.2f}–{max(times):.2f})"


def pref_voting_seconds(profile: Ballots) -> dict[str, float] | None:
    """pref_voting's profile building and each method's run, in memory (seconds)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pref_voting.iterative_methods import instant_runoff
            from pref_voting.margin_based_methods import beat_path
            from pref_voting.profiles_with_ties import ProfileWithTies
    except ImportError:
        return None
    m = len(profile.candidates)
    start = time.perf_counter()
    rankings = [{i: int(r) for i, r in enumerate(row) if r < m} for row in profile.ranks.tolist()]
    prof = ProfileWithTies(rankings, rcounts=profile.counts.tolist(), candidates=list(range(m)))
    prof.use_extended_strict_preference()
    seconds = {"profil": time.perf_counter() - start}
    start = time.perf_counter()
    beat_path(prof, strength_function=prof.support)
    seconds["schulze"] = time.perf_counter() - start
    start = time.perf_counter()
    instant_runoff(prof)
    seconds["irv"] = time.perf_counter() - start
    start = time.perf_counter()
    # Our Borda convention (a point per candidate ranked below), through supports.
    {x: sum(prof.support(x, y) for y in range(m) if y != x) for x in range(m)}
    seconds["borda"] = time.perf_counter() - start
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=1_000_000, help="ballots, first measure")
    parser.add_argument("--ballots", type=int, default=100_000, help="ballots, second measure")
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pref-voting-runs", type=int, default=1)
    parser.add_argument("--before", type=Path, help="a checkout of the version to compare")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--files",
        type=Path,
        help="keep the generated files in this folder and reuse them (grand.toi, moyen.toi)",
    )
    args = parser.parse_args()
    trees = [("après", ROOT)] + ([("avant", args.before.resolve())] if args.before else [])
    tool = "hyperfine" if shutil.which("hyperfine") else "runs"

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.files or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        large = folder / "grand.toi"
        small = folder / "moyen.toi"
        if not large.exists():
            write_ballots(random_ballots(args.large, args.candidates, args.seed), large)
        if small.exists():
            profile = read_ballots(small).ballots  # the same ballots, collapsed
        else:
            profile = random_ballots(args.ballots, args.candidates, args.seed + 1)
            write_ballots(profile, small)

        for path, n in ((large, args.large), (small, args.ballots)):
            print(f"\n{n:,} bulletins × {args.candidates}, un processus par méthode ({tool},")
            print(f"{args.runs} passages, médiane (min–max)) :")
            totals: dict[str, float] = {}
            for method in METHODS:
                if len(trees) == 2:
                    assert _output(ROOT, path, method) == _output(trees[1][1], path, method), (
                        f"{method} : résultats différents avant et après"
                    )
                line = f"  {method:8}"
                for label, tree in trees:
                    times, cpu = _times(tree, path, method, args.runs)
                    totals[label] = totals.get(label, 0.0) + statistics.median(times)
                    line += f"  {label} {_figure(times)} CPU {cpu:.2f} s"
                print(line + f"  (charge {os.getloadavg()[0]:.1f})")
            print("  trois méthodes : " + ", ".join(f"{k} {v:.2f} s" for k, v in totals.items()))
            if len(trees) == 2:
                print(
                    f"  même JSON avant et après ; gain × {totals['avant'] / totals['après']:.1f}"
                )
        ours = totals

        print(f"\npref_voting sur les mêmes {args.ballots:,} bulletins, en mémoire :")
        found = [pref_voting_seconds(profile) for _ in range(args.pref_voting_runs)]
        if found[0] is None:
            print("  pref_voting n'est pas installé : pas de comparaison.")
            return
        theirs: dict[str, Any] = {key: [run[key] for run in found] for key in found[0]}
        for key, values in theirs.items():
            print(f"  {key:8} {_figure(values)}")
        total = statistics.median(theirs["profil"]) + sum(
            statistics.median(theirs[method]) for method in METHODS
        )
        print(f"  profil + trois méthodes : {total:.2f} s")
        for label, seconds in ours.items():
            print(
                f"  rapport pref_voting / Fabrique ({label}, trois processus) : × {total / seconds:.1f}"
            )


if __name__ == "__main__":
    main()
