"""The simulated learner: levels rise with practice, prerequisites matter, quizzes are noisy,
and the same seed is the same person whatever they are given."""

from __future__ import annotations

import statistics
from datetime import date

import pytest

from recommender.catalog import Catalog
from recommender.mastery import BKTParams
from recommender.model import (
    CatalogItem,
    Goal,
    Learner,
    Modality,
    RoleProfile,
    SkillDef,
    SkillLevel,
)
from recommender.simulate import (
    SimConfig,
    SimulatedLearner,
    assign_sources,
    assumptions,
    competency_targets,
    follow_blendcoach,
    follow_list,
    tracer_with,
)

E = Modality.E_LEARNING


def _catalog() -> Catalog:
    skills = [
        SkillDef("basics", "Basics"),
        SkillDef("advanced", "Advanced", requires=(SkillLevel("basics", 1),)),
        SkillDef("part", "Part", part_of="whole"),
        SkillDef("whole", "Whole"),
    ]
    items = [
        CatalogItem("intro", "Intro", E, 2.0, skills=(SkillLevel("basics", 2),)),
        CatalogItem("deep", "Deep", E, 1.0, skills=(SkillLevel("advanced", 1),)),
        CatalogItem(
            "both",
            "Both",
            E,
            2.0,
            skills=(SkillLevel("advanced", 1), SkillLevel("basics", 1)),
        ),
        CatalogItem(
            "after",
            "After intro",
            E,
            1.0,
            skills=(SkillLevel("part", 2),),
            prereq_items=("intro",),
        ),
    ]
    roles = [RoleProfile("lead", "Lead", (SkillLevel("whole", 3), SkillLevel("basics", 1)))]
    return Catalog(skills, items, roles=roles)


def _params(basics_prior: float | None = None, **kw: float) -> dict[str, BKTParams]:
    p = BKTParams(**{"prior": 0.0, "learn": 0.1, "guess": 0.2, "slip": 0.1, **kw})
    out = dict.fromkeys(("basics", "advanced", "part", "whole"), p)
    if basics_prior is not None:
        out["basics"] = BKTParams(**{**p.__dict__, "prior": basics_prior})
    return out


def test_practice_raises_levels_up_to_what_the_item_teaches() -> None:
    cat = _catalog()
    learner = SimulatedLearner(cat, _params(learn=0.9), seed=1)
    assert learner.level("basics") == 0
    gained = learner.take(cat.items["intro"])
    assert gained == {"basics": 2} and learner.level("basics") == 2
    for _ in range(5):
        learner.take(cat.items["intro"])
    assert learner.level("basics") == 2  # the item teaches level 2, no further
    assert learner.hours == pytest.approx(12.0) and learner.taken.count("intro") == 6


def test_more_hours_mean_more_learning() -> None:
    cat = _catalog()
    once = [SimulatedLearner(cat, _params(learn=0.02), seed=s) for s in range(300)]
    twice = [SimulatedLearner(cat, _params(learn=0.02), seed=s) for s in range(300)]
    for a, b in zip(once, twice, strict=True):
        a.take(cat.items["intro"])
        b.take(cat.items["intro"])
        b.take(cat.items["intro"])
    assert sum(b.level("basics") for b in twice) > sum(a.level("basics") for a in once)
    # same seeds: a second pass never loses what the first one gave
    assert all(b.level("basics") >= a.level("basics") for a, b in zip(once, twice, strict=True))


def test_unmet_prerequisites_slow_learning() -> None:
    cat = _catalog()

    def share(ready: bool, config: SimConfig) -> float:
        reached = 0
        for seed in range(400):
            params = _params(basics_prior=1.0 if ready else 0.0)  # prerequisite known or not
            learner = SimulatedLearner(cat, params, seed=seed, config=config)
            learner.take(cat.items["deep"])
            reached += learner.level("advanced") >= 1
        return reached / 400

    config = SimConfig()
    assert share(True, config) > 0.6
    assert share(False, config) < share(True, config) - 0.3
    assert share(False, SimConfig(unmet_factor=0.0)) == 0.0


def test_an_item_teaches_a_skill_before_its_dependant() -> None:
    cat = _catalog()
    learner = SimulatedLearner(cat, _params(learn=0.9), seed=3, config=SimConfig(unmet_factor=0))
    learner.take(cat.items["both"])  # lists "advanced" first; "basics" is learnt first
    assert learner.level("basics") == 1 and learner.level("advanced") == 1


def test_prerequisite_items_must_be_taken_first() -> None:
    cat = _catalog()
    config = SimConfig(unmet_factor=0.0)
    skipped = SimulatedLearner(cat, _params(learn=0.9), seed=4, config=config)
    skipped.take(cat.items["after"])
    assert skipped.level("part") == 0
    ordered = SimulatedLearner(cat, _params(learn=0.9), seed=4, config=config)
    ordered.take(cat.items["intro"])
    ordered.take(cat.items["after"])
    assert ordered.level("part") == 2


def test_quiz_answers_follow_slip_and_guess() -> None:
    cat = _catalog()
    learner = SimulatedLearner(cat, _params(prior=1.0, slip=0.1, guess=0.3), seed=5)
    assert learner.level("basics") == 1  # prior is P(level 1 at the start); never above
    known = learner.quiz("basics", 1, questions=4000)
    unknown = learner.quiz("basics", 2, questions=4000)
    assert statistics.fmean(known) == pytest.approx(0.9, abs=0.03)
    assert statistics.fmean(unknown) == pytest.approx(0.3, abs=0.03)
    assert len(learner.quiz("basics", 1)) == SimConfig().quiz_questions


def test_same_seed_same_person_whatever_the_order() -> None:
    cat = _catalog()
    a = SimulatedLearner(cat, _params(learn=0.05), seed="u7")
    b = SimulatedLearner(cat, _params(learn=0.05), seed="u7")
    a.take(cat.items["intro"])
    b.take(cat.items["deep"])  # unrelated practice first: draws on "basics" are unchanged
    b.take(cat.items["intro"])
    assert a.level("basics") == b.level("basics")
    assert a.quiz("basics", 1) == b.quiz("basics", 1)
    others = {tuple(SimulatedLearner(cat, _params(), seed=s).quiz("basics", 1)) for s in "abcdef"}
    assert len(others) > 1  # other seeds, other people


def test_assign_sources_is_deterministic_and_spreads_parameters() -> None:
    skills = ["s1", "s2", "s3"]
    first = assign_sources(skills, ["10", "11", "12", "13"], seed=2)
    assert first == assign_sources(reversed(skills), ["13", "12", "11", "10"], seed=2)
    assert len(set(first.values())) == 3  # without replacement while sources last
    assert len(assign_sources(skills, ["10"], seed=2)) == 3
    with pytest.raises(ValueError):
        assign_sources(skills, [], seed=2)


def test_competency_targets_expand_roles_and_composites() -> None:
    cat = _catalog()
    learner = Learner("x", goals=(Goal("lead", role="lead", skills=(SkillLevel("advanced", 2),)),))
    # "whole" is reached through its part; levels are capped at what an item teaches
    assert competency_targets(learner, cat) == {"part": 2, "basics": 1, "advanced": 1}


def test_assumptions_state_the_numbers() -> None:
    text = " ".join(assumptions(SimConfig(opportunities_per_hour=6, unmet_factor=0.5)))
    assert "6 learning opportunities per hour" in text and "only 0.5 of" in text


def test_a_course_list_is_retaken_until_competent() -> None:
    cat = _catalog()
    learner = SimulatedLearner(cat, _params(learn=0.02), seed=9)
    outcome = follow_list(learner, [cat.items["intro"]], {"basics": 2}, horizon=500)
    assert outcome.hours == learner.hours and learner.level("basics") == 2
    assert outcome.items == len(learner.taken) > 1  # one pass was not enough
    stuck = SimulatedLearner(cat, _params(learn=0.02), seed=9)
    capped = follow_list(stuck, [cat.items["intro"]], {"basics": 2}, horizon=2)
    assert capped.hours is None and capped.items == 1


def test_blendcoach_plans_prerequisites_first_and_re_plans_from_quizzes() -> None:
    cat = _catalog()
    learner = Learner("x", goals=(Goal("deep", skills=(SkillLevel("advanced", 1),)),))
    params = _params(learn=0.3)
    sim = SimulatedLearner(cat, params, seed=2)
    outcome = follow_blendcoach(
        sim, learner, {"advanced": 1}, tracer_with(params), date(2026, 1, 5), horizon=100
    )
    assert outcome.hours is not None and sim.level("advanced") == 1
    first_advanced = min(n for n, i in enumerate(sim.taken) if cat.items[i].teaches("advanced"))
    assert any(cat.items[i].teaches("basics") for i in sim.taken[: first_advanced + 1])
