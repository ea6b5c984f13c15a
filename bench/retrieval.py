"""Retrieval quality at section level: BM25, dense, naive RRF and blendcoach's hybrid.

    python -m bench.retrieval BOOK_DIR --out F.json

BOOK_DIR holds ``content/*.md``, ``sections.jsonl`` and ``questions.jsonl`` (see
shared/data/README.md). A hit counts when its citation names the gold section's file and
section title. Baselines use a naive index (200-word chunks with the section title, one
dense vector per chunk); blendcoach uses its own default configuration.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.progress import track

from bench.common import holdout, print_table, read_jsonl, temp_stack, write_json
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import make_embedder
from retrieval.search import Retriever, SearchConfig

METHODS = ("bm25", "dense", "rrf", "blendcoach")
BASELINE_CHUNKING = ChunkingConfig(words=200, overlap=0, window_words=0)


def section_metrics(ranks: Sequence[int | None]) -> dict[str, float]:
    """recall@1/5/10, MRR and nDCG@10 from the 1-based rank of the gold section (None: missed)."""
    n = len(ranks) or 1

    def recall(k: int) -> float:
        return sum(1 for r in ranks if r is not None and r <= k) / n

    return {
        "recall@1": recall(1),
        "recall@5": recall(5),
        "recall@10": recall(10),
        "mrr": sum(1.0 / r for r in ranks if r is not None) / n,
        "ndcg@10": sum(1.0 / math.log2(r + 1) for r in ranks if r is not None and r <= 10) / n,
    }


def query_text(q: dict[str, Any], with_options: bool) -> str:
    """The question, optionally followed by its answer options."""
    text = q["question"]
    if with_options and q.get("options"):
        text += "\n" + "\n".join(o["text"] for o in q["options"] if o.get("text"))
    return text


def is_gold(source_path: str, section_title: str, gold: tuple[str, str]) -> bool:
    """A hit's citation names the gold file (relative path, or bare name) and section."""
    path = source_path.split("#")[0]
    return section_title == gold[1] and (path == gold[0] or path.endswith("/" + gold[0]))


def gold_rank(
    retriever: Retriever, query: str, gold: tuple[str, str], mode: str, depth: int
) -> int | None:
    """1-based rank of the gold section among the hits, or None."""
    hits = retriever.search(query, k=depth, mode=mode)  # type: ignore[arg-type]
    for i, hit in enumerate(hits, 1):
        if is_gold(hit.citation.source_path, hit.citation.section_title, gold):
            return i
    return None


def load_questions(book: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    sections = {s["doc_id"]: s for s in read_jsonl(book / "sections.jsonl")}
    questions = [
        q for q in read_jsonl(book / "questions.jsonl") if q.get("gold_doc_id") in sections
    ]
    return questions, sections


def evaluate(
    runs: dict[str, tuple[Retriever, str, bool]],
    questions: list[dict[str, Any]],
    sections: dict[str, dict[str, Any]],
    depth: int = 10,
) -> dict[str, dict[str, list[int | None]]]:
    """Rank of the gold section per method, split into tune and holdout questions."""
    ranks: dict[str, dict[str, list[int | None]]] = {m: {"tune": [], "holdout": []} for m in runs}
    for q in track(questions, description="Asking"):
        gold_line = sections[q["gold_doc_id"]]
        gold = (gold_line["file"], gold_line["section_title"])
        split = "holdout" if holdout(str(gold_line.get("module") or gold_line["file"])) else "tune"
        for method, (retriever, mode, with_options) in runs.items():
            ranks[method][split].append(
                gold_rank(retriever, query_text(q, with_options), gold, mode, depth)
            )
    return ranks


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "book", type=Path, help="book directory (content/, sections.jsonl, questions.jsonl)"
    )
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON results")
    parser.add_argument(
        "--model", default="minilm", help="embedding model (minilm, a directory, fake)"
    )
    parser.add_argument(
        "--no-options", action="store_true", help="blendcoach queries without MCQ options"
    )
    args = parser.parse_args(argv)

    questions, sections = load_questions(args.book)
    embedder = make_embedder(args.model)
    content = [args.book / "content"]
    started = time.perf_counter()
    with (
        temp_stack(embedder, BASELINE_CHUNKING) as naive,
        temp_stack(embedder, ChunkingConfig(), SearchConfig()) as ours,
    ):
        naive.ingestor.ingest(content)
        ours.ingestor.ingest(content)
        runs: dict[str, tuple[Retriever, str, bool]] = {
            "bm25": (naive.retriever, "bm25", False),
            "dense": (naive.retriever, "dense", False),
            "rrf": (naive.retriever, "rrf", False),
            "blendcoach": (ours.retriever, "hybrid", not args.no_options),
        }
        ranks = evaluate(runs, questions, sections)

    result: dict[str, Any] = {}
    for method in METHODS:
        result[method] = section_metrics(ranks[method]["tune"] + ranks[method]["holdout"])
    result["n_questions"] = len(questions)
    result["n_sections"] = len(sections)
    result["splits"] = {
        split: {m: section_metrics(ranks[m][split]) for m in METHODS}
        | {"n_questions": len(ranks["bm25"][split])}
        for split in ("tune", "holdout")
    }
    result["seconds"] = round(time.perf_counter() - started, 1)
    keys = ["recall@1", "recall@5", "recall@10", "mrr", "ndcg@10"]
    for split in ("tune", "holdout"):
        rows = [[m, *[result["splits"][split][m][k] for k in keys]] for m in METHODS]
        print_table(
            f"{args.book.name}: {split} ({result['splits'][split]['n_questions']} questions)",
            ["method", *keys],
            rows,
        )
    rows = [[m, *[result[m][k] for k in keys]] for m in METHODS]
    print_table(
        f"{args.book.name}: all {len(questions)} questions, {len(sections)} sections",
        ["method", *keys],
        rows,
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
