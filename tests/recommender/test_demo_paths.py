"""The Northwind demo: catalog loads, demo learners get sensible paths; the bench runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.paths import main as bench_main
from recommender.demo import load_demo
from recommender.model import Modality
from recommender.paths import CoCompletion, SeatLedger, build_path, reserve, validate_path

DEMO = Path(__file__).resolve().parents[2] / "demo"


@pytest.fixture(scope="module")
def demo():  # type: ignore[no-untyped-def]
    return load_demo(DEMO)


def test_demo_catalog_loads(demo) -> None:  # type: ignore[no-untyped-def]
    cat = demo.catalog
    assert {"feedback-conversations", "ojt-delegation-plan", "coach-new-managers"} <= set(cat.items)
    assert cat.items["ws-feedback-lyon-2026-12"].modality is Modality.IN_PERSON
    assert cat.sessions["ws-feedback-manchester-2027-01-1"].free_seats == 0
    assert {"ana", "luc", "priya", "sam", "chloe"} <= set(demo.learners)


def test_demo_learners_get_valid_explained_paths(demo) -> None:  # type: ignore[no-untyped-def]
    cc = CoCompletion().fit(demo.cohort + list(demo.learners.values()))
    ledger = SeatLedger()
    paths = {}
    for lr in demo.learners.values():
        path = build_path(lr, demo.catalog, {}, demo.today, cocompletion=cc, ledger=ledger)
        assert validate_path(path, demo.catalog, lr, demo.today, ledger=ledger) == []
        assert all(s.reason for s in path.steps)
        reserve(ledger, path, demo.catalog)
        paths[lr.id] = path
    ana = paths["ana"]
    assert ana.steps[0].item_id == "cyber-awareness"  # overdue renewal first
    assert any(w.kind == "overdue" for w in ana.warnings)
    assert len({s.modality for s in ana.steps}) >= 2
    weak = next(s for s in ana.steps if "weak" in s.evidence)
    assert "40%" in weak.reason
    assert "vc-delegation-clinic-2" in [s.session_id for s in ana.steps]  # the first one is full
    assert "niveau" in paths["luc"].steps[0].reason or "Obligatoire" in paths["luc"].steps[0].reason
    sam = {w.kind for w in paths["sam"].warnings}
    assert {"unknown_skill", "past_deadline"} <= sam
    assert any(w.kind == "no_history" for w in paths["priya"].warnings)


def test_bench_runs_end_to_end_on_tiny_sizes(tmp_path: Path) -> None:
    out = tmp_path / "paths.json"
    bench_main(
        [
            str(DEMO),
            "--out",
            str(out),
            "--items",
            "120",
            "--skills",
            "24",
            "--learners",
            "60",
            "--latency-sample",
            "20",
            "--baseline-sample",
            "20",
        ]
    )
    data = json.loads(out.read_text())
    for name in ("demo", "generated"):
        q = data[name]["quality"]
        assert q["prerequisite_violations"] == 0 and q["session_seat_conflicts"] == 0
        assert data[name]["latency_ms"]["p95"] is not None
    assert data["generated"]["baselines"]["catalog"]["paths"] == 20
