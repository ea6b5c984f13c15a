"""bench.handoff_thresholds: the choice within the false-suggestion budget."""

from __future__ import annotations

from typing import Any

from bench import handoff_thresholds


def _row(none_min: float, sensitive: float, explicit: float, fs: float) -> dict[str, Any]:
    per = {
        "sensitive": {"recall": sensitive},
        "explicit_request": {"recall": explicit},
        "distress": {"recall": 1.0},
        "repeated_failure": {"recall": 1.0},
    }
    m = {"per_signal": per, "false_suggestions": fs}
    return {"none_min": none_min, "sensitive_min": 0.7, "score": handoff_thresholds.score(m), **m}


def test_the_best_recalls_within_the_budget_win() -> None:
    rows = [
        _row(0.5, 1.0, 1.0, 0.08),  # best recalls, over budget
        _row(0.4, 0.95, 1.0, 0.03),
        _row(0.3, 0.90, 1.0, 0.01),
    ]
    assert handoff_thresholds.choose(rows, 0.035)["none_min"] == 0.4


def test_ties_go_to_fewer_false_suggestions() -> None:
    rows = [_row(0.4, 0.95, 1.0, 0.03), _row(0.3, 0.95, 1.0, 0.02)]
    assert handoff_thresholds.choose(rows, 0.035)["none_min"] == 0.3
