"""PostgreSQL restarted under learner traffic: requests meanwhile get a quick 503 with a JSON
reason (no hang, no 500), /readyz names the database, the service recovers by itself when
the server is back, and every write acknowledged before, during or after is there."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from coach.app import create_app
from coach.auth import auth_secret
from coach.db import CONNECT_TIMEOUT_S, make_engine
from coach.services import Services
from coach.settings import LimitSettings, Settings
from retrieval.embedding import FakeEmbedder
from tests.conftest import DEMO_CATALOG
from tests.faults.conftest import serve
from tests.faults.pgcluster import Cluster
from tests.faults.traffic import Learner, Ledger, make_quizzes
from tests.utils.users import make_user

LEARNERS = ("ana", "luc", "mia")


def _until(condition, what: str, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def pg_services(tmp_path: Path, pg_cluster: Cluster) -> Iterator[Services]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        embedding_model="fake",
        database_url=pg_cluster.url,
        limits=LimitSettings(per_user=0, per_org=0),  # type: ignore[call-arg]
        _env_file=None,
    )
    built = Services.build(settings, embedder=FakeEmbedder(dim=64))  # migrates
    built.ingestor().ingest([DEMO_CATALOG])
    yield built
    built.close()


def test_database_restarted_during_traffic(pg_services: Services, pg_cluster: Cluster) -> None:
    secret = auth_secret(pg_services.settings)
    users = {n: make_user(pg_services.engine, secret=secret, external_id=n) for n in LEARNERS}
    headers = {n: u.headers for n, u in users.items()}
    ledger, stop = Ledger(), threading.Event()
    with serve(pg_services) as url:
        learners = [
            Learner(url, n, headers[n], make_quizzes(url, headers[n]), ledger, stop)
            for n in LEARNERS
        ]
        for learner in learners:
            learner.start()
        try:
            _until(lambda: ledger.acknowledged >= 9, "writes before the outage")
            pg_cluster.stop("immediate")  # as if it crashed: sessions cut, no checkpoint
            before = ledger.acknowledged
            _until(lambda: len(ledger.unavailable) >= 6, "requests during the outage")
            ready = httpx.get(f"{url}/readyz", timeout=10)
            assert ready.status_code == 503 and ready.json()["failed"] == ["database"]
            assert ready.json()["checks"]["index"]["ok"] is True
            during = ledger.acknowledged - before
            pg_cluster.start()  # crash recovery, same port: the service is not restarted
            back = ledger.acknowledged
            _until(lambda: ledger.acknowledged >= back + 9, "writes after the restart")
            assert httpx.get(f"{url}/readyz", timeout=10).status_code == 200
        finally:
            stop.set()
            for learner in learners:
                learner.join(timeout=30)
        assert ledger.problems == [], ledger.problems[:5]
        assert set(ledger.statuses) <= {200, 503}, ledger.statuses
        assert ledger.slowest_s < CONNECT_TIMEOUT_S + 2  # failed fast, never hung
        assert {b["reason"] for b in ledger.unavailable} == {"database_unavailable"}
        assert all(b["detail"] and b["request_id"] for b in ledger.unavailable)
        # The outage was short enough that nothing was acknowledged while it lasted (what was
        # in flight when it began may have been), and each kind of write was acknowledged.
        assert during <= len(LEARNERS)
        assert ledger.chats and ledger.feedback and ledger.answers
        with httpx.Client(base_url=url, timeout=30) as http:
            checked = ledger.verify(http, headers)
    assert checked == ledger.acknowledged


class _Silent:
    """A TCP port that accepts connections and never says a word (a stuck network path)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()


def test_an_unresponsive_database_fails_fast_with_503(tmp_path: Path) -> None:
    """A server that accepts the connection and never answers: the connect timeout turns
    what would be a hang into a 503 within seconds."""
    silent = _Silent()
    services = Services.build(
        Settings(data_dir=tmp_path / "var", embedding_model="fake", _env_file=None),  # type: ignore[call-arg]
        embedder=FakeEmbedder(dim=16),
    )
    user = make_user(services.engine, secret=auth_secret(services.settings), external_id="ana")
    stuck = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{silent.port}/x")
    broken = dataclasses.replace(services, engine=stuck)  # what every route's session uses
    try:
        with TestClient(create_app(services=broken)) as client:
            started = time.monotonic()
            resp = client.get("/v1/conversations", headers=user.headers)
            seconds = time.monotonic() - started
    finally:
        stuck.dispose()
        services.close()
        silent.close()
    assert resp.status_code == 503, resp.text
    assert resp.json()["reason"] == "database_unavailable" and resp.headers["Retry-After"]
    assert CONNECT_TIMEOUT_S - 0.5 < seconds < 2 * CONNECT_TIMEOUT_S  # not a hang
