"""Longest tests first, so that the parallel workers finish together (issue 17).

`tests/durations.json` holds how long each slow test took (setup + call, seconds, those
over half a second), recorded by a run with FABRIQUE_RECORD_DURATIONS=tests/durations.json
(`make durations`). At collection the items are sorted by that time, longest first; a test
not in the file counts as its file's mean known time, else as its kind's (a browser
journey or a fault test is slow, anything else quick). The sort is stable, so the random
order pytest-randomly gave the rest stays, and it is the same on every xdist worker (they
must collect the same order). With `--dist worksteal` an idle worker steals from the end
of a busy one's queue, where the quickest tests wait: nobody is left with one long test
at the end.

Under `make mutation` the order is the other way round: mutmut runs each mutant's tests
with `-x`, so the quickest test that fails it should come first. A mutant's run is told
by MUTANT_UNDER_TEST naming a mutant, and the times are mutmut's own (its stats file,
in the folder the mutants run in). A test marked `mutants_of("ideation.domain.x", ...)`
runs only for the mutants of those modules: the role x route matrix (7 s) visits every
page, so it reaches half the domain, but it is the request test of the permissions;
every other module's mutants surviving it cost those 7 s each, 9 of the run's minutes.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

DURATIONS = Path(__file__).with_name("durations.json")
RECORD = os.environ.get("FABRIQUE_RECORD_DURATIONS")
KEEP_OVER = 0.5
MUTMUT_STATS = Path("mutmut-stats.json")
BY_KIND = {"faults": 20.0, "e2e": 10.0}


def _known() -> dict[str, float]:
    try:
        return {k: float(v) for k, v in json.loads(DURATIONS.read_text()).items()}
    except (OSError, ValueError):
        return {}


def estimate(items: list[pytest.Item], known: dict[str, float]) -> dict[str, float]:
    per_file: dict[str, list[float]] = defaultdict(list)
    for nodeid, seconds in known.items():
        per_file[nodeid.split("::", 1)[0]].append(seconds)
    means = {path: sum(times) / len(times) for path, times in per_file.items()}
    guesses = {}
    for item in items:
        if item.nodeid in known:
            guesses[item.nodeid] = known[item.nodeid]
            continue
        path = item.nodeid.split("::", 1)[0]
        kind = next((BY_KIND[m] for m in BY_KIND if item.get_closest_marker(m)), 0.0)
        guesses[item.nodeid] = means.get(path, kind)
    return guesses


_stats: tuple[float, dict[str, float]] = (0.0, {})


def _mutmut_durations() -> dict[str, float] | None:
    """mutmut's time per test when this session runs a mutant, else None.

    Read in every mutmut session (the forced-failure one included) and kept while the
    file is unchanged: the mutants' processes are forked from that session and find it
    parsed (2.5 MB of JSON, 30 ms each otherwise)."""
    global _stats
    running = os.environ.get("MUTANT_UNDER_TEST", "")
    if not running:
        return None
    try:
        changed = MUTMUT_STATS.stat().st_mtime
        if changed != _stats[0]:
            durations = json.loads(MUTMUT_STATS.read_text())["duration_by_test"]
            _stats = (changed, {k: float(v) for k, v in durations.items()})
    except (OSError, ValueError, KeyError):
        _stats = (0.0, {})
    return _stats[1] if "__mutmut_" in running else None


def _serves(item: pytest.Item, mutant: str) -> bool:
    """Whether this test runs for this mutant (see `mutants_of` above)."""
    marker = item.get_closest_marker("mutants_of")
    return marker is None or any(mutant.startswith(module + ".") for module in marker.args)


@pytest.hookimpl(trylast=True)  # after pytest-randomly has shuffled
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mutant = _mutmut_durations()
    if mutant is not None:  # quickest first: the first failure ends the mutant's run
        name = os.environ["MUTANT_UNDER_TEST"]
        left_out = [item for item in items if not _serves(item, name)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if _serves(item, name)]
        items.sort(key=lambda item: mutant.get(item.nodeid, float("inf")))
        return
    guesses = estimate(items, _known())
    items.sort(key=lambda item: -guesses[item.nodeid])


_took: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if RECORD and report.when in ("setup", "call"):
        _took[report.nodeid] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not RECORD or hasattr(session.config, "workerinput"):  # the controller writes
        return
    kept = {k: round(v, 2) for k, v in sorted(_took.items()) if v > KEEP_OVER}
    Path(RECORD).write_text(json.dumps(kept, indent=0, sort_keys=True) + "\n")
