"""The embedded index's directory made read-only, while the service runs and before it
starts. Searches and answers keep working, /readyz says the index cannot be written, an
ingest fails with a clear error and loses nothing (checked by re-reading once writable).

Read-only for real: we run as root in CI, for whom permission bits are no obstacle, so the
directory is bind-mounted over itself read-only (``mount -o remount,bind,ro``), which stops
root too; the mount is undone when the test ends.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from coach.app import create_app
from coach.auth import auth_secret
from coach.cli import app as cli
from coach.services import IndexUnavailableError, Services
from coach.settings import Settings, get_settings
from retrieval.embedding import FakeEmbedder
from retrieval.index import IndexFilter, IndexReadOnlyError
from tests.conftest import DEMO_CATALOG
from tests.utils.stack import module_md, write_course
from tests.utils.users import make_user

BREACH = "How quickly must a personal data breach be reported?"


def _mount_problem() -> str | None:
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"bc-ro-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        with read_only(probe):
            pass
    except (OSError, subprocess.CalledProcessError) as err:
        return f"cannot bind-mount a directory read-only here ({err})"
    finally:
        probe.rmdir()
    return None


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` read-only for every process, root included, until the block ends."""
    subprocess.run(["mount", "--bind", str(path), str(path)], check=True, capture_output=True)
    try:
        subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(path)], check=True, capture_output=True
        )
        yield
    finally:
        subprocess.run(["umount", str(path)], check=True, capture_output=True)


@pytest.fixture(scope="module")
def can_mount() -> None:
    problem = _mount_problem()
    if problem is not None:
        pytest.skip(problem)


def _new_course(root: Path) -> Path:
    modules = {
        "01-horns.md": module_md(
            "forklifts",
            "Horns",
            {"Corners": "Forklift drivers sound the horn at blind corners and aisle ends."},
        )
    }
    write_course(root, "forklifts", modules)
    return root


def _passages(search: dict) -> list[tuple[str, str]]:
    return [(h["chunk_id"], h["text"]) for h in search["hits"]]


def _forklift_points(services: Services) -> int:
    return services.index.count(IndexFilter(must={"course_id": ("forklifts",)}))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", embedding_model="fake", _env_file=None)  # type: ignore[call-arg]


def test_read_only_while_running(can_mount: None, settings: Settings, tmp_path: Path) -> None:
    services = Services.build(settings, embedder=FakeEmbedder(dim=64))
    services.ingestor().ingest([DEMO_CATALOG])
    points = services.index.count()
    ana = make_user(services.engine, secret=auth_secret(settings), external_id="ana")
    content = _new_course(tmp_path / "new")
    index_dir = settings.data_dir / "index"
    with TestClient(create_app(services=services)) as c:
        before = c.get("/v1/search", params={"q": "data breach"}, headers=ana.headers).json()
        with read_only(index_dir):
            search = c.get("/v1/search", params={"q": "data breach"}, headers=ana.headers)
            assert search.status_code == 200 and search.json()["hits"] == before["hits"]
            chat = c.post("/v1/chat", json={"message": BREACH}, headers=ana.headers)
            assert chat.status_code == 200 and chat.json()["citations"]
            ready = c.get("/readyz")
            assert ready.status_code == 200  # learners are still served
            writable = ready.json()["checks"]["index_writable"]
            assert writable["ok"] is False and writable["required"] is False
            assert "read-only file system" in writable["error"]
            with pytest.raises(IndexReadOnlyError, match="is read-only"):
                services.ingestor().ingest([content])
            with pytest.raises(IndexReadOnlyError):
                services.index.close()  # the shard closes; its flush could not reach disk
    services.engine.dispose()

    # Writable again: everything indexed before is there, the failed course is not live,
    # and the same ingest now completes.
    again = Services.build(settings, embedder=FakeEmbedder(dim=64))
    try:
        assert again.index.count() >= points
        with TestClient(create_app(services=again)) as c:
            after = c.get("/v1/search", params={"q": "data breach"}, headers=ana.headers)
            # The same passages (scores move a hair: the failed ingest's one point reached
            # the write-ahead log through its open file, unseen until an ingest clears it).
            assert _passages(after.json()) == _passages(before)
            found = c.get("/v1/search", params={"q": "forklift horn"}, headers=ana.headers)
            assert "forklifts" not in {h["citation"]["course_id"] for h in found.json()["hits"]}
            assert c.get("/readyz").json()["checks"]["index_writable"]["ok"] is True
        report = again.ingestor().ingest([content])
        assert report.ok and len(report.added) == 1 and _forklift_points(again) > 0
        assert again.ingestor().ingest([content]).unchanged  # nothing left half-done
        assert again.index.count() == points + _forklift_points(again)
    finally:
        again.close()


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("BLENDCOACH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("BLENDCOACH_EMBEDDING_MODEL", "fake")
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_read_only_at_start(can_mount: None, cli_env: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(DEMO_CATALOG)]).exit_code == 0
    content = _new_course(tmp_path / "new")
    with read_only(cli_env.data_dir / "index"):
        ingest = runner.invoke(cli, ["ingest", str(content)])
        assert ingest.exit_code == 2, ingest.output
        assert "read-only" in ingest.output and "Traceback" not in ingest.output
        serve = runner.invoke(cli, ["serve", "--port", "1"])  # refused before it listens
        assert serve.exit_code == 2 and "read-only" in serve.output, serve.output
        with pytest.raises(IndexUnavailableError, match="read-only file system"):
            Services.build(cli_env)
    # Nothing was lost: the index opens, the catalog is whole, the ingest completes.
    services = Services.build(cli_env)
    try:
        assert services.index.count(IndexFilter(must={"course_id": ("gdpr-basics",)})) > 0
        assert _forklift_points(services) == 0
    finally:
        services.close()
    done = runner.invoke(cli, ["ingest", str(content)])
    assert done.exit_code == 0 and "1 added" in done.output, done.output
