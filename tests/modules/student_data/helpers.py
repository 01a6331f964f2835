"""Test helpers shared by the student-data, data-lake, ranking-pipeline and ranking-api tests.

- `BadInputBatches`: bad-input cases checked with few `terraform plan` runs. Terraform
  reports every failing variable validation of a run, so cases that set different variables
  share one plan; a case marked `alone` (a precondition, or a variable another case also
  sets) gets its own. Each case stays its own pytest item, asserting that its message is in
  the (cached) error of its batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from iackit.tf import TerraformError


@dataclass(frozen=True)
class Case:
    overrides: Mapping[str, Any]
    message: str
    alone: bool = False

    @property
    def id(self) -> str:
        return ",".join(f"{k}={v!r}" for k, v in self.overrides.items())[:80]


@dataclass
class BadInputBatches:
    cases: Sequence[Case]
    _batches: list[dict[str, Any]] = field(default_factory=list)
    _index: dict[int, int] = field(default_factory=dict)
    _errors: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for position, case in enumerate(self.cases):
            target = None
            if not case.alone:
                for number, batch in enumerate(self._batches):
                    if not batch["alone"] and not set(batch["vars"]) & set(case.overrides):
                        target = number
                        break
            if target is None:
                self._batches.append({"vars": {}, "alone": case.alone})
                target = len(self._batches) - 1
            self._batches[target]["vars"].update(case.overrides)
            self._index[position] = target

    def error_for(self, case: Case, plan: Callable[[dict[str, Any]], object], base: dict) -> str:
        """The normalised error text of the plan of the batch holding `case`."""
        number = self._index[self.cases.index(case)]
        if number not in self._errors:
            try:
                plan({**base, **self._batches[number]["vars"]})
            except TerraformError as error:
                self._errors[number] = " ".join(str(error).split())
            else:
                self._errors[number] = ""
        return self._errors[number]

    @property
    def plan_count(self) -> int:
        return len(self._batches)
