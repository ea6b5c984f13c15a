"""The outbox runs on the nudges' job queue (the ``xapi-flush`` job, which comes back) and
from the command line (``blendcoach xapi flush|status``), which says why the LRS failed."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from coach.cli import app
from coach.db import make_engine, migrate
from coach.nudges.queue import InProcessQueue, Runtime, configure
from coach.nudges.runtime import build_engine
from coach.settings import LrsSettings, Settings, get_settings
from coach.xapi_lrs.sender import Forwarder, LrsClient
from tests.coach.xapi.conftest import FakeLrs, log_statements, seed
from tests.coach.xapi.ralph import free_port

runner = CliRunner()


def test_the_flush_job_sends_the_outbox_and_comes_back(db: Engine, tmp_path: Path) -> None:
    statements = log_statements(db, 3)
    lrs = FakeLrs()
    cfg = LrsSettings(url="https://lrs.example/xAPI", flush_every_s=30)
    settings = Settings(data_dir=tmp_path / "var", _env_file=None)  # type: ignore[call-arg]
    queue = InProcessQueue()
    forwarder = Forwarder(db, cfg, LrsClient(cfg, transport=httpx.MockTransport(lrs)))
    configure(Runtime(db, build_engine(settings), queue, forwarder))
    try:
        queue.enqueue("xapi-flush", job_id="xapi-flush-start")
        assert queue.run_due() == 1
        assert queue.done[0][2].startswith("sent 3,")
        assert set(lrs.stored) == {s["id"] for s in statements}
        assert queue.pending() == 1  # the next run, in flush_every_s
        assert queue.run_due() == 0
    finally:
        configure(None)
        forwarder.close()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_cli_flush_says_why_the_lrs_failed_and_status_shows_the_queue(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = _run("xapi", "flush")
    assert code == 1 and "no LRS configured: set BLENDCOACH_LRS_URL" in out
    engine = make_engine(get_settings().db_url)
    migrate(engine)
    log_statements(seed(engine), 2)
    engine.dispose()
    monkeypatch.setenv("BLENDCOACH_LRS_URL", f"http://127.0.0.1:{free_port()}/xAPI")
    get_settings.cache_clear()
    code, out = _run("xapi", "flush")
    assert code == 1, out
    assert "sent 0, retrying 2" in out and "LRS unreachable: ConnectError" in out
    code, out = _run("xapi", "status")
    assert code == 0, out
    assert "pending 2" in out and "retrying 2" in out and "ConnectError" in out
