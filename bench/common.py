"""Shared helpers for benchmarks: temporary stacks, data files, tables, JSON output."""

from __future__ import annotations

import json
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine

from coach.db import migrate
from coach.responders.offline import OfflineConfig
from coach.responders.sentence_vectors import SentenceVectorStore
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import Embedder
from retrieval.index import EdgeIndex
from retrieval.ingest import Ingestor
from retrieval.lexical import BM25Encoder
from retrieval.manifest import Manifest, metadata
from retrieval.search import Retriever, SearchConfig

console = Console()


@dataclass
class Stack:
    """A throwaway index built with blendcoach's own ingestion."""

    index: EdgeIndex
    ingestor: Ingestor
    retriever: Retriever
    sentences: SentenceVectorStore | None = None
    """The offline responder's sentence vectors, stored at ingest (when asked for)."""


@contextmanager
def temp_stack(
    embedder: Embedder,
    chunking: ChunkingConfig,
    search: SearchConfig | None = None,
    *,
    offline: OfflineConfig | None = None,
) -> Iterator[Stack]:
    """An embedded index and SQLite manifest in a temporary directory.

    With ``offline``, the coach's whole database and ingest: sentence vectors for that
    responder configuration are stored as ``blendcoach ingest`` stores them.
    """
    with tempfile.TemporaryDirectory(prefix="blendcoach-bench-") as tmp:
        engine = create_engine(f"sqlite:///{tmp}/manifest.db")
        store = None
        if offline is None:
            metadata.create_all(engine)
        else:
            migrate(engine)
            store = SentenceVectorStore(
                engine,
                embedder,
                min_words=offline.min_words,
                max_words=offline.max_sentence_words,
            )
        manifest = Manifest(engine)
        index = EdgeIndex(Path(tmp) / "index", embedder.dim)
        bm25 = BM25Encoder()
        ingestor = Ingestor(
            index=index,
            embedder=embedder,
            manifest=manifest,
            chunking=chunking,
            bm25=bm25,
            after_write=store.after_ingest if store is not None else None,
        )
        retriever = Retriever(
            index=index,
            embedder=embedder,
            bm25=bm25,
            hidden_generations=manifest.hidden_generations,
            config=search,
        )
        try:
            yield Stack(index, ingestor, retriever, store)
        finally:
            index.close()
            engine.dispose()


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def holdout(key: str, folds: int = 5) -> bool:
    """Stable split by a grouping key (e.g. module): one fold in ``folds`` is held out."""
    return zlib.crc32(key.encode()) % folds == 0


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title)
    for col in columns:
        table.add_column(col, justify="right" if col != columns[0] else "left")
    for row in rows:
        table.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row])
    console.print(table)


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    console.print(f"wrote {path}")
