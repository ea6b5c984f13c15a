"""Groundedness: is each sentence of the answer supported by the contexts, and not contradicted?

A sentence's support by a context is ``dense_weight`` × its best cosine with one of the
context's sentences plus the rest × the share of its content terms the context contains
(lexical recall; stems, so inflections match; the question's terms count as found). A sentence is supported when its best
context reaches ``supported``. The score is the mean over sentences with content terms of
``min(1, support / supported)``: a paraphrase that falls a little short costs a little.

A contradiction is a near-copy of a context sentence (word-sequence similarity at least
``near_copy``) that differs from it where meaning flips: a negation added or dropped, a
number changed, a word swapped for its antonym, or one course term swapped for another.
Any contradiction blocks the answer, whatever the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from evals.checks.lexicon import ANTONYMS, NEGATIONS
from evals.checks.text import Prepared, claims, words
from evals.verdict import CheckResult, GroundingThresholds, verdict_of
from retrieval.stopwords import BY_LANGUAGE

NAME = "grounding"


def support_matrix(p: Prepared, dense_weight: float) -> np.ndarray:
    """Support of each answer sentence (rows) by each context (columns), in [0, 1].

    The question's own terms count as available to every context: an answer may reason
    about the learner's code or numbers, which no passage contains.
    """
    n, k = len(p.sentences), len(p.contexts)
    lexical = np.zeros((n, k), dtype=np.float32)
    for i, s in enumerate(p.sentences):
        if s.terms:
            for c, ctx_terms in enumerate(p.context_terms):
                lexical[i, c] = len(s.terms & (ctx_terms | p.question_terms)) / len(s.terms)
    if p.sim is None or not p.context_sentences:
        return lexical
    dense = np.zeros((n, k), dtype=np.float32)
    owner = np.array([c.context for c in p.context_sentences])
    for c in range(k):
        cols = p.sim[:, owner == c]
        if cols.shape[1]:
            dense[:, c] = np.clip(cols.max(axis=1), 0.0, 1.0)
    return dense_weight * dense + (1 - dense_weight) * lexical


@dataclass(frozen=True, slots=True)
class Contradiction:
    """An answer sentence that alters a context sentence's meaning."""

    sentence: int
    source: str
    change: str


def _change(ours: list[str], theirs: list[str], language: str, course: set[str]) -> str | None:
    """How ``ours`` flips the meaning of ``theirs`` (None: no flip found)."""
    negations = NEGATIONS.get(language, NEGATIONS["en"])
    antonyms = ANTONYMS.get(language, ANTONYMS["en"])
    stop = BY_LANGUAGE.get(language, frozenset())
    added: list[str] = []
    removed: list[str] = []
    swaps: list[tuple[str, str]] = []
    for op, a0, a1, b0, b1 in SequenceMatcher(None, theirs, ours, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        removed += theirs[a0:a1]
        added += ours[b0:b1]
        if op == "replace" and a1 - a0 == 1 and b1 - b0 == 1:
            swaps.append((theirs[a0], ours[b0]))

    def negative(w: str) -> bool:
        return w in negations or w.startswith("n'")  # French elision: n'est, n'a

    if sum(map(negative, added)) != sum(map(negative, removed)):
        return "negation " + ("added" if len(added) > len(removed) else "changed")
    nums_a = sorted(w for w in added if w[:1].isdigit())
    nums_r = sorted(w for w in removed if w[:1].isdigit())
    if nums_a != nums_r:
        return f"number {' '.join(nums_r) or '(none)'} → {' '.join(nums_a) or '(none)'}"
    for old, new in swaps:
        if (old, new) in antonyms:
            return f"'{old}' → its opposite '{new}'"
        terms = old not in stop and new not in stop and new in course and old in course
        if terms and not (old.startswith(new[:4]) or new.startswith(old[:4])):
            return f"'{old}' swapped for '{new}'"
    return None


def contradictions(p: Prepared, near_copy: float) -> list[Contradiction]:
    """Answer sentences that copy a context sentence closely but flip its meaning."""
    if not p.context_sentences:
        return []
    ctx_words = [words(c.text) for c in p.context_sentences]
    course = set().union(*ctx_words)
    # A quote is no contradiction, however the contexts were split into sentences.
    verbatim = " " + " ".join(words(" ".join(p.contexts))) + " "
    found: list[Contradiction] = []
    for i, s in enumerate(p.sentences):
        ours = words(s.text)
        if len(ours) < 4 or f" {' '.join(ours)} " in verbatim:
            continue
        # The few context sentences sharing the most terms are the only candidates.
        best = sorted(
            range(len(ctx_words)),
            key=lambda j: -len(s.terms & p.context_sentences[j].terms),
        )[:3]
        for j in best:
            theirs = ctx_words[j]
            if ours == theirs:
                break
            matcher = SequenceMatcher(None, theirs, ours, autojunk=False)
            if matcher.ratio() < near_copy:
                continue
            change = _change(ours, theirs, p.language, course)
            if change is not None:
                found.append(Contradiction(i, p.context_sentences[j].text, change))
                break
    return found


def check_grounding(p: Prepared, t: GroundingThresholds) -> CheckResult:
    """Score how well the contexts support the answer, sentence by sentence."""
    if not p.sentences:
        return CheckResult(NAME, 0.0, "block", ("the answer is empty",))
    support = support_matrix(p, t.dense_weight)
    best = support.max(axis=1) if support.shape[1] else np.zeros(len(p.sentences))
    scored = [i for i in claims(p) if p.sentences[i].terms]  # questions claim nothing
    flips = contradictions(p, t.near_copy)
    flipped = {c.sentence for c in flips}
    parts = [0.0 if i in flipped else min(1.0, float(best[i]) / t.supported) for i in scored]
    score = float(np.mean(parts)) if parts else 1.0
    unsupported = [i for i in scored if best[i] < t.supported]
    reasons = [
        f"contradicts its source ({c.change}): '{p.sentences[c.sentence].text}' vs '{c.source}'"
        for c in flips
    ]
    reasons += [f"not supported by the contexts: '{p.sentences[i].text}'" for i in unsupported]
    verdict = "block" if flips else verdict_of(score, revise=t.revise, block=t.block)
    details = {
        "support": [round(float(best[i]), 3) for i in range(len(p.sentences))],
        "unsupported": len(unsupported),
        "contradictions": len(flips),
    }
    return CheckResult(NAME, score, verdict, tuple(reasons) if verdict != "pass" else (), details)
