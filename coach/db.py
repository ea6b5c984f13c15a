"""Database engine and migrations (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc, make_url, text

MIGRATIONS = Path(__file__).parent / "migrations"

# The key of the PostgreSQL advisory lock held while the schema changes ("blendcoa" in ASCII).
# Advisory locks are per database: two services on two databases never wait for each other.
MIGRATION_LOCK_KEY = 0x626C656E64636F61
MIGRATION_LOCK_TIMEOUT_S = 600.0
CONNECT_TIMEOUT_S = 5
"""Longest wait for a new PostgreSQL connection (libpq ``connect_timeout``; a URL that sets
``?connect_timeout=N`` keeps its own): a database that is unreachable rather than refusing
fails the request with a 503 in seconds instead of holding it for the TCP timeout."""


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL mode, fsync at checkpoints only, and foreign keys.

    ``synchronous=NORMAL`` is SQLite's advice for WAL: a commit survives the process dying
    and the file never corrupts; only a power cut can drop the last commits. It saves an
    fsync per commit (two per chat turn).

    PostgreSQL connections are pinged before each checkout, so the pool drops the ones a
    restarted server closed and the service recovers on its own, and they give up
    connecting after :data:`CONNECT_TIMEOUT_S`.
    """
    sqlite = url.startswith("sqlite")
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    connect_args: dict[str, object] = {}
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    # A file database never drops a connection: no ping before each checkout.
    engine = create_engine(url, pool_pre_ping=not sqlite, connect_args=connect_args)
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


UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)
"""Errors that say the database cannot serve now (down, restarting, unreachable, its
connections lost or the pool exhausted), not that a query was wrong: a request that meets
one is answered 503 and can be retried."""


def unavailable_reason(err: BaseException) -> str:
    """A short, client-safe reason for one of :data:`UNAVAILABLE` (no host, no SQL)."""
    if isinstance(err, exc.TimeoutError):
        return "no database connection free in time"
    if isinstance(err, exc.DBAPIError) and err.connection_invalidated:
        return "the connection to the database was lost"
    return "the database is unavailable"
