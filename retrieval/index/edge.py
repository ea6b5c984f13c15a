"""The default engine: Qdrant Edge, in process, stored in a local directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import qdrant_edge as qe

from retrieval.index.base import (
    DENSE,
    INTEGER_FIELDS,
    KEYWORD_FIELDS,
    SPARSE,
    IndexFilter,
    IndexPoint,
    IndexQuery,
    IndexReadOnlyError,
    ScoredPoint,
)
from retrieval.lexical import SparseVector


def _conditions(spec: dict[str, tuple[Any, ...]]) -> list[Any]:
    conds: list[Any] = []
    for key, values in spec.items():
        if values:
            conds.append(qe.FieldCondition(key=key, match=qe.MatchAny(any=list(values))))
    return conds


def to_edge_filter(flt: IndexFilter | None) -> qe.Filter | None:
    """Translate the neutral filter into Qdrant Edge's."""
    if flt is None or flt.is_empty():
        return None
    return qe.Filter(must=_conditions(flt.must) or None, must_not=_conditions(flt.must_not) or None)


def writable_problem(path: Path) -> str | None:
    """Why ``path`` or a directory under it cannot be written (None: they can, or it is
    not there yet). ``os.access`` sees read-only mounts and immutable directories, even as
    root, for whom permission bits are no obstacle."""
    dirs = [path, *(p for p in path.rglob("*") if p.is_dir())] if path.is_dir() else []
    for folder in dirs:
        if not os.access(folder, os.W_OK):
            ro = os.statvfs(folder).f_flag & os.ST_RDONLY
            why = "read-only file system" if ro else "not writable by this process"
            return f"{folder}: {why}"
    return None


class EdgeIndex:
    """A :class:`VectorIndex` on an embedded Qdrant Edge shard.

    Args:
        path: directory of the shard (created if missing).
        dim: dense vector size.
        hnsw_m: HNSW graph degree.
        ef_construct: HNSW build-time beam width.
        indexing_threshold_kb: segments larger than this get an HNSW graph on optimize;
            smaller ones are searched exactly (None: the engine's default).
        full_scan_threshold_kb: below this many KB of vectors matching a filter, search
            scans them exactly instead of walking the graph.
    """

    def __init__(
        self,
        path: str | Path,
        dim: int,
        *,
        hnsw_m: int = 16,
        ef_construct: int = 128,
        indexing_threshold_kb: int | None = None,
        full_scan_threshold_kb: int = 10_000,
    ) -> None:
        self.path = Path(path)
        self.dim = dim
        config = qe.EdgeConfig(
            vectors={DENSE: qe.EdgeVectorParams(size=dim, distance=qe.Distance.Cosine)},
            sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
            hnsw_config=qe.HnswIndexConfig(
                m=hnsw_m, ef_construct=ef_construct, full_scan_threshold=full_scan_threshold_kb
            ),
            optimizers=qe.EdgeOptimizersConfig(indexing_threshold=indexing_threshold_kb),
        )
        try:
            self._open(config)
        except Exception as err:  # the engine raises a bare Exception for every failure
            self._raise_if_read_only(err, "cannot be opened: the engine writes to it")
            raise

    def _open(self, config: qe.EdgeConfig) -> None:
        if (self.path / "edge_config.json").exists():
            self._shard = qe.EdgeShard.load(str(self.path), config)
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._shard = qe.EdgeShard.create(str(self.path), config)
            for name in KEYWORD_FIELDS:
                self._shard.update(
                    qe.UpdateOperation.create_field_index(name, qe.PayloadSchemaType.Keyword)
                )
            for name in INTEGER_FIELDS:
                self._shard.update(
                    qe.UpdateOperation.create_field_index(name, qe.PayloadSchemaType.Integer)
                )

    def writable_problem(self) -> str | None:
        """Why the shard's directories cannot be written (None: they can)."""
        return writable_problem(self.path)

    def _raise_if_read_only(self, err: Exception, what: str) -> None:
        problem = self.writable_problem()
        if problem is not None:
            raise IndexReadOnlyError(f"the index at {self.path} {what} ({problem})") from err

    def _write(self, op: Callable[[], object]) -> None:
        """A write; one that fails because the directory is read-only says so."""
        try:
            op()
        except Exception as err:
            self._raise_if_read_only(err, "is read-only: the write did not reach disk")
            raise

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        if not points:
            return
        batch = []
        for p in points:
            vector: dict[str, Any] = {}
            if p.dense is not None:
                vector[DENSE] = np.asarray(p.dense, dtype=np.float32).tolist()
            if p.sparse is not None:
                vector[SPARSE] = qe.SparseVector(indices=p.sparse.indices, values=p.sparse.values)
            batch.append(qe.Point(id=p.id, vector=vector, payload=p.payload))
        self._write(lambda: self._shard.update(qe.UpdateOperation.upsert_points(batch)))

    def delete(self, flt: IndexFilter) -> None:
        edge_filter = to_edge_filter(flt)
        if edge_filter is None:
            raise ValueError("refusing to delete with an empty filter")
        self._write(
            lambda: self._shard.update(qe.UpdateOperation.delete_points_by_filter(edge_filter))
        )

    def _request(self, q: IndexQuery) -> qe.QueryRequest:
        if isinstance(q.vector, SparseVector):
            vec: Any = qe.SparseVector(indices=q.vector.indices, values=q.vector.values)
        else:
            vec = np.asarray(q.vector, dtype=np.float32).tolist()
        params = (
            qe.SearchParams(hnsw_ef=q.hnsw_ef, exact=q.exact) if (q.exact or q.hnsw_ef) else None
        )
        return qe.QueryRequest(
            limit=q.limit,
            query=qe.Query.Nearest(vec, using=q.using),
            filter=to_edge_filter(q.filter),
            with_payload=(
                qe.PayloadSelector.Include(list(q.payload_fields))
                if q.payload_fields is not None
                else True
            ),
            params=params,
        )

    def query_batch(self, queries: Sequence[IndexQuery]) -> list[list[ScoredPoint]]:
        results = self._shard.query_batch(qe.QueryBatchRequest([self._request(q) for q in queries]))
        return [
            [ScoredPoint(id=str(p.id), score=float(p.score), payload=p.payload or {}) for p in res]
            for res in results
        ]

    def retrieve(self, ids: Sequence[str]) -> list[ScoredPoint]:
        if not ids:
            return []
        records = self._shard.retrieve(list(ids), with_payload=True, with_vector=False)
        return [ScoredPoint(id=str(r.id), score=0.0, payload=r.payload or {}) for r in records]

    def scroll(
        self, flt: IndexFilter | None = None, *, with_dense: bool = False, page: int = 1024
    ) -> Iterator[ScoredPoint]:
        offset: Any = None
        while True:
            records, offset = self._shard.scroll(
                qe.ScrollRequest(
                    offset=offset,
                    limit=page,
                    filter=to_edge_filter(flt),
                    with_payload=True,
                    with_vector=[DENSE] if with_dense else False,
                )
            )
            for r in records:
                dense = None
                if with_dense and isinstance(r.vector, dict) and DENSE in r.vector:
                    dense = np.asarray(r.vector[DENSE], dtype=np.float32)
                yield ScoredPoint(id=str(r.id), score=0.0, payload=r.payload or {}, dense=dense)
            if offset is None:
                return

    def count(self, flt: IndexFilter | None = None) -> int:
        return int(self._shard.count(qe.CountRequest(filter=to_edge_filter(flt))))

    def optimize(self) -> None:
        self._write(self._shard.optimize)

    def info(self) -> dict[str, int]:
        """Points, segments and vectors covered by an HNSW graph."""
        info = self._shard.info()
        return {
            "points": info.points_count,
            "segments": info.segments_count,
            "indexed_vectors": info.indexed_vectors_count,
        }

    def flush(self) -> None:
        self._write(self._shard.flush)

    def close(self) -> None:
        """Flush and close; the shard is closed even when the flush fails (then raised)."""
        try:
            self.flush()
        finally:
            self._shard.close()
