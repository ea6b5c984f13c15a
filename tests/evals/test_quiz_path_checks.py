"""check_quiz and check_path on hand-made good and bad quizzes and paths."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from coach.quizzes import Option, QuizItem, Source, Validator
from evals.checks.paths import check_path
from evals.checks.quiz import check_quiz, failed_items
from evals.verdict import Thresholds
from recommender.demo import Demo, load_demo
from recommender.paths import build_path
from recommender.plan import Path
from retrieval.embedding import FakeEmbedder
from tests.utils.paths import DEMO

PASSAGE = (
    "A Python list is an ordered collection of items. Lists are mutable, so the items of a "
    "list can be changed after the list is created. A tuple is an ordered collection that "
    "cannot be changed."
)
FORKLIFTS = "Forklift trucks must be inspected by the driver at the start of every shift."
SOURCES = {"c-lists": PASSAGE, "c-forklifts": FORKLIFTS}


def mcq(stem: str, options: list[tuple[str, bool]], chunk: str = "c-lists") -> QuizItem:
    opts = tuple(Option(text=t, correct=c) for t, c in options)
    answer = next((t for t, c in options if c), options[0][0])
    source = Source(chunk_id=chunk, course_id="python", section_title="Lists")
    return QuizItem(kind="mcq", stem=stem, options=opts, answer=answer, source=source)


OPTIONS = [("list", True), ("tuple", False), ("string", False)]
GOOD = mcq(
    "Which ordered collection of Python items is mutable, so its items can be changed?", OPTIONS
)


@pytest.fixture
def validator(embedder: FakeEmbedder) -> Validator:
    return Validator(embedder)


def test_a_valid_quiz_passes(validator: Validator, thresholds: Thresholds) -> None:
    assessment = check_quiz([GOOD], SOURCES, validator=validator, thresholds=thresholds)
    assert assessment.verdict == "pass", assessment.reasons
    assert assessment.scores["quiz_one_correct"] == 1.0
    assert "redundancy" in assessment.scores


@pytest.mark.parametrize(
    ("item", "rule"),
    [
        (
            mcq(GOOD.stem, [("list", True), ("tuple", True), ("string", False)]),
            "quiz_one_correct",
        ),
        (
            mcq(GOOD.stem, [("list", True), ("tuple", False), ("tuple ", False)]),
            "quiz_distinct_options",
        ),
        (
            mcq(
                "Which collection is ordered and mutable, like a list?",
                [("list", True), ("tuple", False), ("string", False)],
            ),
            "quiz_answer_in_stem",
        ),
        (mcq(GOOD.stem, OPTIONS, chunk="c-forklifts"), "quiz_answer_supported"),
        (mcq(GOOD.stem, OPTIONS, chunk="c-missing"), "quiz_answer_supported"),
    ],
)
def test_each_broken_rule_blocks_and_names_the_item(
    validator: Validator, thresholds: Thresholds, item: QuizItem, rule: str
) -> None:
    assessment = check_quiz([GOOD, item], SOURCES, validator=validator, thresholds=thresholds)
    assert assessment.verdict == "block"
    check = next(c for c in assessment.checks if c.name == rule)
    assert check.verdict == "block" and check.score == 0.5
    assert check.details["items"] == [item.id]
    assert any(item.id in r and rule in r for r in assessment.reasons)
    assert failed_items(assessment) == {item.id}


def test_repeated_stems_are_flagged_by_the_redundancy_check(
    validator: Validator, thresholds: Thresholds
) -> None:
    again = mcq(GOOD.stem, [("list", True), ("set", False), ("dict", False)])
    assessment = check_quiz([GOOD, again], SOURCES, validator=validator, thresholds=thresholds)
    redundancy = next(c for c in assessment.checks if c.name == "redundancy")
    assert redundancy.verdict != "pass" and redundancy.score == 0.5
    assert assessment.verdict == "block"  # the validator also rejects the duplicate item


def test_an_empty_quiz_blocks(validator: Validator, thresholds: Thresholds) -> None:
    assessment = check_quiz([], SOURCES, validator=validator, thresholds=thresholds)
    assert assessment.verdict == "block" and assessment.reasons == (
        "quiz_items: the quiz has no items",
    )


# -- paths ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> Demo:
    return load_demo(DEMO)


@pytest.fixture(scope="module")
def ana_path(demo: Demo) -> Path:
    return build_path(demo.learners["ana"], demo.catalog, {}, demo.today)


def _check(demo: Demo, path: Path):
    return check_path(path, demo.catalog, demo.learners["ana"], demo.today)


def _step(path: Path, item_id: str) -> int:
    return path.item_ids.index(item_id)


def test_a_built_path_passes_every_check(demo: Demo, ana_path: Path) -> None:
    assessment = _check(demo, ana_path)
    assert assessment.verdict == "pass", assessment.reasons
    assert assessment.scores["path_goals"] == 1.0
    assert set(assessment.scores) >= {"path_prerequisites", "path_redundancy", "path_deadlines"}


def test_a_dependent_before_its_prerequisite_blocks(demo: Demo, ana_path: Path) -> None:
    steps = list(ana_path.steps)
    n = _step(ana_path, "coach-new-managers")
    first = steps[0].start - timedelta(days=7)
    steps[n] = replace(steps[n], start=first, end=first, allocation=())
    assessment = _check(demo, replace(ana_path, steps=tuple(steps)))
    check = next(c for c in assessment.checks if c.name == "path_prerequisites")
    assert assessment.verdict == "block" and check.verdict == "block"
    assert any("Leading a team" in r or "leading" in r.lower() for r in check.reasons)


def test_the_same_item_twice_blocks(demo: Demo, ana_path: Path) -> None:
    doubled = replace(ana_path, steps=(*ana_path.steps, ana_path.steps[-1]))
    check = next(c for c in _check(demo, doubled).checks if c.name == "path_redundancy")
    assert check.verdict == "block" and "already step" in check.reasons[0]


def test_a_step_serving_no_gap_asks_for_a_revision(demo: Demo, ana_path: Path) -> None:
    last = ana_path.steps[_step(ana_path, "python-analysts")]
    extra = replace(last, item_id="warehouse-safety", title="Warehouse safety", deadline=None)
    path = replace(ana_path, steps=(*ana_path.steps, extra))
    check = next(c for c in _check(demo, path).checks if c.name == "path_redundancy")
    assert check.verdict == "revise"
    assert check.details["problems"][0]["kind"] == "serves_nothing"


def test_a_step_ending_after_its_deadline_asks_for_a_revision(demo: Demo, ana_path: Path) -> None:
    steps = list(ana_path.steps)
    steps[0] = replace(steps[0], deadline=steps[0].end - timedelta(days=1))
    assessment = _check(demo, replace(ana_path, steps=tuple(steps)))
    check = next(c for c in assessment.checks if c.name == "path_deadlines")
    assert check.verdict == "revise" and assessment.verdict == "revise"
    assert check.score < 1.0


def test_a_goal_left_open_asks_for_a_revision(demo: Demo, ana_path: Path) -> None:
    n = _step(ana_path, "python-analysts")
    path = replace(ana_path, steps=ana_path.steps[:n] + ana_path.steps[n + 1 :])
    check = next(c for c in _check(demo, path).checks if c.name == "path_goals")
    assert check.verdict == "revise" and check.score < 1.0
    assert "Exploratory data analysis" in check.details["open"]


def test_blocking_kinds_can_be_chosen(demo: Demo, ana_path: Path) -> None:
    doubled = replace(ana_path, steps=(*ana_path.steps, ana_path.steps[-1]))
    assessment = check_path(
        doubled, demo.catalog, demo.learners["ana"], demo.today, blocking=frozenset()
    )
    assert assessment.verdict == "revise"
