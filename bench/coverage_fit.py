"""Fit the coverage gate's weights (``CoverageConfig``) on tune questions only.

    python -m bench.coverage_fit BOOK_DIR BOOK_DIR [DEMO_DIR] --out F.json

Each directory is ingested into a fresh index (as ``bench.coverage`` does) and asked its own
labelled questions (covered), the off-topic set (not covered) and, for books, every other
book's questions (not covered: real questions on a topic the index lacks). A demo catalog
is asked only its own and the off-topic questions (its courses may overlap a book's topic).
Rows held out by ``bench.insights`` (one question id in three) or in ``bench.coverage``'s
held-out fold are left out, so both benches' held-out figures stay clean.

A logistic regression (scikit-learn, C=1, balanced classes) over the best dense cosine and
the rarity-weighted term share gives the support's direction (``dense_weight``) and scale
(``steepness``); the threshold is the highest that refuses at most ``--refuse`` of the tune
in-scope questions and none of a demo catalog's (learners' own wording), and
``suggest_min`` best separates near-miss from unrelated off-topic questions (as
``bench.coverage`` chooses it).

JSON keys: ``coef`` (dense, terms), ``intercept``, ``dense_weight``, ``steepness``,
``threshold``, ``suggest_min``, ``n`` (tune rows: covered, not covered).
"""

from __future__ import annotations

import argparse
import math
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import track
from sklearn.linear_model import LogisticRegression

from bench.common import print_table, read_jsonl, temp_stack, write_json
from bench.coverage import FOLDS, OOS, corpus_questions
from bench.insights import book_questions, is_held_out
from coach.responders.grounding import coverage_signals
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import make_embedder
from retrieval.language import detect
from retrieval.search import SearchConfig

Row = tuple[float, float, bool, str]  # dense, terms, covered, kind ("catalog", off-topic kind, "")


def tune_rows(folders: Sequence[Path], oos: Path, model: str, k: int) -> list[Row]:
    """Signals of every tune question asked of every directory."""
    embedder = make_embedder(model)
    books = [f for f in folders if not (f / "catalog").is_dir()]
    off = read_jsonl(oos)
    rows: list[Row] = []
    for folder in folders:
        content, own = corpus_questions(folder, 0)
        # (question, covered, kind, kept): coverage folds by module, insights by question id
        own_kind = "" if folder in books else "catalog"
        asked = [(q, True, own_kind, zlib.crc32(key.encode()) % FOLDS != 0) for q, key in own]
        if folder in books:
            ids = {text: qid for qid, text, _ in book_questions(folder, 0)}
            asked = [
                (q, c, kind, keep and not is_held_out(ids.get(" ".join(q.split()), "")))
                for q, c, kind, keep in asked
            ]
            for other in books:
                if other != folder:
                    asked += [
                        (text, False, "", not is_held_out(qid))
                        for qid, text, _ in book_questions(other, 0)
                    ]
        asked += [
            (
                o["question"],
                False,
                o.get("kind", "off-topic"),
                zlib.crc32(o["id"].encode()) % FOLDS != 0,
            )
            for o in off
        ]
        with temp_stack(embedder, ChunkingConfig(), SearchConfig()) as stack:
            stack.ingestor.ingest([content])
            stats = stack.retriever.term_stats()
            for question, covered, kind, keep in track(asked, description=folder.name):
                if not keep:
                    continue
                language = detect(question) or "en"
                hits = stack.retriever.search(question, k=k)
                sig = coverage_signals(hits, query=question, language=language, stats=stats)
                dense = max((d for d in sig.dense if d is not None), default=0.0)
                rows.append((max(dense, 0.0), sig.joint_terms if sig.terms else 0.0, covered, kind))
    return rows


def fit(rows: Sequence[Row], refuse: float) -> dict[str, Any]:
    """The gate's weights, threshold and suggestion floor from tune rows."""
    x = np.array([[d, t] for d, t, _, _ in rows])
    y = np.array([c for _, _, c, _ in rows])
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(x, y)
    a, b = (float(v) for v in model.coef_[0])
    weight = a / (a + b)
    support = weight * x[:, 0] + (1 - weight) * x[:, 1]
    threshold = math.floor(float(np.quantile(support[y], refuse)) * 100) / 100
    catalog = [s for s, r in zip(support, rows, strict=True) if r[3] == "catalog"]
    if catalog:  # a catalog's questions are learners' own words: answer every tune one
        threshold = min(threshold, math.floor(min(catalog) * 100) / 100)
    kinds = ("", "catalog", "unrelated")
    near = [s for s, r in zip(support, rows, strict=True) if r[3] not in kinds]
    far = [s for s, r in zip(support, rows, strict=True) if r[3] == "unrelated"]
    floors = [i / 100 for i in range(5, int(threshold * 100) + 1)]

    def separation(floor: float) -> float:
        return float(np.mean([s >= floor for s in near]) + np.mean([s < floor for s in far]))

    return {
        "coef": [a, b],
        "intercept": float(model.intercept_[0]),
        "dense_weight": round(weight, 2),
        "steepness": round(a + b, 1),
        "threshold": threshold,
        "suggest_min": max(floors, key=separation) if near and far else None,
        "n": [int(y.sum()), int((~y).sum())],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folders", type=Path, nargs="+", help="book or demo directories")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--oos", type=Path, default=OOS, help="off-topic questions (JSONL)")
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--k", type=int, default=5, help="passages retrieved per question")
    parser.add_argument("--refuse", type=float, default=0.015, help="tune in-scope refused")
    args = parser.parse_args(argv)
    result = fit(tune_rows(args.folders, args.oos, args.model, args.k), args.refuse)
    print_table(
        "Coverage gate fitted on tune questions",
        ["key", "value"],
        [[k, str(v)] for k, v in result.items()],
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
