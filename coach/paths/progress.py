"""Which steps of a path are done: one rule for the learner's page and the manager's view.

A step is done once the learner completed its item or attended its session (or, for a
session step recorded against the item, attended the item) on or after the day the path
was built. Older records were there when the planner put the step in (a mandatory course
due for renewal, say), so they do not make it done. Nothing else counts: a quiz passed or
a date gone by says nothing about the step itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from coach import storage
from recommender.plan import Path, Step


def step_done(step: Step, records: Iterable[storage.LearningRecord], *, since: date) -> bool:
    """Whether ``records`` (the learner's) show ``step`` done on or after ``since``."""
    for r in records:
        if r.on < since:
            continue
        if r.kind == "completion" and r.item_id == step.item_id:
            return True
        if r.kind == "attendance" and r.attended and r.item_id in (step.session_id, step.item_id):
            return True
    return False


def done_items(path: Path, records: Sequence[storage.LearningRecord]) -> list[str]:
    """The item ids of ``path``'s steps that are done, in path order."""
    return [s.item_id for s in path.steps if step_done(s, records, since=path.built_on)]
