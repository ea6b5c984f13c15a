"""BKT's EM recovers the parameters that generated the answers, and steps in O(1)."""

from __future__ import annotations

import numpy as np

from recommender.mastery import Attempts, BKTParams, fit_bkt
from tests.recommender.conftest import TRUE, simulate


def _fit(attempts: Attempts, forgets: bool) -> dict[str, BKTParams]:
    skills, skill_idx = np.unique(attempts.skill, return_inverse=True)
    _, user_idx = np.unique(attempts.user, return_inverse=True)
    fitted = fit_bkt(user_idx, skill_idx, attempts.correct, len(skills), forgets=forgets)
    return dict(zip(skills.tolist(), fitted, strict=True))


def test_em_recovers_parameters() -> None:
    fitted = _fit(simulate(800, 15, seed=1), forgets=False)
    for skill, true in TRUE.items():
        got = fitted[skill]
        for name in ("prior", "learn", "guess", "slip"):
            assert abs(getattr(got, name) - getattr(true, name)) < 0.06, (skill, name, got)
        assert got.forget == 0.0


def test_forgetting_stays_small_when_nobody_forgets() -> None:
    fitted = _fit(simulate(800, 15, seed=2), forgets=True)
    assert all(p.forget < 0.05 for p in fitted.values())


def test_step_moves_belief_with_the_answer() -> None:
    p = TRUE["fractions"]
    assert p.step(0.5, True) > 0.5 > p.step(0.5, False)
    assert p.p_correct(1.0) == 1 - p.slip and p.p_correct(0.0) == p.guess


def test_json_list_round_trip() -> None:
    p = TRUE["percents"]
    assert BKTParams.from_list(p.to_list()) == p
