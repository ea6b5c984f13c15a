"""``blendcoach serve`` killed (SIGKILL) in the middle of learner writes, then the service
started again on the same data: every write it acknowledged is re-read intact, the database
and the index open cleanly. On SQLite an ``ingest`` killed half-way is run again to completion.

The process is a real one (no lifespan clean-up, no flush, no checkpoint on SIGKILL): the
guarantee comes from each write's commit before its 2xx (``SessionDep`` commits before the
response; SQLite in WAL mode with ``synchronous=NORMAL`` keeps commits across a process
crash) and from the ingest's generations (a course goes live in one manifest transaction).
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from coach.app import create_app
from coach.auth import auth_secret
from coach.cli import app as cli
from coach.services import Services
from coach.settings import Settings, get_settings
from retrieval.index import IndexFilter
from retrieval.manifest import documents, generations
from tests.conftest import DEMO_CATALOG
from tests.faults.proc import Command, Server, environment
from tests.faults.traffic import Learner, Ledger, make_quizzes
from tests.utils.stack import module_md, write_course
from tests.utils.users import make_user

LEARNERS = ("ana", "luc", "mia")
NEW_COURSES = tuple(f"new-course-{i}" for i in range(6))


def _until(condition, what: str, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def _prepare(data: Path, database_url: str | None) -> tuple[dict[str, dict[str, str]], int]:
    """The demo catalog indexed and three learners, made in this process (then closed)."""
    settings = Settings(  # type: ignore[call-arg]
        data_dir=data, embedding_model="fake", database_url=database_url, _env_file=None
    )
    services = Services.build(settings)
    try:
        services.ingestor().ingest([DEMO_CATALOG])
        secret = auth_secret(settings)
        users = {n: make_user(services.engine, secret=secret, external_id=n) for n in LEARNERS}
        return {n: u.headers for n, u in users.items()}, services.index.count()
    finally:
        services.close()


def _traffic_then_kill(server: Server, headers: dict[str, dict[str, str]]) -> Ledger:
    ledger, stop = Ledger(), threading.Event()
    learners = [
        Learner(
            server.url,
            n,
            headers[n],
            make_quizzes(server.url, headers[n]),
            ledger,
            stop,
            stop_on_disconnect=True,
        )
        for n in LEARNERS
    ]
    for learner in learners:
        learner.start()
    try:
        _until(lambda: ledger.acknowledged >= 24, "acknowledged writes")
    finally:
        killed = server.kill()  # while the learners are still writing
        stop.set()
        for learner in learners:
            learner.join(timeout=30)
    assert killed == -signal.SIGKILL
    assert ledger.problems == [], ledger.problems[:5]
    assert set(ledger.statuses) <= {200}, ledger.statuses
    assert ledger.chats and ledger.feedback and ledger.answers
    return ledger


@contextmanager
def restarted(settings: Settings) -> Iterator[TestClient]:
    """The service started again on the same data (in this process: its imports are paid
    for already, and a start is what is tested, not the command line)."""
    services = Services.build(settings)  # migrates, opens the index
    try:
        with TestClient(create_app(services=services)) as client:
            yield client
    finally:
        services.close()


def _new_content(root: Path) -> Path:
    for course in NEW_COURSES:
        modules = {
            f"0{m}-module.md": module_md(
                course,
                f"Module {m}",
                {
                    f"Part {p}": f"{course} module {m} part {p} explains step {p} of the "
                    f"procedure, why it matters and what to check before moving on."
                    for p in range(4)
                },
            )
            for m in range(4)
        }
        write_course(root, course, modules)
    return root


def _live_new_courses(db: str) -> set[str]:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(documents.c.course_id)
                .join(generations, documents.c.generation == generations.c.generation)
                .where(generations.c.state == "active")
            )
            return {r.course_id for r in rows} & set(NEW_COURSES)
    finally:
        engine.dispose()


def _kill_ingest_mid_way(data: Path, tmp: Path, env: dict[str, str]) -> Path:
    """``blendcoach ingest`` of six new courses, SIGKILLed once the first is live."""
    content = _new_content(tmp / "content")
    db = f"sqlite:///{data / 'blendcoach.db'}"
    ingest = Command(["ingest", str(content)], env, tmp, tmp / "ingest.log")
    _until(lambda: bool(_live_new_courses(db)) or ingest.proc.poll() is not None, "a new course")
    assert ingest.kill() == -signal.SIGKILL, f"the ingest ended first:\n{ingest.output()}"
    assert _live_new_courses(db) < set(NEW_COURSES), "killed too late to be mid-way"
    return content


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for name, value in environment(tmp_path / "var").items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.slow
def test_sqlite_killed_mid_write_and_mid_ingest(tmp_path: Path, cli_env: None) -> None:
    data = tmp_path / "var"
    headers, points = _prepare(data, None)
    env = environment(data)
    ledger = _traffic_then_kill(Server(env, tmp_path, tmp_path / "serve-1.log"), headers)

    # The files a crash left behind open cleanly.
    with sqlite3.connect(data / "blendcoach.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    content = _kill_ingest_mid_way(data, tmp_path, env)
    services = Services.build(get_settings())  # the index opens after two crashes
    try:
        assert services.index.count() >= points
        hidden = {"generation": tuple(services.manifest.hidden_generations())}
        live = {f.course_id: 0 for f in services.manifest.files().values()}
        for f in services.manifest.files().values():
            live[f.course_id] += f.chunk_count
        for course in NEW_COURSES:  # each course all there (as the manifest says) or not at all
            flt = IndexFilter(must={"kind": ("chunk",), "course_id": (course,)}, must_not=hidden)
            assert services.index.count(flt) == live.get(course, 0), course
    finally:
        services.close()
    runner = CliRunner()
    rerun = runner.invoke(cli, ["ingest", str(content)])
    assert rerun.exit_code == 0, rerun.output
    again = runner.invoke(cli, ["ingest", str(content)])
    assert again.exit_code == 0 and "0 added, 0 updated" in again.output, again.output

    with restarted(get_settings()) as client:
        assert ledger.verify(client, headers) == ledger.acknowledged
        assert client.get("/readyz").status_code == 200
        query = {"q": "new-course-5 module 3 part 2 procedure"}
        found = client.get("/v1/search", params=query, headers=headers["ana"]).json()["hits"]
        assert "new-course-5" in {h["citation"]["course_id"] for h in found}
    assert _live_new_courses(f"sqlite:///{data / 'blendcoach.db'}") == set(NEW_COURSES)


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_killed_mid_write(tmp_path: Path, pg_url: str) -> None:
    data = tmp_path / "var"
    headers, _ = _prepare(data, pg_url)
    env = environment(data, pg_url)
    ledger = _traffic_then_kill(Server(env, tmp_path, tmp_path / "serve-1.log"), headers)
    settings = Settings(data_dir=data, embedding_model="fake", database_url=pg_url, _env_file=None)  # type: ignore[call-arg]
    with restarted(settings) as client:
        assert ledger.verify(client, headers) == ledger.acknowledged
        assert client.get("/readyz").status_code == 200
