"""Ingest throughput against the raw encoder on the same texts, in the same run.

    python -m bench.ingest BOOK_DIR --out F.json

Times blendcoach's whole ingestion of ``BOOK_DIR/content`` (load, chunk, BM25, embed,
index, commit) into a fresh index, and the bare sentence-transformers ``encode`` of
exactly the texts ingestion embedded. Target: ingestion at >= 90% of the raw encoder.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import print_table, temp_stack, write_json
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import SentenceTransformerEmbedder, make_embedder
from retrieval.loaders import discover, load_file


def raw_encode_seconds(
    embedder: SentenceTransformerEmbedder, texts: list[str], batch_size: int
) -> float:
    started = time.perf_counter()
    embedder._model.encode(
        texts, batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False
    )
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("book", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="minilm")
    args = parser.parse_args(argv)

    embedder = make_embedder(args.model)
    assert isinstance(embedder, SentenceTransformerEmbedder), (
        "the raw baseline needs a real encoder"
    )
    chunking = ChunkingConfig()
    content = args.book / "content"
    embedder.embed_documents(["warm-up text"] * 8)

    with temp_stack(embedder, chunking) as stack:
        # The exact texts ingestion will embed, for the raw baseline.
        pairs, _ = discover([content])
        from retrieval.ingest import _Loaded

        loaded = [_Loaded(str(p), str(root), "", load_file(p, root=root)) for p, root in pairs]
        texts = stack.ingestor._prepare(loaded).texts
        raw_s = raw_encode_seconds(embedder, texts, embedder.batch_size)
        report = stack.ingestor.ingest([content])
        raw_s = min(raw_s, raw_encode_seconds(embedder, texts, embedder.batch_size))
        assert report.texts_embedded == len(texts), (report.texts_embedded, len(texts))

    result = {
        "n_files": len(pairs),
        "n_chunks": report.chunks,
        "n_texts": len(texts),
        "ingest_seconds": round(report.seconds, 3),
        "raw_encode_seconds": round(raw_s, 3),
        "ingest_chunks_per_s": report.chunks / report.seconds,
        "ingest_texts_per_s": len(texts) / report.seconds,
        "raw_texts_per_s": len(texts) / raw_s,
        "raw_chunks_per_s": report.chunks / raw_s,
        "ratio": raw_s / report.seconds,
        "target_ratio": 0.9,
    }
    print_table(
        f"Ingest throughput on {args.book.name} ({report.chunks} chunks, {len(texts)} embedded texts)",
        ["pipeline", "seconds", "chunks/s", "texts/s"],
        [
            [
                "raw encoder (same texts)",
                raw_s,
                result["raw_chunks_per_s"],
                result["raw_texts_per_s"],
            ],
            [
                "blendcoach ingest",
                report.seconds,
                result["ingest_chunks_per_s"],
                result["ingest_texts_per_s"],
            ],
        ],
    )
    print(f"ingest / raw encoder throughput: {result['ratio']:.1%} (target >= 90%)")
    write_json(args.out, result)


if __name__ == "__main__":
    main()
