"""bench.kirkpatrick end to end on a tiny generated organisation (PostgreSQL): every
dashboard query gives the naive baseline's figures, and the KPI file goes through the
importer."""

from __future__ import annotations

from pathlib import Path

from bench.kirkpatrick import run
from tests.conftest import PG_ADMIN_URL


def test_the_dashboard_agrees_with_the_naive_baseline(tmp_path: Path) -> None:
    data = run(PG_ADMIN_URL, tmp_path, learners=60, runs=1, naive_runs=1)
    assert data["org"]["learners"] == 60 and data["org"]["kpis"] > 0
    assert (tmp_path / "kpis.csv").is_file()
    queries = data["queries"]
    assert [(q["group_by"], q["period"]) for q in queries] == [
        (g, p) for g in ("course", "modality", "team") for p in ("year", "quarter")
    ]
    assert all(q["rows"] > 0 and q["same_figures"] for q in queries), queries
