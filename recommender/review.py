"""Review helpers: re-validate an edited path, and diff a re-plan against the approved path."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from recommender.catalog import Catalog
from recommender.gaps import current_levels
from recommender.mastery import MasteryEstimate
from recommender.model import Learner
from recommender.plan import Path, Step
from recommender.schedule import SeatLedger, monday, session_problem

KINDS = (
    "unknown_item",
    "duplicate",
    "prerequisite",
    "no_session",
    "unknown_session",
    "session_full",
    "session_closed",
    "past",
    "past_deadline",
    "over_budget",
)


@dataclass(frozen=True, slots=True)
class PathProblem:
    """Something a reviewer must fix; ``step`` is the step's index in the path."""

    kind: str
    message: str
    step: int | None = None
    item_id: str | None = None


def validate_path(
    path: Path,
    catalog: Catalog,
    learner: Learner,
    today: date,
    *,
    mastery: Mapping[str, MasteryEstimate] | None = None,
    ledger: SeatLedger | None = None,
) -> list[PathProblem]:
    """Every problem of a (possibly hand-edited) path, in step order; never raises.

    Seats are checked against the catalog's ``seats_taken`` plus ``ledger``; neither should
    already count this path's own bookings.
    """
    ledger = ledger or SeatLedger()
    levels = current_levels(learner, catalog, mastery or {})
    out: list[PathProblem] = []
    seen: dict[str, int] = {}
    for n, step in enumerate(path.steps):
        item = catalog.items.get(step.item_id)
        label = f"step {n + 1} ({step.title or step.item_id})"
        if item is None:
            out.append(
                PathProblem(
                    "unknown_item", f"{label}: unknown item '{step.item_id}'", n, step.item_id
                )
            )
            continue
        if step.item_id in seen:
            out.append(
                PathProblem(
                    "duplicate", f"{label}: already step {seen[step.item_id] + 1}", n, item.id
                )
            )
        seen.setdefault(step.item_id, n)
        earlier = [s for s in path.steps[:n] if s.end <= step.start]
        for msg in _prerequisites(step, earlier, catalog, levels.completed, levels.of):
            out.append(PathProblem("prerequisite", f"{label}: {msg}", n, item.id))
        if item.modality.scheduled:
            out += _session(step, n, label, catalog, today, ledger)
        if step.start < today:
            out.append(
                PathProblem(
                    "past", f"{label}: starts {step.start}, before today ({today})", n, item.id
                )
            )
        if step.deadline is not None and step.end > step.deadline:
            out.append(
                PathProblem(
                    "past_deadline",
                    f"{label}: ends {step.end}, after its deadline {step.deadline}",
                    n,
                    item.id,
                )
            )
    out += _budget(path, catalog)
    return out


def _prerequisites(
    step: Step, earlier: list[Step], catalog: Catalog, completed: Mapping[str, date], level: Any
) -> list[str]:
    item = catalog.items[step.item_id]
    done = {s.item_id for s in earlier}
    msgs = [
        f"needs '{catalog.items[ref].title}' first"
        for ref in item.prereq_items
        if ref not in completed and ref not in done
    ]
    needs = catalog.needs(item)
    for need in needs:
        reached = max(
            [level(need.skill)]
            + [
                catalog.items[s.item_id].teaches(need.skill)
                for s in earlier
                if s.item_id in catalog.items
            ]
        )
        if reached < need.level:
            msgs.append(
                f"needs {catalog.label(need.skill)} at level {need.level} first (level {reached} before it)"
            )
    return msgs


def _session(
    step: Step, n: int, label: str, catalog: Catalog, today: date, ledger: SeatLedger
) -> list[PathProblem]:
    if step.session_id is None:
        return [
            PathProblem(
                "no_session", f"{label}: held in sessions but none is chosen", n, step.item_id
            )
        ]
    session = catalog.sessions.get(step.session_id)
    if session is None or session.item_id != step.item_id:
        return [
            PathProblem(
                "unknown_session",
                f"{label}: session '{step.session_id}' is not a session of this item",
                n,
                step.item_id,
            )
        ]
    problem = session_problem(session, today, ledger)
    if problem is None:
        return []
    kind = "session_full" if problem[0] == "full" else "session_closed"
    text = {
        "full": "is full",
        "past": "is already held",
        "enrolment_closed": "has closed enrolment",
    }
    return [
        PathProblem(
            kind,
            f"{label}: the session of {session.start.date()} {text[problem[0]]}",
            n,
            step.item_id,
        )
    ]


def _budget(path: Path, catalog: Catalog) -> list[PathProblem]:
    weekly: dict[date, float] = defaultdict(float)
    largest: dict[date, float] = defaultdict(float)
    for step in path.steps:
        for week, hours in _allocation(step):
            weekly[week] += hours
            item = catalog.items.get(step.item_id)
            if item is not None and item.modality.scheduled:
                largest[week] = max(largest[week], hours)
    out = []
    for week in sorted(weekly):
        allowed = max(
            path.hours_per_week, largest[week]
        )  # one session longer than the budget is fine
        if weekly[week] > allowed + 0.01:
            out.append(
                PathProblem(
                    "over_budget",
                    f"week of {week}: {weekly[week]:.1f} h planned, budget {path.hours_per_week:g} h",
                )
            )
    return out


def _allocation(step: Step) -> list[tuple[date, float]]:
    """The step's hours per week: as planned, or spread evenly when its dates were edited."""
    first, last = monday(step.start), monday(step.end)
    if step.allocation and all(first <= w <= last for w, _ in step.allocation):
        return list(step.allocation)
    weeks = [first + timedelta(days=7 * k) for k in range((last - first).days // 7 + 1)]
    return [(w, step.hours / len(weeks)) for w in weeks]


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two paths: added, removed, moved or rescheduled."""

    kind: str
    item_id: str
    title: str
    text: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


@dataclass(frozen=True)
class PathDiff:
    changes: list[Change] = field(default_factory=list)
    warnings_added: list[str] = field(default_factory=list)
    warnings_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.changes or self.warnings_added or self.warnings_removed)

    def text(self) -> str:
        """The diff as lines a reviewer reads."""
        lines = [c.text for c in self.changes]
        lines += [f"! new warning: {w}" for w in self.warnings_added]
        lines += [f"✓ resolved warning: {w}" for w in self.warnings_removed]
        return "\n".join(lines) if lines else "no change"


def _brief(step: Step, position: int) -> dict[str, Any]:
    return {
        "position": position + 1,
        "start": step.start.isoformat(),
        "end": step.end.isoformat(),
        "session_id": step.session_id,
        "modality": step.modality.value,
    }


def diff_paths(old: Path, new: Path) -> PathDiff:
    """What a re-plan changes against the approved path, step by step."""
    old_pos = {s.item_id: n for n, s in enumerate(old.steps)}
    new_pos = {s.item_id: n for n, s in enumerate(new.steps)}
    changes: list[Change] = []
    for n, s in enumerate(old.steps):
        if s.item_id not in new_pos:
            changes.append(
                Change(
                    "removed",
                    s.item_id,
                    s.title,
                    f"- removed {s.title} (was step {n + 1}, {s.start})",
                    _brief(s, n),
                )
            )
    common_old = [s.item_id for s in old.steps if s.item_id in new_pos]
    common_new = [s.item_id for s in new.steps if s.item_id in old_pos]
    stay = _lcs(common_old, common_new)
    for n, s in enumerate(new.steps):
        if s.item_id not in old_pos:
            text = f"+ added {s.title} as step {n + 1} ({s.modality.value}, {s.start}): {s.reason}"
            changes.append(Change("added", s.item_id, s.title, text, None, _brief(s, n)))
            continue
        o = old.steps[old_pos[s.item_id]]
        if s.item_id not in stay:
            text = f"~ moved {s.title} from step {old_pos[s.item_id] + 1} to step {n + 1}"
            changes.append(
                Change(
                    "moved", s.item_id, s.title, text, _brief(o, old_pos[s.item_id]), _brief(s, n)
                )
            )
        if (o.start, o.end, o.session_id) != (s.start, s.end, s.session_id):
            what = (
                "another session" if o.session_id != s.session_id and s.session_id else "new dates"
            )
            text = f"~ rescheduled {s.title} ({what}): {o.start} → {s.start}"
            changes.append(
                Change(
                    "rescheduled",
                    s.item_id,
                    s.title,
                    text,
                    _brief(o, old_pos[s.item_id]),
                    _brief(s, n),
                )
            )
    old_w = [w.message for w in old.warnings]
    new_w = [w.message for w in new.warnings]
    return PathDiff(
        changes,
        [w for w in new_w if w not in old_w],
        [w for w in old_w if w not in new_w],
    )


def _lcs(a: list[str], b: list[str]) -> set[str]:
    """Items of the longest common subsequence: the steps that kept their relative order."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
            )
    out, i, j = set(), 0, 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            out.add(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return out
