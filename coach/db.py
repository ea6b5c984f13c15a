"""Database engine and migrations (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text

MIGRATIONS = Path(__file__).parent / "migrations"

# The key of the PostgreSQL advisory lock held while the schema changes ("blendcoa" in ASCII).
# Advisory locks are per database: two services on two databases never wait for each other.
MIGRATION_LOCK_KEY = 0x626C656E64636F61
MIGRATION_LOCK_TIMEOUT_S = 600.0


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL mode, fsync at checkpoints only, and foreign keys.

    ``synchronous=NORMAL`` is SQLite's advice for WAL: a commit survives the process dying
    and the file never corrupts; only a power cut can drop the last commits. It saves an
    fsync per commit (two per chat turn).
    """
    sqlite = url.startswith("sqlite")
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # A file database never drops a connection: no ping before each checkout.
    engine = create_engine(url, pool_pre_ping=not sqlite)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


@contextmanager
def migration_lock(
    engine: Engine, *, timeout_s: float = MIGRATION_LOCK_TIMEOUT_S
) -> Iterator[None]:
    """Hold the schema lock: on PostgreSQL a session advisory lock, so replicas starting at
    once migrate one after the other (the later ones then find the schema at head).

    SQLite needs none: one process serves it (Settings refuse more workers without
    PostgreSQL), and an upgrade found at head changes nothing.
    Waiting longer than ``timeout_s`` raises (``lock_timeout`` covers advisory locks).
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text(f"SET lock_timeout = {int(timeout_s * 1000)}"))
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        conn.commit()  # the lock is the session's: no transaction stays open meanwhile
        try:
            yield
        finally:
            # A session lock outlives transactions: release it before the pool takes the
            # connection back (and reset the timeout for whoever borrows it next).
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                conn.execute(text("RESET lock_timeout"))
                conn.commit()
            except Exception:
                conn.invalidate()  # closed: the server drops the session's lock with it


def migrate(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Bring the schema up to ``revision`` (idempotent; safe from several processes at once).

    Returns the revisions before and after, both read under the lock (None: no schema).
    """
    with migration_lock(engine):
        before = current_revision(engine)
        command.upgrade(alembic_config(engine), revision)
        return before, current_revision(engine)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (``base``: no tables; ``-1``: one step)."""
    with migration_lock(engine):
        command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision this code ships."""
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None, "no migrations found"
    return head
