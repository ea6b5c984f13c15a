"""Approximate-search recall: HNSW top-10 against exact search on the same vectors.

    python -m bench.ann BOOK_DIR --out F.json

Ingests ``BOOK_DIR/content`` with an HNSW graph forced even at this small size (low
indexing and full-scan thresholds), then asks every question of ``questions.jsonl``
twice: through the graph and exactly. Reports recall@10 of the graph per ``hnsw_ef``,
and the same on random unit vectors, where HNSW is known to do worse.
"""

from __future__ import annotations

import argparse
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import print_table, read_jsonl, write_json
from retrieval.embedding import make_embedder
from retrieval.index import EdgeIndex, IndexPoint, IndexQuery, VectorIndex

EF_VALUES = (None, 32, 64, 128, 256)


def graph_recall(index: VectorIndex, queries: np.ndarray, k: int, ef: int | None) -> float:
    """Mean share of the exact top-k that the graph search returns."""
    approx = index.query_batch([IndexQuery(q, k, hnsw_ef=ef) for q in queries])
    exact = index.query_batch([IndexQuery(q, k, exact=True) for q in queries])
    hits = [
        len({p.id for p in a} & {p.id for p in e}) / max(len(e), 1)
        for a, e in zip(approx, exact, strict=True)
    ]
    return float(np.mean(hits))


def build(path: Path, vectors: np.ndarray) -> EdgeIndex:
    index = EdgeIndex(path, vectors.shape[1], indexing_threshold_kb=100, full_scan_threshold_kb=1)
    for start in range(0, len(vectors), 1000):
        index.upsert(
            [
                IndexPoint(str(uuid.uuid4()), {"chunk_point": "", "n": start + i}, dense=v)
                for i, v in enumerate(vectors[start : start + 1000])
            ]
        )
    index.optimize()
    return index


def book_vectors(book: Path, model: str) -> tuple[np.ndarray, np.ndarray]:
    """Dense vectors of the book's windows (as ingestion embeds them) and of its questions."""
    from bench.common import temp_stack
    from retrieval.chunking import ChunkingConfig

    embedder = make_embedder(model)
    with temp_stack(embedder, ChunkingConfig()) as stack:
        stack.ingestor.ingest([book / "content"])
        vectors = np.stack(
            [p.dense for p in stack.index.scroll(with_dense=True) if p.dense is not None]
        )
    questions = [q["question"] for q in read_jsonl(book / "questions.jsonl")]
    return vectors, embedder.embed_documents(questions)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("book", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="minilm")
    parser.add_argument("-k", type=int, default=10)
    args = parser.parse_args(argv)

    vectors, queries = book_vectors(args.book, args.model)
    rng = np.random.default_rng(0)
    random_vectors = rng.standard_normal(vectors.shape).astype(np.float32)
    random_queries = rng.standard_normal((len(queries), vectors.shape[1])).astype(np.float32)
    result: dict[str, Any] = {"n_vectors": len(vectors), "n_queries": len(queries), "k": args.k}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, data, qs in (
            ("real", vectors, queries),
            ("random", random_vectors, random_queries),
        ):
            index = build(Path(tmp) / name, data)
            info = index.info()
            per_ef = {str(ef or "default"): graph_recall(index, qs, args.k, ef) for ef in EF_VALUES}
            index.close()
            result[name] = {
                "recall@10": per_ef["default"],
                "by_ef": per_ef,
                "indexed_vectors": info["indexed_vectors"],
            }
            rows.append([name, info["indexed_vectors"], *per_ef.values()])
    print_table(
        f"HNSW recall@{args.k} vs exact ({len(vectors)} vectors, {len(queries)} queries)",
        ["vectors", "in graph", *[f"ef={ef or 'default'}" for ef in EF_VALUES]],
        rows,
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
