"""bench.coverage and bench.answers run end to end (fake encoder) and write their JSON."""

from __future__ import annotations

import json
from pathlib import Path

from bench import answers, coverage
from tests.conftest import REPO

DEMO = REPO / "demo"


def test_coverage_bench_calibrates_and_reports_held_out_figures(tmp_path: Path) -> None:
    out = tmp_path / "coverage.json"
    coverage.main([str(DEMO), "--model", "fake", "--out", str(out)])
    result = json.loads(out.read_text())
    assert set(result["chosen"]) == {"dense_weight", "threshold", "suggest_min"}
    for part in ("holdout", "cross_validated"):
        assert {"precision", "recall", "in_scope_answered"} <= set(result[part]["all"])
    assert result["cross_validated"]["all"]["n"] == 26 + 60


def test_answers_bench_reports_gold_quotes_and_timings(tmp_path: Path) -> None:
    out = tmp_path / "answers.json"
    answers.main([str(DEMO), "--model", "fake", "--out", str(out)])
    result = json.loads(out.read_text())
    assert result["all"]["n_questions"] == 26
    assert 0.0 <= result["all"]["answer_quotes_gold"] <= 1.0
    assert set(result["all"]["responder_cold"]) == {"p50_ms", "p95_ms"}
