"""Learner model: per-skill mastery and next-answer predictions (knowledge tracing).

Fit a :class:`KnowledgeTracer` on stored attempts, keep its JSON, and keep one
:class:`LearnerState` per learner and one :class:`SkillState` per (learner, skill); after a
graded attempt, ``tracer.update`` returns the new states in O(1).
"""

from recommender.mastery.attempts import Attempts
from recommender.mastery.bkt import BKTParams, fit_bkt
from recommender.mastery.model import KnowledgeTracer
from recommender.mastery.state import History, LearnerState, MasteryEstimate, SkillState

__all__ = [
    "Attempts",
    "BKTParams",
    "History",
    "KnowledgeTracer",
    "LearnerState",
    "MasteryEstimate",
    "SkillState",
    "fit_bkt",
]
