"""The knowledge tracer: predictions, O(1) pure updates, cold start, JSON, no leakage."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from recommender.mastery import Attempts, KnowledgeTracer, LearnerState, SkillState
from tests.recommender.conftest import simulate


def test_predictions_beat_chance_on_new_learners(tracer: KnowledgeTracer) -> None:
    fresh = simulate(100, 12, seed=7)
    assert roc_auc_score(fresh.correct, tracer.predict_attempts(fresh)) > 0.7


def test_update_is_pure_and_constant_size(tracer: KnowledgeTracer) -> None:
    learner, state = LearnerState(), SkillState("fractions")
    sizes = []
    for i in range(60):
        new_learner, new_state = tracer.update(learner, state, i % 3 != 0)
        assert state.history.n == i and learner.history.n == i  # inputs unchanged
        learner, state = new_learner, new_state
        sizes.append(len(json.dumps(state.to_dict())) + len(json.dumps(learner.to_dict())))
    assert max(sizes) < 600  # the state does not grow with the history
    assert state.history.n == 60 and state.history.n_correct == 40


def test_mastery_rises_with_right_answers_and_interval_narrows(tracer: KnowledgeTracer) -> None:
    learner, state = LearnerState(), SkillState("fractions")
    first = tracer.mastery(state)
    for _ in range(8):
        learner, state = tracer.update(learner, state, True)
    later = tracer.mastery(state)
    assert later.p_mastery > 0.9 > first.p_mastery
    assert later.low <= later.p_mastery <= later.high
    assert later.high - later.low < first.high - first.low
    assert later.n_attempts == 8 and later.skill == "fractions"


def test_cold_start(tracer: KnowledgeTracer) -> None:
    unseen = SkillState("never-fitted")
    estimate = tracer.mastery(unseen)
    assert 0 < estimate.low < estimate.p_mastery < estimate.high < 1
    assert estimate.p_mastery == pytest.approx(tracer.bkt_default_.prior, abs=1e-3)
    assert 0.05 < tracer.predict(LearnerState(), unseen) < 0.95
    assert 0.05 < tracer.predict(LearnerState(), SkillState("fractions")) < 0.95
    _, state = tracer.update(LearnerState(), unseen, True)
    assert state.p_known is not None and state.p_known > estimate.p_mastery


def test_json_round_trips(tracer: KnowledgeTracer, attempts: Attempts) -> None:
    loaded = KnowledgeTracer.from_json(tracer.to_json())
    some = attempts.take(np.arange(len(attempts)) < 200)
    assert np.allclose(loaded.predict_attempts(some), tracer.predict_attempts(some))
    learner, state = tracer.update(LearnerState(), SkillState("percents"), False)
    assert LearnerState.from_dict(json.loads(json.dumps(learner.to_dict()))) == learner
    assert SkillState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


def test_batch_equals_one_attempt_at_a_time(tracer: KnowledgeTracer, attempts: Attempts) -> None:
    some = attempts.take(attempts.user == "u0")
    learner, states, online = LearnerState(), {}, []
    for skill, ok in zip(some.skill, some.correct, strict=True):
        state = states.get(skill, SkillState(skill))
        online.append(tracer.predict(learner, state))
        learner, states[skill] = tracer.update(learner, state, bool(ok))
    assert np.allclose(online, tracer.predict_attempts(some))
    replayed_learner, replayed_skills = tracer.replay(some)["u0"]
    assert replayed_learner == learner and replayed_skills == states


def test_no_leakage_from_later_answers(tracer: KnowledgeTracer, attempts: Attempts) -> None:
    """Changing a learner's later outcomes, or another learner's, leaves earlier predictions."""
    rows = attempts.take(np.isin(attempts.user, ["u1", "u2"]))
    before = tracer.predict_attempts(rows)
    cut = 10
    flipped = rows.correct.copy()
    flipped[cut:] = 1 - flipped[cut:]  # u1's later answers and all of u2's
    after = tracer.predict_attempts(Attempts(rows.user, rows.skill, flipped))
    u2_first = int(np.argmax(rows.user == "u2"))
    assert np.array_equal(before[: cut + 1], after[: cut + 1])
    assert before[u2_first] == after[u2_first]
    assert not np.allclose(before[cut + 1 :], after[cut + 1 :])


def test_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        Attempts.from_rows([("u", "s", 2)])
    with pytest.raises(ValueError):
        KnowledgeTracer().fit(Attempts.from_rows([]))


def test_library_does_not_import_the_service() -> None:
    code = (
        "import sys, recommender.mastery; "
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('coach', 'fastapi')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_prior_tracer_serves_before_any_fit_and_round_trips() -> None:
    tracer = KnowledgeTracer.prior()
    assert not tracer.fitted
    learner, state = LearnerState(), SkillState("phishing")
    before = tracer.predict(learner, state)
    for _ in range(3):
        learner, state = tracer.update(learner, state, True)
    assert tracer.predict(learner, state) > before
    assert tracer.mastery(state).p_mastery > tracer.mastery(SkillState("phishing")).p_mastery
    again = KnowledgeTracer.from_json(tracer.to_json())
    assert not again.fitted and again.predict(learner, state) == tracer.predict(learner, state)
    rows = Attempts.from_rows([("u", "phishing", 1), ("u", "phishing", 0)])
    assert tracer.predict_attempts(rows).shape == (2,)
