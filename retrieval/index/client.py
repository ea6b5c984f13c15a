"""The scale-out engine: a Qdrant server or cluster through qdrant-client.

``QdrantClient(":memory:")`` runs the same code path in-process, which is how CI covers
it when no server is configured.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from qdrant_client import QdrantClient, models

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


def _conditions(spec: dict[str, tuple[Any, ...]]) -> list[models.Condition]:
    return [
        models.FieldCondition(key=key, match=models.MatchAny(any=list(values)))
        for key, values in spec.items()
        if values
    ]


def to_client_filter(flt: IndexFilter | None) -> models.Filter | None:
    """Translate the neutral filter into qdrant-client's."""
    if flt is None or flt.is_empty():
        return None
    return models.Filter(
        must=_conditions(flt.must) or None, must_not=_conditions(flt.must_not) or None
    )


class QdrantClientIndex:
    """A :class:`VectorIndex` on a Qdrant collection reached through qdrant-client.

    Args:
        client: a connected client (server URL, local path or ``":memory:"``).
        collection: collection name (created with the shared schema if missing).
        dim: dense vector size.
        shard_number: shards of a collection this creates (a cluster spreads them over its
            nodes; None: the server's default, one per node). An existing collection keeps
            its own: Qdrant changes shards only by resharding.
        replication_factor: copies of each shard on a cluster (None: the server's default, 1).
        write_consistency_factor: replicas that must confirm a write (None: 1).
    """

    def __init__(
        self,
        client: QdrantClient,
        collection: str,
        dim: int,
        *,
        hnsw_m: int = 16,
        ef_construct: int = 128,
        payload_indexes: bool = True,
        shard_number: int | None = None,
        replication_factor: int | None = None,
        write_consistency_factor: int | None = None,
    ) -> None:
        self.client = client
        self.collection = collection
        self.dim = dim
        created = False
        if not client.collection_exists(collection):
            try:
                client.create_collection(
                    collection,
                    vectors_config={
                        DENSE: models.VectorParams(size=dim, distance=models.Distance.COSINE)
                    },
                    sparse_vectors_config={
                        SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)
                    },
                    hnsw_config=models.HnswConfigDiff(m=hnsw_m, ef_construct=ef_construct),
                    shard_number=shard_number,
                    replication_factor=replication_factor,
                    write_consistency_factor=write_consistency_factor,
                )
                created = True
            except Exception:
                # Replicas starting at once race to create it: the loser finds it made.
                if not client.collection_exists(collection):
                    raise
        if created:
            # Local mode (":memory:") has no payload indexes and warns if asked for them.
            for name in KEYWORD_FIELDS if payload_indexes else ():
                client.create_payload_index(collection, name, models.PayloadSchemaType.KEYWORD)
            for name in INTEGER_FIELDS if payload_indexes else ():
                client.create_payload_index(collection, name, models.PayloadSchemaType.INTEGER)
        else:
            info = client.get_collection(collection)
            vectors = info.config.params.vectors
            size = vectors[DENSE].size if isinstance(vectors, dict) and DENSE in vectors else None
            if size != dim:
                raise ValueError(
                    f"collection {collection!r} holds {size}-d vectors, the embedder makes {dim}-d"
                )

    @classmethod
    def connect(
        cls,
        url: str,
        collection: str,
        dim: int,
        api_key: str | None = None,
        *,
        shard_number: int | None = None,
        replication_factor: int | None = None,
        write_consistency_factor: int | None = None,
    ) -> QdrantClientIndex:
        """Open a collection on a server (``http://host:6333``) or in memory (``:memory:``);
        the sharding arguments apply when this creates it (see the class)."""
        if url == ":memory:":
            return cls(QdrantClient(location=":memory:"), collection, dim, payload_indexes=False)
        return cls(
            QdrantClient(url=url, api_key=api_key),
            collection,
            dim,
            shard_number=shard_number,
            replication_factor=replication_factor,
            write_consistency_factor=write_consistency_factor,
        )

    def upsert(self, points: Sequence[IndexPoint]) -> None:
        if not points:
            return
        structs = []
        for p in points:
            vector: dict[str, Any] = {}
            if p.dense is not None:
                vector[DENSE] = np.asarray(p.dense, dtype=np.float32).tolist()
            if p.sparse is not None:
                vector[SPARSE] = models.SparseVector(
                    indices=p.sparse.indices, values=p.sparse.values
                )
            structs.append(models.PointStruct(id=p.id, vector=vector, payload=p.payload))
        self.client.upsert(self.collection, points=structs, wait=True)

    def delete(self, flt: IndexFilter) -> None:
        client_filter = to_client_filter(flt)
        if client_filter is None:
            raise ValueError("refusing to delete with an empty filter")
        self.client.delete(
            self.collection, points_selector=models.FilterSelector(filter=client_filter), wait=True
        )

    def _request(self, q: IndexQuery) -> models.QueryRequest:
        if isinstance(q.vector, SparseVector):
            vec: Any = models.SparseVector(indices=q.vector.indices, values=q.vector.values)
        else:
            vec = np.asarray(q.vector, dtype=np.float32).tolist()
        return models.QueryRequest(
            query=vec,
            using=q.using,
            limit=q.limit,
            filter=to_client_filter(q.filter),
            with_payload=list(q.payload_fields) if q.payload_fields is not None else True,
            params=models.SearchParams(hnsw_ef=q.hnsw_ef, exact=q.exact),
        )

    def query_batch(self, queries: Sequence[IndexQuery]) -> list[list[ScoredPoint]]:
        if not queries:
            return []
        responses = self.client.query_batch_points(
            self.collection, [self._request(q) for q in queries]
        )
        return [
            [
                ScoredPoint(id=str(p.id), score=float(p.score), payload=p.payload or {})
                for p in r.points
            ]
            for r in responses
        ]

    def retrieve(self, ids: Sequence[str]) -> list[ScoredPoint]:
        if not ids:
            return []
        records = self.client.retrieve(self.collection, list(ids), with_payload=True)
        return [ScoredPoint(id=str(r.id), score=0.0, payload=r.payload or {}) for r in records]

    def scroll(
        self, flt: IndexFilter | None = None, *, with_dense: bool = False, page: int = 1024
    ) -> Iterator[ScoredPoint]:
        offset: Any = None
        while True:
            records, offset = self.client.scroll(
                self.collection,
                scroll_filter=to_client_filter(flt),
                limit=page,
                offset=offset,
                with_payload=True,
                with_vectors=[DENSE] if with_dense else False,
            )
            for r in records:
                dense = None
                if with_dense and isinstance(r.vector, dict) and DENSE in r.vector:
                    dense = np.asarray(r.vector[DENSE], dtype=np.float32)
                yield ScoredPoint(id=str(r.id), score=0.0, payload=r.payload or {}, dense=dense)
            if offset is None:
                return

    def count(self, flt: IndexFilter | None = None) -> int:
        return int(
            self.client.count(self.collection, count_filter=to_client_filter(flt), exact=True).count
        )

    def optimize(self) -> None:
        """Nothing to do: the server optimises in the background."""

    def flush(self) -> None:
        """Nothing to do: every write waits for the server's acknowledgement."""

    def close(self) -> None:
        self.client.close()
