"""The registry of voting methods: shipped methods, the enum, and a fourth method added at run time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ideation import recount
from ideation.domain.voting import VoteMethod, from_counts, registry, tally
from ideation.domain.voting.formats import write_ballots
from tests.fake_vote_method import METHOD as FAKE
from tests.fake_vote_method import NAME as FAKE_NAME
from tests.fake_vote_method import registered


@pytest.fixture
def fake_method():
    with registered() as method:
        yield method


PROFILE = from_counts("ABC", [(("A", "B"), 3), ((("B", "C"),), 2), (("C",), 1), ((), 1)])


def test_the_enum_is_the_shipped_methods() -> None:
    assert [m.value for m in VoteMethod] == [m.name for m in registry.SHIPPED]
    assert registry.names() == tuple(m.value for m in VoteMethod)
    assert registry.DEFAULT is VoteMethod(registry.SHIPPED[0].name)


def test_every_shipped_method_publishes_its_declared_json_fields() -> None:
    common = ["method", "candidates", "ballots", "ranking", "winners", "tie_break", "digest"]
    for method in registry.SHIPPED:
        data = tally(PROFILE, method.name, winners=1).to_json_dict()
        assert list(data) == common + list(method.json_fields)


def test_an_unknown_method_is_refused_in_french() -> None:
    with pytest.raises(ValueError, match="méthode inconnue « premiers-choix »"):
        tally(PROFILE, FAKE_NAME)


def test_a_shipped_method_cannot_be_replaced_nor_removed() -> None:
    with pytest.raises(ValueError):
        registry.register(registry.SHIPPED[0])
    with pytest.raises(ValueError):
        registry.unregister(registry.SHIPPED[1].name)
    assert registry.names() == tuple(m.value for m in VoteMethod)


def test_a_registered_fourth_method_is_counted(fake_method) -> None:
    result = tally(PROFILE, FAKE_NAME, winners=2)
    # First places: A 3, B and C tied 2, C 1.
    assert result.ranking == [["A", "C"], ["B"]]
    assert result.winners == ["A", "C"] and result.tie_break_used is False
    assert result.to_json_dict()["approvals"] == {"A": 3, "B": 2, "C": 3}
    assert result.approvals == {"A": 3, "B": 2, "C": 3}
    single = tally(PROFILE, FAKE_NAME, winners=1)
    assert single.tie_break_used is True
    assert single.winners == [next(n for n in single.tie_break if n in ("A", "C"))]
    assert FAKE_NAME in registry.names()
    assert fake_method not in registry.storable()  # a challenge cannot be set to it


def test_the_fake_method_is_gone_after_the_fixture() -> None:
    assert FAKE_NAME not in registry.names()


def test_recount_command_handles_a_registered_method(fake_method, tmp_path: Path, capsys) -> None:
    path = tmp_path / "bulletins.csv"
    write_ballots(PROFILE, path)
    assert recount.main([str(path), "--method", FAKE_NAME, "--winners", "2", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == tally(PROFILE, FAKE_NAME, winners=2).to_json_dict()
    assert recount.main([str(path), "--method", FAKE_NAME]) == 0
    report = capsys.readouterr().out
    assert f"Méthode : {FAKE.label}" in report
    assert "Approbations :" in report and "  B : 2" in report


def test_recount_refuses_a_method_that_is_not_registered(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bulletins.csv"
    write_ballots(PROFILE, path)
    with pytest.raises(SystemExit) as exit_:
        recount.main([str(path), "--method", FAKE_NAME])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
