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

Under `make mutation` the order is left alone: mutmut names each mutant's tests quickest
first and runs them with `-x` (the first failure ends the mutant's run), and pytest keeps
the order of the names it is given; the longest-first sort would undo it. A mutant's run
is told by MUTANT_UNDER_TEST naming a mutant. A test marked `mutants_of("ideation.domain.x", ...)`
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


def _mutant() -> str | None:
    """The mutant this session runs under `make mutation`, else None (mutmut's own
    sessions, "stats" and "fail", run no mutant)."""
    name = os.environ.get("MUTANT_UNDER_TEST", "")
    return name if "__mutmut_" in name else None


def _serves(item: pytest.Item, mutant: str) -> bool:
    """Whether this test runs for this mutant (see `mutants_of` above)."""
    marker = item.get_closest_marker("mutants_of")
    return marker is None or any(mutant.startswith(module + ".") for module in marker.args)


@pytest.hookimpl(trylast=True)  # after pytest-randomly has shuffled
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mutant = _mutant()
    if mutant is not None:  # mutmut's order (quickest first) stays
        kept: list[pytest.Item] = []
        left_out: list[pytest.Item] = []
        for item in items:
            (kept if _serves(item, mutant) else left_out).append(item)
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = kept
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
