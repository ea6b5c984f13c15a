"""bench.knowledge_tracing runs end to end on any long-format pair of files (pyBKT skipped)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.knowledge_tracing import METHODS, main
from tests.recommender.conftest import simulate


def _write(path: Path, seed: int, learners: int) -> Path:
    attempts = simulate(learners, 8, seed=seed)
    lines = ["user_id,skill_name,correct"] + [
        f"{u},{s},{c}"
        for u, s, c in zip(attempts.user, attempts.skill, attempts.correct, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bench_writes_the_agreed_keys(tmp_path: Path) -> None:
    train, test = _write(tmp_path / "train.csv", 3, 60), _write(tmp_path / "test.csv", 4, 20)
    out = tmp_path / "kt.json"
    assert main([str(train), str(test), "--out", str(out), "--no-baselines"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == list(METHODS)
    assert set(data["blendcoach"]) == {"auc", "rmse", "logloss", "fit_seconds"}
    assert data["blendcoach"]["auc"] > 0.6
    assert data["pybkt"] is None and data["pybkt_forgets"] is None
