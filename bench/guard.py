"""The answer guard against low-value answers ("AI slop"), on labelled answers.

    python -m bench.guard LABELLED.jsonl... --out F.json [--model minilm] [--tune]

Each line is ``{"question", "answer", "contexts", "label": "good" | "low_value", "kind"}``
(``python -m evals.slop BOOK_DIR --split holdout`` writes such a set from a book). The
guard is :class:`evals.checks.AnswerChecker` with ``evals/thresholds.yaml``; a line counts
as blocked when the verdict is ``block``. A ``revise`` verdict is not a block: the coach
still shows such an answer (rewritten or with a caveat), so it cannot cost a learner a
good answer; its rate on good lines is reported apart (``good_flagged_rate``).

Positive class = ``low_value``. Overall precision, recall and F1 are on every line;
``false_block_rate`` is the share of good lines blocked. Per kind, the negatives are the
good lines of the same questions (``question_id``, when the file has it; else every good
line), so each kind is judged against the answers it was made from.

Baselines, same run, same lines: a lexical guard (blocks when the answer's sentences
share too few terms with the contexts) and an embedding guard (blocks when their best
cosine with a context sentence is too low). Each is given the threshold at which it
blocks as many good lines as the guard does, chosen with the labels, which favours them.

``--tune`` picks the checks' block thresholds on the given lines (a greedy search for the
best mean of overall and worst-kind F1 with at most ``--max-false-block`` good lines blocked) and prints them; use it on the
``tune`` split only (lines marked ``"split": "holdout"`` are refused).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import track

from bench.common import print_table, read_jsonl, write_json
from evals.checks import AnswerChecker, Prepared, Preparer, support_matrix
from evals.verdict import SEVERITY, Thresholds, combine, load_thresholds
from retrieval.embedding import make_embedder

CHECKS = ("grounding", "specificity", "redundancy", "relevance", "citations")


def metrics(lines: Sequence[dict[str, Any]], blocked: Sequence[bool]) -> dict[str, Any]:
    """Precision, recall, F1 (positive: low_value), false-block rate, per kind."""

    def prf(pos: list[bool], neg: list[bool]) -> dict[str, float]:
        tp, fp = sum(pos), sum(neg)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / len(pos) if pos else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}

    good = [b for x, b in zip(lines, blocked, strict=True) if x["label"] == "good"]
    low = [b for x, b in zip(lines, blocked, strict=True) if x["label"] != "good"]
    out: dict[str, Any] = {
        **prf(low, good),
        "false_block_rate": sum(good) / len(good) if good else 0.0,
    }
    good_by_q: dict[str, list[bool]] = defaultdict(list)
    for x, b in zip(lines, blocked, strict=True):
        if x["label"] == "good" and "question_id" in x:
            good_by_q[x["question_id"]].append(b)
    per_kind: dict[str, Any] = {}
    good_kinds: dict[str, Any] = {}
    for kind in sorted({x["kind"] for x in lines}):
        mine = [(x, b) for x, b in zip(lines, blocked, strict=True) if x["kind"] == kind]
        if mine[0][0]["label"] == "good":
            good_kinds[kind] = {
                "false_block_rate": sum(b for _, b in mine) / len(mine),
                "n": len(mine),
            }
            continue
        qids = {x.get("question_id") for x, _ in mine}
        neg = [b for q in qids if q in good_by_q for b in good_by_q[q]] if good_by_q else good
        per_kind[kind] = {**prf([b for _, b in mine], neg), "n": len(mine)}
    out["per_kind"] = per_kind
    out["good_kinds"] = good_kinds
    return out


def baseline_scores(p: Prepared) -> tuple[float, float]:
    """Lexical (mean term recall of the best context) and dense (mean best cosine) support."""
    if not p.sentences:
        return 0.0, 0.0
    lexical = support_matrix(p, 0.0)
    lex = float(lexical.max(axis=1).mean()) if lexical.shape[1] else 0.0
    dense = float(p.sim.max(axis=1).mean()) if p.sim is not None and p.sim.shape[1] else 0.0
    return lex, dense


def at_rate(scores: np.ndarray, good: np.ndarray, rate: float) -> float:
    """The threshold below which ``rate`` of the good lines fall (block: score < threshold)."""
    g = np.sort(scores[good])
    k = int(np.floor(rate * len(g)))
    return float(g[k]) if k < len(g) else float("inf")


def tune(
    results: list[tuple], lines: list[dict[str, Any]], t: Thresholds, max_fbr: float
) -> dict[str, float]:
    """Greedy search over the checks' block thresholds under a false-block cap.

    From nothing blocked (but what blocks for a reason other than its score: a
    contradiction, a marker past the contexts), each step takes the one threshold change
    that most improves the mean of the overall F1 and the worst kind's F1 (the targets ask
    for both), false-block rates above ``max_fbr`` being penalised; it stops when no
    change helps.
    """
    labels = np.array([x["label"] != "good" for x in lines])
    scores = {c: np.array([r[i].score for r in results]) for i, c in enumerate(CHECKS)}
    hard = np.array(
        [
            any(c.verdict == "block" and c.score >= getattr(t, c.name).block for c in r)
            for r in results
        ]
    )
    grid = [float(v) for v in np.round(np.arange(0.0, 1.0001, 0.02), 3)]

    def objective(b: dict[str, float]) -> float:
        pred = hard | np.any([scores[c] < b[c] for c in CHECKS], axis=0)
        m = metrics(lines, pred.tolist())
        worst = min(k["f1"] for k in m["per_kind"].values())
        over = max(0.0, float(pred[~labels].mean()) - max_fbr)
        return 0.5 * float(m["f1"]) + 0.5 * worst - 10 * over

    block = dict.fromkeys(CHECKS, 0.0)
    best = objective(block)
    while True:
        trials = [({**block, c: v}) for c in CHECKS for v in grid if v != block[c]]
        value, choice = max(((objective(b), b) for b in trials), key=lambda x: x[0])
        if value <= best + 1e-9:
            return block
        best, block = value, choice


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", type=Path, nargs="+", help="labelled JSON lines")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="minilm", help="embedder (minilm, fake, ...)")
    parser.add_argument("--thresholds", type=Path, default=None)
    parser.add_argument("--tune", action="store_true", help="pick block thresholds on these lines")
    parser.add_argument("--max-false-block", type=float, default=0.04)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    lines = [x for f in args.files for x in read_jsonl(f)]
    if args.tune and any(x.get("split") == "holdout" for x in lines):
        raise SystemExit("--tune refuses held-out lines: tune on the tune split only")
    thresholds = load_thresholds(args.thresholds)
    checker = AnswerChecker(make_embedder(args.model), thresholds)
    lexical_only = Preparer(None)
    results, blocked, flagged, base, guard_ms = [], [], [], [], []
    for x in track(lines, description="Checking answers"):
        p = checker.prepare(x["question"], x["answer"], x["contexts"])
        started = time.perf_counter()
        lexical_only.prepare(x["question"], x["answer"], x["contexts"])
        checks = checker.run(p)
        verdict = combine(checks, thresholds.combine.revises_to_block).verdict
        guard_ms.append((time.perf_counter() - started) * 1000)
        results.append(checks)
        blocked.append(verdict == "block")
        flagged.append(SEVERITY[verdict] > 0)
        base.append(baseline_scores(p))
    report = metrics(lines, blocked)
    good = np.array([x["label"] == "good" for x in lines])
    report["good_flagged_rate"] = float(np.array(flagged)[good].mean()) if good.any() else 0.0
    report["n"] = len(lines)
    report["n_good"] = int(good.sum())
    report["baselines"] = {}
    for i, name in enumerate(("lexical", "dense")):
        s = np.array([b[i] for b in base])
        cut = at_rate(s, good, report["false_block_rate"])
        report["baselines"][name] = {
            **metrics(lines, (s < cut).tolist()),
            "threshold": round(cut, 4),
        }
    report["guard_ms_without_encoder"] = {
        "p50": float(np.percentile(guard_ms, 50)),
        "p95": float(np.percentile(guard_ms, 95)),
    }
    report["checks_blocking"] = {
        c: int(sum(r[i].verdict == "block" for r in results)) for i, c in enumerate(CHECKS)
    }
    report["files"] = [str(f) for f in args.files]
    report["model"] = args.model
    if args.tune:
        report["tuned_block"] = tune(results, lines, thresholds, args.max_false_block)
        print(json.dumps(report["tuned_block"]))
    rows = [
        ["all", report["n"] - report["n_good"], report["precision"], report["recall"], report["f1"]]
    ]
    rows += [
        [k, v["n"], v["precision"], v["recall"], v["f1"]] for k, v in report["per_kind"].items()
    ]
    rows += [
        [f"baseline {k}", "", v["precision"], v["recall"], v["f1"]]
        for k, v in report["baselines"].items()
    ]
    print_table(
        f"Guard (false-block rate {report['false_block_rate']:.3f})",
        ["kind", "n", "precision", "recall", "f1"],
        rows,
    )
    write_json(args.out, report)


if __name__ == "__main__":
    main()
