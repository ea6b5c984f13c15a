"""The vector index seam: one protocol, one collection schema, two Qdrant engines."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from retrieval.lexical import SparseVector

DENSE = "dense"
SPARSE = "bm25"

# Payload fields with an index (filters on them stay fast at any corpus size).
KEYWORD_FIELDS = ("course_id", "skills", "language", "kind", "source_path", "chunk_id")
INTEGER_FIELDS = ("generation",)

Scalar = str | int


class IndexReadOnlyError(OSError):
    """The index's directory cannot be written (a read-only mount, an immutable or foreign
    directory): it cannot be opened by the embedded engine, and a write did not reach disk."""


@dataclass(frozen=True, slots=True)
class IndexFilter:
    """Conjunction of "field matches any of these values" conditions.

    ``must`` keeps points matching every listed field; ``must_not`` drops points
    matching any listed field. A field with no values puts no condition.
    """

    must: dict[str, tuple[Scalar, ...]] = field(default_factory=dict)
    must_not: dict[str, tuple[Scalar, ...]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not any(self.must.values()) and not any(self.must_not.values())


@dataclass(slots=True)
class IndexPoint:
    """A point to store: a dense vector, a sparse vector, or both, plus payload."""

    id: str
    payload: dict[str, Any]
    dense: np.ndarray | None = None
    sparse: SparseVector | None = None


@dataclass(frozen=True, slots=True)
class IndexQuery:
    """A nearest-neighbour query on one named vector."""

    vector: np.ndarray | SparseVector
    limit: int
    filter: IndexFilter | None = None
    exact: bool = False
    hnsw_ef: int | None = None
    payload_fields: tuple[str, ...] | None = None
    """Only these payload fields come back (None: all of them)."""

    @property
    def using(self) -> str:
        return SPARSE if isinstance(self.vector, SparseVector) else DENSE


@dataclass(frozen=True, slots=True)
class ScoredPoint:
    """A stored point as returned by a query, retrieve or scroll (score 0 outside queries)."""

    id: str
    score: float
    payload: dict[str, Any]
    dense: np.ndarray | None = None


@runtime_checkable
class VectorIndex(Protocol):
    """What search and ingestion need from a vector store."""

    dim: int

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        """Insert or replace points (by id)."""

    def delete(self, flt: IndexFilter) -> None:
        """Delete every point matching the filter."""

    def query_batch(self, queries: Sequence[IndexQuery]) -> list[list[ScoredPoint]]:
        """Run several queries in one call; results in query order, best first."""

    def retrieve(self, ids: Sequence[str]) -> list[ScoredPoint]:
        """Fetch points by id with payload (missing ids are skipped)."""

    def scroll(
        self, flt: IndexFilter | None = None, *, with_dense: bool = False, page: int = 1024
    ) -> Iterator[ScoredPoint]:
        """Iterate over all points matching the filter."""

    def count(self, flt: IndexFilter | None = None) -> int:
        """Number of points matching the filter."""

    def optimize(self) -> None:
        """Build indexes and merge segments now rather than lazily."""

    def flush(self) -> None:
        """Make every acknowledged write durable."""

    def close(self) -> None:
        """Release files and connections."""
