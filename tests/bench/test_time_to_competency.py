"""bench.time_to_competency runs end to end on any long-format log (small synthetic files)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from bench.time_to_competency import POLICIES, main


def _write_log(path: Path, seed: int, learners: int = 40, skills: int = 6) -> Path:
    """Learners answering skill by skill: knowing raises the chance of a right answer."""
    rng = random.Random(seed)
    lines = ["user_id,skill_name,correct"]
    for u in range(learners):
        for s in range(skills):
            known = rng.random() < 0.4
            for _ in range(8):
                ok = rng.random() < (0.9 if known else 0.25)
                lines.append(f"u{u},k{s},{int(ok)}")
                known = known or rng.random() < 0.2
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check_run(run: dict[str, object], n: int, horizon: float) -> None:
    policies = run["policies"]
    assert isinstance(policies, dict) and list(policies) == list(POLICIES)
    for figures in policies.values():
        assert {"median_hours", "p75_hours", "reached_share", "n"} <= set(figures)
        assert figures["n"] == n
        assert 0 < figures["median_hours"] <= figures["p75_hours"] <= horizon
        assert 0.0 <= figures["reached_share"] <= 1.0
    ratio = policies["blendcoach"]["median_hours"] / policies["catalog_order"]["median_hours"]
    assert run["reduction_vs_catalog_order"] == round(1 - ratio, 4)


def test_demo_catalog_with_a_held_out_file(tmp_path: Path) -> None:
    train = _write_log(tmp_path / "train.csv", 1)
    test = _write_log(tmp_path / "test.csv", 2, learners=20)
    out = tmp_path / "ttc.json"
    args = [str(train), str(test), "--out", str(out), "--learners", "6", "--horizon", "80"]
    assert main([*args, "--min-attempts", "50", "--diagnostics"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    _check_run(data, 6, 80)
    _check_run(data["heldout"], 6, 80)
    assert data["target"] == 0.3 and data["catalog"] == "demo"
    assert data["n_learners"] == 6 and data["seed"] == 7 and data["fit_seconds"] >= 0
    assert data["assumptions"] and all(isinstance(a, str) for a in data["assumptions"])
    assert "test.csv" in data["heldout"]["held_out"]
    assert set(data["diagnostics"]) == {
        "blendcoach_without_mastery",
        "blendcoach_target_quizzes_only",
        "blendcoach_without_both",
    }


def test_generated_catalog_and_second_seed(tmp_path: Path) -> None:
    train = _write_log(tmp_path / "train.csv", 3)
    out = tmp_path / "ttc.json"
    args = ["--catalog", "generated", "--items", "80", "--skills", "12", "--learners", "4"]
    assert main([str(train), "--out", str(out), *args, "--horizon", "60", "--seed", "3"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    _check_run(data, 4, 60)
    assert data["catalog"] == "generated" and "second seed" in data["heldout"]["held_out"]
