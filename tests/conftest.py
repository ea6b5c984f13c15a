"""Shared fixtures: offline guard, embedders, databases (SQLite and PostgreSQL), indexes."""

from __future__ import annotations

import os
import shutil
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


def _pg_admin() -> Engine:
    if not _pg_available():
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: start it (see .ci/run)")
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _pg_database(template: str | None = None) -> Iterator[str]:
    """A throwaway database (a copy of ``template`` if given), dropped afterwards."""
    name = f"bc_test_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin()
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    yield from _pg_database()


# Migrating takes longer than copying: each run migrates one empty database of each kind
# and every storage test starts from a copy (tests/coach/storage/test_migrations.py checks
# the result against the models, then downgrades and upgrades it again).
@pytest.fixture(scope="session")
def _pg_migrated_template() -> Iterator[str]:
    from coach.db import make_engine, migrate

    for url in _pg_database():
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()  # CREATE DATABASE ... TEMPLATE needs it unused
        yield url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def _sqlite_migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from coach.db import make_engine, migrate

    path = tmp_path_factory.mktemp("migrated") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every storage test runs on SQLite and on PostgreSQL, each a migrated copy."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_migrated_template"), path)
        yield f"sqlite:///{path}"
        return
    yield from _pg_database(template=request.getfixturevalue("_pg_migrated_template"))


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine on each database."""
    from coach.db import make_engine, migrate

    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()
