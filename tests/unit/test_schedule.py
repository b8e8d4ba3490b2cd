"""The test order (tests/schedule.py): longest first for the parallel suite; for a mutant's
run under `make mutation`, the order mutmut gave (quickest first, the first failure ends
it), less the tests marked for other modules' mutants."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import schedule


def _items(*nodeids: str, marks: dict[str, tuple[str, ...]] | None = None) -> list:
    """Stand-ins for pytest items; `marks` gives some a `mutants_of` marker."""
    marks = marks or {}

    def item(nodeid: str) -> SimpleNamespace:
        def marker(name: str):  # noqa: ANN202
            if name == "mutants_of" and nodeid in marks:
                return SimpleNamespace(args=marks[nodeid])
            return None

        return SimpleNamespace(nodeid=nodeid, get_closest_marker=marker)

    return [item(n) for n in nodeids]


class _Config:
    """Records what the hook deselects."""

    def __init__(self) -> None:
        self.deselected: list[str] = []
        self.hook = SimpleNamespace(
            pytest_deselected=lambda items: self.deselected.extend(i.nodeid for i in items)
        )


@pytest.fixture
def known(monkeypatch):
    times = {"tests/a.py::slow": 9.0, "tests/a.py::mid": 2.0, "tests/b.py::quick": 0.6}
    monkeypatch.setattr(schedule, "_known", lambda: times)
    return times


def _order(items: list, config: _Config | None = None) -> list[str]:
    schedule.pytest_collection_modifyitems(config or _Config(), items)
    return [i.nodeid for i in items]


def test_the_suite_runs_the_longest_tests_first(known, monkeypatch):
    monkeypatch.delenv("MUTANT_UNDER_TEST", raising=False)
    items = _items("tests/b.py::quick", "tests/a.py::mid", "tests/a.py::slow", "tests/b.py::new")
    # An unknown test counts as its file's mean (0.6 s for tests/b.py).
    assert _order(items) == [
        "tests/a.py::slow",
        "tests/a.py::mid",
        "tests/b.py::quick",
        "tests/b.py::new",
    ]


def test_a_mutant_keeps_the_order_mutmut_gave(known, monkeypatch):
    """mutmut names a mutant's tests quickest first; the longest-first sort would undo it."""
    monkeypatch.setenv("MUTANT_UNDER_TEST", "ideation.domain.paper.x_check__mutmut_3")
    items = _items(
        "tests/b.py::quick", "tests/z.py::unknown", "tests/a.py::mid", "tests/a.py::slow"
    )
    assert _order(items) == [
        "tests/b.py::quick",
        "tests/z.py::unknown",
        "tests/a.py::mid",
        "tests/a.py::slow",
    ]


@pytest.mark.parametrize("session", ["stats", "fail", ""])
def test_mutmut_s_own_sessions_keep_the_usual_order(known, monkeypatch, session):
    monkeypatch.setenv("MUTANT_UNDER_TEST", session)
    items = _items("tests/b.py::quick", "tests/a.py::slow", "tests/a.py::mid")
    assert _order(items) == ["tests/a.py::slow", "tests/a.py::mid", "tests/b.py::quick"]


def test_a_test_marked_for_some_modules_runs_only_for_their_mutants(known, monkeypatch):
    marks = {"tests/a.py::slow": ("ideation.domain.permissions",)}
    names = ("tests/a.py::slow", "tests/b.py::quick")
    monkeypatch.setenv("MUTANT_UNDER_TEST", "ideation.domain.permissions.x_can_vote__mutmut_1")
    assert _order(_items(*reversed(names), marks=marks)) == [
        "tests/b.py::quick",
        "tests/a.py::slow",
    ]
    config = _Config()
    # A module whose name starts like another's is not that module.
    monkeypatch.setenv("MUTANT_UNDER_TEST", "ideation.domain.permissions_extra.x_f__mutmut_1")
    assert _order(_items(*names, marks=marks), config) == ["tests/b.py::quick"]
    assert config.deselected == ["tests/a.py::slow"]
    monkeypatch.delenv("MUTANT_UNDER_TEST")
    assert _order(_items(*names, marks=marks)) == ["tests/a.py::slow", "tests/b.py::quick"]
