"""Calibrate "not covered": when are the retrieved passages too weak to answer from?

    python -m bench.coverage DEMO_OR_BOOK_DIR... --out F.json

Each directory is a demo catalog (``catalog/`` + ``questions.jsonl``) or a book
(``content/`` + ``sections.jsonl`` + ``questions.jsonl``), ingested into a fresh temporary
index. Its own labelled questions are in scope; the off-topic set (``--oos``, English and
French, unrelated topics and near-misses) is out of scope for every directory. The
coverage settings are chosen on the tune part (one fold in five held out, grouped by
module) and the held-out part reports precision/recall of "not covered".
"""

from __future__ import annotations

import argparse
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.progress import track

from bench.common import print_table, read_jsonl, temp_stack, write_json
from bench.retrieval import load_questions
from coach.responders.grounding import (
    DEFAULT_COVERAGE,
    CoverageConfig,
    Signals,
    coverage_signals,
    support,
)
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import make_embedder
from retrieval.language import detect
from retrieval.search import Retriever, SearchConfig
from retrieval.termstats import TermStats
from retrieval.types import SearchHit

FOLDS = 5
OOS = Path(__file__).resolve().parents[1] / "evals" / "data" / "out_of_scope.jsonl"


@dataclass(frozen=True, slots=True)
class Case:
    """One question asked of one corpus, with what search returned."""

    corpus: str
    question: str
    language: str
    in_scope: bool
    kind: str
    fold: int
    hits: tuple[SearchHit, ...]
    signals: Signals


def corpus_questions(folder: Path, limit: int) -> tuple[Path, list[tuple[str, str]]]:
    """Content directory and ``(question, grouping key)`` pairs of a demo or book folder."""
    if (folder / "catalog").is_dir():
        rows = read_jsonl(folder / "questions.jsonl")
        return folder / "catalog", [(q["question"], q["file"]) for q in rows]
    questions, sections = load_questions(folder)
    pairs = [
        (q["question"], str(sections[q["gold_doc_id"]].get("module") or q["gold_doc_id"]))
        for q in questions
    ]
    if limit and len(pairs) > limit:  # an even spread over the book, not its first chapters
        pairs = [pairs[i * len(pairs) // limit] for i in range(limit)]
    return folder / "content", pairs


def collect(folders: Sequence[Path], oos: Path, model: str, limit: int, k: int) -> list[Case]:
    """Ask every corpus its own questions and the off-topic ones."""
    embedder = make_embedder(model)
    off = read_jsonl(oos)
    cases: list[Case] = []
    for folder in folders:
        content, questions = corpus_questions(folder, limit)
        with temp_stack(embedder, ChunkingConfig(), SearchConfig()) as stack:
            stack.ingestor.ingest([content])
            asked = [(q, key, "in-scope") for q, key in questions]
            asked += [(o["question"], o["id"], o.get("kind", "off-topic")) for o in off]
            stats = stack.retriever.term_stats()
            for question, key, kind in track(asked, description=folder.name):
                cases.append(_case(stack.retriever, stats, folder.name, question, key, kind, k))
    return cases


def _case(
    retriever: Retriever,
    stats: TermStats,
    corpus: str,
    question: str,
    key: str,
    kind: str,
    k: int,
) -> Case:
    language = detect(question) or "en"
    fold = zlib.crc32(key.encode()) % FOLDS  # fold 0 is bench.common.holdout's part
    hits = tuple(retriever.search(question, k=k))
    signals = coverage_signals(hits, query=question, language=language, stats=stats)
    return Case(corpus, question, language, kind == "in-scope", kind, fold, hits, signals)


def verdicts(cases: Sequence[Case], config: CoverageConfig) -> list[bool]:
    """``covered`` for each case under ``config`` (what ``assess_coverage`` decides)."""
    return [support(c.signals, config) >= config.threshold for c in cases]


def per_corpus_balanced(cases: Sequence[Case], config: CoverageConfig) -> float:
    """Balanced accuracy averaged over corpora, so a small demo counts as much as a book."""
    groups: dict[str, list[Case]] = {}
    for c in cases:
        groups.setdefault(c.corpus, []).append(c)
    scores = [
        not_covered_metrics(cs, verdicts(cs, config))["balanced_accuracy"] for cs in groups.values()
    ]
    return sum(scores) / len(scores)


def not_covered_metrics(cases: Sequence[Case], covered: Sequence[bool]) -> dict[str, float]:
    """Precision/recall/F1 of "not covered" (positive = out of scope), balanced accuracy."""
    tp = sum(1 for c, v in zip(cases, covered, strict=True) if not c.in_scope and not v)
    fp = sum(1 for c, v in zip(cases, covered, strict=True) if c.in_scope and not v)
    pos = sum(1 for c in cases if not c.in_scope)
    neg = len(cases) - pos
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / pos if pos else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    in_scope_kept = (neg - fp) / neg if neg else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "in_scope_answered": in_scope_kept,
        "balanced_accuracy": (recall + in_scope_kept) / 2,
        "n": float(len(cases)),
    }


def calibrate(cases: Sequence[Case], base: CoverageConfig) -> CoverageConfig:
    """Grid-search ``dense_weight`` and ``threshold`` for the best per-corpus balanced accuracy."""
    best, best_score = base, -1.0
    for w in [i / 20 for i in range(21)]:
        for t in [i / 100 for i in range(5, 91)]:
            config = replace(base, dense_weight=w, threshold=t)
            score = per_corpus_balanced(cases, config)
            if score > best_score + 1e-9:
                best, best_score = config, score
    return best


def calibrate_suggestion(cases: Sequence[Case], config: CoverageConfig) -> CoverageConfig:
    """Least support for naming a closest module: yes for near-misses, no for unrelated topics."""
    wanted = [support(c.signals, config) for c in cases if c.kind != "unrelated"]
    unwanted = [support(c.signals, config) for c in cases if c.kind == "unrelated"]
    if not wanted or not unwanted:
        return config

    def score(floor: float) -> float:
        yes = sum(s >= floor for s in wanted) / len(wanted)
        return yes + sum(s < floor for s in unwanted) / len(unwanted)

    floors = [i / 100 for i in range(5, int(config.threshold * 100) + 1)]
    return replace(config, suggest_min=max(floors, key=score))


def by_group(cases: Sequence[Case], covered: Sequence[bool]) -> dict[str, dict[str, float]]:
    """Metrics overall and per corpus, language and kind of off-topic question."""
    groups: dict[str, list[int]] = {"all": list(range(len(cases)))}
    for i, c in enumerate(cases):
        groups.setdefault(c.corpus, []).append(i)
        groups.setdefault(f"lang:{c.language}", []).append(i)
        if not c.in_scope:
            groups.setdefault(f"kind:{c.kind}", []).append(i)
    return {
        name: not_covered_metrics([cases[i] for i in idx], [covered[i] for i in idx])
        for name, idx in groups.items()
    }


def cross_validate(cases: Sequence[Case], base: CoverageConfig) -> list[bool]:
    """Out-of-fold verdicts: each fold judged with settings calibrated on the others."""
    covered = [False] * len(cases)
    for fold in range(FOLDS):
        config = calibrate([c for c in cases if c.fold != fold], base)
        for i, c in enumerate(cases):
            if c.fold == fold:
                covered[i] = support(c.signals, config) >= config.threshold
    return covered


def suggestion_rates(cases: Sequence[Case], config: CoverageConfig) -> dict[str, float]:
    """Share of not-covered cases that name a closest module, per kind of question."""
    rates: dict[str, list[bool]] = {}
    for c in cases:
        sup = support(c.signals, config)
        if sup < config.threshold:
            rates.setdefault(c.kind, []).append(sup >= config.suggest_min)
    return {kind: sum(v) / len(v) for kind, v in rates.items()}


def print_groups(title: str, metrics: dict[str, dict[str, float]]) -> None:
    cols = ["group", "n", "precision", "recall", "in-scope answered"]
    rows = [
        [
            g,
            int(m["n"]),
            m["precision"],
            m["recall"],
            "-" if g.startswith("kind:") else m["in_scope_answered"],
        ]
        for g, m in metrics.items()
    ]
    print_table(title, cols, rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folders", type=Path, nargs="+", help="demo or book directories")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--oos", type=Path, default=OOS, help="off-topic questions (JSONL)")
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--limit", type=int, default=200, help="questions sampled per book")
    parser.add_argument("--k", type=int, default=5, help="passages retrieved per question")
    args = parser.parse_args(argv)

    cases = collect(args.folders, args.oos, args.model, args.limit, args.k)
    tune = [c for c in cases if c.fold != 0]
    held = [c for c in cases if c.fold == 0]
    chosen = calibrate_suggestion(tune, calibrate(tune, DEFAULT_COVERAGE))
    result: dict[str, Any] = {
        "chosen": {
            "dense_weight": chosen.dense_weight,
            "threshold": chosen.threshold,
            "suggest_min": chosen.suggest_min,
        },
        "suggestions": suggestion_rates(held, chosen),
        "default": {
            "dense_weight": DEFAULT_COVERAGE.dense_weight,
            "threshold": DEFAULT_COVERAGE.threshold,
        },
        "holdout": by_group(held, verdicts(held, chosen)),
        "holdout_default": by_group(held, verdicts(held, DEFAULT_COVERAGE)),
        "cross_validated": by_group(cases, cross_validate(cases, DEFAULT_COVERAGE)),
        "n_cases": {"tune": len(tune), "holdout": len(held)},
    }
    print_groups(
        f"Not covered, held-out fold, chosen w={chosen.dense_weight} t={chosen.threshold}",
        result["holdout"],
    )
    print_groups("Not covered, held-out fold, default settings", result["holdout_default"])
    print_groups(f"Not covered, {FOLDS}-fold cross-validated", result["cross_validated"])
    print_table(
        f"Not covered, held-out: closest module named (suggest_min={chosen.suggest_min})",
        ["kind", "rate"],
        [[k, v] for k, v in result["suggestions"].items()],
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
