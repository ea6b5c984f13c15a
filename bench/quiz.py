"""Quiz items: offline generation and the validator, on real books and their real MCQs.

    python -m bench.quiz BOOK_DIR... --out F.json

For each book (layout of shared/data/README.md): index ``content/`` with blendcoach's own
ingestion, generate a quiz per module offline, validate it and report the validity rate
per check. Then take the book's real multiple-choice items (known key, gold section as the
cited text): how often the validator wrongly rejects an expert's item, and how often it
catches a corrupted copy (a duplicated option, two correct answers, the answer written
into the stem, a citation of an unrelated section). The support and near-duplicate
thresholds are tuned on four module folds of the first book with real items; every
``*_holdout`` figure is on the fifth fold, never used for tuning, and every ``*_cv``
figure is five-fold cross-validated (each fold judged by thresholds tuned on the other
four), which uses every real item once as held-out data. The support score is linear in
the validator's support features, its weights chosen on a grid for the most unrelated-
section citations caught at the allowed false-reject rate.
"""

from __future__ import annotations

import argparse
import random
import re
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import holdout, print_table, read_jsonl, temp_stack, write_json
from coach.quizzes import (
    CHECKS,
    OfflineGenerator,
    Option,
    QuizItem,
    Source,
    ValidationConfig,
    Validator,
    sources_of,
)
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import Embedder, make_embedder

CORRUPTIONS = ("duplicate_option", "two_correct", "answer_in_stem", "unsupported")
# Real items keep the book's own format: some have two or five options.
REAL_SHAPE = {"min_options": 2, "max_options": 5}
MAX_FALSE_REJECTS = 0.02  # wrong support rejects allowed on the tuning folds
MAX_FLOOR_REJECTS = 0.01  # below the absolute similarity floor, allowed there
MAX_DUPLICATE_REJECTS = 0.005  # near-duplicate options (paraphrases) allowed there
FEATURES = ("dense", "lexical", "gap", "rank", "topic_dense", "topic_gap")
FOLDS = 5


def fold_of(key: str) -> int:
    """The module's fold (fold 0 is the held-out one of :func:`bench.common.holdout`)."""
    return zlib.crc32(key.encode()) % FOLDS


def generated_report(
    book: Path, embedder: Embedder, per_module: int, seed: int, config: ValidationConfig
) -> dict[str, Any]:
    """Generate and validate a quiz per module; validity per check."""
    with temp_stack(embedder, ChunkingConfig()) as stack:
        stack.ingestor.ingest([book / "content"])
        chunks = stack.retriever.chunks()
    by_module: dict[str, list[Any]] = defaultdict(list)
    for c in chunks:
        by_module[c.citation.module_id].append(c)
    generator = OfflineGenerator(embedder)
    validator = Validator(embedder, config)
    failed: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    n_items = n_rejected = 0
    started = time.perf_counter()
    examples: list[dict[str, Any]] = []
    for module in sorted(by_module):
        passages = by_module[module]
        items = generator.generate(passages, per_module, seed=seed, pool=chunks)
        report = validator.validate(items, sources_of(passages))
        n_items += len(items)
        n_rejected += len(report.rejected)
        kinds.update(i.kind for i in items)
        for r in report.rejected:
            failed.update(r.reasons)
            if len(examples) < 8:
                examples.append({"stem": r.item.stem, "reasons": list(r.reasons)})
    seconds = time.perf_counter() - started
    return {
        "n_modules": len(by_module),
        "n_items": n_items,
        "n_rejected": n_rejected,
        "validity_rate": (n_items - n_rejected) / n_items if n_items else 0.0,
        "per_check": {c: 1 - failed[c] / n_items if n_items else 0.0 for c in CHECKS},
        "kinds": dict(kinds),
        "seconds": round(seconds, 1),
        "rejected_examples": examples,
    }


def real_items(book: Path) -> list[tuple[QuizItem, str, str]]:
    """``(item, gold section text, module)`` for every MCQ with a known key and gold section."""
    sections = {s["doc_id"]: s for s in read_jsonl(book / "sections.jsonl")}
    out = []
    for q in read_jsonl(book / "questions.jsonl"):
        opts = q.get("options") or []
        sec = sections.get(q.get("gold_doc_id") or "")
        if q.get("type") != "mcq" or sec is None or not opts:
            continue
        if any(o.get("correct") is None for o in opts):
            continue  # unknown key
        options = tuple(
            Option(
                text=o["text"],
                correct=bool(o["correct"]),
                feedback=o.get("feedback_if_chosen") or "",
            )
            for o in opts
        )
        answer = next((o.text for o in options if o.correct), "")
        source = Source(
            chunk_id=sec["doc_id"],
            course_id=book.name,
            module_id=sec["module"],
            module_title=sec.get("module_title", ""),
            section_title=sec["section_title"],
            source_path=sec["file"],
        )
        item = QuizItem(
            kind="mcq",
            stem=q["question"],
            options=options,
            answer=answer,
            explanation=q.get("solution") or "",
            source=source,
            generator="book",
        )
        out.append((item, sec["text"], str(sec.get("chapter", sec["module"]))))
    return out


def corrupt(
    kind: str, item: QuizItem, rng: random.Random, unrelated: Callable[[], tuple[str, str]]
) -> tuple[QuizItem, str | None]:
    """A corrupted copy of a real item (and the replacement passage text, if any)."""
    correct = item.correct_index or 0
    wrong = [i for i in range(len(item.options)) if i != correct]
    target = rng.choice(wrong)
    options = list(item.options)
    if kind == "duplicate_option":
        text = options[correct].text
        # A copy as a careless writer makes it: spacing, and for prose a case or full stop.
        prose = not re.search(r"[=()\[\]{}\"'*/+<>#\d]", text)
        cosmetic = [f" {text} ", text.replace(" ", "  ")]
        # One-word options compare case-sensitively ("True" is not "true" in code).
        cosmetic += [text.rstrip(".") + "."] if prose else []
        cosmetic += [text.upper()] if prose and " " in text.strip() else []
        options[target] = Option(text=rng.choice(cosmetic), correct=False)
        return item.model_copy(update={"options": tuple(options), "id": ""}), None
    if kind == "two_correct":
        options[target] = options[target].model_copy(update={"correct": True})
        return item.model_copy(update={"options": tuple(options), "id": ""}), None
    if kind == "answer_in_stem":
        answer = options[correct].text
        blank = re.search(r"_{3,}", item.stem)
        if blank:
            stem = item.stem[: blank.start()] + answer + item.stem[blank.end() :]
        else:
            stem = f"{item.stem.rstrip()} ({answer})"
        return item.model_copy(update={"stem": stem, "id": ""}), None
    chunk_id, text = unrelated()
    source = item.source.model_copy(update={"chunk_id": chunk_id})
    return item.model_copy(update={"source": source, "id": ""}), text


def real_report(book: Path, embedder: Embedder, seed: int, tuned: ValidationConfig | None):
    """False rejects on real items and catch rates on corrupted copies (tuned if None)."""
    rows = real_items(book)
    if not rows:
        return None, tuned
    sections = read_jsonl(book / "sections.jsonl")
    by_chapter: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in sections:
        by_chapter[str(s.get("chapter", s["module"]))].append(s)
    validator = Validator(embedder, ValidationConfig(**REAL_SHAPE))
    rng = random.Random(seed)
    cases: list[dict[str, Any]] = []  # one per (item, variant)
    for item, text, chapter in rows:
        held = holdout(item.source.module_id)
        fold = fold_of(item.source.module_id)
        cases.append({"variant": "real", "item": item, "text": text, "held": held, "fold": fold})

        def unrelated(chapter: str = chapter) -> tuple[str, str]:
            others = [c for c in sorted(by_chapter) if c != chapter]
            sec = rng.choice(by_chapter[rng.choice(others)])
            return sec["doc_id"], sec["text"]

        for kind in CORRUPTIONS:
            bad, new_text = corrupt(kind, item, rng, unrelated)
            cases.append(
                {
                    "variant": kind,
                    "item": bad,
                    "text": new_text or text,
                    "held": held,
                    "fold": fold,
                }
            )
    pool = validator.pool({s["doc_id"]: s["text"] for s in sections})
    for case in cases:  # the scores tuning needs, computed once
        case["features"] = validator.support_features(case["item"], case["text"], pool)
        case["dense"] = case["features"]["dense"]
        case["option_sim"] = validator._option_overlap(case["item"])

    def judge(config: ValidationConfig, subset: Sequence[dict[str, Any]], key: str) -> None:
        judge_ = Validator(embedder, replace(config, **REAL_SHAPE))
        judge_._cache = validator._cache
        for case in subset:
            case[key] = judge_.check(case["item"], case["text"], pool=pool)[0]

    if tuned is None:
        tuned = tune([c for c in cases if not c["held"]])
        for f in range(FOLDS):  # every fold judged by thresholds tuned without it
            judge(
                tune([c for c in cases if c["fold"] != f]),
                [c for c in cases if c["fold"] == f],
                "cv",
            )
    judge(tuned, cases, "reasons")
    return summarise(cases), tuned


def tune(cases: Sequence[dict[str, Any]]) -> ValidationConfig:
    """The support score, its threshold, and the option near-duplicate cosine.

    The score is linear in the support features; its weights are searched on a grid for
    the one that catches most copies citing an unrelated section once its threshold is
    the strictest that wrongly rejects at most ``MAX_FALSE_REJECTS`` of the real items
    (the operating point that matters, which a log-loss fit does not aim at).
    """
    real = [c for c in cases if c["variant"] == "real"]
    unsupported = [c for c in cases if c["variant"] == "unsupported"]

    def matrix(subset: list[dict[str, Any]]) -> np.ndarray:
        return np.array([[c["features"][f] for f in FEATURES] for c in subset])

    xr, xu = matrix(real), matrix(unsupported)
    best: tuple[float, tuple[float, ...], float] = (-1.0, (0.6, 0.4, -1.0, 0, 0, 0), 0.0)
    for w in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        for g in (0.0, 0.5, 1.0, 2.0, 4.0):
            for r in (0.0, 0.02, 0.05, 0.1):
                for t in (0.0, 0.5, 1.0):
                    weights = (w, 1 - w, -g, -r, 0.0, -t)
                    vec = np.array(weights)
                    scores = np.sort(xr @ vec)
                    threshold = float(scores[int(MAX_FALSE_REJECTS * len(scores))]) - 1e-6
                    rate = float(np.mean(xu @ vec < threshold)) if len(xu) else 0.0
                    if rate > best[0] + 1e-9:
                        best = (rate, weights, threshold)
    _, chosen, threshold = best
    weights = tuple((f, round(float(v), 4)) for f, v in zip(FEATURES, chosen, strict=True) if v)
    bias = 0.0
    sims = sorted((c["option_sim"] for c in real if c["option_sim"] < 1.0), reverse=True)
    dup = max(sims[int(MAX_DUPLICATE_REJECTS * len(sims))] + 1e-3, 0.9) if sims else 0.95
    dense = sorted(c["dense"] for c in real)
    return ValidationConfig(
        support_min_similarity=round(dense[int(MAX_FLOOR_REJECTS * len(dense))], 4),
        support_weights=weights,
        support_bias=bias,
        support_threshold=round(threshold, 6),
        duplicate_option_similarity=round(min(dup, 0.999), 4),
    )


def summarise(cases: Sequence[dict[str, Any]]) -> dict[str, Any]:
    def rate(subset: list[dict[str, Any]], key: str = "reasons") -> float:
        judged = [c for c in subset if key in c]
        return sum(bool(c[key]) for c in judged) / len(judged) if judged else 0.0

    real = [c for c in cases if c["variant"] == "real"]
    per_check = Counter(r for c in real for r in c["reasons"])
    out: dict[str, Any] = {
        "real_items": {
            "n_items": len(real),
            "n_holdout": sum(c["held"] for c in real),
            "false_reject_rate": rate(real),
            "false_reject_rate_holdout": rate([c for c in real if c["held"]]),
            "false_reject_rate_cv": rate(real, "cv"),
            "per_check_false_rejects": {k: per_check[k] / len(real) for k in CHECKS},
            "false_reject_examples": [
                {"stem": c["item"].stem[:160], "reasons": c["reasons"]}
                for c in real
                if c["reasons"]
            ][:10],
        },
        "corruptions": {},
    }
    bad = [c for c in cases if c["variant"] != "real"]
    for kind in CORRUPTIONS:
        sub = [c for c in bad if c["variant"] == kind]
        out["corruptions"][kind] = {
            "n": len(sub),
            "caught_rate": rate(sub),
            "caught_rate_holdout": rate([c for c in sub if c["held"]]),
            "caught_rate_cv": rate(sub, "cv"),
        }
    out["overall_catch_rate"] = rate(bad)
    out["overall_catch_rate_holdout"] = rate([c for c in bad if c["held"]])
    out["overall_catch_rate_cv"] = rate(bad, "cv")
    return out


def run(books: Sequence[Path], *, per_module: int, seed: int) -> dict[str, Any]:
    embedder = make_embedder("minilm")
    results: dict[str, Any] = {}
    tuned: ValidationConfig | None = None
    for book in books:
        real, tuned = real_report(book, embedder, seed, tuned)
        config = tuned or ValidationConfig()
        result: dict[str, Any] = {
            "generated": generated_report(book, embedder, per_module, seed, config)
        }
        if real is not None:
            result.update(real)
        if tuned is not None:
            result["tuned"] = {
                "support_weights": dict(tuned.support_weights),
                "support_bias": tuned.support_bias,
                "support_threshold": tuned.support_threshold,
                "support_min_similarity": tuned.support_min_similarity,
                "duplicate_option_similarity": tuned.duplicate_option_similarity,
            }
        results[book.name] = result
        show(book.name, result)
    return results


def show(name: str, r: dict[str, Any]) -> None:
    g = r["generated"]
    rows = [[c, g["per_check"][c]] for c in CHECKS]
    rows.append(["all checks (validity rate)", g["validity_rate"]])
    print_table(
        f"{name}: {g['n_items']} generated items, {g['n_rejected']} rejected",
        ["check", "valid"],
        rows,
    )
    if "real_items" not in r:
        return
    real = r["real_items"]
    rows = [
        [k, v["n"], v["caught_rate"], v["caught_rate_holdout"], v.get("caught_rate_cv", "")]
        for k, v in r["corruptions"].items()
    ]
    rows.append(
        [
            "overall catch",
            sum(v["n"] for v in r["corruptions"].values()),
            r["overall_catch_rate"],
            r["overall_catch_rate_holdout"],
            r.get("overall_catch_rate_cv", ""),
        ]
    )
    rows.append(
        [
            "false rejects of real items",
            real["n_items"],
            real["false_reject_rate"],
            real["false_reject_rate_holdout"],
            real.get("false_reject_rate_cv", ""),
        ]
    )
    print_table(
        f"{name}: validator on real items and corrupted copies",
        ["case", "n", "rate", "rate (held out)", "rate (5-fold CV)"],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("books", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--per-module", type=int, default=6, help="items generated per module")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    results = run(args.books, per_module=args.per_module, seed=args.seed)
    write_json(
        args.out, results[args.books[0].name] if len(args.books) == 1 else {"books": results}
    )


if __name__ == "__main__":
    main()
