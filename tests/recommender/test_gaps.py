"""Gap analysis: remediation only where the role or a goal needs the skill, and mastery
estimates lift a level by one at most above what completions prove."""

from __future__ import annotations

from datetime import timedelta

from recommender.gaps import analyse_gaps, current_levels
from recommender.mastery import MasteryEstimate
from recommender.model import HistoryRecord, RecordKind
from tests.recommender.test_paths import TODAY, chain_catalog, goal, learner


def _quiz(skill: str, score: float) -> HistoryRecord:
    return HistoryRecord(RecordKind.QUIZ, TODAY - timedelta(days=3), skill=skill, score=score)


def test_a_weak_skill_nobody_needs_is_not_remediated() -> None:
    cat = chain_catalog()
    # the goal needs basics (and analysis' prerequisites); safety is weak but not needed
    lr = learner(
        role=None,
        goals=(goal("basics:1"),),
        history=(_quiz("safety", 0.2), _quiz("basics", 0.3)),
    )
    report = analyse_gaps(lr, cat, {}, TODAY)
    remediated = {g.skill for g in report.gaps if any(s.kind == "remediation" for s in g.sources)}
    assert remediated == {"basics"}
    assert "safety" not in {g.skill for g in report.gaps}


def test_with_no_role_and_no_goal_every_weak_skill_is_remediated() -> None:
    lr = learner(role=None, history=(_quiz("safety", 0.2),))
    report = analyse_gaps(lr, chain_catalog(), {}, TODAY)
    assert [g.skill for g in report.gaps if g.skill] == ["safety"]


def test_a_prerequisite_of_a_goal_skill_counts_as_needed() -> None:
    lr = learner(role=None, goals=(goal("reporting:1"),), history=(_quiz("basics", 0.1),))
    report = analyse_gaps(lr, chain_catalog(), {}, TODAY)
    basics = next(g for g in report.gaps if g.skill == "basics")
    assert "remediation" in {s.kind for s in basics.sources}


def test_mastery_lifts_a_skill_one_level_above_its_completions_at_most() -> None:
    cat = chain_catalog()  # basics, analysis, reporting: three levels each
    sure = {
        "analysis": MasteryEstimate("analysis", 0.99, 0.97, 1.0, 40),
        "reporting": MasteryEstimate("reporting", 0.99, 0.97, 1.0, 40),
    }
    done = HistoryRecord(RecordKind.COMPLETION, TODAY - timedelta(days=30), item_id="intro")
    levels = current_levels(learner(history=(done,)), cat, sure)
    assert levels.of("basics") == 2  # the completion proves level 2
    assert levels.of("analysis") == 1  # answers alone: one level, not the top
    assert levels.of("reporting") == 1
    low = {"analysis": MasteryEstimate("analysis", 0.2, 0.1, 0.3, 2)}
    assert current_levels(learner(), cat, low).of("analysis") == 0
