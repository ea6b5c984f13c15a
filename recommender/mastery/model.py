"""The knowledge tracer: fitted parameters (JSON) and O(1) updates of per-learner states.

The tracer predicts the next answer with gradient-boosted trees over features of the states
(see ``features.py``; on held-out learners they beat a logistic regression on the same
features by about 0.007 AUC) and reports P(mastered) from per-skill Bayesian Knowledge
Tracing, whose prediction is also one of the features. Hyperparameter defaults were chosen
on 20% of the learners of the ASSISTments 2009 training split, held out from fitting
(``python -m bench.knowledge_tracing TRAIN.csv --tune``), never on the test split.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import betaincinv
from sklearn.ensemble import HistGradientBoostingClassifier

from recommender.mastery.attempts import Attempts
from recommender.mastery.bkt import BKTParams, fit_bkt
from recommender.mastery.features import dense_features, n_dense
from recommender.mastery.state import LearnerState, MasteryEstimate, SkillState
from recommender.mastery.trees import TreeEnsemble

FORMAT_VERSION = 1
Replay = Iterator[tuple[str, LearnerState, SkillState, int]]


class KnowledgeTracer:
    """Per-skill mastery and next-answer predictions, fitted on stored attempts.

    Args:
        learner_decays: decay rates of the learner's recency sums (all skills).
        skill_decays: decay rates of the recency sums on one skill.
        trees: boosting iterations (one tree each).
        learning_rate: shrinkage of each tree.
        max_leaf_nodes: leaves per tree.
        l2_regularization: L2 penalty on leaf values (keeps pure leaves from exploding).
        min_samples_leaf: fewest training attempts behind a leaf.
        forgets: let BKT's known state decay (a forget rate per skill).
        bkt_iterations: EM iterations of BKT.
        interval: mass of the credible interval around P(mastered).
    """

    def __init__(
        self,
        learner_decays: tuple[float, ...] = (0.3, 0.7, 0.9, 0.97),
        skill_decays: tuple[float, ...] = (0.5, 0.8, 0.95),
        trees: int = 100,
        learning_rate: float = 0.2,
        max_leaf_nodes: int = 31,
        l2_regularization: float = 1.0,
        min_samples_leaf: int = 100,
        forgets: bool = True,
        bkt_iterations: int = 40,
        interval: float = 0.9,
    ) -> None:
        self.learner_decays = tuple(learner_decays)
        self.skill_decays = tuple(skill_decays)
        self.trees = trees
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.l2_regularization = l2_regularization
        self.min_samples_leaf = min_samples_leaf
        self.forgets = forgets
        self.bkt_iterations = bkt_iterations
        self.interval = interval

    # -- fitting ---------------------------------------------------------------------------

    def fit(self, attempts: Attempts) -> KnowledgeTracer:
        """Fit BKT per skill (EM), then the trees on the states replayed before each row."""
        if len(attempts) == 0:
            raise ValueError("cannot fit on zero attempts")
        skills, skill_idx = np.unique(attempts.skill, return_inverse=True)
        _, user_idx = np.unique(attempts.user, return_inverse=True)
        bkt = fit_bkt(
            user_idx,
            skill_idx,
            attempts.correct,
            len(skills),
            forgets=self.forgets,
            iterations=self.bkt_iterations,
        )
        counts = np.bincount(skill_idx, minlength=len(skills)).astype(float)
        rights = np.bincount(skill_idx, weights=attempts.correct, minlength=len(skills))
        names = [str(s) for s in skills]
        self.bkt_: dict[str, BKTParams] = dict(zip(names, bkt, strict=True))
        self.bkt_default_ = BKTParams.from_list(
            list(np.average([p.to_list() for p in bkt], axis=0, weights=counts))
        )
        self.base_rate_ = float(attempts.correct.mean())
        self.skill_rate_: dict[str, float] = {
            s: float(r / n) for s, r, n in zip(names, rights, counts, strict=True)
        }
        model = HistGradientBoostingClassifier(
            max_iter=self.trees,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            l2_regularization=self.l2_regularization,
            min_samples_leaf=self.min_samples_leaf,
            early_stopping=False,
            random_state=0,
        ).fit(self._design(attempts), attempts.correct)
        self.ensemble_: TreeEnsemble | None = TreeEnsemble.from_sklearn(model)
        return self

    def _design(self, attempts: Attempts) -> npt.NDArray[np.float64]:
        """The features of every row, from the states before it (one replay, in order)."""
        x = np.empty((len(attempts), n_dense(len(self.learner_decays), len(self.skill_decays))))
        for i, (_, learner, state, _) in enumerate(self._replay(attempts)):
            x[i] = self._dense(learner, state)
        return x

    @classmethod
    def prior(cls, **hyperparameters: Any) -> KnowledgeTracer:
        """A tracer for an organisation with no attempts to fit on yet: BKT with textbook
        parameters for every skill, predictions from BKT alone (no trees)."""
        tracer = cls(**hyperparameters)
        tracer.bkt_ = {}
        tracer.bkt_default_ = BKTParams()
        tracer.base_rate_ = tracer.bkt_default_.p_correct(tracer.bkt_default_.prior)
        tracer.skill_rate_ = {}
        tracer.ensemble_ = None
        return tracer

    @property
    def fitted(self) -> bool:
        """Whether the trees were fitted on attempts (False for :meth:`prior`)."""
        return getattr(self, "ensemble_", None) is not None

    # -- serving ---------------------------------------------------------------------------

    def skill_params(self, skill: str) -> BKTParams:
        """The skill's BKT parameters (population averages for a skill never fitted)."""
        return self.bkt_.get(skill, self.bkt_default_)

    def predict(self, learner: LearnerState, state: SkillState) -> float:
        """P(the learner's next answer on ``state.skill`` is correct): O(1)."""
        if self.ensemble_ is None:
            bkt = self.skill_params(state.skill)
            return bkt.p_correct(bkt.prior if state.p_known is None else state.p_known)
        return self.ensemble_.predict_one(self._dense(learner, state))

    def update(
        self, learner: LearnerState, state: SkillState, correct: bool
    ) -> tuple[LearnerState, SkillState]:
        """The new states after a graded attempt (inputs are left unchanged): O(1)."""
        bkt = self.skill_params(state.skill)
        p_known = bkt.prior if state.p_known is None else state.p_known
        new_state = state.with_history(
            state.history.after(correct, self.skill_decays), bkt.step(p_known, correct)
        )
        new_learner = replace(
            learner,
            history=learner.history.after(correct, self.learner_decays),
            last_skill=state.skill,
        )
        return new_learner, new_state

    def mastery(self, state: SkillState) -> MasteryEstimate:
        """BKT's P(mastered) with a Beta credible interval that narrows with attempts."""
        p = self.skill_params(state.skill).prior if state.p_known is None else state.p_known
        p = min(max(p, 1e-3), 1 - 1e-3)
        k = 2.0 + state.history.n  # prior worth two attempts; +0.5 keeps both tails finite
        tail = (1.0 - self.interval) / 2
        low, high = betaincinv(p * k + 0.5, (1 - p) * k + 0.5, [tail, 1 - tail])
        low, high = min(float(low), p), max(float(high), p)
        return MasteryEstimate(state.skill, p, low, high, state.history.n)

    def predict_attempts(self, attempts: Attempts) -> npt.NDArray[np.float64]:
        """P(correct) of every row given only that learner's earlier rows (fresh learners)."""
        if self.ensemble_ is None:
            return np.array([self.predict(lr, st) for _, lr, st, _ in self._replay(attempts)])
        return self.ensemble_.predict_many(self._design(attempts))

    def replay(self, attempts: Attempts) -> dict[str, tuple[LearnerState, dict[str, SkillState]]]:
        """Final states per learner after importing a history of attempts."""
        learners: dict[str, LearnerState] = {}
        skills: dict[tuple[str, str], SkillState] = {}
        for _ in self._replay(attempts, learners, skills):
            pass
        out: dict[str, tuple[LearnerState, dict[str, SkillState]]] = {
            user: (learner, {}) for user, learner in learners.items()
        }
        for (user, skill), state in skills.items():
            out[user][1][skill] = state
        return out

    def _replay(
        self,
        attempts: Attempts,
        learners: dict[str, LearnerState] | None = None,
        skills: dict[tuple[str, str], SkillState] | None = None,
    ) -> Replay:
        """Each row's states before it is answered; states advance after the row is yielded."""
        learners = {} if learners is None else learners
        skills = {} if skills is None else skills
        for user, skill, ok in zip(
            attempts.user.tolist(), attempts.skill.tolist(), attempts.correct.tolist(), strict=True
        ):
            learner = learners.get(user) or LearnerState()
            state = skills.get((user, skill)) or SkillState(skill)
            yield user, learner, state, ok
            learners[user], skills[user, skill] = self.update(learner, state, bool(ok))

    def _dense(self, learner: LearnerState, state: SkillState) -> list[float]:
        return dense_features(
            learner,
            state,
            self.skill_params(state.skill),
            n_learner_decays=len(self.learner_decays),
            n_skill_decays=len(self.skill_decays),
            base_rate=self.base_rate_,
            skill_rate=self.skill_rate_.get(state.skill, self.base_rate_),
        )

    # -- persistence -----------------------------------------------------------------------

    def to_json(self) -> str:
        """The hyperparameters and fitted parameters as a JSON document."""
        return json.dumps(
            {
                "format": FORMAT_VERSION,
                "hyperparameters": {
                    "learner_decays": list(self.learner_decays),
                    "skill_decays": list(self.skill_decays),
                    "trees": self.trees,
                    "learning_rate": self.learning_rate,
                    "max_leaf_nodes": self.max_leaf_nodes,
                    "l2_regularization": self.l2_regularization,
                    "min_samples_leaf": self.min_samples_leaf,
                    "forgets": self.forgets,
                    "bkt_iterations": self.bkt_iterations,
                    "interval": self.interval,
                },
                "base_rate": self.base_rate_,
                "bkt": {s: p.to_list() for s, p in self.bkt_.items()},
                "bkt_default": self.bkt_default_.to_list(),
                "skill_rate": self.skill_rate_,
                "ensemble": None if self.ensemble_ is None else self.ensemble_.to_dict(),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> KnowledgeTracer:
        """A fitted tracer from :meth:`to_json`'s output."""
        data: dict[str, Any] = json.loads(text)
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported knowledge-tracer format {data.get('format')!r}")
        hp = data["hyperparameters"]
        tracer = cls(
            learner_decays=tuple(hp["learner_decays"]),
            skill_decays=tuple(hp["skill_decays"]),
            trees=hp["trees"],
            learning_rate=hp["learning_rate"],
            max_leaf_nodes=hp["max_leaf_nodes"],
            l2_regularization=hp["l2_regularization"],
            min_samples_leaf=hp["min_samples_leaf"],
            forgets=hp["forgets"],
            bkt_iterations=hp["bkt_iterations"],
            interval=hp["interval"],
        )
        tracer.base_rate_ = float(data["base_rate"])
        tracer.bkt_ = {s: BKTParams.from_list(v) for s, v in data["bkt"].items()}
        tracer.bkt_default_ = BKTParams.from_list(data["bkt_default"])
        tracer.skill_rate_ = {s: float(v) for s, v in data["skill_rate"].items()}
        ensemble = data["ensemble"]
        tracer.ensemble_ = None if ensemble is None else TreeEnsemble.from_dict(ensemble)
        return tracer
