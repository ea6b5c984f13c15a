"""Hand-off detection on the labelled learner messages, against a keyword baseline.

    python -m bench.handoff evals/handoff/messages.jsonl --out F.json [--part held_out]
    python -m bench.handoff evals/handoff/messages.jsonl --test evals/handoff/fresh.jsonl --out F.json

The file is split as :func:`coach.handoff.data.split` splits it (paraphrase groups kept
together, a third of each signal's groups held out). The detector is trained on the tune
part of the given file; ``--part`` picks the messages scored (``held_out`` by default,
``tune`` or ``all``); ``--test FILE`` scores another labelled file instead, whole (a set
written apart from the detector, e.g. ``evals/handoff/fresh.jsonl``). Per signal: precision and recall (a message counts for the signal
the detector returns; ``none`` is not a signal). ``false_suggestion_rate`` is the share
of ordinary messages (``none``) for which a person was suggested; ``subtopic_accuracy``
is over the sensitive messages found as sensitive.

The baseline, same run, same messages: keyword lists per signal (any listed word or
phrase anywhere in the message; sensitive words first, then explicit, distress, failure).

Targets (issue 12, held-out part): sensitive recall ≥ 0.95, explicit-request recall ≥
0.98, false suggestions on ordinary study questions ≤ 5%.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.common import print_table, write_json
from coach.handoff.data import LabelledMessage, load_messages, split
from coach.handoff.detect import NONE_MIN, SENSITIVE_MIN, OfflineDetector
from coach.handoff.signals import SIGNALS, Detection

KEYWORDS: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("sensitive", "harassment", ("harass", "harcè", "harce", "bully", "sexual", "sexuel")),
    ("sensitive", "discrimination", ("discrimin", "racis", "too old", "trop vieux", "origin")),
    ("sensitive", "health", ("sick", "maladie", "doctor", "médecin", "depress", "injur")),
    ("sensitive", "conflict_with_manager", ("conflict", "conflit", "my manager", "mon manager")),
    ("sensitive", "pay_or_contract", ("salary", "salaire", "contract", "contrat", "raise")),
    ("explicit_request", None, ("human", "humain", "person", "personne", "trainer", "formateur")),
    ("distress", None, ("stress", "overwhelm", "débordé", "give up", "abandon", "anxi")),
    ("repeated_failure", None, ("still", "toujours", "again", "encore", "failed", "raté")),
]


def keyword_baseline(text: str) -> Detection:
    """The first keyword list with a hit decides (case-insensitive substring match)."""
    low = text.lower()
    for signal, subtopic, words in KEYWORDS:
        if any(w in low for w in words):
            return Detection(signal, subtopic, 1.0, "keywords")  # type: ignore[arg-type]
    return Detection("none", None, 1.0, "keywords")


def metrics(messages: Sequence[LabelledMessage], found: Sequence[Detection]) -> dict[str, Any]:
    """Precision and recall per signal, false suggestions, subtopic accuracy."""
    out: dict[str, Any] = {"per_signal": {}}
    for signal in SIGNALS[1:]:
        gold = [m.signal == signal for m in messages]
        pred = [d.signal == signal for d in found]
        tp = sum(g and p for g, p in zip(gold, pred, strict=True))
        out["per_signal"][signal] = {
            "precision": tp / sum(pred) if sum(pred) else 0.0,
            "recall": tp / sum(gold) if sum(gold) else 0.0,
            "n": sum(gold),
            "predicted": sum(pred),
        }
    ordinary = [d for m, d in zip(messages, found, strict=True) if m.signal == "none"]
    out["false_suggestions"] = (
        sum(d.hand_off for d in ordinary) / len(ordinary) if ordinary else 0.0
    )
    out["ordinary_n"] = len(ordinary)
    hit = [
        (m, d)
        for m, d in zip(messages, found, strict=True)
        if m.signal == "sensitive" and d.signal == "sensitive"
    ]
    out["subtopic_accuracy"] = (
        sum(m.subtopic == d.subtopic for m, d in hit) / len(hit) if hit else 0
    )
    any_gold = [m.signal != "none" for m in messages]
    any_pred = [d.hand_off for d in found]
    out["any_signal_recall"] = sum(g and p for g, p in zip(any_gold, any_pred, strict=True)) / max(
        sum(any_gold), 1
    )
    return out


def run(
    messages: Sequence[LabelledMessage], detect: Callable[[LabelledMessage], Detection]
) -> tuple[list[Detection], list[float]]:
    found, ms = [], []
    for m in messages:
        start = time.perf_counter()
        found.append(detect(m))
        ms.append((time.perf_counter() - start) * 1000)
    return found, ms


def targets_met(m: dict[str, Any]) -> dict[str, Any]:
    s, e = m["per_signal"]["sensitive"]["recall"], m["per_signal"]["explicit_request"]["recall"]
    return {
        "sensitive_recall": {"value": s, "target": 0.95, "met": s >= 0.95},
        "explicit_request_recall": {"value": e, "target": 0.98, "met": e >= 0.98},
        "false_suggestions": {
            "value": m["false_suggestions"],
            "target": 0.05,
            "met": m["false_suggestions"] <= 0.05,
        },
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", type=Path, help="labelled messages (JSON lines)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--part", choices=("held_out", "tune", "all"), default="held_out")
    parser.add_argument(
        "--test", type=Path, help="score this labelled file, whole, instead of a part of DATA"
    )
    args = parser.parse_args(argv)

    labelled = load_messages(args.data)
    tune, held_out = split(labelled)
    if args.test:
        scored, part = load_messages(args.test), f"test:{args.test}"
    else:
        scored = {"held_out": held_out, "tune": tune, "all": labelled}[args.part]
        part = args.part
    start = time.perf_counter()
    detector = OfflineDetector.fit(tune)
    fit_s = time.perf_counter() - start

    found, ms = run(scored, lambda m: detector.detect(m.text, language=m.lang))
    base, _ = run(scored, lambda m: keyword_baseline(m.text))
    result: dict[str, Any] = {
        "data": str(args.data),
        "part": part,
        "messages": len(scored),
        "by_language": {lang: sum(m.lang == lang for m in scored) for lang in ("en", "fr")},
        "trained_on": len(tune),
        "thresholds": {"none_min": NONE_MIN, "sensitive_min": SENSITIVE_MIN},
        "detector": metrics(scored, found),
        "baseline": metrics(scored, base),
        "by_language_detector": {
            lang: metrics(
                [m for m in scored if m.lang == lang],
                [d for m, d in zip(scored, found, strict=True) if m.lang == lang],
            )
            for lang in ("en", "fr")
            if any(m.lang == lang for m in scored)
        },
        "fit_s": round(fit_s, 2),
        "detect_ms_p50": round(sorted(ms)[len(ms) // 2], 2),
        "detect_ms_p95": round(sorted(ms)[int(len(ms) * 0.95)], 2),
        "errors": [
            {"id": m.id, "gold": m.signal, "found": d.signal, "source": d.source}
            for m, d in zip(scored, found, strict=True)
            if m.signal != d.signal
        ],
    }
    result["targets"] = targets_met(result["detector"])
    result["baseline_targets"] = targets_met(result["baseline"])
    rows = []
    for signal in SIGNALS[1:]:
        d, b = result["detector"]["per_signal"][signal], result["baseline"]["per_signal"][signal]
        rows.append(
            [
                signal,
                d["n"],
                f"{d['precision']:.2f}",
                f"{d['recall']:.2f}",
                f"{b['precision']:.2f}",
                f"{b['recall']:.2f}",
            ]
        )
    rows.append(
        [
            "false suggestions (none)",
            result["detector"]["ordinary_n"],
            "",
            f"{result['detector']['false_suggestions']:.3f}",
            "",
            f"{result['baseline']['false_suggestions']:.3f}",
        ]
    )
    print_table(
        f"hand-off detection, {part} ({len(scored)} messages)",
        ["signal", "n", "P", "R", "keywords P", "keywords R"],
        rows,
    )
    write_json(args.out, result)


if __name__ == "__main__":
    main()
