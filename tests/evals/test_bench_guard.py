"""bench.guard scores any labelled file and writes the agreed JSON keys."""

from __future__ import annotations

import json
from pathlib import Path

from bench import guard
from tests.evals.conftest import LISTS, STRINGS

Q = "Can the items of a list be changed after the list is created?"
LINES = [
    {
        "answer": "A list is mutable: its items can be changed after the list is created. [1]",
        "label": "good",
        "kind": "grounded",
    },
    {
        "answer": "A tuple is immutable, so its items cannot be changed once it exists. [1] A list is mutable: its items can be changed after the list is created. [1]",
        "label": "good",
        "kind": "grounded",
    },
    {
        "answer": "A list is mutable: its items can be changed after the list is created. [5]",
        "label": "low_value",
        "kind": "hallucinated_citation",
    },
    {
        "answer": "In today's fast-paced world, it is important to note that learning matters. Keep practicing and unlock your full potential!",
        "label": "low_value",
        "kind": "generic_filler",
    },
]


def test_bench_guard_writes_precision_recall_and_per_kind(tmp_path: Path) -> None:
    data = tmp_path / "labelled.jsonl"
    data.write_text(
        "\n".join(json.dumps({"question": Q, "contexts": [LISTS, STRINGS], **x}) for x in LINES)
    )
    out = tmp_path / "guard.json"
    guard.main([str(data), "--model", "fake", "--out", str(out)])
    result = json.loads(out.read_text())
    assert {"precision", "recall", "f1", "false_block_rate", "per_kind"} <= set(result)
    assert (result["precision"], result["recall"], result["false_block_rate"]) == (1.0, 1.0, 0.0)
    assert set(result["per_kind"]) == {"hallucinated_citation", "generic_filler"}
    assert result["per_kind"]["generic_filler"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "n": 1,
    }
    assert set(result["baselines"]) == {"lexical", "dense"}
