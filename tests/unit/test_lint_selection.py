"""`make lint LINT_GATES=...` runs the gates it names, and refuses a name it does not know
(it used to run nothing for a misspelt gate and report success)."""

from __future__ import annotations

import pytest

from iackit import lint

pytestmark = pytest.mark.unit


def test_an_unknown_gate_is_refused_and_none_runs(monkeypatch, capsys) -> None:
    ran: list[str] = []
    monkeypatch.setattr(lint, "GATES", {"ruff check": lambda: ran.append("ruff") or []})
    assert lint.run(["fmt"]) == 2
    assert "unknown gates ['fmt']" in capsys.readouterr().out
    assert ran == []


def test_a_gate_is_named_by_its_name_with_dashes(monkeypatch) -> None:
    ran: list[str] = []
    gates = {"ruff check": lambda: ran.append("check") or [], "mypy": lambda: ["bad"]}
    monkeypatch.setattr(lint, "GATES", gates)
    assert lint.run(["ruff-check"]) == 0
    assert lint.run(["ruff check", "mypy"]) == 1
    assert ran == ["check", "check"]
