"""Offline answers on a book: do they quote the gold section, and how long do they take?

    python -m bench.answers BOOK_OR_DEMO_DIR --out F.json

Each labelled question (the question text only, as a learner would type it) is searched
with blendcoach's default settings and answered by the offline responder. An answer counts
when one of its quoted sentences comes from the gold section (its citation names the gold
file and section title, and, for books, the sentence is found in the section's text).
Figures are on the held-out part (one module in five) and on all questions; responder
time excludes retrieval, with the in-process sentence-vector cache warm and cold (cold:
the vectors stored at ingest are read, as on a freshly started server).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import track

from bench.common import holdout, print_table, read_jsonl, temp_stack, write_json
from bench.retrieval import is_gold, load_questions
from coach.responders.base import Answer, ResponderInput
from coach.responders.offline import OfflineConfig, OfflineResponder
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import make_embedder
from retrieval.language import detect
from retrieval.search import SearchConfig


def gold_items(folder: Path) -> tuple[Path, list[dict[str, Any]]]:
    """Content directory and ``{question, gold, text, key}`` items of a book or demo folder."""
    if (folder / "catalog").is_dir():
        rows = read_jsonl(folder / "questions.jsonl")
        items = [
            {"question": q["question"], "gold": (q["file"], q["section_title"]), "text": None}
            | {"key": q["file"]}
            for q in rows
        ]
        return folder / "catalog", items
    questions, sections = load_questions(folder)
    items = []
    for q in questions:
        s = sections[q["gold_doc_id"]]
        key = str(s.get("module") or s["file"])
        items.append(
            {"question": q["question"], "gold": (s["file"], s["section_title"]), "text": s["text"]}
            | {"key": key}
        )
    return folder / "content", items


def _squash(text: str) -> str:
    return " ".join(text.split())


def quotes_gold(answer: Answer, gold: tuple[str, str], text: str | None) -> bool:
    """Whether a sentence the answer quotes comes from the gold section."""
    for ref in answer.citations:
        if not is_gold(ref.citation.source_path, ref.citation.section_title, gold):
            continue
        if text is None or _squash(ref.quote) in _squash(text):
            return True
        # Quotes are whole sentences of the chunk; check each against the section text.
        if any(_squash(s) in _squash(text) for s in ref.quote.split(". ") if len(s) > 20):
            return True
    return False


def percentiles(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": float(np.percentile(values, 50)) if values else 0.0,
        "p95_ms": float(np.percentile(values, 95)) if values else 0.0,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="book or demo directory")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="minilm")
    args = parser.parse_args(argv)

    content, items = gold_items(args.folder)
    embedder = make_embedder(args.model)
    config = OfflineConfig()
    rows: list[dict[str, Any]] = []
    with temp_stack(embedder, ChunkingConfig(), SearchConfig(), offline=config) as stack:
        stack.ingestor.ingest([content])
        warm = OfflineResponder(embedder, config, stack.sentences)
        cold = OfflineResponder(embedder, replace(config, vector_cache=0), stack.sentences)
        stats = stack.retriever.term_stats()
        for item in track(items, description="Answering"):
            started = time.perf_counter()
            hits = tuple(stack.retriever.search(item["question"], k=5))
            search_ms = (time.perf_counter() - started) * 1000
            language = detect(item["question"]) or "en"
            inp = ResponderInput(
                item["question"], item["question"], language, hits, term_stats=stats
            )
            timings = []
            for responder in (warm, cold):
                started = time.perf_counter()
                answer = responder.answer(inp)
                timings.append((time.perf_counter() - started) * 1000)
            rows.append(
                {
                    "holdout": holdout(item["key"]),
                    "covered": answer.covered,
                    "gold_in_hits": any(
                        is_gold(h.citation.source_path, h.citation.section_title, item["gold"])
                        for h in hits
                    ),
                    "quotes_gold": quotes_gold(answer, item["gold"], item["text"]),
                    "search_ms": search_ms,
                    "warm_ms": timings[0],
                    "cold_ms": timings[1],
                }
            )

    result: dict[str, Any] = {}
    table = []
    for split, chosen in (("holdout", [r for r in rows if r["holdout"]]), ("all", rows)):
        n = len(chosen) or 1
        with_gold = [r for r in chosen if r["gold_in_hits"]]
        m = {
            "n_questions": len(chosen),
            "answer_quotes_gold": sum(r["quotes_gold"] for r in chosen) / n,
            "answer_quotes_gold_when_retrieved": (
                sum(r["quotes_gold"] for r in with_gold) / len(with_gold) if with_gold else 0.0
            ),
            "gold_in_top5": len(with_gold) / n,
            "covered": sum(r["covered"] for r in chosen) / n,
            "responder_warm": percentiles([r["warm_ms"] for r in chosen]),
            "responder_cold": percentiles([r["cold_ms"] for r in chosen]),
            "search": percentiles([r["search_ms"] for r in chosen]),
        }
        result[split] = m
        warm_ms, cold_ms = m["responder_warm"], m["responder_cold"]
        table.append(
            [split, m["n_questions"], m["answer_quotes_gold"], m["gold_in_top5"], m["covered"]]
        )
        table[-1].extend([warm_ms["p95_ms"], cold_ms["p50_ms"], cold_ms["p95_ms"]])
    print_table(
        f"Offline answers on {args.folder.name}",
        ["split", "n", "quotes gold", "top 5 gold", "covered", "warm p95", "cold p50", "cold p95"],
        table,
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
