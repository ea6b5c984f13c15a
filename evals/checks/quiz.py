"""Quiz validity: the quiz validator's rules as checks, plus redundancy across stems.

The rules are :class:`coach.quizzes.Validator`'s own (nothing is re-implemented here): one
:class:`~evals.verdict.CheckResult` per rule family of :data:`coach.quizzes.CHECKS`, named
``quiz_<rule>`` (``quiz_one_correct``, ``quiz_distinct_options``, ``quiz_answer_supported``
for "answerable from the source", ``quiz_answer_in_stem`` for a stem that leaks the answer,
...). A family scores the share of items that pass it and blocks when any item fails it,
since the validator never lets a failing item reach a learner; its ``details["items"]``
name the failing item ids, so a caller can drop those and keep the rest. A last check,
``redundancy``, is :func:`evals.checks.redundancy.quiz_redundancy` on the stems, under
the ``redundancy`` thresholds of ``evals/thresholds.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from coach.quizzes import CHECKS, QuizItem, ValidationReport, Validator
from evals.checks.redundancy import quiz_redundancy
from evals.verdict import Assessment, CheckResult, Thresholds, combine, load_thresholds

PREFIX = "quiz_"
EMPTY = "quiz_items"


def _label(item: QuizItem) -> str:
    stem = " ".join(item.stem.split())
    return f"{item.id} '{stem[:70]}{'…' if len(stem) > 70 else ''}'"


def rule_results(report: ValidationReport, n_items: int) -> tuple[CheckResult, ...]:
    """One result per validator rule: share of items passing it, ``block`` if one fails."""
    out = []
    for rule in CHECKS:
        failed = [r for r in report.rejected if rule in r.reasons]
        score = 1.0 - len(failed) / n_items if n_items else 1.0
        reasons = tuple(f"{_label(r.item)} fails {rule}" for r in failed)
        details = {
            "items": [r.item.id for r in failed],
            "n_items": n_items,
            "scores": {r.item.id: {k: round(v, 4) for k, v in r.details.items()} for r in failed},
        }
        verdict = "block" if failed else "pass"
        out.append(CheckResult(PREFIX + rule, score, verdict, reasons, details))
    return tuple(out)


def check_quiz(
    items: Sequence[QuizItem],
    sources: Mapping[str, str],
    *,
    validator: Validator,
    thresholds: Thresholds | None = None,
) -> Assessment:
    """Judge a quiz: every validator rule per item, and repeated stems across items.

    Args:
        items: the quiz, in order.
        sources: chunk id → passage text of the cited passages (what
            :meth:`Validator.validate` takes; :func:`coach.quizzes.sources_of` builds it).
        validator: the quiz validator (its embedder also serves the redundancy check).
        thresholds: the checks' thresholds (default: ``evals/thresholds.yaml``); only
            ``redundancy`` is used, the validator keeps its own configuration.

    Returns:
        ``block`` when an item fails a validator rule or the quiz is empty; the
        redundancy check's verdict otherwise (see the module docstring for the names).
    """
    if not items:
        return combine([CheckResult(EMPTY, 0.0, "block", ("the quiz has no items",))])
    t = thresholds or load_thresholds()
    report = validator.validate(items, sources)
    stems = quiz_redundancy([i.stem for i in items], validator.embedder, t.redundancy)
    return combine([*rule_results(report, len(items)), stems], t.combine.revises_to_block)


def failed_items(assessment: Assessment) -> set[str]:
    """Ids of the items a :func:`check_quiz` assessment says must not be shown."""
    return {
        item_id
        for c in assessment.checks
        if c.name.startswith(PREFIX) and c.verdict == "block"
        for item_id in c.details.get("items", ())
    }
