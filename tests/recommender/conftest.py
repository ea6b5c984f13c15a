"""Synthetic learners answering under known BKT parameters (never the shared data)."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.mastery import Attempts, BKTParams, KnowledgeTracer

TRUE = {
    "fractions": BKTParams(prior=0.3, learn=0.15, forget=0.0, guess=0.2, slip=0.1),
    "percents": BKTParams(prior=0.6, learn=0.05, forget=0.0, guess=0.3, slip=0.05),
}


def simulate(n_learners: int, n_steps: int, seed: int = 0) -> Attempts:
    """Learners who practise each skill in turn, answering per the skill's true parameters."""
    rng = np.random.default_rng(seed)
    rows = []
    for learner in range(n_learners):
        for skill, p in TRUE.items():
            known = rng.random() < p.prior
            for _ in range(n_steps):
                ok = rng.random() < ((1 - p.slip) if known else p.guess)
                rows.append((f"u{learner}", skill, int(ok)))
                known = known or rng.random() < p.learn
    return Attempts.from_rows(rows)


@pytest.fixture(scope="session")
def attempts() -> Attempts:
    return simulate(300, 12)


@pytest.fixture(scope="session")
def tracer(attempts: Attempts) -> KnowledgeTracer:
    """A small, quick tracer fitted on the synthetic attempts."""
    return KnowledgeTracer(trees=20, bkt_iterations=30).fit(attempts)
