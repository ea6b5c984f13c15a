"""bench.coverage and bench.answers run end to end (fake encoder) and write their JSON."""

from __future__ import annotations

import json
from pathlib import Path

from bench import answers, chat, coverage
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


def test_chat_bench_times_turns_at_the_api_and_the_llm_overhead(tmp_path: Path) -> None:
    out = tmp_path / "chat.json"
    chat.main(
        [
            str(DEMO),
            "--model",
            "fake",
            "--questions",
            "4",
            "--tokens-per-s",
            "4000",
            "--out",
            str(out),
        ]
    )
    result = json.loads(out.read_text())
    offline = result["offline"]
    assert offline["n_questions"] == 4
    for key in ("search", "me", "json", "stream"):
        assert 0 < offline[key]["p50_ms"] <= offline[key]["p95_ms"]
    for mode in ("json", "stream"):
        llm = result["llm"][mode]
        # Every covered turn called the model: once, or twice when the guard blocked the first
        # draft, or the guard replaced it by the offline answer; its own time is the stream's.
        # A turn where the coach offered a person instead (hand-off) calls no answering model.
        answered = llm["n_turns"] + llm["guard"]["rewritten"] + llm["guard"]["replaced"]
        answered += llm["guard"]["handed_off"]
        assert answered == round(offline["covered"] * 4)
        if llm["n_turns"]:
            assert llm["llm_own"]["p50_ms"] >= 50  # at least the first-token delay
            assert llm["turn"]["p50_ms"] > llm["llm_own"]["p50_ms"]
    assert 0.0 <= result["gold_text_rate"]["all"] <= 1.0
