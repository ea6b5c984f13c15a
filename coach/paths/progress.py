"""Which steps of a path are done: one rule for the learner's page and the manager's view.

A step is done once the learner completed its item or attended its session (or, for a
session step recorded against the item, attended the item) on or after the day the path
was built. Older records were there when the planner put the step in (a mandatory course
due for renewal, say), so they do not make it done. Nothing else counts: a quiz passed or
a date gone by says nothing about the step itself.

Two forms of the rule: :func:`step_done_by` on one learner's records (the path views),
:func:`step_done` / :func:`first_done_on` on a stored step and a whole organisation's
completion days (the nudge planner and the nudge-effect figures, one query each).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from coach import storage
from recommender.plan import Path, Step


def step_done_by(step: Step, records: Iterable[storage.LearningRecord], *, since: date) -> bool:
    """Whether ``records`` (the learner's) show ``step`` done on or after ``since``."""
    for r in records:
        if r.on < since:
            continue
        if r.kind == "completion" and r.item_id == step.item_id:
            return True
        if r.kind == "attendance" and r.attended and r.item_id in (step.session_id, step.item_id):
            return True
    return False


def _keys(step: Mapping[str, Any], user_id: str) -> list[tuple[str, str]]:
    return [(user_id, step["item_id"])] + (
        [(user_id, step["session_id"])] if step.get("session_id") else []
    )


def step_done(
    step: Mapping[str, Any],
    user_id: str,
    since: date,
    last_done: Mapping[tuple[str, str], date],
) -> bool:
    """:func:`step_done_by` for a step as stored (JSON) and a whole organisation's facts:
    ``last_done`` maps (user, item or session id) to the last day it was done."""
    return any(key in last_done and last_done[key] >= since for key in _keys(step, user_id))


def first_done_on(
    step: Mapping[str, Any],
    user_id: str,
    since: date,
    days: Mapping[tuple[str, str], Sequence[date]],
) -> date | None:
    """The first day on or after ``since`` that the stored step was done (``days``: every
    day each (user, item or session id) was done, in order), or ``None``."""
    found = []
    for key in _keys(step, user_id):
        done = days.get(key, ())
        i = bisect.bisect_left(done, since)
        if i < len(done):
            found.append(done[i])
    return min(found, default=None)


def done_items(path: Path, records: Sequence[storage.LearningRecord]) -> list[str]:
    """The item ids of ``path``'s steps that are done, in path order."""
    return [s.item_id for s in path.steps if step_done_by(s, records, since=path.built_on)]
