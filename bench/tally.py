"""Benchmark of the tally engine: 1,000,000 random partial ballots × 20 candidates.

Run from the repository root::

    python bench/tally.py [--ballots 1000000] [--candidates 20] [--sample 2000] [--seed 2024]

It times the digest (canonical form + SHA-256, computed once per profile and shared by
the methods) and the three methods on the full profile, then compares with
pref_voting (if installed) on a random sample both tools can handle: pref_voting
builds its profile in pure Python, which is far too slow for a million ballots, so
the ratio is measured on the sample and printed as such.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ideation.domain.voting import Ballots, borda, digest, irv, registry, schulze, tally  # noqa: E402

METHODS = registry.names()


def random_ballots(n: int, m: int, seed: int) -> Ballots:
    """n ballots, each ranking a uniformly random prefix (1..m) of a random order."""
    rng = np.random.default_rng(seed)
    positions = rng.permuted(np.tile(np.arange(m, dtype=np.uint8), (n, 1)), axis=1)
    lengths = rng.integers(1, m + 1, n)
    ranks = np.where(positions < lengths[:, None], positions, m).astype(np.uint8)
    return Ballots([f"Idée {i}" for i in range(1, m + 1)], ranks)


def timed(function: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def pref_voting_times(sample: Ballots) -> dict[str, float] | None:
    """Seconds pref_voting takes on `sample` (profile building included)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pref_voting.iterative_methods import instant_runoff
            from pref_voting.margin_based_methods import beat_path
            from pref_voting.profiles_with_ties import ProfileWithTies
    except ImportError:
        return None
    m = len(sample.candidates)

    def build() -> Any:
        rankings = [{int(i): int(r) for i, r in enumerate(row) if r < m} for row in sample.ranks]
        prof = ProfileWithTies(rankings, rcounts=sample.counts.tolist(), candidates=list(range(m)))
        prof.use_extended_strict_preference()
        return prof

    prof, build_time = timed(build)
    times = {"profil": build_time}
    _, times[schulze.NAME] = timed(beat_path, prof, strength_function=prof.support)
    _, times[irv.NAME] = timed(instant_runoff, prof)

    def borda_like() -> dict[int, int]:
        # Same convention as ours (one point per candidate ranked below), via supports.
        return {x: sum(prof.support(x, y) for y in range(m) if y != x) for x in range(m)}

    _, times[borda.NAME] = timed(borda_like)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    profile, build_time = timed(random_ballots, args.ballots, args.candidates, args.seed)
    print(f"{args.ballots:,} bulletins × {args.candidates} candidats (graine {args.seed})")
    print(f"  génération de la matrice des rangs : {build_time:6.2f} s")
    _, digest_time = timed(digest, profile)
    print(f"  empreinte (forme canonique + SHA-256, une fois) : {digest_time:6.2f} s")
    total = digest_time
    for method in METHODS:
        result, seconds = timed(tally, profile, method)
        total += seconds
        print(f"  {method:8s} {seconds:6.2f} s   gagnant·e : {', '.join(result.winners)}")
    print(f"  total (empreinte + trois méthodes) : {total:6.2f} s")

    sample = random_ballots(args.sample, args.candidates, args.seed + 1)
    theirs = pref_voting_times(sample)
    if theirs is None:
        print("pref_voting n'est pas installé : pas de comparaison.")
        return
    print(
        f"\nComparaison avec pref_voting sur un échantillon de {args.sample:,} bulletins "
        "(pref_voting est bien trop lent pour un million de bulletins) :"
    )
    print(f"  pref_voting, construction du profil : {theirs['profil']:8.3f} s")
    fresh = random_ballots(args.sample, args.candidates, args.seed + 1)
    _, ours_digest = timed(digest, fresh)
    print(f"  Fabrique, empreinte : {ours_digest:8.3f} s")
    for method in METHODS:
        _, ours = timed(tally, fresh, method)
        ratio = (theirs[method] + theirs["profil"]) / max(ours + ours_digest, 1e-9)
        print(
            f"  {method:8s} Fabrique {ours:8.4f} s   pref_voting {theirs[method]:8.3f} s"
            f"   rapport (profil et empreinte compris) : × {ratio:,.0f}"
        )


if __name__ == "__main__":
    main()
