"""Vector index: the protocol and its Qdrant implementations."""

from retrieval.index.base import (
    DENSE,
    SPARSE,
    IndexFilter,
    IndexPoint,
    IndexQuery,
    IndexReadOnlyError,
    ScoredPoint,
    VectorIndex,
)
from retrieval.index.client import QdrantClientIndex
from retrieval.index.edge import EdgeIndex

__all__ = [
    "DENSE",
    "SPARSE",
    "EdgeIndex",
    "IndexFilter",
    "IndexPoint",
    "IndexQuery",
    "IndexReadOnlyError",
    "QdrantClientIndex",
    "ScoredPoint",
    "VectorIndex",
]
