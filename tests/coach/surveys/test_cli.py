"""blendcoach surveys sweep|rollup: the daily sweep rebuilds the Kirkpatrick rollup, and
``rollup`` rebuilds it on demand."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from coach.cli import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_the_sweep_and_the_rollup_command_rebuild_the_kirkpatrick_rollup(cli_env: Path) -> None:
    assert _run("users", "add", "ana", "--org", "northwind")[0] == 0
    code, out = _run("surveys", "sweep", "--org", "northwind", "--today", "2026-03-02")
    assert code == 0, out
    assert "2026-03-02: opened 0 survey(s), closed 0" in out and "Kirkpatrick rollup built" in out
    code, out = _run("surveys", "rollup", "--org", "northwind")
    assert code == 0 and "Kirkpatrick rollup built at" in out, out
    assert _run("surveys", "rollup", "--org", "nowhere")[0] == 1
