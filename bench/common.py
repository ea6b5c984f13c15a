"""Shared helpers for benchmarks: temporary stacks, data files, tables, JSON output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
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


@dataclass
class Served:
    """A ``blendcoach serve`` process a benchmark started, and its combined output."""

    url: str
    proc: subprocess.Popen[str]
    log: IO[str]


@contextmanager
def serve_app(env: dict[str, str], *, ready: str, timeout: float) -> Iterator[Served]:
    """``blendcoach serve`` in its own process (fresh caches) on a free 127.0.0.1 port, once
    ``ready`` (``/healthz`` or ``/readyz``) answers 200; stopped after, killed if it does not
    stop in 30 s (said on stderr, not instead of the real error)."""
    from tests.browser.live import listen, wait_until  # only the benches that serve need it

    sock = listen()
    port = sock.getsockname()[1]
    sock.close()  # the server binds it itself, as deployed
    cmd = [sys.executable, "-m", "coach.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    # One client for the polling: ``httpx.get`` builds a TLS context per call (~80 ms of
    # CPU each), which slowed the server's own start-up on a small machine.
    with tempfile.TemporaryFile("w+") as log, httpx.Client(timeout=5) as poll:
        proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=log, stderr=log, text=True)
        url = f"http://127.0.0.1:{port}"

        def up() -> bool:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"blendcoach serve exited: {log.read()}")
            try:
                return poll.get(f"{url}{ready}").status_code == 200
            except httpx.TransportError:
                return False

        try:
            wait_until(up, f"blendcoach serve {ready}", timeout=timeout)
            yield Served(url, proc, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print("blendcoach serve did not stop in 30 s: killed", file=sys.stderr)
                proc.kill()
                proc.wait()
