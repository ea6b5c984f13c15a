"""Which coach turns are worth recording as content gaps, and with what evidence.

A turn is recorded when the answer said the courses do not cover the question, or when it
answered on weak evidence: a coverage confidence under ``WEAK_CONFIDENCE`` (0.5 sits at the
not-covered threshold; 0.7 is a support at most ~0.06 above it with the default
:class:`~coach.responders.grounding.CoverageConfig`). A thumbs-down is recorded from the
feedback path (:func:`coach.storage.insights.mark_feedback`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coach.responders.base import Answer
from retrieval.types import Citation, SearchHit

WEAK_CONFIDENCE = 0.7


def nearest_fields(citation: Citation | None) -> dict[str, str | None]:
    """The closest module's columns of a gap question."""
    if citation is None:
        return {"nearest_course_id": None, "nearest_module_id": None, "nearest_title": None}
    title = " › ".join(p for p in (citation.course_title, citation.module_title) if p)
    return {
        "nearest_course_id": citation.course_id,
        "nearest_module_id": citation.module_id,
        "nearest_title": title[:500] or None,
    }


def gap_of(answer: Answer, hits: Sequence[SearchHit]) -> dict[str, Any] | None:
    """The gap columns of one answered turn, or None when it answered on good evidence."""
    raw = answer.meta.get("confidence")
    confidence = float(raw) if isinstance(raw, int | float) else None
    weak = answer.covered and confidence is not None and confidence < WEAK_CONFIDENCE
    if answer.covered and not weak:
        return None
    dense = [h.scores["dense"] for h in hits if h.scores.get("dense") is not None]
    closest = answer.suggestion
    if closest is None and answer.citations:
        closest = answer.citations[0].citation
    if closest is None and hits:  # too far to suggest to a learner, still a hint for L&D
        closest = hits[0].citation
    return {
        "language": answer.language,
        "not_covered": not answer.covered,
        "weak": weak,
        "best_score": round(float(max(dense)), 4) if dense else None,
        "confidence": confidence,
        **nearest_fields(closest),
    }
