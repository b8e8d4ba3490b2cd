"""Print the mutation score per file after `mutmut run` (used by `make mutation`).

Reads `mutmut results --all true` (one "name: status" line per mutant) and groups the
mutants by source file. The score counts a mutant as caught when a test failed on it
(killed) or it ran past its time limit (timeout: an endless loop is caught too); the
equivalent survivors are listed and explained in tests/mutation_survivors.md.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict

CAUGHT = {"killed", "timeout", "caught by type check"}
IGNORED = {"skipped", "not checked"}


def module_of(mutant: str) -> str:
    """`ideation.domain.voting.methods.x_tally__mutmut_3` -> ideation/domain/voting/methods.py"""
    parts = mutant.split(".")
    for i, part in enumerate(parts):
        if part.startswith(("x_", "xǁ")):
            return "/".join(parts[:i]) + ".py"
    return mutant


def main() -> int:
    mutmut = sys.argv[1] if len(sys.argv) > 1 else "mutmut"
    done = subprocess.run(
        [mutmut, "results", "--all", "true"], capture_output=True, text=True, check=True
    )
    per_file: dict[str, Counter] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for line in done.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if not sep:
            continue
        path = module_of(name)
        per_file[path][status] += 1
        if status in {"survived", "no tests"}:
            survivors[path].append(name)
    total_caught = total_counted = 0
    print(f"{'file':45} {'mutants':>8} {'caught':>7} {'survived':>9} {'no tests':>9} {'score':>7}")
    for path in sorted(per_file):
        counts = per_file[path]
        counted = sum(n for s, n in counts.items() if s not in IGNORED)
        caught = sum(counts[s] for s in CAUGHT)
        total_caught, total_counted = total_caught + caught, total_counted + counted
        score = 100 * caught / counted if counted else 100.0
        print(
            f"{path:45} {counted:8} {caught:7} {counts['survived']:9} "
            f"{counts['no tests']:9} {score:6.1f}%"
        )
    if total_counted:
        print(
            f"{'all of ideation/domain/':45} {total_counted:8} {total_caught:7} {'':9} {'':9} "
            f"{100 * total_caught / total_counted:6.1f}%"
        )
    for path, names in sorted(survivors.items()):
        print(f"\n{path}: " + ", ".join(n.rsplit(".", 1)[1] for n in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
