"""Release gates of the suite: the ``suite:`` section of ``evals/thresholds.yaml``.

Each gate names a figure of the JSON summary by its dotted path (``answers.slop_rate``,
``answers.means.grounding``, ``quizzes.validity_rate``, ``paths.problems``) and a bound,
``min`` or ``max``. A gate of a suite that did not run is skipped; a gate whose figure is
missing from a suite that ran (nothing was measured) is crossed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evals.verdict import Thresholds


class Bound(BaseModel):
    """A floor (``min``) or a ceiling (``max``) on one figure."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _one(self) -> Bound:
        if (self.min is None) == (self.max is None):
            raise ValueError("give exactly one of min and max")
        return self


class SuiteGates(BaseModel):
    """The ``suite:`` section (unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gates: dict[str, Bound] = Field(default_factory=dict)

    @classmethod
    def of(cls, thresholds: Thresholds) -> SuiteGates:
        """The gates of a thresholds file; a bad section is a ``ValueError`` naming it."""
        try:
            return cls.model_validate(thresholds.suite)
        except ValidationError as exc:
            problems = "; ".join(
                f"suite.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            raise ValueError(f"bad suite gates: {problems}") from exc


@dataclass(frozen=True)
class GateResult:
    """One gate against one run."""

    name: str
    bound: str
    limit: float
    value: float | None
    status: str
    """``passed``, ``crossed`` or ``skipped`` (its suite did not run)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "bound": self.bound,
            "limit": self.limit,
            "value": self.value,
            "status": self.status,
        }

    def describe(self) -> str:
        """One line naming the gate, the figure and the bound."""
        op = ">=" if self.bound == "min" else "<="
        got = "not measured" if self.value is None else f"{self.value:.4g}"
        return f"{self.name} = {got}, must be {op} {self.limit:g}"


def lookup(summary: Mapping[str, Any], dotted: str) -> Any:
    """The figure at ``a.b.c`` of the summary's ``suites`` (None when absent)."""
    node: Any = summary.get("suites", {})
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def evaluate(summary: Mapping[str, Any], gates: SuiteGates) -> list[GateResult]:
    """Every gate's status on a run's summary."""
    out = []
    for name, bound in gates.gates.items():
        kind = "min" if bound.min is not None else "max"
        limit = float(bound.min if bound.min is not None else bound.max)  # type: ignore[arg-type]
        if name.split(".")[0] not in summary.get("suites", {}):
            out.append(GateResult(name, kind, limit, None, "skipped"))
            continue
        raw = lookup(summary, name)
        value = float(raw) if isinstance(raw, int | float) else None
        ok = value is not None and (value >= limit if kind == "min" else value <= limit)
        out.append(GateResult(name, kind, limit, value, "passed" if ok else "crossed"))
    return out
