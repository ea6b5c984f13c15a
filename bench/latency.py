"""Search latency p50/p95, query embedding included: embedded engine vs qdrant-client local.

    python -m bench.latency BOOK_DIR --out F.json [--synthetic 100000]

Two corpus sizes: the book as ingested, and ``--synthetic`` chunks made from it (each a
real window vector plus noise, with the BM25 vector of a random mix of the book's
sentences; 50 courses for filtered queries). Every timed query is a distinct question of
``questions.jsonl`` run through the full hybrid search (language detection, embedding,
BM25, one batched index call, fusion, payload fetch). Also reports HNSW recall@10 at the
synthetic size and the engine's memory.
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import track

from bench.ann import graph_recall
from bench.common import print_table, read_jsonl, write_json
from retrieval.chunking import ChunkingConfig, split_sentences
from retrieval.embedding import Embedder, make_embedder
from retrieval.index import EdgeIndex, IndexPoint, QdrantClientIndex, VectorIndex
from retrieval.ingest import Ingestor
from retrieval.lexical import BM25Encoder
from retrieval.search import Retriever
from retrieval.types import SearchFilter


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def time_queries(
    retriever: Retriever, questions: list[str], flt: SearchFilter | None
) -> dict[str, float]:
    retriever.embedder._cached_query.cache_clear()  # type: ignore[attr-defined]
    for q in questions[:5]:  # warm-up
        retriever.search(q + " warm", k=5, flt=flt)
    times = []
    for q in questions:
        started = time.perf_counter()
        retriever.search(q, k=5, flt=flt)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": float(np.percentile(times, 50)),
        "p95_ms": float(np.percentile(times, 95)),
        "n": len(times),
    }


def synthetic_points(
    n: int, base: np.ndarray, sentences: list[str], rng: np.random.Generator
) -> list[IndexPoint]:
    bm25 = BM25Encoder()
    noise = rng.standard_normal((n, base.shape[1])).astype(np.float32) * 0.02
    dense = base[rng.integers(0, len(base), n)] + noise
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    points = []
    for i in track(range(n), description="Synthesising"):
        pid = str(uuid.uuid4())
        text = " ".join(sentences[j] for j in rng.integers(0, len(sentences), 8))
        course = f"course-{i % 50}"
        payload = {
            "chunk_id": f"syn-{i}",
            "chunk_point": pid,
            "kind": "chunk",
            "generation": 1,
            "course_id": course,
            "skills": [f"skill.{i % 120}"],
            "language": "en",
            "source_path": f"{course}/m{i % 7}.md",
            "text": text,
            "context": course,
            "course_title": course,
            "module_id": f"m{i % 7}",
            "module_title": f"Module {i % 7}",
            "section_title": f"Section {i % 13}",
            "anchor": f"s{i}",
            "position": i,
        }
        points.append(
            IndexPoint(pid, payload, dense=dense[i], sparse=bm25.encode_document(text, "en"))
        )
    return points


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("book", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--client-queries",
        type=int,
        default=30,
        help="queries timed on qdrant-client local mode at the synthetic size (seconds each)",
    )
    args = parser.parse_args(argv)

    from sqlalchemy import create_engine

    from retrieval.loaders import discover, load_file
    from retrieval.manifest import Manifest, metadata

    embedder: Embedder = make_embedder(args.model)
    questions = [q["question"] for q in read_jsonl(args.book / "questions.jsonl")][: args.queries]
    sentences = [
        s
        for p, root in discover([args.book / "content"])[0]
        for d in load_file(p, root=root)
        for sec in d.sections
        for s in split_sentences(sec.text)
    ]
    rng = np.random.default_rng(0)
    result: dict[str, Any] = {"n_queries": len(questions)}
    rows: list[list[Any]] = []
    with tempfile.TemporaryDirectory(prefix="blendcoach-latency-") as tmp_dir:
        tmp = Path(tmp_dir)
        engines: dict[str, VectorIndex] = {
            "edge": EdgeIndex(tmp / "edge", embedder.dim),
            "client_local": QdrantClientIndex.connect(":memory:", "bench", embedder.dim),
        }
        base = None
        for name, index in engines.items():
            engine = create_engine(f"sqlite:///{tmp}/{name}.db")
            metadata.create_all(engine)
            Ingestor(
                index=index, embedder=embedder, manifest=Manifest(engine), chunking=ChunkingConfig()
            ).ingest([args.book / "content"])
            retriever = Retriever(index=index, embedder=embedder)
            stats = time_queries(retriever, questions, None)
            result.setdefault("book", {})[name] = stats | {"points": index.count()}
            rows.append(
                [f"book ({index.count()} points)", name, stats["p50_ms"], stats["p95_ms"], "-"]
            )
            if base is None:
                base = np.stack(
                    [p.dense for p in index.scroll(with_dense=True) if p.dense is not None]
                )
            index.close()
            engine.dispose()
        assert base is not None

        gc.collect()
        points = synthetic_points(args.synthetic, base, sentences, rng)
        flt = SearchFilter(course_ids=("course-7",))
        for name in ("edge", "client_local"):
            gc.collect()
            before = rss_mb()
            started = time.perf_counter()
            index = (
                EdgeIndex(tmp / f"{name}-syn", embedder.dim)
                if name == "edge"
                else QdrantClientIndex.connect(":memory:", "syn", embedder.dim)
            )
            for start in track(range(0, len(points), 2000), description=f"Loading {name}"):
                index.upsert(points[start : start + 2000])
            index.optimize()
            build_s = time.perf_counter() - started
            memory = rss_mb() - before
            retriever = Retriever(index=index, embedder=embedder)
            timed = questions if name == "edge" else questions[: args.client_queries]
            plain = time_queries(retriever, timed, None)
            filtered = time_queries(retriever, timed, flt)
            recall = graph_recall(index, embedder.embed_documents(questions[:100]), 10, None)
            entry = {
                "points": index.count(),
                "build_seconds": build_s,
                "rss_delta_mb": memory,
                "unfiltered": plain,
                "filtered": filtered,
                "hnsw_recall@10": recall,
            }
            if name == "edge":
                entry["disk_mb"] = dir_mb(tmp / f"{name}-syn")
            result.setdefault("synthetic", {})[name] = entry
            rows.append(
                [
                    f"{args.synthetic} synthetic",
                    name,
                    plain["p50_ms"],
                    plain["p95_ms"],
                    f"{memory:.0f} MB",
                ]
            )
            rows.append(
                [
                    f"{args.synthetic} synthetic, filtered",
                    name,
                    filtered["p50_ms"],
                    filtered["p95_ms"],
                    "",
                ]
            )
            index.close()
    print_table(
        "Hybrid search latency, query embedding included (ms)",
        ["corpus", "engine", "p50", "p95", "memory"],
        rows,
    )
    result["target_p95_ms_at_100k"] = 15.0
    write_json(args.out, result)


if __name__ == "__main__":
    main()
