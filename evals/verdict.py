"""Verdicts of the learning-value checks, their combination, and the thresholds file.

Every check returns a :class:`CheckResult`: a score in [0, 1] (higher is better), its own
verdict from the thresholds of ``evals/thresholds.yaml`` and the reasons behind it.
:func:`combine` turns the results for one output into an :class:`Assessment`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Verdict = Literal["pass", "revise", "block"]
"""pass: show it; revise: show it only after a rewrite or with a caveat; block: never show it."""

SEVERITY: dict[str, int] = {"pass": 0, "revise": 1, "block": 2}
THRESHOLDS_FILE = Path(__file__).with_name("thresholds.yaml")


@dataclass(frozen=True)
class CheckResult:
    """One check's judgement of one output.

    Attributes:
        name: the check (``grounding``, ``specificity``...).
        score: 0..1, higher is better.
        verdict: what the check alone would do with the output.
        reasons: why, in words a reviewer can act on (empty when it passes cleanly).
        details: the figures the score rests on (JSON-able).
    """

    name: str
    score: float
    verdict: Verdict
    reasons: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    """The combined verdict on one output and the checks behind it."""

    verdict: Verdict
    checks: tuple[CheckResult, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """Reasons of the checks that did not pass, each prefixed by its check's name."""
        return tuple(
            f"{c.name}: {r}" for c in self.checks if c.verdict != "pass" for r in c.reasons
        )

    @property
    def scores(self) -> dict[str, float]:
        """Check name → score."""
        return {c.name: c.score for c in self.checks}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able view (for logs, reports and the API)."""
        return {
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "checks": [
                {
                    "name": c.name,
                    "score": round(c.score, 4),
                    "verdict": c.verdict,
                    "reasons": list(c.reasons),
                    "details": dict(c.details),
                }
                for c in self.checks
            ],
        }


def verdict_of(score: float, *, revise: float, block: float) -> Verdict:
    """``block`` below the block threshold, ``revise`` below the revise one, else ``pass``."""
    if score < block:
        return "block"
    return "revise" if score < revise else "pass"


def combine(checks: Iterable[CheckResult], revises_to_block: int = 0) -> Assessment:
    """The worst verdict wins; ``revises_to_block`` (when > 0) revises together make a block.

    Several independent doubts about one answer (e.g. vague *and* off-topic) are worse
    than one, so the config may escalate them; 0 keeps the plain worst-verdict rule.
    """
    checks = tuple(checks)
    worst = max((SEVERITY[c.verdict] for c in checks), default=0)
    revises = sum(c.verdict == "revise" for c in checks)
    if worst < 2 and revises_to_block > 0 and revises >= revises_to_block:
        worst = 2
    verdict: Verdict = ("pass", "revise", "block")[worst]  # type: ignore[assignment]
    return Assessment(verdict, checks)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Gate(_Strict):
    """A check's verdict thresholds on its score (block ≤ revise)."""

    revise: float = Field(ge=0.0, le=1.0)
    block: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _ordered(self) -> Gate:
        if self.block > self.revise:
            raise ValueError(f"block ({self.block}) must not exceed revise ({self.revise})")
        return self


class GroundingThresholds(Gate):
    """Per-sentence support: ``dense_weight`` × cosine + the rest × term recall."""

    dense_weight: float = Field(ge=0.0, le=1.0)
    supported: float = Field(ge=0.0, le=1.0)
    near_copy: float = Field(gt=0.0, le=1.0)


class SpecificityThresholds(Gate):
    """Generic sentences: filler or hedging phrases, or too few course terms."""

    min_course_share: float = Field(ge=0.0, le=1.0)
    min_terms: int = Field(ge=1)


class RedundancyThresholds(Gate):
    """Near-duplicate sentences by shared terms or by cosine."""

    jaccard: float = Field(gt=0.0, le=1.0)
    cosine: float = Field(gt=0.0, le=1.0)


class RelevanceThresholds(Gate):
    """Question ↔ answer: cosine and question-term share, minus a gap to the contexts."""

    dense_weight: float = Field(ge=0.0, le=1.0)
    gap_weight: float = Field(ge=0.0)
    gap_margin: float = Field(ge=0.0, le=1.0)


class CitationThresholds(Gate):
    """Each marker must exist and its passage must support its sentence."""

    min_support: float = Field(ge=0.0, le=1.0)
    margin: float = Field(ge=0.0, le=1.0)


class CombineThresholds(_Strict):
    """How the checks' verdicts make one (see :func:`combine`)."""

    revises_to_block: int = Field(ge=0)


class Thresholds(_Strict):
    """Everything ``evals/thresholds.yaml`` holds (unknown keys are errors)."""

    grounding: GroundingThresholds
    specificity: SpecificityThresholds
    redundancy: RedundancyThresholds
    relevance: RelevanceThresholds
    citations: CitationThresholds
    combine: CombineThresholds
    suite: dict[str, Any] = Field(default_factory=dict)
    """Release gates of the golden-set suite (owned by ``evals.suite``)."""


def load_thresholds(path: str | Path | None = None) -> Thresholds:
    """Read and validate the thresholds file (default: ``evals/thresholds.yaml``).

    Raises:
        ValueError: the file is not valid YAML or does not match :class:`Thresholds`;
            the message names the file and each bad key.
    """
    path = Path(path) if path is not None else THRESHOLDS_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping of check name to thresholds")
    try:
        return Thresholds.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ValueError(f"{path}: bad thresholds: {problems}") from exc
