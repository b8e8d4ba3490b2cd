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


@pytest.hookimpl(trylast=True)  # after pytest-randomly has shuffled
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
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
