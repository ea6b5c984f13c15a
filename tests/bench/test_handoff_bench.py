"""bench.handoff: per-signal figures against hand-counted cases, and an end-to-end run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import handoff
from coach.handoff.data import LabelledMessage
from coach.handoff.signals import Detection
from tests.conftest import REPO


def _m(signal: str, n: int) -> LabelledMessage:
    sub = "health" if signal == "sensitive" else None
    return LabelledMessage(f"{signal}-{n}", f"g{n}", "en", signal, sub, "text")  # type: ignore[arg-type]


def test_metrics_match_a_hand_count() -> None:
    gold = [_m("sensitive", 1), _m("sensitive", 2), _m("none", 3), _m("none", 4), _m("none", 5)]
    found = [
        Detection("sensitive", "health"),
        Detection("distress"),
        Detection("sensitive", "harassment"),
        Detection("none"),
        Detection("none"),
    ]
    m = handoff.metrics(gold, found)
    assert m["per_signal"]["sensitive"] == {"precision": 0.5, "recall": 0.5, "n": 2, "predicted": 2}
    assert m["false_suggestions"] == pytest.approx(1 / 3)
    assert m["subtopic_accuracy"] == 1.0  # the one sensitive message found had its topic
    assert m["any_signal_recall"] == 1.0
    assert handoff.targets_met(m)["sensitive_recall"]["met"] is False


def test_keyword_baseline_reads_words_only() -> None:
    assert handoff.keyword_baseline("Can I talk to a person?").signal == "explicit_request"
    # the baseline cannot tell studying a topic from living it
    assert handoff.keyword_baseline("What does the harassment module say?").signal == "sensitive"


def test_bench_runs_on_the_tune_part_and_writes_its_json(tmp_path: Path) -> None:
    out = tmp_path / "handoff.json"
    handoff.main([str(REPO / "evals/handoff/messages.jsonl"), "--part", "tune", "--out", str(out)])
    result = json.loads(out.read_text())
    assert result["part"] == "tune" and result["messages"] == result["trained_on"]
    assert set(result["targets"]) == {
        "sensitive_recall",
        "explicit_request_recall",
        "false_suggestions",
    }
    assert set(result["by_language_detector"]) == {"en", "fr"}


def test_bench_scores_a_separate_test_file_whole(tmp_path: Path) -> None:
    rows = [
        {"id": "t1", "group": "t1", "lang": "en", "signal": "explicit_request", "subtopic": None,
         "text": "Could I please talk to a real person about this?"},
        {"id": "t2", "group": "t2", "lang": "en", "signal": "none", "subtopic": None,
         "text": "What does a list comprehension return?"},
    ]  # fmt: skip
    test_file = tmp_path / "fresh.jsonl"
    test_file.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "handoff.json"
    handoff.main(
        [
            str(REPO / "evals/handoff/messages.jsonl"),
            "--test",
            str(test_file),
            "--out",
            str(out),
        ]
    )
    result = json.loads(out.read_text())
    assert result["part"] == f"test:{test_file}" and result["messages"] == 2
    assert result["trained_on"] > 2  # trained on the tune part of the main file, not the test
    assert result["detector"]["per_signal"]["explicit_request"]["n"] == 1
