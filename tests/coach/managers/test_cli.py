"""blendcoach managers chart|history|sweep after a learners import."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from coach.cli import app
from coach.settings import get_settings
from tests.utils.paths import DEMO, DEMO_TODAY, demo_learners_file

runner = CliRunner()


@pytest.fixture(autouse=True)
def _demo_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLENDCOACH_PLANNING_DATE", DEMO_TODAY.isoformat())
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_the_chart_history_and_sweep_from_the_command_line(cli_env: Path, tmp_path: Path) -> None:
    assert _run("users", "add", "rita", "--org", "northwind", "--role", "reviewer")[0] == 0
    assert _run("import", "catalog", str(DEMO), "--org", "northwind")[0] == 0
    code, out = _run("import", "learners", str(demo_learners_file(tmp_path)), "--org", "northwind")
    assert code == 0, out
    assert "3 managers created" in out  # Tom Hughes, Sophie Garnier, Rachel Green
    code, out = _run("managers", "chart", "--org", "northwind")
    assert code == 0, out
    assert "5 reporting line(s)" in out and "Tom Hughes (mgr-tom-hughes)" in out
    code, out = _run("managers", "history", "ana", "--org", "northwind")
    assert code == 0 and "Tom Hughes" in out
    code, out = _run("managers", "sweep", "--org", "northwind")
    assert code == 0 and "2026-11-23: 5 confirmation request(s) opened, 5 pending" in out
    code, out = _run("managers", "sweep", "--org", "northwind")
    assert "0 confirmation request(s) opened, 5 pending" in out
    code, out = _run("managers", "sweep", "--org", "northwind", "--today", "23/11")
    assert code == 1 and "not a day" in out
    assert _run("managers", "history", "nobody", "--org", "northwind")[0] == 1
    assert _run("managers", "chart", "--org", "nowhere")[0] == 1
