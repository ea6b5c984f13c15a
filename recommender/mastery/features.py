"""Features of a learner's next attempt on a skill, from the states alone (no future rows).

They describe the learner's whole history and their history on the skill (success and failure
counts, smoothed running accuracy, exponentially decayed recency of right and wrong answers at
several rates, current streak), whether they just switched skill, BKT's prediction, and the
skill itself (its BKT parameters and success rate, so unseen skills get population values).
"""

from __future__ import annotations

import math

from recommender.mastery.bkt import BKTParams
from recommender.mastery.state import History, LearnerState, SkillState

SMOOTHING = 5.0  # pseudo-attempts at the population rate behind the running accuracies


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1.0 - p))


def _history_terms(h: History, n_decays: int, base_rate: float) -> list[float]:
    wrong = h.n - h.n_correct
    right_sums = h.recent_right or (0.0,) * n_decays
    wrong_sums = h.recent_wrong or (0.0,) * n_decays
    return [
        math.log1p(h.n_correct),
        math.log1p(wrong),
        (h.n_correct + SMOOTHING * base_rate) / (h.n + SMOOTHING),
        *(float(h.streak == k) for k in (1, 2, 3)),
        float(h.streak >= 4),
        *(float(h.streak == -k) for k in (1, 2)),
        float(h.streak <= -3),
        *right_sums,
        *wrong_sums,
    ]


def n_dense(n_learner_decays: int, n_skill_decays: int) -> int:
    """Length of the dense feature vector."""
    return (10 + 2 * n_learner_decays) + (10 + 2 * n_skill_decays) + 9


def dense_features(
    learner: LearnerState,
    state: SkillState,
    bkt: BKTParams,
    *,
    n_learner_decays: int,
    n_skill_decays: int,
    base_rate: float,
    skill_rate: float,
) -> list[float]:
    """The dense features of the learner's next attempt on ``state.skill``."""
    p_known = bkt.prior if state.p_known is None else state.p_known
    switched = learner.last_skill is not None and learner.last_skill != state.skill
    return [
        *_history_terms(learner.history, n_learner_decays, base_rate),
        *_history_terms(state.history, n_skill_decays, base_rate),
        float(switched),
        _logit(bkt.p_correct(p_known)),
        _logit(p_known),
        *bkt.to_list(),
        skill_rate,
    ]
