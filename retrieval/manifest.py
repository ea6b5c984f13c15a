"""What has been ingested: file hashes and index generations, in the service database.

Every write to the index is tagged with a *generation*. New chunks are written under a
``pending`` generation, then one database transaction per course makes them ``active``
and the old ones ``retired``; search hides pending and retired generations, and the
next ingest deletes them. A crash at any point leaves each course fully old or fully
new.

The service creates these tables with its Alembic migrations; ``metadata.create_all``
is for throwaway databases (tests, benchmarks).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)

metadata = MetaData()

generations = Table(
    "ingest_generations",
    metadata,
    Column("generation", Integer, primary_key=True, autoincrement=True),
    Column("file_key", String(1024), nullable=False, index=True),
    Column("course_id", String(255), nullable=False),
    Column("state", String(16), nullable=False, index=True),  # pending | active | retired
    Column("created_at", DateTime(timezone=True), nullable=False),
)

documents = Table(
    "ingested_files",
    metadata,
    Column("file_key", String(1024), primary_key=True),
    Column("root", String(1024), nullable=False),
    Column("course_id", String(255), nullable=False, index=True),
    Column("content_hash", String(128), nullable=False),
    Column("generation", Integer, ForeignKey("ingest_generations.generation"), nullable=False),
    Column("chunk_count", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

PENDING, ACTIVE, RETIRED = "pending", "active", "retired"


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One ingested file as the manifest knows it."""

    file_key: str
    root: str
    course_id: str
    content_hash: str
    generation: int
    chunk_count: int


@dataclass(frozen=True, slots=True)
class FileCommit:
    """A file whose new chunks (under ``generation``) are ready to go live."""

    file_key: str
    root: str
    course_id: str
    content_hash: str
    generation: int
    chunk_count: int


def _now() -> datetime:
    return datetime.now(UTC)


class Manifest:
    """Storage functions for ingestion state (SQLAlchemy Core, any supported database)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def files(self) -> dict[str, FileRecord]:
        """Every live file, by key."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents)).mappings().all()
        return {r["file_key"]: FileRecord(**{k: r[k] for k in FileRecord.__slots__}) for r in rows}

    def begin_generations(self, *, files: Sequence[tuple[str, str]]) -> dict[str, int]:
        """Reserve a pending generation per (file_key, course_id); returns key → generation."""
        out: dict[str, int] = {}
        with self.engine.begin() as conn:
            for file_key, course_id in files:
                result = conn.execute(
                    insert(generations).values(
                        file_key=file_key, course_id=course_id, state=PENDING, created_at=_now()
                    )
                )
                out[file_key] = int(result.inserted_primary_key[0])  # type: ignore[index]
        return out

    def commit(self, *, commits: Sequence[FileCommit], removed: Iterable[str] = ()) -> list[int]:
        """Atomically make new generations live and retire what they replace.

        Args:
            commits: files whose pending generation becomes active.
            removed: file keys whose chunks go away entirely (pruned files).

        Returns:
            The generations retired (their points are to be deleted).
        """
        retired: list[int] = []
        with self.engine.begin() as conn:
            keys = [c.file_key for c in commits] + list(removed)
            old = conn.execute(
                select(documents.c.file_key, documents.c.generation).where(
                    documents.c.file_key.in_(keys)
                )
            ).all()
            retired = [int(g) for _, g in old]
            if retired:
                conn.execute(
                    update(generations)
                    .where(generations.c.generation.in_(retired))
                    .values(state=RETIRED)
                )
                conn.execute(delete(documents).where(documents.c.file_key.in_(keys)))
            for c in commits:
                conn.execute(
                    update(generations)
                    .where(generations.c.generation == c.generation)
                    .values(state=ACTIVE)
                )
                conn.execute(
                    insert(documents).values(
                        file_key=c.file_key,
                        root=c.root,
                        course_id=c.course_id,
                        content_hash=c.content_hash,
                        generation=c.generation,
                        chunk_count=c.chunk_count,
                        updated_at=_now(),
                    )
                )
        return retired

    def hidden_generations(self) -> list[int]:
        """Generations whose points search must not show (pending or retired)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(generations.c.generation).where(generations.c.state != ACTIVE)
            ).all()
        return [int(r[0]) for r in rows]

    def forget(self, generations_done: Sequence[int]) -> None:
        """Drop bookkeeping for generations whose points have been deleted."""
        if not generations_done:
            return
        with self.engine.begin() as conn:
            conn.execute(
                delete(generations).where(generations.c.generation.in_(list(generations_done)))
            )
