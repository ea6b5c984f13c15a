"""Shared fixtures: offline guard, embedders, databases (SQLite and PostgreSQL), indexes."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from retrieval.embedding import Embedder, FakeEmbedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")

REPO = Path(__file__).resolve().parents[1]
DEMO_CATALOG = REPO / "demo" / "catalog"
SHARED_DATA = REPO.parent / "shared" / "data"
PG_ADMIN_URL = os.environ.get(
    "BLENDCOACH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> None:
    """Tests may only talk to this machine (PostgreSQL, Redis, local fake servers)."""
    if isinstance(address, tuple) and address and isinstance(address[0], str):
        host = address[0]
        if host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("127."):
            raise ConnectionRefusedError(f"tests are offline: refused connection to {host}")
    _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def _offline() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


@pytest.fixture
def embedder() -> FakeEmbedder:
    """A fast deterministic embedder (texts sharing words are close)."""
    return FakeEmbedder(dim=64)


@pytest.fixture(scope="session")
def minilm() -> Embedder:
    """The real packaged all-MiniLM-L6-v2 (loaded once per session)."""
    from retrieval.embedding import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def _pg_available() -> bool:
    engine = create_engine(PG_ADMIN_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    if not _pg_available():
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: start it (see .ci/run)")
    name = f"bc_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("pg_url")  # type: ignore[no-any-return]


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine on each database."""
    from coach.db import make_engine, migrate

    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()
