"""Retrieval on the demo catalog's own questions, per language (English and French).

    python -m bench.demo DEMO_DIR --out F.json

DEMO_DIR holds ``catalog/`` (the content) and ``questions.jsonl`` whose lines give
``question``, ``file`` (relative to ``catalog/``), ``section_title`` and ``language``.
The packaged encoder is English-only, so French questions lean on the lexical side:
this shows how far.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import print_table, read_jsonl, temp_stack, write_json
from bench.retrieval import BASELINE_CHUNKING, METHODS, gold_rank, section_metrics
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import make_embedder
from retrieval.search import Retriever, SearchConfig


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("demo", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="minilm")
    args = parser.parse_args(argv)

    questions = read_jsonl(args.demo / "questions.jsonl")
    embedder = make_embedder(args.model)
    ranks: dict[str, dict[str, list[int | None]]] = {m: {} for m in METHODS}
    with (
        temp_stack(embedder, BASELINE_CHUNKING) as naive,
        temp_stack(embedder, ChunkingConfig(), SearchConfig()) as ours,
    ):
        naive.ingestor.ingest([args.demo / "catalog"])
        ours.ingestor.ingest([args.demo / "catalog"])
        runs: dict[str, tuple[Retriever, str]] = {
            "bm25": (naive.retriever, "bm25"),
            "dense": (naive.retriever, "dense"),
            "rrf": (naive.retriever, "rrf"),
            "blendcoach": (ours.retriever, "hybrid"),
        }
        for q in questions:
            gold = (q["file"], q["section_title"])
            for method, (retriever, mode) in runs.items():
                rank = gold_rank(retriever, q["question"], gold, mode, 10)
                ranks[method].setdefault(q.get("language", "en"), []).append(rank)

    result: dict[str, Any] = {"n_questions": len(questions)}
    keys = ["recall@1", "recall@5", "mrr"]
    rows = []
    for method in METHODS:
        result[method] = {
            lang: section_metrics(r) | {"n": len(r)} for lang, r in sorted(ranks[method].items())
        }
        for lang, m in result[method].items():
            rows.append([method, lang, m["n"], *[m[k] for k in keys]])
    print_table("Demo catalog questions by language", ["method", "language", "n", *keys], rows)
    write_json(args.out, result)


if __name__ == "__main__":
    main()
