"""Ingest throughput against the raw encoder on the same texts, in the same run.

    python -m bench.ingest BOOK_DIR --out F.json

Times blendcoach's whole ingestion of ``BOOK_DIR/content`` (load, chunk, BM25, embed,
index, commit, then the offline responder's sentence vectors) into a fresh index, and the
bare sentence-transformers ``encode`` of exactly the texts ingestion embedded: the dense
windows (``raw_encode_seconds``, ``ratio``: the figures kept from before sentence vectors
were stored at ingest) and the quotable sentences too (``ratio_all_texts``: the pipeline's
own overhead). Target: ingestion at >= 90% of the raw encoder.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import print_table, temp_stack, write_json
from coach.responders.offline import OfflineConfig
from coach.responders.sentences import split_passage
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import SentenceTransformerEmbedder, make_embedder
from retrieval.ingest import AfterWrite, IngestProgress
from retrieval.loaders import discover, load_file
from retrieval.types import Chunk


def raw_encode_seconds(
    embedder: SentenceTransformerEmbedder, texts: list[str], batch_size: int
) -> float:
    started = time.perf_counter()
    embedder._model.encode(
        texts, batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False
    )
    return time.perf_counter() - started


class Timed:
    """An ``after_write`` hook that records its own time and the sentences it encoded."""

    def __init__(self, hook: AfterWrite) -> None:
        self.hook = hook
        self.seconds = 0.0
        self.encoded = 0

    def __call__(self, chunks: Sequence[Chunk], progress: IngestProgress) -> None:
        started = time.perf_counter()
        encoded = self.hook(chunks, progress)
        self.seconds += time.perf_counter() - started
        self.encoded += encoded if isinstance(encoded, int) else 0


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

    with temp_stack(embedder, chunking, offline=OfflineConfig()) as stack:
        assert stack.sentences is not None and stack.ingestor.after_write is not None
        # The exact texts ingestion will embed, for the raw baseline.
        pairs, _ = discover([content])
        from retrieval.ingest import _Loaded

        loaded = [_Loaded(str(p), str(root), "", load_file(p, root=root)) for p, root in pairs]
        plan = stack.ingestor._prepare(loaded)
        texts = plan.texts
        chunks = [c for cs in plan.chunks_by_file.values() for c in cs]
        sentences = list(
            dict.fromkeys(t for c in chunks for t in stack.sentences.sentences(c.chunk_id, c.text))
        )
        raw_s = raw_encode_seconds(embedder, texts, embedder.batch_size)
        raw_sentences_s = raw_encode_seconds(embedder, sentences, embedder.batch_size)
        split_passage.cache_clear()  # ingest splits every chunk itself
        hook = Timed(stack.ingestor.after_write)
        stack.ingestor.after_write = hook
        report = stack.ingestor.ingest([content])
        raw_s = min(raw_s, raw_encode_seconds(embedder, texts, embedder.batch_size))
        raw_sentences_s = min(
            raw_sentences_s, raw_encode_seconds(embedder, sentences, embedder.batch_size)
        )
        assert report.texts_embedded == len(texts), (report.texts_embedded, len(texts))
        assert hook.encoded == len(sentences), (hook.encoded, len(sentences))

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
        "n_sentences": len(sentences),
        "sentence_seconds": round(hook.seconds, 3),
        "raw_sentence_encode_seconds": round(raw_sentences_s, 3),
        "ingest_seconds_without_sentences": round(report.seconds - hook.seconds, 3),
        "ratio_without_sentences": raw_s / (report.seconds - hook.seconds),
        "ratio_all_texts": (raw_s + raw_sentences_s) / report.seconds,
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
                "raw encoder (same sentences)",
                raw_sentences_s,
                report.chunks / raw_sentences_s,
                len(sentences) / raw_sentences_s,
            ],
            [
                "blendcoach ingest",
                report.seconds,
                result["ingest_chunks_per_s"],
                result["ingest_texts_per_s"],
            ],
            [
                "  of which sentence vectors",
                hook.seconds,
                report.chunks / hook.seconds,
                len(sentences) / hook.seconds,
            ],
        ],
    )
    print(
        f"ingest / raw encoder throughput: {result['ratio']:.1%} of the dense windows' encode "
        f"(target >= 90%; {result['ratio_without_sentences']:.1%} without the "
        f"{len(sentences)} sentence vectors), {result['ratio_all_texts']:.1%} of every text's"
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
