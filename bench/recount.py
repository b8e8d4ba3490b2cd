"""Benchmark: recounting 100,000 downloaded ballots from a file, per format and method.

    python bench/recount.py

The issue asks for "well under a second per method"; figures go in the README.
Timing lives here, never in the tests.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ideation.domain.voting import Ballots, from_counts, registry, tally  # noqa: E402
from ideation.domain.voting.formats import read_ballots, write_ballots  # noqa: E402


def _best_of(runs: int, action) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    rng = np.random.default_rng(2024)
    n, m = 100_000, 8
    order = rng.permuted(np.tile(np.arange(m), (n, 1)), axis=1)
    lengths = rng.integers(1, m + 1, n)
    ranks = np.where(order < lengths[:, None], order, m)
    big = Ballots([f"Idée {i}" for i in range(1, m + 1)], ranks)
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in (".toi", ".csv", ".blt"):
            path = Path(tmp) / f"grand{suffix}"
            write_ballots(from_counts(big.candidates, big.rankings()), path)
            reading = _best_of(2, lambda p=path: read_ballots(p))
            print(f"{suffix:5} lecture : {reading:.2f} s")
            for method in registry.names():
                t = _best_of(2, lambda m=method, p=path: tally(read_ballots(p).ballots, m))
                print(f"{suffix:5} {method:8} lecture + dépouillement : {t:.2f} s")


if __name__ == "__main__":
    main()
