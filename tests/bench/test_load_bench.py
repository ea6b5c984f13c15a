"""bench.load end to end on one small course: the real server and locust, 2 users, seconds.

The fake encoder keeps the two processes' start-up short: this checks the plumbing (every
request type made, timed and counted, the JSON's shape), not the figures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench import load
from tests.conftest import DEMO_CATALOG

COURSE = "cyber-awareness"


@pytest.mark.slow
def test_load_bench_measures_every_request_type_without_errors(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    shutil.copytree(DEMO_CATALOG / "courses" / COURSE, folder / "content" / COURSE)
    questions = DEMO_CATALOG.parent / "questions.jsonl"
    lines = [line for line in questions.read_text().splitlines() if f"/{COURSE}/" in line]
    (folder / "questions.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path / "load.json"

    short = "--users 2 --duration 4 --baseline-duration 2 --spawn-rate 2 --wait 0.2 0.5"
    load.main(
        [str(folder), "--out", str(out), *short.split(), "--quiz-modules", "1", "--model", "fake"]
    )

    result = json.loads(out.read_text())
    assert set(result) >= {"levels", "baseline", "saturation_users", "machine", "config"}
    level = result["levels"]["2"]
    assert level["all"]["n"] >= 4 and level["all"]["rps"] > 0
    for name in ("chat", "search", "quiz_create", "quiz_answer", "all"):
        if name in level:
            stats = level[name]
            assert set(stats) >= {"rps", "p50_ms", "p95_ms", "p99_ms", "errors", "rate_limited"}
            assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"]
            assert stats["errors"] == 0, stats["error_examples"]
            assert stats["rate_limited"] == 0  # the production limits: 2 users are far below
    assert level["server_cpu_pct"] > 0
    floor = result["baseline"]["2"]["healthz"]
    assert floor["n"] > 0 and floor["errors"] == 0
    assert result["saturation_users"] is None  # one level: nothing to compare with
    assert result["errors_below_saturation"] == 0
    assert result["server_log"]["tracebacks"] == 0
    machine = result["machine"]
    assert machine["cpus"] >= 1 and len(machine["load_avg_before"]) == 3
    assert result["config"]["limits"]["per_user"] == 300  # production defaults, not raised
