"""The default engine: Qdrant Edge, in process, stored in a local directory."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
        self._shard.update(qe.UpdateOperation.upsert_points(batch))

    def delete(self, flt: IndexFilter) -> None:
        edge_filter = to_edge_filter(flt)
        if edge_filter is None:
            raise ValueError("refusing to delete with an empty filter")
        self._shard.update(qe.UpdateOperation.delete_points_by_filter(edge_filter))

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
        self._shard.optimize()

    def info(self) -> dict[str, int]:
        """Points, segments and vectors covered by an HNSW graph."""
        info = self._shard.info()
        return {
            "points": info.points_count,
            "segments": info.segments_count,
            "indexed_vectors": info.indexed_vectors_count,
        }

    def flush(self) -> None:
        self._shard.flush()

    def close(self) -> None:
        self._shard.flush()
        self._shard.close()
