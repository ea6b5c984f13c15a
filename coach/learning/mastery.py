"""Mastery tracking in the service: the learner model's states in storage, O(1) updates.

The knowledge tracer (:mod:`recommender.mastery`) is fitted on an organisation's stored
attempts (``blendcoach mastery fit``) and kept as JSON in ``mastery_models``; until an
organisation has one, a tracer with default parameters is used. A learner's cross-skill
state is kept under the reserved skill name :data:`LEARNER_KEY`, each skill's under its own.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from coach import storage
from recommender.mastery import (
    Attempts,
    KnowledgeTracer,
    LearnerState,
    MasteryEstimate,
    SkillState,
)

LEARNER_KEY = "*"
"""``skill_mastery`` row that holds the learner-wide state (never shown as a skill)."""


@dataclass(frozen=True, slots=True)
class SkillView:
    """What the API shows of one skill."""

    skill: str
    p_mastery: float
    low: float
    high: float
    n_attempts: int


class MasteryTracker:
    """Reads and updates learners' per-skill mastery with each organisation's tracer.

    Args:
        default: the tracer used until an organisation has fitted its own.
    """

    def __init__(self, default: KnowledgeTracer) -> None:
        self.default = default
        self._cache: dict[tuple[str, float], KnowledgeTracer] = {}
        self._lock = threading.Lock()

    def tracer(self, session: Session, org_id: str) -> KnowledgeTracer:
        """The organisation's fitted tracer (parsed once per fit), else the default."""
        fitted_at = storage.model_fitted_at(session, org_id=org_id)
        if fitted_at is None:
            return self.default
        key = (org_id, fitted_at.timestamp())
        with self._lock:
            found = self._cache.get(key)
        if found is None:  # the parameters (hundreds of KB) are read once per fit
            row = storage.get_model_params(session, org_id=org_id)
            assert row is not None
            found = KnowledgeTracer.from_json(row.params["tracer"])
            with self._lock:
                self._cache = {k: v for k, v in self._cache.items() if k[0] != org_id}
                self._cache[key] = found
        return found

    def update(
        self, session: Session, *, org_id: str, user_id: str, skills: Sequence[str], correct: bool
    ) -> list[SkillView]:
        """Fold one graded attempt into every skill it practises; the new estimates."""
        tracer = self.tracer(session, org_id)
        names = [s for s in dict.fromkeys(skills) if s and s != LEARNER_KEY]
        rows = storage.mastery_rows(session, user_id=user_id, skills=[LEARNER_KEY, *names])
        learner_row = rows.get(LEARNER_KEY)
        learner = LearnerState.from_dict(learner_row.state) if learner_row else LearnerState()
        updated: list[SkillView] = []
        for skill in names:
            row = rows.get(skill)
            state = SkillState.from_dict(row.state) if row else SkillState(skill=skill)
            learner, state = tracer.update(learner, state, correct)
            estimate = tracer.mastery(state)
            _save_skill(session, user_id, skill, state.to_dict(), estimate)
            updated.append(_view(estimate))
        _save_learner(session, user_id, learner)
        return updated

    def skills(self, session: Session, *, user_id: str) -> list[storage.SkillMastery]:
        """A learner's skills, weakest first (the learner-wide row left out)."""
        return [r for r in storage.list_mastery(session, user_id=user_id) if r.skill != LEARNER_KEY]

    def predict(
        self, session: Session, *, org_id: str, user_id: str, skills: Sequence[str]
    ) -> dict[str, float]:
        """P(the learner answers an item of each skill right next), for item selection."""
        tracer = self.tracer(session, org_id)
        rows = storage.mastery_rows(session, user_id=user_id, skills=[LEARNER_KEY, *skills])
        learner_row = rows.get(LEARNER_KEY)
        learner = LearnerState.from_dict(learner_row.state) if learner_row else LearnerState()
        out = {}
        for skill in skills:
            row = rows.get(skill)
            state = SkillState.from_dict(row.state) if row else SkillState(skill=skill)
            out[skill] = tracer.predict(learner, state)
        return out


def _save_skill(
    session: Session,
    user_id: str,
    skill: str,
    state: dict[str, object],
    estimate: MasteryEstimate,
) -> None:
    storage.save_mastery(
        session,
        user_id=user_id,
        skill=skill,
        state=dict(state),
        p_mastery=estimate.p_mastery,
        low=estimate.low,
        high=estimate.high,
        n_attempts=estimate.n_attempts,
    )


def _save_learner(session: Session, user_id: str, learner: LearnerState) -> None:
    """The learner-wide state, its "mastery" the running share of right answers."""
    n = learner.history.n
    storage.save_mastery(
        session,
        user_id=user_id,
        skill=LEARNER_KEY,
        state=learner.to_dict(),
        p_mastery=learner.history.n_correct / n if n else 0.0,
        low=0.0,
        high=1.0,
        n_attempts=n,
    )


def _view(e: MasteryEstimate) -> SkillView:
    return SkillView(e.skill, e.p_mastery, e.low, e.high, e.n_attempts)


@dataclass(frozen=True, slots=True)
class FitReport:
    """What a fit did: evidence rows, learners and skills, and whether the trees were fitted."""

    n_attempts: int
    n_learners: int
    n_skills: int
    fitted: bool


MIN_FIT_ATTEMPTS = 200
"""Fewer graded attempts than this keep the prior tracer (the trees would overfit)."""


def refit(
    session: Session, tracker: MasteryTracker, *, org_id: str, min_attempts: int = MIN_FIT_ATTEMPTS
) -> FitReport:
    """Fit the organisation's tracer on its evidence (when there is enough), store it, and
    replay every learner's states with it so stored estimates match the parameters."""
    rows = storage.evidence(session, org_id=org_id)
    attempts = Attempts.from_rows([(u, s, int(c)) for u, s, c, _ in rows])
    learners = sorted({r[0] for r in rows})
    skills = {r[1] for r in rows}
    enough = len(rows) >= min_attempts and len(learners) >= 2
    if enough:
        tracer = KnowledgeTracer().fit(attempts)
        storage.save_model_params(
            session, org_id=org_id, params={"tracer": tracer.to_json()}, n_attempts=len(rows)
        )
    else:
        tracer = tracker.tracer(session, org_id)
    storage.clear_mastery(session, user_ids=learners)
    if rows:
        for user_id, (learner, states) in tracer.replay(attempts).items():
            for skill, state in states.items():
                estimate = tracer.mastery(state)
                _save_skill(session, user_id, skill, state.to_dict(), estimate)
            _save_learner(session, user_id, learner)
    return FitReport(len(rows), len(learners), len(skills), enough)
