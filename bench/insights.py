"""Content gap insights: are uncovered questions recognised, and do their topics recover
the chapters they came from?

    python -m bench.insights INDEXED_BOOK UNINDEXED_BOOK --out F.json [--limit 200]

``INDEXED_BOOK`` is ingested into a fresh temporary index with blendcoach's own ingestion
(sentence vectors stored as ``blendcoach ingest`` stores them); its labelled questions are
the covered ones. ``UNINDEXED_BOOK`` is never indexed: its questions play the topics the
courses do not cover. Every question is asked as the product asks it offline (hybrid search,
k=5, then the offline responder with its default coverage settings), and recorded as a gap
the way the chat engine records one (:func:`coach.insights.record.gap_of`).

Questions are split by a stable hash of their id: one in three is held out. Nothing about
recognition is tuned here (the coverage settings are the product's); the topics' distance
threshold is chosen on the tune part (best adjusted Rand index) and reported on the held-out
part, against k-means with k = the true number of chapters on the same embeddings.

JSON keys:

* ``indexed``, ``unindexed``: the books' directory names; ``model``: the encoder.
* ``recognition``: ``{"holdout"|"tune"|"all": R}``, each ``R`` =
  ``{"n_uncovered", "n_covered", "uncovered_recognised"`` (share of uncovered questions
  answered "not covered"), ``"uncovered_recorded"`` (not covered or weak evidence: what
  reaches the insights), ``"covered_refused"`` (share of covered questions answered "not
  covered"), ``"covered_recorded"`` (covered questions recorded as gaps, weak evidence
  included)``}``.
* ``targets``: ``{"uncovered_recognised": 0.9, "covered_refused": 0.1}``.
* ``topics``: ``{"threshold": t, "grid": [[t, tune ARI], ...], "holdout"|"tune": T}``, each
  ``T`` = ``{"n_questions", "n_chapters", "blendcoach": C, "kmeans": C}`` and ``C`` =
  ``{"ari", "purity", "n_topics"}`` (``null`` with fewer than two chapters), over the
  unindexed book's recorded questions with a gold section (chapter = the gold section's
  chapter).
* ``seconds``: wall time of the run.
"""

from __future__ import annotations

import argparse
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import track
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from bench.common import print_table, read_jsonl, temp_stack, write_json
from coach.insights.record import gap_of
from coach.insights.topics import DISTANCE_THRESHOLD, AskedQuestion, build_topics
from coach.responders.base import ResponderInput
from coach.responders.offline import OfflineConfig, OfflineResponder
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import Embedder, make_embedder
from retrieval.language import detect
from retrieval.search import MAX_QUERY_CHARS, SearchConfig

HELD_OUT = 3  # one question in three
TARGETS = {"uncovered_recognised": 0.9, "covered_refused": 0.1}
GRID = [round(0.40 + 0.025 * i, 3) for i in range(25)]  # 0.40 .. 1.00


@dataclass(frozen=True, slots=True)
class Asked:
    """One question put to the coach, with the verdict."""

    id: str
    text: str
    language: str
    uncovered: bool
    chapter: str | None
    holdout: bool
    not_covered: bool = False
    recorded: bool = False


def book_questions(book: Path, limit: int) -> list[tuple[str, str, str | None]]:
    """``(id, question, chapter or None)`` of a book, an even spread when over ``limit``."""
    sections = {s["doc_id"]: s for s in read_jsonl(book / "sections.jsonl")}
    rows = []
    for q in read_jsonl(book / "questions.jsonl"):
        text = " ".join(str(q.get("question") or "").split())
        if not text or len(text) > MAX_QUERY_CHARS:  # search refuses it (a 4xx in the chat)
            continue
        gold = sections.get(q.get("gold_doc_id") or "")
        chapter = str(gold.get("chapter") or gold.get("chapter_title")) if gold else None
        rows.append((f"{book.name}:{q['id']}", text, chapter))
    if limit and len(rows) > limit:
        rows = [rows[i * len(rows) // limit] for i in range(limit)]
    return rows


def is_held_out(qid: str) -> bool:
    return zlib.crc32(qid.encode()) % HELD_OUT == 0


def ask_all(indexed: Path, unindexed: Path, embedder: Embedder, limit: int, k: int) -> list[Asked]:
    """Ask both books' questions of the indexed book's content, as the product does."""
    covered = [(q, False) for q in book_questions(indexed, limit) if q[2] is not None]
    uncovered = [(q, True) for q in book_questions(unindexed, 0)]
    config = OfflineConfig()
    out: list[Asked] = []
    with temp_stack(embedder, ChunkingConfig(), SearchConfig(), offline=config) as stack:
        stack.ingestor.ingest([indexed / "content"])
        responder = OfflineResponder(embedder, config, stack.sentences)
        stats = stack.retriever.term_stats()
        for (qid, text, chapter), is_uncovered in track(covered + uncovered, description="Asking"):
            language = detect(text) or "en"
            hits = tuple(stack.retriever.search(text, k=k))
            inp = ResponderInput(text, text, language, hits, term_stats=stats)
            answer = responder.answer(inp)
            out.append(
                Asked(
                    id=qid,
                    text=text,
                    language=language,
                    uncovered=is_uncovered,
                    chapter=chapter,
                    holdout=is_held_out(qid),
                    not_covered=not answer.covered,
                    recorded=gap_of(answer, hits) is not None,
                )
            )
    return out


def recognition(asked: Sequence[Asked]) -> dict[str, float]:
    """Rates of recognised uncovered and wrongly refused covered questions."""
    unc = [a for a in asked if a.uncovered]
    cov = [a for a in asked if not a.uncovered]

    def share(rows: list[Asked], attr: str) -> float:
        return sum(getattr(a, attr) for a in rows) / len(rows) if rows else 0.0

    return {
        "n_uncovered": len(unc),
        "n_covered": len(cov),
        "uncovered_recognised": share(unc, "not_covered"),
        "uncovered_recorded": share(unc, "recorded"),
        "covered_refused": share(cov, "not_covered"),
        "covered_recorded": share(cov, "recorded"),
    }


def purity(truth: Sequence[str], labels: Sequence[int]) -> float:
    """Share of questions in their topic's majority chapter."""
    by: dict[int, Counter[str]] = {}
    for t, lab in zip(truth, labels, strict=True):
        by.setdefault(lab, Counter())[t] += 1
    return sum(c.most_common(1)[0][1] for c in by.values()) / len(truth) if truth else 0.0


def clusters(rows: Sequence[Asked], vectors: dict[str, np.ndarray], threshold: float) -> list[int]:
    """The product's topic of each question (``build_topics``, as the job runs it)."""
    now = datetime.now(UTC)
    asked = [AskedQuestion(a.id, a.text, a.language, a.id, now) for a in rows]
    topics = build_topics(
        asked, lambda texts: np.stack([vectors[t] for t in texts]), distance_threshold=threshold
    )
    topic_of = {qid: i for i, t in enumerate(topics) for qid in t.question_ids}
    return [topic_of[a.id] for a in rows]


def scores(truth: Sequence[str], labels: Sequence[int]) -> dict[str, float]:
    return {
        "ari": float(adjusted_rand_score(truth, labels)),
        "purity": purity(truth, labels),
        "n_topics": len(set(labels)),
    }


def topic_recovery(
    rows: Sequence[Asked], vectors: dict[str, np.ndarray], threshold: float
) -> dict[str, Any]:
    """blendcoach's topics and the k-means baseline (k = true chapters) on ``rows``."""
    truth = [str(a.chapter) for a in rows]
    k = len(set(truth))
    if k < 2 or len(rows) <= k:  # nothing to recover (a tiny book or split)
        return {"n_questions": len(rows), "n_chapters": k, "blendcoach": None, "kmeans": None}
    matrix = np.stack([vectors[a.text] for a in rows])
    kmeans = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(matrix)
    return {
        "n_questions": len(rows),
        "n_chapters": k,
        "blendcoach": scores(truth, clusters(rows, vectors, threshold)),
        "kmeans": scores(truth, [int(x) for x in kmeans]),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("indexed", type=Path, help="book whose content is indexed")
    parser.add_argument("unindexed", type=Path, help="book whose questions are not covered")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--limit", type=int, default=200, help="covered questions at most (0: all)")
    parser.add_argument("--k", type=int, default=5, help="passages retrieved per question")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    embedder = make_embedder(args.model)
    asked = ask_all(args.indexed, args.unindexed, embedder, args.limit, args.k)
    splits = {
        "holdout": [a for a in asked if a.holdout],
        "tune": [a for a in asked if not a.holdout],
        "all": asked,
    }
    result: dict[str, Any] = {
        "indexed": args.indexed.name,
        "unindexed": args.unindexed.name,
        "model": args.model,
        "recognition": {name: recognition(rows) for name, rows in splits.items()},
        "targets": TARGETS,
    }
    # topics over what the insights would hold: recorded questions of the other book
    gaps = {
        name: [a for a in rows if a.uncovered and a.recorded and a.chapter is not None]
        for name, rows in splits.items()
    }
    texts = sorted({a.text for a in gaps["all"]})
    vectors = dict(zip(texts, embedder.embed_documents(texts), strict=True))  # once per run
    grid = []
    truth = [str(a.chapter) for a in gaps["tune"]]
    for t in GRID if len(set(truth)) >= 2 else []:
        grid.append([t, float(adjusted_rand_score(truth, clusters(gaps["tune"], vectors, t)))])
    best = max(grid, key=lambda g: g[1])[0] if grid else DISTANCE_THRESHOLD
    result["topics"] = {
        "threshold": best,
        "grid": grid,
        "holdout": topic_recovery(gaps["holdout"], vectors, best),
        "tune": topic_recovery(gaps["tune"], vectors, best),
    }
    result["seconds"] = round(time.perf_counter() - started, 1)

    rec = result["recognition"]
    print_table(
        f"Recognition: {args.indexed.name} indexed, {args.unindexed.name} uncovered",
        ["split", "uncovered", "recognised", "recorded", "covered", "refused", "recorded"],
        [
            [
                name,
                r["n_uncovered"],
                r["uncovered_recognised"],
                r["uncovered_recorded"],
                r["n_covered"],
                r["covered_refused"],
                r["covered_recorded"],
            ]
            for name, r in rec.items()
        ],
    )
    rows = []
    for split in ("holdout", "tune"):
        tr = result["topics"][split]
        for method in ("blendcoach", "kmeans"):
            c = tr[method] or {"n_topics": "-", "ari": "-", "purity": "-"}
            counts = [tr["n_questions"], tr["n_chapters"], c["n_topics"]]
            rows.append([split, method, *counts, c["ari"], c["purity"]])
    print_table(
        f"Topic recovery of {args.unindexed.name}'s chapters (threshold {best}, tuned on tune)",
        ["split", "method", "questions", "chapters", "topics", "ARI", "purity"],
        rows,
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
