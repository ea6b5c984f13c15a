"""Retrieval library: load course content, chunk, embed, index and search it.

Never imports ``coach`` or ``fastapi``; takes and returns plain typed objects.
"""

from retrieval.chunking import ChunkingConfig
from retrieval.embedding import Embedder, FakeEmbedder, SentenceTransformerEmbedder, make_embedder
from retrieval.ingest import Ingestor, IngestReport
from retrieval.search import QueryError, Retriever, SearchConfig
from retrieval.types import Chunk, Citation, Document, SearchFilter, SearchHit, Section

__all__ = [
    "Chunk",
    "ChunkingConfig",
    "Citation",
    "Document",
    "Embedder",
    "FakeEmbedder",
    "IngestReport",
    "Ingestor",
    "QueryError",
    "Retriever",
    "SearchConfig",
    "SearchFilter",
    "SearchHit",
    "Section",
    "SentenceTransformerEmbedder",
    "make_embedder",
]
