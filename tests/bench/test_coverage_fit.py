"""bench.coverage_fit runs end to end on two tiny books (fake encoder) and writes the
gate's settings, fitted on tune questions only."""

from __future__ import annotations

import json
from pathlib import Path

from bench import coverage_fit
from tests.bench.test_insights_bench import GARDEN, SKY, book

OFF_TOPIC = [
    {"id": "o1", "question": "Who won the 2018 World Cup?", "kind": "unrelated"},
    {"id": "o2", "question": "How do I boil an egg?", "kind": "unrelated"},
    {"id": "o3", "question": "How should I water a cactus indoors?", "kind": "near-miss"},
    {"id": "o4", "question": "When should I prune an apple tree?", "kind": "near-miss"},
]


def test_the_fit_writes_weights_a_threshold_and_a_suggestion_floor(tmp_path: Path) -> None:
    garden = book(tmp_path, "garden", {1: ("Garden", GARDEN), 2: ("More", dict(GARDEN))})
    sky = book(tmp_path, "sky", {c: (t, {q: q for q in qs}) for c, (t, qs) in SKY.items()})
    oos = tmp_path / "oos.jsonl"
    oos.write_text("".join(json.dumps(o) + "\n" for o in OFF_TOPIC))
    out = tmp_path / "fit.json"
    coverage_fit.main(
        [str(garden), str(sky), "--oos", str(oos), "--model", "fake", "--out", str(out)]
    )
    result = json.loads(out.read_text())
    assert 0.0 <= result["dense_weight"] <= 1.0 and result["steepness"] != 0
    assert 0.0 <= result["threshold"] <= 1.0
    covered, not_covered = result["n"]
    assert covered > 0 and not_covered > covered  # other books' and off-topic questions
