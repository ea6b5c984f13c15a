"""Simulated learners for time-to-competency studies: levelled skills with BKT dynamics.

Each catalog skill borrows the parameters (prior, learn, slip, guess) of one skill fitted on
real interaction logs (``assign_sources``). A :class:`SimulatedLearner` holds a hidden level
per skill. Taking an item gives each skill it teaches a share of the item's learning
opportunities; while the hidden level is below the level the item teaches, every
opportunity raises it by one with probability ``learn`` (BKT's transition, read per level).
Unmet prerequisites damp the opportunities. Quizzes answer right with ``1 - slip`` when the
hidden level reaches the level asked, else with ``guess``.

Random draws are tied to (seed, skill), not to the order of events, so learners built with
the same seed are the same person whatever items they are given (common random numbers):
the exposure each level needs and the noise of the k-th quiz answer on a skill are fixed.

Policies: ``follow_blendcoach`` re-plans with ``build_path`` after every item from the
completions, quiz scores and the knowledge tracer's mastery, like the service;
``follow_list`` takes a fixed course list (an LMS's catalog order, popularity...).
"""

from __future__ import annotations

import json
import math
import random
import statistics
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from recommender.catalog import Catalog
from recommender.collaborative import CoCompletion
from recommender.gaps import PASS
from recommender.mastery import BKTParams, KnowledgeTracer, LearnerState, SkillState
from recommender.model import CatalogItem, HistoryRecord, Learner, RecordKind, SkillLevel
from recommender.paths import Path, build_path


@dataclass(frozen=True)
class SimConfig:
    """The simulator's assumptions that are numbers (see ``assumptions``)."""

    opportunities_per_hour: float = 12.0  # one practice attempt per 5 minutes of training
    unmet_factor: float = 0.25  # share of the opportunities that count without prerequisites
    quiz_questions: int = 4  # questions per skill in a quiz


def assumptions(config: SimConfig) -> list[str]:
    """The simulator's assumptions in words, for reports."""
    return [
        "Each catalog skill takes the standard-BKT parameters (prior, learn, slip, guess; no "
        "forgetting) of one skill of the interaction logs, drawn without replacement by seed; "
        "every level of the skill shares them.",
        "Hidden level at the start: 1 with probability prior (BKT's P(known) read as the first "
        "level), else 0; nobody starts above level 1.",
        f"An item gives {config.opportunities_per_hour:g} learning opportunities per hour "
        "(one ASSISTments-style practice attempt per "
        f"{60 / config.opportunities_per_hour:g} minutes), shared equally among the skills it "
        "teaches, whatever its modality (the logs say nothing about modalities).",
        "While a skill's hidden level is below the level the item teaches, each opportunity "
        "raises it by one with probability learn (fractional opportunities: exponential "
        "exposure thresholds, the continuous form of the same geometric law); partial "
        "progress toward a level is kept.",
        "Prerequisites of a skill taught by an item: the item's prerequisite skills and items "
        "(taken before) and the skill's own required skills (hidden level). When any is unmet, "
        f"only {config.unmet_factor:g} of the opportunities count. An item's skills are "
        "learnt in prerequisite order, so an item can teach a skill and then its dependant.",
        f"Quizzes: {config.quiz_questions} questions per skill, answered right with "
        "probability 1 - slip if the hidden level reaches the level asked, else guess. "
        "Quiz time is not counted.",
        "Time to competency counts training hours only (not calendar time, waiting for "
        "sessions or seats), up to and including the item after which every target skill "
        "reaches its target level.",
    ]


def assign_sources(
    skills: Iterable[str], sources: Sequence[str], seed: int | str
) -> dict[str, str]:
    """Each skill → one source skill name; without replacement while the sources last."""
    rng = random.Random(f"assign:{seed}")
    names, pool = sorted(skills), sorted(sources)
    if not pool:
        raise ValueError("no source skills to draw parameters from")
    picks: list[str] = []
    while len(picks) < len(names):
        picks += rng.sample(pool, min(len(pool), len(names) - len(picks)))
    return dict(zip(names, picks, strict=True))


def competency_targets(learner: Learner, catalog: Catalog) -> dict[str, int]:
    """Skill → level the learner's role and goals ask for, composite skills as their parts,
    capped at the highest level an item teaches (unteachable skills are left out)."""
    wanted: list[SkillLevel] = []
    roles = [learner.role] + [g.role for g in learner.goals]
    for role_id in roles:
        role = catalog.roles.get(role_id or "")
        wanted += role.skills if role else ()
    for goal in learner.goals:
        wanted += goal.skills
    out: dict[str, int] = {}
    while wanted:
        sl = wanted.pop()
        if sl.skill not in catalog.skills:
            continue
        wanted += [SkillLevel(p, sl.level) for p in catalog.parts.get(sl.skill, ())]
        level = min(sl.level, catalog.top_level(sl.skill), catalog.reachable(sl.skill))
        if level > 0:
            out[sl.skill] = max(out.get(sl.skill, 0), level)
    return out


@dataclass
class _Skill:
    level: int
    thresholds: list[float]  # Exp(1) exposure needed for each next level
    progress: float = 0.0
    answers: int = 0
    quiz_rng: random.Random = field(default_factory=random.Random)


class SimulatedLearner:
    """One simulated person: hidden levels, items taken, training hours spent."""

    def __init__(
        self,
        catalog: Catalog,
        params: Mapping[str, BKTParams],
        seed: int | str,
        config: SimConfig | None = None,
    ) -> None:
        self.catalog = catalog
        self.params = params
        self.seed = seed
        self.config = config or SimConfig()
        self.hours = 0.0
        self.taken: list[str] = []
        self._skills: dict[str, _Skill] = {}
        self._depth: dict[str, int] = {}

    def _state(self, skill: str) -> _Skill:
        state = self._skills.get(skill)
        if state is None:
            p = self.params[skill]
            rng = random.Random(f"{self.seed}:learn:{skill}")
            level = 1 if rng.random() < p.prior else 0
            top = self.catalog.top_level(skill)
            thresholds = [rng.expovariate(1.0) for _ in range(top)]
            quiz_rng = random.Random(f"{self.seed}:quiz:{skill}")
            state = self._skills[skill] = _Skill(level, thresholds, quiz_rng=quiz_rng)
        return state

    def level(self, skill: str) -> int:
        """The hidden level of ``skill``."""
        return self._state(skill).level

    def reached(self, targets: Mapping[str, int]) -> bool:
        """Whether every target skill is at its target level."""
        return all(self.level(s) >= lv for s, lv in targets.items())

    def take(self, item: CatalogItem) -> dict[str, int]:
        """Spend the item's hours; returns the levels gained per skill."""
        self.hours += item.hours
        ready = all(r in self.taken for r in item.prereq_items) and all(
            self.level(n.skill) >= n.level for n in item.prereq_skills
        )
        share = item.hours * self.config.opportunities_per_hour / max(len(item.skills), 1)
        gained: dict[str, int] = {}
        for sl in sorted(item.skills, key=lambda s: (self._depth_of(s.skill), s.skill)):
            requires = self.catalog.skills[sl.skill].requires
            met = ready and all(self.level(r.skill) >= r.level for r in requires)
            n = share if met else share * self.config.unmet_factor
            before = self.level(sl.skill)
            self._learn(sl.skill, sl.level, n)
            if self.level(sl.skill) > before:
                gained[sl.skill] = self.level(sl.skill) - before
        self.taken.append(item.id)
        return gained

    def _learn(self, skill: str, top: int, opportunities: float) -> None:
        state = self._state(skill)
        learn = min(self.params[skill].learn, 1 - 1e-9)
        exposure = opportunities * -math.log1p(-learn)
        while state.level < top and exposure > 0:
            need = state.thresholds[state.level] - state.progress
            if exposure < need:
                state.progress += exposure
                return
            exposure -= need
            state.level += 1
            state.progress = 0.0

    def quiz(self, skill: str, level: int, questions: int | None = None) -> list[bool]:
        """Answers to ``questions`` questions on ``skill`` asked at ``level``."""
        state = self._state(skill)
        p = self.params[skill]
        right = 1 - p.slip if state.level >= level else p.guess
        n = self.config.quiz_questions if questions is None else questions
        state.answers += n
        return [state.quiz_rng.random() < right for _ in range(n)]

    def _depth_of(self, skill: str) -> int:
        """Length of the longest chain of required skills below ``skill``."""
        if skill not in self._depth:
            reqs = self.catalog.skills[skill].requires
            self._depth[skill] = 1 + max((self._depth_of(r.skill) for r in reqs), default=-1)
        return self._depth[skill]


MAX_STALLS = 5  # empty blendcoach paths in a row (each followed by a review quiz) = stalled


@dataclass(frozen=True)
class Outcome:
    """How one simulated learner fared under one policy."""

    hours: float | None  # training hours to competency; None if not reached in the horizon
    items: int
    reviews: int = 0
    stalled: bool = False


def tracer_with(params: Mapping[str, BKTParams]) -> KnowledgeTracer:
    """blendcoach's knowledge tracer holding ``params`` per skill (BKT only, no trees)."""
    data = json.loads(KnowledgeTracer.prior().to_json())
    data["bkt"] = {s: p.to_list() for s, p in params.items()}
    return KnowledgeTracer.from_json(json.dumps(data))


def _done(sim: SimulatedLearner, targets: Mapping[str, int], horizon: float) -> bool:
    return sim.reached(targets) or sim.hours >= horizon


def _outcome(
    sim: SimulatedLearner, targets: Mapping[str, int], horizon: float, **extra: Any
) -> Outcome:
    ok = sim.reached(targets) and sim.hours <= horizon
    return Outcome(sim.hours if ok else None, len(sim.taken), **extra)


def follow_blendcoach(
    sim: SimulatedLearner,
    learner: Learner,
    targets: Mapping[str, int],
    tracer: KnowledgeTracer,
    today: date,
    horizon: float,
    *,
    cocompletion: CoCompletion | None = None,
    use_mastery: bool = True,
    quizzed: Container[str] | None = None,
) -> Outcome:
    """Take the first step of a fresh path, record the completion and the quiz scores (and
    the answers in ``tracer``), re-plan; until competency or ``horizon`` hours.

    When the path is empty before competency, a review quiz on every target skill follows;
    after ``MAX_STALLS`` empty paths in a row the learner has stalled. Diagnostics only:
    ``use_mastery=False`` plans without the tracer's estimates; ``quizzed`` hides the answers
    on other skills from the history and the tracer (the completion's score still counts them).
    """
    history: list[HistoryRecord] = []
    states: dict[str, SkillState] = {}
    person = LearnerState()
    path: Path | None = None
    stalls = reviews = 0

    def observe(skill: str, level: int) -> float:
        nonlocal person
        answers = sim.quiz(skill, level)
        score = sum(answers) / len(answers)
        if quizzed is not None and skill not in quizzed:
            return score
        state = states.get(skill) or SkillState(skill)
        for ok in answers:
            person, state = tracer.update(person, state, ok)
        states[skill] = state
        history.append(HistoryRecord(RecordKind.QUIZ, today, skill=skill, score=score))
        return score

    while not _done(sim, targets, horizon):
        mastery = {s: tracer.mastery(st) for s, st in states.items()} if use_mastery else {}
        path = build_path(
            replace(learner, history=tuple(history)),
            sim.catalog,
            mastery,
            today,
            cocompletion=cocompletion,
            previous=path,
        )
        if not path.steps:  # it believes the goal met: a review quiz on every target skill
            stalls += 1
            if stalls > MAX_STALLS:
                return _outcome(sim, targets, horizon, reviews=reviews, stalled=True)
            reviews += 1
            for skill, level in targets.items():
                observe(skill, level)
            continue
        stalls = 0
        item = sim.catalog.items[path.steps[0].item_id]
        sim.take(item)
        scores = [observe(sl.skill, sl.level) for sl in item.skills]
        score = round(statistics.fmean(scores), 3) if scores else None
        history.append(HistoryRecord(RecordKind.COMPLETION, today, item.id, score=score))
    return _outcome(sim, targets, horizon, reviews=reviews)


def follow_list(
    sim: SimulatedLearner, order: Sequence[CatalogItem], targets: Mapping[str, int], horizon: float
) -> Outcome:
    """Take a course list in order, retaking items whose end quiz failed, and the whole list
    again once all are passed; until competency or ``horizon`` hours."""
    passed: set[str] = set()
    while order and not _done(sim, targets, horizon):
        todo = [i for i in order if i.id not in passed]
        if not todo:
            passed.clear()
            todo = list(order)
        for item in todo:
            sim.take(item)
            scores = [statistics.fmean(sim.quiz(sl.skill, sl.level)) for sl in item.skills]
            if not scores or statistics.fmean(scores) >= PASS:
                passed.add(item.id)
            if _done(sim, targets, horizon):
                break
    return _outcome(sim, targets, horizon)
