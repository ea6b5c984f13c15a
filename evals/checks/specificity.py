"""Specificity: does the answer say something about the course, or could it be about anything?

A sentence is generic when it holds a filler or hedging phrase (``evals.checks.lexicon``)
that the contexts do not use themselves, or when, having at least ``min_terms`` content
terms, fewer than ``min_course_share`` of them are course vocabulary (terms of the
contexts or of the question itself). The score is the share of the answer's words in
specific sentences, so a long paragraph of boilerplate around one real sentence scores
low; a sentence with few course terms counts in proportion (``share / min_course_share``):
it is weaker evidence than a boilerplate phrase.
"""

from __future__ import annotations

from evals.checks.lexicon import normalise, patterns
from evals.checks.text import Prepared, claims
from evals.verdict import CheckResult, SpecificityThresholds, verdict_of

NAME = "specificity"


def phrases(text: str, kind: str, language: str, allowed: str = "") -> list[str]:
    """Filler (``kind="filler"``) or hedging (``"hedges"``) phrases in ``text``.

    Phrases that also occur in ``allowed`` (the contexts) do not count: the course may
    say "in some cases" itself.
    """
    found = [m.group(0) for m in patterns(kind, language).finditer(normalise(text))]
    return [f for f in found if f not in allowed]


def check_specificity(p: Prepared, t: SpecificityThresholds) -> CheckResult:
    """Score the share of the answer that is specific to the course."""
    if not p.sentences:
        return CheckResult(NAME, 0.0, "block", ("the answer is empty",))
    course = p.question_terms.union(*p.context_terms)
    allowed = normalise(" ".join(p.contexts))
    total = specific = 0
    reasons: list[str] = []
    filler_hits: list[str] = []
    hedge_hits: list[str] = []
    shares: list[float] = []
    judged = set(claims(p))
    for i, s in enumerate(p.sentences):
        filler = phrases(s.text, "filler", p.language, allowed)
        hedges = phrases(s.text, "hedges", p.language, allowed)
        if i not in judged and not (filler or hedges):
            continue  # a plain question (the coach's check question) is neither vague nor specific
        n_words = len(s.text.split())
        total += n_words
        filler_hits += filler
        hedge_hits += hedges
        share = len(s.terms & course) / len(s.terms) if s.terms else 1.0
        shares.append(round(share, 3))
        if filler or hedges:
            what = "filler" if filler else "hedging"
            reasons.append(f"{what} ({', '.join(filler or hedges)}): '{s.text}'")
        elif len(s.terms) >= t.min_terms and share < t.min_course_share:
            reasons.append(f"few course terms ({share:.0%}): '{s.text}'")
            specific += n_words * share / t.min_course_share
        else:
            specific += n_words
    score = specific / total if total else 0.0
    verdict = verdict_of(score, revise=t.revise, block=t.block)
    details = {"filler": filler_hits, "hedges": hedge_hits, "course_share": shares}
    return CheckResult(NAME, score, verdict, tuple(reasons) if verdict != "pass" else (), details)
