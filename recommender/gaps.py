"""Gap analysis: target levels (role profile, goals, mandatory trainings due) minus current.

Current levels come from the learner's completions (an item brings each skill it teaches to
its target level), lowered by one where the last quiz on the skill was weak, and raised by
the learner model's mastery estimates (P(mastered) mapped onto the skill's levels, at most
one level above what completions prove: answers say a skill is known, not at which level).
Weak skills are remediated when the role or a goal needs them (or their prerequisites).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from recommender.catalog import Catalog
from recommender.mastery import MasteryEstimate
from recommender.model import Learner, RecordKind
from recommender.plan import Gap, GapSource, Note, Weakness
from recommender.reasons import say

PASS = 0.6  # a completion or quiz scored below this is weak
MASTERED = 0.95  # P(mastered) that counts as the skill's top level
LOOKAHEAD_DAYS = 90  # mandatory renewals due within this window are planned now
OVERDUE_GRACE_DAYS = 14  # an overdue mandatory item is due this soon


def mastery_level(p: float, levels: int) -> int:
    """P(mastered) on a skill with ``levels`` levels: thresholds evenly up to MASTERED."""
    return max(0, min(levels, int(p / MASTERED * levels + 1e-9)))


@dataclass
class Levels:
    """A learner's current level per skill, what it rests on, and their weak spots."""

    current: dict[str, int] = field(default_factory=dict)
    completed: dict[str, date] = field(default_factory=dict)  # item -> last passed completion
    weak: dict[str, Weakness] = field(default_factory=dict)

    def of(self, skill: str) -> int:
        return self.current.get(skill, 0)


def current_levels(
    learner: Learner, catalog: Catalog, mastery: Mapping[str, MasteryEstimate]
) -> Levels:
    """Current level per skill from history and mastery."""
    out = Levels()
    last_quiz: dict[str, tuple[date, float]] = {}
    for rec in sorted(learner.history, key=lambda r: r.on):
        if rec.kind is RecordKind.COMPLETION and rec.item_id in catalog.items:
            if rec.score is None or rec.score >= PASS:
                out.completed[rec.item_id] = rec.on
        elif rec.kind is RecordKind.ATTENDANCE and rec.item_id in catalog.items and rec.attended:
            out.completed[rec.item_id] = rec.on
        elif rec.kind is RecordKind.QUIZ and rec.skill and rec.score is not None:
            last_quiz[rec.skill] = (rec.on, rec.score)
    for item_id in out.completed:
        for sl in catalog.items[item_id].skills:
            out.current[sl.skill] = max(out.current.get(sl.skill, 0), sl.level)
    for skill, (on, score) in last_quiz.items():
        if score < PASS:
            out.weak[skill] = Weakness(skill, score, "quiz", on)
    for skill, est in mastery.items():
        if skill not in catalog.skills:
            continue
        if est.p_mastery < 0.4 and est.n_attempts >= 3 and skill not in out.weak:
            out.weak[skill] = Weakness(skill, est.p_mastery, "mastery", None, est.n_attempts)
        elif skill not in out.weak:
            # answers say a skill is known, not at which level: one level above what the
            # completions prove at most
            proven = out.current.get(skill, 0)
            level = min(mastery_level(est.p_mastery, catalog.top_level(skill)), proven + 1)
            out.current[skill] = max(proven, level)
    for skill in out.weak:  # a weak result undoes the last level reached
        out.current[skill] = max(0, out.current.get(skill, 0) - 1)
    return out


@dataclass
class _Target:
    level: int = 0
    deadline: date | None = None
    weight: float = 0.0
    sources: list[GapSource] = field(default_factory=list)


@dataclass
class GapReport:
    gaps: list[Gap]
    warnings: list[Note]
    levels: Levels


def analyse_gaps(
    learner: Learner,
    catalog: Catalog,
    mastery: Mapping[str, MasteryEstimate],
    today: date,
    *,
    language: str = "en",
) -> GapReport:
    """Gaps sorted by priority, with the warnings (unknown references, past deadlines)."""
    levels = current_levels(learner, catalog, mastery)
    warnings: list[Note] = []
    targets: dict[str, _Target] = {}

    def want(
        skill: str, level: int, source: GapSource, deadline: date | None, weight: float
    ) -> None:
        parts = catalog.parts.get(skill)
        if parts:  # a composite skill is reached through its parts
            for part in parts:
                want(part, min(level, catalog.top_level(part)), source, deadline, weight)
            if skill not in catalog.teaching:
                return
        t = targets.setdefault(skill, _Target())
        t.level = max(t.level, min(level, catalog.top_level(skill)))
        if deadline is not None and (t.deadline is None or deadline < t.deadline):
            t.deadline = deadline
        t.weight = max(t.weight, weight)
        if source not in t.sources:
            t.sources.append(source)

    if learner.role is not None:
        role = catalog.roles.get(learner.role)
        if role is None:
            warnings.append(
                Note("unknown_role", say("w_unknown_role", language, role=learner.role))
            )
        else:
            for sl in role.skills:
                want(sl.skill, sl.level, GapSource("role", role.id, role.label), None, 1.0)
    for goal in learner.goals:
        name = goal.label or goal.role or "goal"
        deadline = goal.deadline
        if deadline is not None and deadline < today:
            warnings.append(
                Note(
                    "past_deadline",
                    say("w_past_deadline", language, goal=name, deadline=deadline.isoformat()),
                    {"goal": name, "deadline": deadline.isoformat()},
                )
            )
            deadline = None
        source = GapSource("goal", name, name)
        wanted = list(goal.skills)
        if goal.role is not None:
            role = catalog.roles.get(goal.role)
            if role is None:
                warnings.append(
                    Note("unknown_role", say("w_unknown_role", language, role=goal.role))
                )
            else:
                wanted += role.skills
        for sl in wanted:
            if sl.skill not in catalog.skills:
                warnings.append(
                    Note(
                        "unknown_skill",
                        say("w_unknown_skill", language, goal=name, skill=sl.skill),
                        {"goal": name, "skill": sl.skill},
                    )
                )
                continue
            want(sl.skill, sl.level, source, deadline, 1.5 * goal.weight)
    # Remediation serves the role and the goals: a weak skill they need (or one of its
    # prerequisites); with neither, every weak skill is what there is to work on.
    needed = _with_prerequisites(catalog, targets)
    for skill in levels.weak:
        if targets and skill not in needed:
            continue
        label = catalog.label(skill)
        want(skill, levels.of(skill) + 1, GapSource("remediation", skill, label), None, 1.2)

    # prerequisites of every open target, recursively, due before their dependents
    queue = [s for s, t in targets.items() if levels.of(s) < t.level]
    while queue:
        skill = queue.pop()
        t = targets[skill]
        for req in catalog.skills[skill].requires:
            if levels.of(req.skill) >= req.level:
                continue
            known = targets.get(req.skill)
            before = (known.level, known.deadline, known.weight) if known else None
            src = GapSource("prerequisite", skill, catalog.label(skill))
            want(req.skill, req.level, src, t.deadline, t.weight + 0.01)
            after = targets[req.skill]
            if before != (after.level, after.deadline, after.weight):
                queue.append(req.skill)

    gaps = [
        Gap(
            skill=skill,
            current=levels.of(skill),
            target=t.level,
            priority=_priority(t.weight, t.deadline, today),
            label=catalog.label(skill),
            deadline=t.deadline,
            sources=tuple(t.sources),
            weak=levels.weak.get(skill),
        )
        for skill, t in targets.items()
        if levels.of(skill) < t.level
    ]
    gaps += _mandatory(learner, catalog, levels, today, warnings, language)
    gaps.sort(key=lambda g: (-g.priority, g.deadline or date.max, g.skill or g.item or ""))
    if not learner.history and not mastery:
        warnings.append(Note("no_history", say("w_no_history", language)))
    return GapReport(gaps, warnings, levels)


def _with_prerequisites(catalog: Catalog, targets: Mapping[str, _Target]) -> set[str]:
    """The target skills and every skill they require, recursively."""
    out: set[str] = set()
    queue = list(targets)
    while queue:
        skill = queue.pop()
        if skill in out or skill not in catalog.skills:
            continue
        out.add(skill)
        queue += [req.skill for req in catalog.skills[skill].requires]
    return out


def gap_analysis(
    learner: Learner, catalog: Catalog, mastery: Mapping[str, MasteryEstimate], today: date
) -> list[Gap]:
    """Skills (and mandatory items) to close, highest priority first."""
    return analyse_gaps(learner, catalog, mastery, today).gaps


def _priority(weight: float, deadline: date | None, today: date) -> float:
    if deadline is None:
        return weight
    weeks = max((deadline - today).days, 0) / 7
    return weight * (1 + 4 / (1 + weeks))


def _mandatory(
    learner: Learner,
    catalog: Catalog,
    levels: Levels,
    today: date,
    warnings: list[Note],
    language: str,
) -> list[Gap]:
    out = []
    for item in catalog.mandatory:
        for rule in item.mandatory_for:
            if rule.role not in (learner.role, "*"):
                continue
            last = levels.completed.get(item.id)
            if last is not None and rule.renewal_days is None:
                continue
            due = (
                last + timedelta(days=rule.renewal_days)
                if last is not None and rule.renewal_days is not None
                else today + timedelta(days=rule.within_days)
            )
            if (due - today).days > LOOKAHEAD_DAYS:
                continue
            if due < today:
                warnings.append(
                    Note(
                        "overdue",
                        say("w_overdue", language, title=item.title, due=due.isoformat()),
                        {"item": item.id, "due": due.isoformat()},
                    )
                )
            role = catalog.roles.get(rule.role)
            name = role.label if role else say("everyone", language)
            deadline = max(due, today + timedelta(days=OVERDUE_GRACE_DAYS))
            out.append(
                Gap(
                    skill=None,
                    item=item.id,
                    current=0,
                    target=1,
                    priority=_priority(3.0, deadline, today),
                    label=item.title,
                    deadline=deadline,
                    sources=(GapSource("mandatory", rule.role, name),),
                )
            )
            break
    return out
